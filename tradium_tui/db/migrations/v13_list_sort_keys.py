"""Step 13: the customer list's sorts by account manager, group, open balance and last
order walk an index — ``customer_list_key`` keeps those values per customer, by triggers
(see :mod:`tradium_tui.db.sql`)."""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres, is_sqlite
from tradium_tui.db.sql import LIST_KEY_NO_ORDER, list_key_fill_sql

_INDEXES = {
    "customer_list_key_manager": "manager, customer_id",
    "customer_list_key_group": "grp, customer_id",
    "customer_list_key_balance": "balance, customer_id",
    "customer_list_key_last_order": "last_order, customer_id",
}


def _sqlite_triggers() -> dict[str, tuple[str, str]]:
    def refresh(ref: str) -> str:
        return list_key_fill_sql(f"c.id = {ref}") + "; "

    rename = (
        "UPDATE customer_list_key SET {column} = new.{field} WHERE customer_id IN "
        "(SELECT id FROM customer WHERE {fk} = new.id); "
    )
    return {
        "customer_list_key_ai": ("AFTER INSERT ON customer", refresh("new.id")),
        "customer_list_key_au": (
            "AFTER UPDATE OF account_manager_id, customer_group_id ON customer", refresh("new.id")),
        "invoice_list_key_ai": ("AFTER INSERT ON invoice", refresh("new.customer_id")),
        "invoice_list_key_au": (
            "AFTER UPDATE OF customer_id, status, amount_incl, paid_amount ON invoice",
            refresh("old.customer_id") + refresh("new.customer_id")),
        "invoice_list_key_ad": ("AFTER DELETE ON invoice", refresh("old.customer_id")),
        "order_list_key_ai": ('AFTER INSERT ON "order"', refresh("new.customer_id")),
        "order_list_key_au": (
            'AFTER UPDATE OF customer_id, order_date ON "order"',
            refresh("old.customer_id") + refresh("new.customer_id")),
        "order_list_key_ad": ('AFTER DELETE ON "order"', refresh("old.customer_id")),
        "user_list_key_au": (
            'AFTER UPDATE OF username ON "user"',
            rename.format(column="manager", field="username", fk="account_manager_id")),
        "customer_group_list_key_au": (
            "AFTER UPDATE OF name ON customer_group",
            rename.format(column="grp", field="name", fk="customer_group_id")),
    }


def _postgres(db: peewee.Database) -> None:
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION customer_list_key_refresh(cid BIGINT) RETURNS void AS $$ "
        f"BEGIN {list_key_fill_sql('c.id = cid')}; END $$ LANGUAGE plpgsql"
    )
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION customer_list_key_customer() RETURNS trigger AS $$ "
        "BEGIN PERFORM customer_list_key_refresh(NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION customer_list_key_child() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP <> 'INSERT' THEN PERFORM customer_list_key_refresh(OLD.customer_id); END IF; "
        "IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id <> OLD.customer_id) THEN "
        "PERFORM customer_list_key_refresh(NEW.customer_id); END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION customer_list_key_manager() RETURNS trigger AS $$ BEGIN "
        "UPDATE customer_list_key SET manager = NEW.username WHERE customer_id IN "
        "(SELECT id FROM customer WHERE account_manager_id = NEW.id); "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION customer_list_key_group() RETURNS trigger AS $$ BEGIN "
        "UPDATE customer_list_key SET grp = NEW.name WHERE customer_id IN "
        "(SELECT id FROM customer WHERE customer_group_id = NEW.id); "
        "RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    # The insert triggers apart, so a bulk writer can set them aside (db.bulk.DerivedData).
    triggers = {
        ("customer", "customer_list_key_new"): ("AFTER INSERT ON customer",
                                                "customer_list_key_customer"),
        ("customer", "customer_list_key_change"): (
            "AFTER UPDATE OF account_manager_id, customer_group_id ON customer",
            "customer_list_key_customer"),
        ("invoice", "invoice_list_key_new"): ("AFTER INSERT ON invoice", "customer_list_key_child"),
        ("invoice", "invoice_list_key_change"): (
            "AFTER DELETE OR UPDATE OF customer_id, status, amount_incl, paid_amount ON invoice",
            "customer_list_key_child"),
        ("order", "order_list_key_new"): ('AFTER INSERT ON "order"', "customer_list_key_child"),
        ("order", "order_list_key_change"): (
            'AFTER DELETE OR UPDATE OF customer_id, order_date ON "order"',
            "customer_list_key_child"),
        ("user", "user_list_key"): ('AFTER UPDATE OF username ON "user"',
                                    "customer_list_key_manager"),
        ("customer_group", "customer_group_list_key"): (
            "AFTER UPDATE OF name ON customer_group", "customer_list_key_group"),
    }
    for (table, name), (event, function) in triggers.items():
        db.execute_sql(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        db.execute_sql(f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {function}()")


def apply(db: peewee.Database) -> None:
    sqlite = is_sqlite(db)
    if not sqlite and not is_postgres(db):
        return
    db.execute_sql("DROP TABLE IF EXISTS customer_list_key")
    db.execute_sql(
        "CREATE TABLE customer_list_key ("
        f"customer_id {'INTEGER' if sqlite else 'BIGINT'} NOT NULL PRIMARY KEY "
        "REFERENCES customer (id) ON DELETE CASCADE, "
        "manager VARCHAR(255) NOT NULL DEFAULT '', grp VARCHAR(255) NOT NULL DEFAULT '', "
        "balance DECIMAL(16, 2) NOT NULL DEFAULT 0, "
        f"last_order DATE NOT NULL DEFAULT '{LIST_KEY_NO_ORDER}')"
    )
    if sqlite:
        for name, (event, body) in _sqlite_triggers().items():
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
            db.execute_sql(f"CREATE TRIGGER {name} {event} BEGIN {body}END")
    else:
        _postgres(db)
    db.execute_sql(list_key_fill_sql("true"))
    for name, columns in _INDEXES.items():
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON customer_list_key ({columns})")
    if not sqlite:
        db.execute_sql("ANALYZE customer_list_key")
