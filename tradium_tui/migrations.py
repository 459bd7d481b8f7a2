"""Forward schema migrations, in order. Each step takes version n to n+1.

A fresh database runs every step; an older one runs the steps it has not had.
Steps that add columns or indexes check first, so running them on a schema that
already has the object is harmless.
"""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres, is_sqlite, migration

# The text the customer finder searches, as one lower-cased SQL expression (PostgreSQL).
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


@migration("create the tables and the default roles")
def _v1_tables(db: peewee.Database) -> None:
    from tradium_tui.models import ALL_MODELS
    from tradium_tui.services.access import ensure_default_roles

    db.create_tables(ALL_MODELS, safe=True)
    ensure_default_roles()


@migration("customer search index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)")
def _v2_search(db: peewee.Database) -> None:
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


# Order revenue per customer, kept by triggers so the status-bar ranking is an index
# range count instead of a GROUP BY over every order.  One row per not-deleted customer
# with at least one counted order; revenue = ROUND(SUM(total_excl), 2) of the orders whose
# status is not 'cancelled' (services.customer_view.customer_revenue_expr is the same rule).
REVENUE_EXCLUDED_STATUS = "cancelled"
_REVENUE_OF = (
    "SELECT o.customer_id, ROUND(SUM(o.total_excl), 2) FROM \"order\" o "
    "JOIN customer c ON c.id = o.customer_id "
    f"WHERE c.deleted_at IS NULL AND o.status <> '{REVENUE_EXCLUDED_STATUS}'"
)


def _sqlite_refresh_revenue(ref: str) -> str:
    return (
        f"DELETE FROM customer_revenue WHERE customer_id = {ref}; "
        f"INSERT INTO customer_revenue (customer_id, revenue) {_REVENUE_OF} "
        f"AND o.customer_id = {ref} GROUP BY o.customer_id; "
    )


@migration("name prefix index for SQLite; order revenue per customer for the ranking")
def _v3_name_prefix_and_revenue(db: peewee.Database) -> None:
    if is_sqlite(db):
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS customer_name_lower ON customer (lower(name)) "
            "WHERE deleted_at IS NULL"
        )
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS customer_revenue ("
            "customer_id INTEGER NOT NULL PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE, "
            "revenue DECIMAL(16, 2) NOT NULL)"
        )
        triggers = {
            "order_revenue_ai": ('AFTER INSERT ON "order"', _sqlite_refresh_revenue("new.customer_id")),
            "order_revenue_ad": ('AFTER DELETE ON "order"', _sqlite_refresh_revenue("old.customer_id")),
            "order_revenue_au": (
                'AFTER UPDATE OF customer_id, status, total_excl ON "order"',
                _sqlite_refresh_revenue("old.customer_id") + _sqlite_refresh_revenue("new.customer_id"),
            ),
            "customer_revenue_au": (
                "AFTER UPDATE OF deleted_at ON customer", _sqlite_refresh_revenue("new.id")
            ),
            "customer_revenue_ad": (
                "AFTER DELETE ON customer", "DELETE FROM customer_revenue WHERE customer_id = old.id; "
            ),
        }
        for name, (event, body) in triggers.items():
            db.execute_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {event} BEGIN {body}END")
    elif is_postgres(db):
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS customer_revenue ("
            "customer_id BIGINT NOT NULL PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE, "
            "revenue NUMERIC(16, 2) NOT NULL)"
        )
        # Refreshes of one customer are serialised by an advisory lock, so two
        # transactions adding orders at once both end up counted (READ COMMITTED).
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_revenue_refresh(cid BIGINT) RETURNS void AS $$ "
            "BEGIN "
            "PERFORM pg_advisory_xact_lock(20240611, mod(cid, 2147483647)::int); "
            "DELETE FROM customer_revenue WHERE customer_id = cid; "
            f"INSERT INTO customer_revenue (customer_id, revenue) {_REVENUE_OF} "
            "AND o.customer_id = cid GROUP BY o.customer_id; "
            "END $$ LANGUAGE plpgsql"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION order_revenue_trigger() RETURNS trigger AS $$ "
            "BEGIN "
            "IF TG_OP <> 'INSERT' THEN PERFORM customer_revenue_refresh(OLD.customer_id); END IF; "
            "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id <> OLD.customer_id) THEN "
            "PERFORM customer_revenue_refresh(NEW.customer_id); END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_revenue_trigger() RETURNS trigger AS $$ "
            "BEGIN PERFORM customer_revenue_refresh(NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        db.execute_sql('DROP TRIGGER IF EXISTS order_revenue ON "order"')
        db.execute_sql(
            "CREATE TRIGGER order_revenue AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, "
            'total_excl ON "order" FOR EACH ROW EXECUTE FUNCTION order_revenue_trigger()'
        )
        db.execute_sql("DROP TRIGGER IF EXISTS customer_revenue_deleted ON customer")
        db.execute_sql(
            "CREATE TRIGGER customer_revenue_deleted AFTER UPDATE OF deleted_at ON customer "
            "FOR EACH ROW EXECUTE FUNCTION customer_revenue_trigger()"
        )
    else:
        return
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_revenue_revenue ON customer_revenue (revenue)")
    # Fill from what an older schema already holds.
    db.execute_sql("DELETE FROM customer_revenue")
    db.execute_sql(
        f"INSERT INTO customer_revenue (customer_id, revenue) {_REVENUE_OF} GROUP BY o.customer_id"
    )
