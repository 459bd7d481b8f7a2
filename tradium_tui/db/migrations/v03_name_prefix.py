"""Step 3: the name prefix index for SQLite (the finder's 1–2 character lookups)."""

from __future__ import annotations

import peewee

from tradium_tui.db import is_sqlite


def apply(db: peewee.Database) -> None:
    if is_sqlite(db):
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS customer_name_lower ON customer (lower(name)) "
            "WHERE deleted_at IS NULL"
        )
