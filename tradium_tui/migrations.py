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



@migration("name prefix index for SQLite (the finder's 1–2 character lookups)")
def _v3_name_prefix(db: peewee.Database) -> None:
    if is_sqlite(db):
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS customer_name_lower ON customer (lower(name)) "
            "WHERE deleted_at IS NULL"
        )


# --------------------------------------------------------------------------- ranking
#
# Invoiced revenue per customer, kept by triggers, for the status-bar ranking (the same
# figure as the analysis tab's all-time revenue).  ``customer_revenue`` has one row per
# not-deleted customer: revenue = ROUND(SUM(amount_excl), 2) over its invoices whose status
# is not 'cancelled' (excl. VAT; credit notes are negative invoices; 0 without such
# invoices; the same rule as services.customer_view.customer_revenue_expr) and ``bucket``,
# a coarse non-decreasing function of the revenue (number of digits and first two digits).
# ``revenue_bucket`` counts the customers per bucket.  "How many customers have more
# revenue than X" is then the sum of the counts of the higher buckets (a few hundred rows at
# most) plus a range count inside X's own bucket — no scan of a million rows, on either
# database.

REVENUE_EXCLUDED_STATUS = "cancelled"


def _bucket_codes() -> list[int]:
    codes = list(range(100, 110))  # 0–9.99: one digit
    for digits in range(2, 16):  # up to the 14 integer digits of DECIMAL(16, 2)
        codes += [digits * 100 + lead for lead in range(10, 100)]
    return codes + [-code - 1 for code in codes]


def _sqlite_bucket(x: str) -> str:
    def code(v: str) -> str:
        whole = f"CAST(CAST({v} AS INTEGER) AS TEXT)"
        return f"(length({whole}) * 100 + CAST(substr({whole}, 1, 2) AS INTEGER))"

    return f"(CASE WHEN {x} >= 0 THEN {code(x)} ELSE -{code(f'-({x})')} - 1 END)"


def _sqlite_refresh_revenue(ref: str) -> str:
    return (
        f"DELETE FROM customer_revenue WHERE customer_id = {ref} AND NOT EXISTS "
        f"(SELECT 1 FROM customer WHERE id = {ref} AND deleted_at IS NULL); "
        "INSERT INTO customer_revenue (customer_id, revenue, bucket) "
        f"SELECT id, rev, {_sqlite_bucket('rev')} FROM ("
        "SELECT c.id AS id, ROUND(COALESCE((SELECT SUM(i.amount_excl) FROM invoice i "
        f"WHERE i.customer_id = c.id AND i.status <> '{REVENUE_EXCLUDED_STATUS}'), 0), 2) AS rev "
        f"FROM customer c WHERE c.id = {ref} AND c.deleted_at IS NULL) WHERE true "
        "ON CONFLICT (customer_id) DO UPDATE SET revenue = excluded.revenue, "
        "bucket = excluded.bucket; "
    )


