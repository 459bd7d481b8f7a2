"""Step 11: a language per user (the interface language; empty: the config's)."""

from __future__ import annotations

import peewee


def apply(db: peewee.Database) -> None:
    if "language" not in {c.name for c in db.get_columns("user")}:
        db.execute_sql("ALTER TABLE \"user\" ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT ''")
