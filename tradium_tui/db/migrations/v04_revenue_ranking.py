"""Step 4: invoiced revenue per customer with bucket counts, kept by triggers, for the
ranking (see :mod:`tradium_tui.db.sql` for what the figures are)."""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres, is_sqlite
from tradium_tui.db.sql import (
    RECOUNT_BUCKETS_SQL,
    REVENUE_EXCLUDED_STATUS,
    revenue_fill_sql,
    sqlite_bucket_sql,
)


def _bucket_codes() -> list[int]:
    codes = list(range(100, 110))  # 0–9.99: one digit
    for digits in range(2, 16):  # up to the 14 integer digits of DECIMAL(16, 2)
        codes += [digits * 100 + lead for lead in range(10, 100)]
    return codes + [-code - 1 for code in codes]


def _sqlite_refresh_revenue(ref: str) -> str:
    return (
        f"DELETE FROM customer_revenue WHERE customer_id = {ref} AND NOT EXISTS "
        f"(SELECT 1 FROM customer WHERE id = {ref} AND deleted_at IS NULL); "
        "INSERT INTO customer_revenue (customer_id, revenue, bucket) "
        f"SELECT id, rev, {sqlite_bucket_sql('rev')} FROM ("
        "SELECT c.id AS id, ROUND(COALESCE((SELECT SUM(i.amount_excl) FROM invoice i "
        f"WHERE i.customer_id = c.id AND i.status <> '{REVENUE_EXCLUDED_STATUS}'), 0), 2) AS rev "
        f"FROM customer c WHERE c.id = {ref} AND c.deleted_at IS NULL) WHERE true "
        "ON CONFLICT (customer_id) DO UPDATE SET revenue = excluded.revenue, "
        "bucket = excluded.bucket; "
    )


# Triggers and functions left by earlier development versions of the ranking (some of them
# summed orders instead of invoices).
_V3_ERA = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS order_revenue_ai", "DROP TRIGGER IF EXISTS order_revenue_ad",
        "DROP TRIGGER IF EXISTS order_revenue_au", "DROP TRIGGER IF EXISTS customer_revenue_au",
        "DROP TRIGGER IF EXISTS customer_revenue_ad",
    ],
    "postgres": [
        'DROP TRIGGER IF EXISTS order_revenue ON "order"',
        "DROP TRIGGER IF EXISTS customer_revenue_deleted ON customer",
        "DROP FUNCTION IF EXISTS order_revenue_trigger()",
    ],
}