def revenue_fill_sql(sqlite: bool, mark: str | None = None) -> str:
    """Insert-or-update the ``customer_revenue`` rows of every not-deleted customer from its
    invoices, in one set-based statement; with ``mark`` (the driver's placeholder) only of
    the customer ids between two parameters, which are then passed twice:
    ``(first, last, first, last)``."""
    bucket = _sqlite_bucket("rev") if sqlite else "revenue_bucket_of(rev)"
    invoices = f" AND customer_id BETWEEN {mark} AND {mark}" if mark else ""
    customers = f" AND c.id BETWEEN {mark} AND {mark}" if mark else ""
    return (
        f"INSERT INTO customer_revenue (customer_id, revenue, bucket) SELECT id, rev, {bucket} "
        "FROM (SELECT c.id AS id, ROUND(COALESCE(i.total, 0), 2) AS rev FROM customer c "
        "LEFT JOIN (SELECT customer_id, SUM(amount_excl) AS total FROM invoice "
        f"WHERE status <> '{REVENUE_EXCLUDED_STATUS}'{invoices} GROUP BY customer_id) i "
        f"ON i.customer_id = c.id WHERE c.deleted_at IS NULL{customers}) AS r WHERE true "
        "ON CONFLICT (customer_id) DO UPDATE SET revenue = excluded.revenue, "
        "bucket = excluded.bucket"
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


@migration("invoiced revenue per customer with bucket counts, kept by triggers, for the ranking")
def _v4_revenue_ranking(db: peewee.Database) -> None:
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
    db.execute_sql(
        "UPDATE revenue_bucket SET customers = (SELECT COUNT(*) FROM customer_revenue r "
        "WHERE r.bucket = revenue_bucket.bucket)"
    )
    create_triggers(counting)


@migration("drop the unused index on the audit trail's time")
def _v5_audit_time_index(db: peewee.Database) -> None:
    # Every audit query filters by customer or by record; this index was never read, yet it
    # cost about 40 % of writing an audit row (a bulk import writes millions of them).
    db.execute_sql("DROP INDEX IF EXISTS audit_record_at")


@migration("invoices from orders: invoiced quantities, invoice lines, totals per VAT rate, credit notes")
def _v6_invoicing(db: peewee.Database) -> None:
    from tradium_tui.models import InvoiceLine, InvoiceVat
    from tradium_tui.services.invoices import adopt_legacy_invoices

    def add(table: str, column: str, sqlite_type: str, pg_type: str) -> None:
        if column not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(
                f"ALTER TABLE {table} ADD COLUMN {column} {sqlite_type if is_sqlite(db) else pg_type}"
            )

    add("order_line", "invoiced_quantity", "DECIMAL(14, 3) NOT NULL DEFAULT 0",
        "NUMERIC(14, 3) NOT NULL DEFAULT 0")
    add("invoice", "payment_term_days", "INTEGER", "INTEGER")
    add("invoice", "credited_invoice_id", "INTEGER REFERENCES invoice (id) ON DELETE RESTRICT",
        "INTEGER REFERENCES invoice (id) ON DELETE RESTRICT")
    db.execute_sql("CREATE INDEX IF NOT EXISTS invoice_credited_invoice_id "
                   "ON invoice (credited_invoice_id)")
    db.create_tables([InvoiceLine, InvoiceVat], safe=True)
    # Older invoices: a credit note was a negative invoice; totals per rate from the order.
    adopt_legacy_invoices()


@migration("merged customers: aliases of merged-away numbers and the undo record of a merge")
def _lifecycle_merge_tables(db: peewee.Database) -> None:
    from tradium_tui.models import CustomerAlias, CustomerMerge

    db.create_tables([CustomerAlias, CustomerMerge], safe=True)


@migration("the article catalogue and price lists (from the customers' price-list names)")
def _v6_articles_price_lists(db: peewee.Database) -> None:
    from tradium_tui.models import Article, PriceList, PriceListItem, utcnow

    db.create_tables([Article, PriceList, PriceListItem], safe=True)
    # Every price-list name customers already carry becomes a price list of that name, so
    # the text on the customer refers to a list (its prices are then filled in).
    names = {
        (name or "").strip()
        for (name,) in db.execute_sql("SELECT DISTINCT price_list FROM customer").fetchall()
    }
    known = {name for (name,) in PriceList.select(PriceList.name).tuples()}
    for name in sorted(n for n in names if n and n not in known):
        PriceList.insert(name=name[:60], currency="EUR", created_at=utcnow(),
                         updated_at=utcnow(), version=1).execute()
    # A condition may start from a minimum quantity.
    columns = {c.name for c in db.get_columns("condition")}
    if "min_quantity" not in columns:
        db.execute_sql('ALTER TABLE "condition" ADD COLUMN min_quantity DECIMAL(14, 3)')


# --------------------------------------------------------------------------- search, wider
#
# The finder's index holds one text per not-deleted customer: its fields and those of its
# contact persons, separated by SEARCH_SEPARATOR (a control character the search text can
# never hold, so no match runs across two fields).  Phone numbers are stored in the
# international notation the validation gives them; the index keeps their digits only.
# SQLite: an FTS5 trigram table ``customer_fts(doc)`` keyed by customer id.  PostgreSQL: a
# table ``customer_search(customer_id, doc)`` with the text lower-cased and a pg_trgm GIN
# index.  Both are kept by triggers on customer and contact.

SEARCH_SEPARATOR = "\x1f"
# The customer's fields in the text, in order; then name, e-mail, phone, mobile per contact.
SEARCH_FIELDS = (
    "name", "number", "city", "postcode", "postcode_compact", "email", "phone", "mobile",
    "vat", "reference", "coc", "iban", "street",
)
SEARCH_CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "contact_mobile")
_SEARCH_CUSTOMER_COLUMNS = (
    "name, number, visit_city, visit_postcode, email, phone, mobile, vat_number, reference, "
    "coc_number, iban, visit_street, visit_house_number, deleted_at"
)
_SEARCH_CONTACT_COLUMNS = "customer_id, name, email, phone, mobile"
# The letters after a Dutch postcode's four digits ("RW" of "5014 RW"): typed alone, two
# letters are too short for the trigram index, so they are looked up here.
POSTCODE_TAIL_SQL = "upper(substr(replace(visit_postcode, ' ', ''), 5))"


