"""Step 5: drop the unused index on the audit trail's time."""

from __future__ import annotations

import peewee


def apply(db: peewee.Database) -> None:
    # Every audit query filters by customer or by record; this index was never read, yet it
    # cost about 40 % of writing an audit row (a bulk import writes millions of them).
    db.execute_sql("DROP INDEX IF EXISTS audit_record_at")
