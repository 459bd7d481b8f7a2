"""Step 9: the customer search index, wider — contacts, KvK, IBAN, street and phone
digits (the search text of :func:`search_doc_sql_v09`)."""

from __future__ import annotations

from collections.abc import Callable

import peewee

from tradium_tui.db import is_postgres, is_sqlite
from tradium_tui.db.sql import POSTCODE_TAIL_SQL, SEARCH_SEPARATOR

# The columns whose change refreshes a customer's search text.
_SEARCH_CUSTOMER_COLUMNS = (
    "name, number, visit_city, visit_postcode, email, phone, mobile, vat_number, reference, "
    "coc_number, iban, visit_street, visit_house_number, deleted_at"
)
_SEARCH_CONTACT_COLUMNS = "customer_id, name, email, phone, mobile"


def _digits_sql(column: str) -> str:
    out = f"coalesce({column}, '')"
    for ch in " +-().":
        out = f"replace({out}, '{ch}', '')"
    return out


def search_doc_sql_v09(postgres: bool, alias: str = "c") -> str:
    """Step 9's search text (a copy: :func:`tradium_tui.db.sql.search_doc_sql` has moved
    on): name, number, city, postcode, compact postcode, e-mail, phone and mobile digits,
    VAT, reference, KvK, IBAN, street; then name, e-mail, phone, mobile per contact."""
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


def apply(db: peewee.Database) -> None:
    build(db, search_doc_sql_v09)
    _lookup_indexes(db)


def build(db: peewee.Database, search_doc_sql: Callable[..., str]) -> None:
    """(Re)build the search index and its triggers with the search text ``search_doc_sql``."""
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


def _lookup_indexes(db: peewee.Database) -> None:
    if not (is_sqlite(db) or is_postgres(db)):
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