def _digits_sql(column: str) -> str:
    out = f"coalesce({column}, '')"
    for ch in " +-().":
        out = f"replace({out}, '{ch}', '')"
    return out


def search_doc_sql(postgres: bool, alias: str = "c") -> str:
    """The SQL expression of a customer's search text (``alias`` names the customer row)."""
    sep = f" || '{SEARCH_SEPARATOR}' || "
    a = alias
    parts = [
        f"{a}.name", f"CAST({a}.number AS TEXT)", f"{a}.visit_city", f"{a}.visit_postcode",
        f"replace({a}.visit_postcode, ' ', '')", f"{a}.email", _digits_sql(f"{a}.phone"),
        _digits_sql(f"{a}.mobile"), f"{a}.vat_number", f"coalesce({a}.reference, '')",
        f"{a}.coc_number", f"{a}.iban", f"trim({a}.visit_street || ' ' || {a}.visit_house_number)",
    ]
    contact = sep.join(
        ["t.name", "t.email", _digits_sql("t.phone"), _digits_sql("t.mobile")]
    )
    agg = (
        f"string_agg({contact}, '{SEARCH_SEPARATOR}' ORDER BY t.id)" if postgres
        else f"group_concat({contact}, '{SEARCH_SEPARATOR}')"
    )
    contacts = (
        f"coalesce((SELECT '{SEARCH_SEPARATOR}' || {agg} FROM contact t "
        f"WHERE t.customer_id = {a}.id), '')"
    )
    return "(" + sep.join(parts) + " || " + contacts + ")"


