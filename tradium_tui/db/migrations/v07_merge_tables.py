"""Step 7: merged customers — aliases of merged-away numbers and the undo record of a merge."""

from __future__ import annotations

import peewee

from tradium_tui.db.migrations import tables


def apply(db: peewee.Database) -> None:
    tables.create(db, ["customer_alias", "customer_merge"])