def apply(db: peewee.Database) -> None:
    if is_sqlite(db):
        for sql in _V3_ERA["sqlite"]:
            db.execute_sql(sql)
        db.execute_sql("DROP TABLE IF EXISTS customer_revenue")
        db.execute_sql(
            "CREATE TABLE customer_revenue ("
            "customer_id INTEGER NOT NULL PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE, "
            "revenue DECIMAL(16, 2) NOT NULL, bucket INTEGER NOT NULL)"
        )
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS revenue_bucket ("
            "bucket INTEGER NOT NULL PRIMARY KEY, customers INTEGER NOT NULL DEFAULT 0)"
        )
        triggers = {
            "invoice_revenue_ai": ("AFTER INSERT ON invoice", _sqlite_refresh_revenue("new.customer_id")),
            "invoice_revenue_ad": ("AFTER DELETE ON invoice", _sqlite_refresh_revenue("old.customer_id")),
            "invoice_revenue_au": (
                "AFTER UPDATE OF customer_id, status, amount_excl ON invoice",
                _sqlite_refresh_revenue("old.customer_id") + _sqlite_refresh_revenue("new.customer_id"),
            ),
            "customer_revenue_ai": ("AFTER INSERT ON customer", _sqlite_refresh_revenue("new.id")),
            "customer_revenue_au": (
                "AFTER UPDATE OF deleted_at ON customer", _sqlite_refresh_revenue("new.id")
            ),
            "customer_revenue_ad": (
                "AFTER DELETE ON customer", "DELETE FROM customer_revenue WHERE customer_id = old.id; "
            ),
        }
        counting = {
            "revenue_bucket_ai": (
                "AFTER INSERT ON customer_revenue",
                "UPDATE revenue_bucket SET customers = customers + 1 WHERE bucket = new.bucket; ",
            ),
            "revenue_bucket_ad": (
                "AFTER DELETE ON customer_revenue",
                "UPDATE revenue_bucket SET customers = customers - 1 WHERE bucket = old.bucket; ",
            ),
            "revenue_bucket_au": (
                "AFTER UPDATE OF bucket ON customer_revenue WHEN old.bucket <> new.bucket",
                "UPDATE revenue_bucket SET customers = customers - 1 WHERE bucket = old.bucket; "
                "UPDATE revenue_bucket SET customers = customers + 1 WHERE bucket = new.bucket; ",
            ),
        }

        def create_triggers(which: dict) -> None:
            for name, (event, body) in which.items():
                db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
                db.execute_sql(f"CREATE TRIGGER {name} {event} BEGIN {body}END")

        create_triggers(triggers)
        fill = revenue_fill_sql(True)
    elif is_postgres(db):
        for sql in _V3_ERA["postgres"]:
            db.execute_sql(sql)
        db.execute_sql("DROP TABLE IF EXISTS customer_revenue")
        db.execute_sql(
            "CREATE TABLE customer_revenue ("
            "customer_id BIGINT NOT NULL PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE, "
            "revenue NUMERIC(16, 2) NOT NULL, bucket INTEGER NOT NULL)"
        )
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS revenue_bucket ("
            "bucket INTEGER NOT NULL PRIMARY KEY, customers INTEGER NOT NULL DEFAULT 0)"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION revenue_bucket_of(r NUMERIC) RETURNS INTEGER "
            "LANGUAGE SQL IMMUTABLE AS $$ SELECT CASE WHEN r >= 0 THEN "
            "length(trunc(r)::bigint::text) * 100 + substr(trunc(r)::bigint::text, 1, 2)::int "
            "ELSE -(length(trunc(-r)::bigint::text) * 100 "
            "+ substr(trunc(-r)::bigint::text, 1, 2)::int) - 1 END $$"
        )
        # Refreshes of one customer are serialised by a lock on the customer's row, so two
        # transactions adding invoices at once both end up counted (READ COMMITTED).  A row
        # lock (not an advisory lock) costs no shared memory, so bulk writes of many
        # customers in one transaction cannot exhaust the lock table.
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_revenue_refresh(cid BIGINT) RETURNS void AS $$ "
            "DECLARE total NUMERIC; "
            "BEGIN "
            "PERFORM 1 FROM customer WHERE id = cid FOR NO KEY UPDATE; "
            "IF EXISTS (SELECT 1 FROM customer WHERE id = cid AND deleted_at IS NULL) THEN "
            "SELECT ROUND(COALESCE(SUM(i.amount_excl), 0), 2) INTO total FROM invoice i "
            f"WHERE i.customer_id = cid AND i.status <> '{REVENUE_EXCLUDED_STATUS}'; "
            "INSERT INTO customer_revenue (customer_id, revenue, bucket) "
            "VALUES (cid, total, revenue_bucket_of(total)) ON CONFLICT (customer_id) DO UPDATE "
            "SET revenue = EXCLUDED.revenue, bucket = EXCLUDED.bucket; "
            "ELSE DELETE FROM customer_revenue WHERE customer_id = cid; END IF; "
            "END $$ LANGUAGE plpgsql"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION invoice_revenue_trigger() RETURNS trigger AS $$ "
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
        # Bucket rows are always taken in ascending order, so two movers cannot deadlock.
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION revenue_bucket_trigger() RETURNS trigger AS $$ "
            "BEGIN "
            "IF TG_OP = 'INSERT' THEN "
            "UPDATE revenue_bucket SET customers = customers + 1 WHERE bucket = NEW.bucket; "
            "ELSIF TG_OP = 'DELETE' THEN "
            "UPDATE revenue_bucket SET customers = customers - 1 WHERE bucket = OLD.bucket; "
            "ELSIF OLD.bucket < NEW.bucket THEN "
            "UPDATE revenue_bucket SET customers = customers - 1 WHERE bucket = OLD.bucket; "
            "UPDATE revenue_bucket SET customers = customers + 1 WHERE bucket = NEW.bucket; "
            "ELSIF OLD.bucket > NEW.bucket THEN "
            "UPDATE revenue_bucket SET customers = customers + 1 WHERE bucket = NEW.bucket; "
            "UPDATE revenue_bucket SET customers = customers - 1 WHERE bucket = OLD.bucket; "
            "END IF; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        triggers = {
            "invoice_revenue": (
                "AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, amount_excl ON invoice",
                "invoice_revenue_trigger",
            ),
            "customer_revenue_new": ("AFTER INSERT ON customer", "customer_revenue_trigger"),
            "customer_revenue_deleted": (
                "AFTER UPDATE OF deleted_at ON customer", "customer_revenue_trigger"
            ),
        }
        counting = {
            "revenue_bucket_count": (
                "AFTER INSERT OR DELETE OR UPDATE OF bucket ON customer_revenue",
                "revenue_bucket_trigger",
            ),
        }

        # TRUNCATE (… CASCADE from customer) fires no row triggers: it empties the counts.
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION revenue_bucket_reset() RETURNS trigger AS $$ "
            "BEGIN UPDATE revenue_bucket SET customers = 0 WHERE customers <> 0; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        counting["revenue_bucket_truncate"] = (
            "AFTER TRUNCATE ON customer_revenue", "revenue_bucket_reset", "STATEMENT"
        )

        def create_triggers(which: dict) -> None:
            for name, (event, function, *level) in which.items():
                table = event.rsplit(" ON ", 1)[1]
                db.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                db.execute_sql(
                    f"CREATE TRIGGER {name} {event} FOR EACH {level[0] if level else 'ROW'} "
                    f"EXECUTE FUNCTION {function}()"
                )

        create_triggers(triggers)
        fill = revenue_fill_sql(False)
    else:
        return
    # Fill from what the database holds, count per bucket, then keep the counts by triggers.
    db.execute_sql("DELETE FROM revenue_bucket")
    db.execute_sql(
        "INSERT INTO revenue_bucket (bucket, customers) VALUES "
        + ", ".join(f"({code}, 0)" for code in _bucket_codes())
    )
    db.execute_sql(fill)
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS customer_revenue_bucket ON customer_revenue (bucket, revenue)"
    )
    db.execute_sql(RECOUNT_BUCKETS_SQL)
    create_triggers(counting)