@migration("customer search: contacts, KvK, IBAN, street and phone digits in the index")
def _v6_search_wider(db: peewee.Database) -> None:
    if is_sqlite(db):
        for name in ("customer_fts_ai", "customer_fts_ad", "customer_fts_au", "contact_fts_ai",
                     "contact_fts_ad", "contact_fts_au"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql("DROP TABLE IF EXISTS customer_fts")
        db.execute_sql("CREATE VIRTUAL TABLE customer_fts USING fts5(doc, tokenize='trigram')")

        def refresh(ref: str) -> str:
            return (
                f"DELETE FROM customer_fts WHERE rowid = {ref}; "
                f"INSERT INTO customer_fts(rowid, doc) SELECT c.id, {search_doc_sql(False)} "
                f"FROM customer c WHERE c.id = {ref} AND c.deleted_at IS NULL; "
            )

        triggers = {
            "customer_fts_ai": ("AFTER INSERT ON customer", refresh("new.id")),
            "customer_fts_au": (
                f"AFTER UPDATE OF id, {_SEARCH_CUSTOMER_COLUMNS} ON customer",
                refresh("old.id") + refresh("new.id"),
            ),
            "customer_fts_ad": (
                "AFTER DELETE ON customer", "DELETE FROM customer_fts WHERE rowid = old.id; "
            ),
            "contact_fts_ai": ("AFTER INSERT ON contact", refresh("new.customer_id")),
            "contact_fts_au": (
                f"AFTER UPDATE OF {_SEARCH_CONTACT_COLUMNS} ON contact",
                refresh("old.customer_id") + refresh("new.customer_id"),
            ),
            "contact_fts_ad": ("AFTER DELETE ON contact", refresh("old.customer_id")),
        }
        for name, (event, body) in triggers.items():
            db.execute_sql(f"CREATE TRIGGER {name} {event} BEGIN {body}END")
        db.execute_sql(
            f"INSERT INTO customer_fts(rowid, doc) SELECT c.id, {search_doc_sql(False)} "
            "FROM customer c WHERE c.deleted_at IS NULL"
        )
    elif is_postgres(db):
        db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        db.execute_sql("DROP INDEX IF EXISTS customer_search_trgm")
        db.execute_sql("DROP TABLE IF EXISTS customer_search")
        db.execute_sql(
            "CREATE TABLE customer_search (customer_id BIGINT NOT NULL PRIMARY KEY "
            "REFERENCES customer (id) ON DELETE CASCADE, doc TEXT NOT NULL)"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_search_refresh(cid BIGINT) RETURNS void AS $$ "
            "BEGIN "
            "IF EXISTS (SELECT 1 FROM customer WHERE id = cid AND deleted_at IS NULL) THEN "
            "INSERT INTO customer_search (customer_id, doc) "
            f"SELECT c.id, lower({search_doc_sql(True)}) FROM customer c WHERE c.id = cid "
            "ON CONFLICT (customer_id) DO UPDATE SET doc = EXCLUDED.doc; "
            "ELSE DELETE FROM customer_search WHERE customer_id = cid; END IF; "
            "END $$ LANGUAGE plpgsql"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_search_customer_trigger() RETURNS trigger AS $$ "
            "BEGIN PERFORM customer_search_refresh(NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION customer_search_contact_trigger() RETURNS trigger AS $$ "
            "BEGIN "
            "IF TG_OP <> 'INSERT' THEN PERFORM customer_search_refresh(OLD.customer_id); END IF; "
            "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id <> OLD.customer_id) THEN "
            "PERFORM customer_search_refresh(NEW.customer_id); END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        triggers = {
            "customer_search_write": (
                f"AFTER INSERT OR UPDATE OF {_SEARCH_CUSTOMER_COLUMNS} ON customer",
                "customer_search_customer_trigger",
            ),
            "contact_search_write": (
                f"AFTER INSERT OR DELETE OR UPDATE OF {_SEARCH_CONTACT_COLUMNS} ON contact",
                "customer_search_contact_trigger",
            ),
        }
        for name, (event, function) in triggers.items():
            table = event.rsplit(" ON ", 1)[1]
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            db.execute_sql(
                f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        db.execute_sql(
            f"INSERT INTO customer_search (customer_id, doc) SELECT c.id, "
            f"lower({search_doc_sql(True)}) FROM customer c WHERE c.deleted_at IS NULL"
        )
        db.execute_sql(
            "CREATE INDEX customer_search_doc ON customer_search USING gin (doc gin_trgm_ops)"
        )
    else:
        return
    # Exact postcode (any spacing and case), and the duplicate guard's phone lookups.
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS customer_postcode_compact ON customer "
        "(upper(replace(visit_postcode, ' ', ''))) WHERE deleted_at IS NULL"
    )
    db.execute_sql(
        f"CREATE INDEX IF NOT EXISTS customer_postcode_tail ON customer ({POSTCODE_TAIL_SQL}) "
        "WHERE deleted_at IS NULL"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_phone ON customer (phone)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS customer_mobile ON customer (mobile)")


@migration("customer list: saved views and the indexes its sorts and filters walk")
def _v6_customer_list(db: peewee.Database) -> None:
    from tradium_tui.models import SavedListView

    db.create_tables([SavedListView], safe=True)
    # Keyset paging walks (sort column, id) of the customers not deleted.
    partial = " WHERE deleted_at IS NULL"
    for name, columns in (
        ("customer_list_name", "name, id"),
        ("customer_list_city", "visit_city, id"),
        ("customer_list_country", "visit_country, id"),
        ("customer_list_region", "region, id"),
        ("customer_list_manager", "account_manager_id, id"),
        ("customer_list_group", "customer_group_id, id"),
        ("customer_list_condition", "condition_group_id, id"),
        ("customer_list_vat", "vat_status, id"),
        ("customer_list_mailing", "mailing_code, id"),
    ):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON customer ({columns}){partial}")
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS invoice_open_due ON invoice (customer_id, due_date) '
        "WHERE status IN ('open', 'partly_paid')"
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS order_customer_date ON "order" (customer_id, order_date)'
    )


@migration("a language per user (the interface language; empty: the config's)")
def _user_language(db: peewee.Database) -> None:
    if "language" not in {c.name for c in db.get_columns("user")}:
        db.execute_sql("ALTER TABLE \"user\" ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT ''")
