"""Step 2: the first customer search index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL).

Step 9 replaced it with a wider one; this is what it was.
"""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres, is_sqlite

# The text the customer finder searched, as one lower-cased SQL expression (PostgreSQL).
PG_SEARCH_EXPR = (
    "lower(name || ' ' || number::text || ' ' || visit_city || ' ' || visit_postcode || ' ' "
    "|| replace(visit_postcode, ' ', '') || ' ' || email || ' ' || replace(phone, ' ', '') "
    "|| ' ' || replace(mobile, ' ', '') || ' ' || vat_number || ' ' || coalesce(reference, ''))"
)

# SQLite: an FTS5 trigram table keyed by customer id, kept in sync by triggers.
SQLITE_FTS_COLUMNS = "name, number, city, postcode, email, phone, vat, reference"
SQLITE_FTS_VALUES = (
    "new.name, CAST(new.number AS TEXT), new.visit_city, "
    "new.visit_postcode || ' ' || replace(new.visit_postcode, ' ', ''), new.email, "
    "replace(new.phone, ' ', '') || ' ' || replace(new.mobile, ' ', ''), new.vat_number, "
    "coalesce(new.reference, '')"
)


def apply(db: peewee.Database) -> None:
    if is_sqlite(db):
        db.execute_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5("
            f"{SQLITE_FTS_COLUMNS}, tokenize='trigram')"
        )
        db.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer "
            "WHEN new.deleted_at IS NULL BEGIN "
            f"INSERT INTO customer_fts(rowid, {SQLITE_FTS_COLUMNS}) "
            f"VALUES (new.id, {SQLITE_FTS_VALUES}); END"
        )
        db.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
            "DELETE FROM customer_fts WHERE rowid = old.id; END"
        )
        db.execute_sql(
            "CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE ON customer BEGIN "
            "DELETE FROM customer_fts WHERE rowid = old.id; "
            f"INSERT INTO customer_fts(rowid, {SQLITE_FTS_COLUMNS}) "
            f"SELECT new.id, {SQLITE_FTS_VALUES} WHERE new.deleted_at IS NULL; END"
        )
        # Index what an older schema already holds.
        db.execute_sql("DELETE FROM customer_fts")
        db.execute_sql(
            f"INSERT INTO customer_fts(rowid, {SQLITE_FTS_COLUMNS}) "
            f"SELECT id, {SQLITE_FTS_VALUES.replace('new.', '')} FROM customer "
            "WHERE deleted_at IS NULL"
        )
    elif is_postgres(db):
        db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS customer_search_trgm ON customer "
            f"USING gin (({PG_SEARCH_EXPR}) gin_trgm_ops) WHERE deleted_at IS NULL"
        )
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS customer_name_lower ON customer "
            "(lower(name) text_pattern_ops) WHERE deleted_at IS NULL"
        )
