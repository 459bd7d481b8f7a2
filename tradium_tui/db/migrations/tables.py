"""The tables of the first schema step, as SQL text (fixed history: never edit it).

These are the tables, columns, keys and indexes the models described when the schema's
history was fixed.  A later change to a model is a new step in
:mod:`tradium_tui.db.migrations`, not an edit here; the test of the migrations compares
the models with what the steps build.

The text is written for PostgreSQL; :func:`statements` spells the column types the way
SQLite had them (INTEGER for serial, big and boolean columns, DATETIME, DECIMAL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import peewee

SCRIPT = """\
CREATE TABLE IF NOT EXISTS "role" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "name" VARCHAR(40) NOT NULL,
    "label" VARCHAR(80) NOT NULL,
    "can_edit_base" BOOLEAN NOT NULL,
    "can_manage_users" BOOLEAN NOT NULL,
    "can_import_export" BOOLEAN NOT NULL,
    "tab_order" TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "role_name" ON "role" ("name");
CREATE TABLE IF NOT EXISTS "user" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "display_name" VARCHAR(120) NOT NULL,
    "email" VARCHAR(254),
    "role_id" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL,
    "tab_order" TEXT NOT NULL,
    "last_login_at" TIMESTAMP,
    FOREIGN KEY ("role_id") REFERENCES "role" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX IF NOT EXISTS "user_username" ON "user" ("username");
CREATE INDEX IF NOT EXISTS "user_role_id" ON "user" ("role_id");
CREATE TABLE IF NOT EXISTS "customer_group" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "discount_percent" NUMERIC(5, 2) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "customer_group_name" ON "customer_group" ("name");
CREATE TABLE IF NOT EXISTS "condition_group" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "description" TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "condition_group_code" ON "condition_group" ("code");
CREATE TABLE IF NOT EXISTS "customer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "number" BIGINT NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "title" VARCHAR(20) NOT NULL,
    "first_name" VARCHAR(80) NOT NULL,
    "last_name" VARCHAR(120) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "visit_street" VARCHAR(120) NOT NULL,
    "visit_house_number" VARCHAR(20) NOT NULL,
    "visit_postcode" VARCHAR(20) NOT NULL,
    "visit_city" VARCHAR(80) NOT NULL,
    "visit_country" VARCHAR(2) NOT NULL,
    "postal_street" VARCHAR(120) NOT NULL,
    "postal_house_number" VARCHAR(20) NOT NULL,
    "postal_postcode" VARCHAR(20) NOT NULL,
    "postal_city" VARCHAR(80) NOT NULL,
    "postal_country" VARCHAR(2) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(40) NOT NULL,
    "mobile" VARCHAR(40) NOT NULL,
    "fax" VARCHAR(40) NOT NULL,
    "website" VARCHAR(254) NOT NULL,
    "coc_number" VARCHAR(20) NOT NULL,
    "vat_number" VARCHAR(20) NOT NULL,
    "vat_status" VARCHAR(12) NOT NULL,
    "vat_message" VARCHAR(200) NOT NULL,
    "vat_checked_at" TIMESTAMP,
    "iban" VARCHAR(34) NOT NULL,
    "bic" VARCHAR(11) NOT NULL,
    "bank_name" VARCHAR(120) NOT NULL,
    "credit_limit" NUMERIC(14, 2) NOT NULL,
    "mailing_code" INTEGER,
    "region" VARCHAR(40) NOT NULL,
    "account_manager_id" INTEGER,
    "customer_group_id" INTEGER,
    "condition_group_id" INTEGER,
    "reference" VARCHAR(64),
    "ledger_account" VARCHAR(20) NOT NULL,
    "language" VARCHAR(5) NOT NULL,
    "discount_percent" NUMERIC(5, 2) NOT NULL,
    "document_template" VARCHAR(60) NOT NULL,
    "price_list" VARCHAR(60) NOT NULL,
    "auto_split_orders" BOOLEAN NOT NULL,
    "charge_vat" BOOLEAN NOT NULL,
    "remarks" TEXT NOT NULL,
    "order_remarks" TEXT NOT NULL,
    "opening_hours" VARCHAR(200) NOT NULL,
    "logo_path" VARCHAR(400) NOT NULL,
    "custom_num" NUMERIC(14, 4),
    "custom_1" VARCHAR(200) NOT NULL,
    "custom_2" VARCHAR(200) NOT NULL,
    "custom_3" VARCHAR(200) NOT NULL,
    "custom_4" VARCHAR(200) NOT NULL,
    "custom_5" VARCHAR(200) NOT NULL,
    "custom_6" VARCHAR(200) NOT NULL,
    "deleted_at" TIMESTAMP,
    FOREIGN KEY ("account_manager_id") REFERENCES "user" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("customer_group_id") REFERENCES "customer_group" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("condition_group_id") REFERENCES "condition_group" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX IF NOT EXISTS "customer_number" ON "customer" ("number");
CREATE INDEX IF NOT EXISTS "customer_name" ON "customer" ("name");
CREATE INDEX IF NOT EXISTS "customer_visit_postcode" ON "customer" ("visit_postcode");
CREATE INDEX IF NOT EXISTS "customer_visit_city" ON "customer" ("visit_city");
CREATE INDEX IF NOT EXISTS "customer_email" ON "customer" ("email");
CREATE INDEX IF NOT EXISTS "customer_coc_number" ON "customer" ("coc_number");
CREATE INDEX IF NOT EXISTS "customer_vat_number" ON "customer" ("vat_number");
CREATE INDEX IF NOT EXISTS "customer_iban" ON "customer" ("iban");
CREATE INDEX IF NOT EXISTS "customer_account_manager_id" ON "customer" ("account_manager_id");
CREATE INDEX IF NOT EXISTS "customer_customer_group_id" ON "customer" ("customer_group_id");
CREATE INDEX IF NOT EXISTS "customer_condition_group_id" ON "customer" ("condition_group_id");
CREATE UNIQUE INDEX IF NOT EXISTS "customer_reference" ON "customer" ("reference");
CREATE INDEX IF NOT EXISTS "customer_deleted_at" ON "customer" ("deleted_at");
CREATE TABLE IF NOT EXISTS "contact" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "function" VARCHAR(80) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(40) NOT NULL,
    "mobile" VARCHAR(40) NOT NULL,
    "street" VARCHAR(120) NOT NULL,
    "house_number" VARCHAR(20) NOT NULL,
    "postcode" VARCHAR(20) NOT NULL,
    "city" VARCHAR(80) NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "is_primary" BOOLEAN NOT NULL,
    "remarks" TEXT NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "contact_customer_id" ON "contact" ("customer_id");
CREATE TABLE IF NOT EXISTS "action" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "contact_id" INTEGER,
    "type" VARCHAR(12) NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "text" TEXT NOT NULL,
    "happened_at" TIMESTAMP NOT NULL,
    "follow_up_on" DATE,
    "status" VARCHAR(6) NOT NULL,
    "user_id" INTEGER,
    "completed_at" TIMESTAMP,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "action_customer_id" ON "action" ("customer_id");
CREATE INDEX IF NOT EXISTS "action_contact_id" ON "action" ("contact_id");
CREATE INDEX IF NOT EXISTS "action_happened_at" ON "action" ("happened_at");
CREATE INDEX IF NOT EXISTS "action_follow_up_on" ON "action" ("follow_up_on");
CREATE INDEX IF NOT EXISTS "action_status" ON "action" ("status");
CREATE INDEX IF NOT EXISTS "action_user_id" ON "action" ("user_id");
CREATE TABLE IF NOT EXISTS "article" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "article_group" VARCHAR(40) NOT NULL,
    "unit" VARCHAR(20) NOT NULL,
    "sales_price" NUMERIC(14, 4) NOT NULL,
    "cost_price" NUMERIC(14, 4) NOT NULL,
    "vat_class" VARCHAR(10) NOT NULL,
    "active" BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "article_code" ON "article" ("code");
CREATE INDEX IF NOT EXISTS "article_article_group" ON "article" ("article_group");
CREATE TABLE IF NOT EXISTS "audit_record" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "customer_id" BIGINT,
    "table" VARCHAR(40) NOT NULL,
    "record_id" BIGINT NOT NULL,
    "action" VARCHAR(10) NOT NULL,
    "version" INTEGER NOT NULL,
    "field" VARCHAR(60) NOT NULL,
    "old_value" TEXT,
    "new_value" TEXT
);
CREATE INDEX IF NOT EXISTS "audit_record_customer_id" ON "audit_record" ("customer_id");
CREATE INDEX IF NOT EXISTS "audit_record_table_record_id" ON "audit_record" ("table", "record_id");
CREATE TABLE IF NOT EXISTS "condition" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "article" VARCHAR(40) NOT NULL,
    "article_group" VARCHAR(40) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "price" NUMERIC(14, 4),
    "discount_percent" NUMERIC(6, 2),
    "payment_term_days" INTEGER,
    "min_quantity" NUMERIC(14, 3),
    "valid_from" DATE,
    "valid_until" DATE,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "condition_customer_id" ON "condition" ("customer_id");
CREATE TABLE IF NOT EXISTS "counter" (
    "name" VARCHAR(40) NOT NULL PRIMARY KEY,
    "value" BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS "customer_alias" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "number" BIGINT NOT NULL,
    "reference" VARCHAR(64),
    "customer_id" INTEGER NOT NULL,
    "merge_id" BIGINT,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX IF NOT EXISTS "customer_alias_number" ON "customer_alias" ("number");
CREATE INDEX IF NOT EXISTS "customer_alias_reference" ON "customer_alias" ("reference");
CREATE INDEX IF NOT EXISTS "customer_alias_customer_id" ON "customer_alias" ("customer_id");
CREATE INDEX IF NOT EXISTS "customer_alias_merge_id" ON "customer_alias" ("merge_id");
CREATE TABLE IF NOT EXISTS "customer_merge" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "keep_id" BIGINT NOT NULL,
    "other_id" BIGINT NOT NULL,
    "other_number" BIGINT NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "merged_at" TIMESTAMP NOT NULL,
    "last_audit_id" BIGINT NOT NULL,
    "undo_state" TEXT NOT NULL,
    "undone_at" TIMESTAMP,
    "undone_by" VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS "customer_merge_keep_id" ON "customer_merge" ("keep_id");
CREATE INDEX IF NOT EXISTS "customer_merge_other_id" ON "customer_merge" ("other_id");
CREATE TABLE IF NOT EXISTS "tag" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(60) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "tag_name" ON "tag" ("name");
CREATE TABLE IF NOT EXISTS "customer_tag" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "customer_id" INTEGER NOT NULL,
    "tag_id" INTEGER NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "customer_tag_customer_id" ON "customer_tag" ("customer_id");
CREATE INDEX IF NOT EXISTS "customer_tag_tag_id" ON "customer_tag" ("tag_id");
CREATE UNIQUE INDEX IF NOT EXISTS "customer_tag_customer_id_tag_id" ON "customer_tag" ("customer_id", "tag_id");
CREATE TABLE IF NOT EXISTS "custom_field_def" (
    "slot" INTEGER NOT NULL PRIMARY KEY,
    "label" VARCHAR(60) NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "choices" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS "quote" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "quote_date" DATE NOT NULL,
    "valid_until" DATE,
    "status" VARCHAR(10) NOT NULL,
    "reference" VARCHAR(80) NOT NULL,
    "remarks" TEXT NOT NULL,
    "user_id" INTEGER,
    "total_excl" NUMERIC(14, 2) NOT NULL,
    "total_vat" NUMERIC(14, 2) NOT NULL,
    "total_incl" NUMERIC(14, 2) NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "quote_customer_id" ON "quote" ("customer_id");
CREATE UNIQUE INDEX IF NOT EXISTS "quote_number" ON "quote" ("number");
CREATE INDEX IF NOT EXISTS "quote_user_id" ON "quote" ("user_id");
CREATE TABLE IF NOT EXISTS "order" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "number" VARCHAR(30) NOT NULL,
    "order_date" DATE NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "source" VARCHAR(10) NOT NULL,
    "external_ref" VARCHAR(80) NOT NULL,
    "quote_id" INTEGER,
    "reference" VARCHAR(80) NOT NULL,
    "remarks" TEXT NOT NULL,
    "delivery_address" TEXT NOT NULL,
    "invoice_address" TEXT NOT NULL,
    "user_id" INTEGER,
    "total_excl" NUMERIC(14, 2) NOT NULL,
    "total_vat" NUMERIC(14, 2) NOT NULL,
    "total_incl" NUMERIC(14, 2) NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("quote_id") REFERENCES "quote" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "order_customer_id" ON "order" ("customer_id");
CREATE UNIQUE INDEX IF NOT EXISTS "order_number" ON "order" ("number");
CREATE INDEX IF NOT EXISTS "order_order_date" ON "order" ("order_date");
CREATE INDEX IF NOT EXISTS "order_external_ref" ON "order" ("external_ref");
CREATE INDEX IF NOT EXISTS "order_quote_id" ON "order" ("quote_id");
CREATE INDEX IF NOT EXISTS "order_user_id" ON "order" ("user_id");
CREATE TABLE IF NOT EXISTS "invoice" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "order_id" INTEGER,
    "invoice_date" DATE NOT NULL,
    "due_date" DATE NOT NULL,
    "amount_excl" NUMERIC(14, 2) NOT NULL,
    "vat_amount" NUMERIC(14, 2) NOT NULL,
    "amount_incl" NUMERIC(14, 2) NOT NULL,
    "paid_amount" NUMERIC(14, 2) NOT NULL,
    "paid_on" DATE,
    "status" VARCHAR(12) NOT NULL,
    "customer_number" BIGINT NOT NULL,
    "customer_name" VARCHAR(200) NOT NULL,
    "customer_address" TEXT NOT NULL,
    "customer_vat_number" VARCHAR(20) NOT NULL,
    "credited_invoice_id" INTEGER,
    "payment_term_days" INTEGER,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL,
    FOREIGN KEY ("credited_invoice_id") REFERENCES "invoice" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "invoice_customer_id" ON "invoice" ("customer_id");
CREATE UNIQUE INDEX IF NOT EXISTS "invoice_number" ON "invoice" ("number");
CREATE INDEX IF NOT EXISTS "invoice_order_id" ON "invoice" ("order_id");
CREATE INDEX IF NOT EXISTS "invoice_invoice_date" ON "invoice" ("invoice_date");
CREATE INDEX IF NOT EXISTS "invoice_status" ON "invoice" ("status");
CREATE INDEX IF NOT EXISTS "invoice_credited_invoice_id" ON "invoice" ("credited_invoice_id");
CREATE TABLE IF NOT EXISTS "invoice_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "invoice_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "order_position" INTEGER,
    "article" VARCHAR(40) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "quantity" NUMERIC(14, 3) NOT NULL,
    "unit_price" NUMERIC(14, 4) NOT NULL,
    "discount_percent" NUMERIC(6, 2) NOT NULL,
    "vat_rate" NUMERIC(6, 2) NOT NULL,
    FOREIGN KEY ("invoice_id") REFERENCES "invoice" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "invoice_line_invoice_id" ON "invoice_line" ("invoice_id");
CREATE TABLE IF NOT EXISTS "invoice_vat" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "invoice_id" INTEGER NOT NULL,
    "rate" NUMERIC(6, 2) NOT NULL,
    "base" NUMERIC(14, 2) NOT NULL,
    "vat" NUMERIC(14, 2) NOT NULL,
    FOREIGN KEY ("invoice_id") REFERENCES "invoice" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "invoice_vat_invoice_id" ON "invoice_vat" ("invoice_id");
CREATE UNIQUE INDEX IF NOT EXISTS "invoice_vat_invoice_id_rate" ON "invoice_vat" ("invoice_id", "rate");
CREATE TABLE IF NOT EXISTS "mark" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "user_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "marked_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "mark_user_id" ON "mark" ("user_id");
CREATE INDEX IF NOT EXISTS "mark_customer_id" ON "mark" ("customer_id");
CREATE UNIQUE INDEX IF NOT EXISTS "mark_user_id_customer_id" ON "mark" ("user_id", "customer_id");
CREATE TABLE IF NOT EXISTS "note" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "user_id" INTEGER,
    "pinned" BOOLEAN NOT NULL,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "note_customer_id" ON "note" ("customer_id");
CREATE INDEX IF NOT EXISTS "note_user_id" ON "note" ("user_id");
CREATE TABLE IF NOT EXISTS "order_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "order_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "article" VARCHAR(40) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "quantity" NUMERIC(14, 3) NOT NULL,
    "delivered_quantity" NUMERIC(14, 3) NOT NULL,
    "backorder_quantity" NUMERIC(14, 3) NOT NULL,
    "unit_price" NUMERIC(14, 4) NOT NULL,
    "cost_price" NUMERIC(14, 4) NOT NULL,
    "discount_percent" NUMERIC(6, 2) NOT NULL,
    "vat_rate" NUMERIC(6, 2) NOT NULL,
    "invoiced_quantity" NUMERIC(14, 3) NOT NULL DEFAULT 0,
    FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "order_line_order_id" ON "order_line" ("order_id");
CREATE TABLE IF NOT EXISTS "price_list" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "currency" VARCHAR(3) NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "price_list_name" ON "price_list" ("name");
CREATE TABLE IF NOT EXISTS "price_list_item" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "price_list_id" INTEGER NOT NULL,
    "article_id" INTEGER NOT NULL,
    "price" NUMERIC(14, 4) NOT NULL,
    "min_quantity" NUMERIC(14, 3),
    "valid_from" DATE,
    "valid_until" DATE,
    FOREIGN KEY ("price_list_id") REFERENCES "price_list" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("article_id") REFERENCES "article" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "price_list_item_price_list_id" ON "price_list_item" ("price_list_id");
CREATE INDEX IF NOT EXISTS "price_list_item_article_id" ON "price_list_item" ("article_id");
CREATE TABLE IF NOT EXISTS "quote_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "quote_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "article" VARCHAR(40) NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "quantity" NUMERIC(14, 3) NOT NULL,
    "unit_price" NUMERIC(14, 4) NOT NULL,
    "discount_percent" NUMERIC(6, 2) NOT NULL,
    "vat_rate" NUMERIC(6, 2) NOT NULL,
    FOREIGN KEY ("quote_id") REFERENCES "quote" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "quote_line_quote_id" ON "quote_line" ("quote_id");
CREATE TABLE IF NOT EXISTS "recent_customer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "user_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "opened_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "recent_customer_user_id" ON "recent_customer" ("user_id");
CREATE INDEX IF NOT EXISTS "recent_customer_customer_id" ON "recent_customer" ("customer_id");
CREATE INDEX IF NOT EXISTS "recent_customer_opened_at" ON "recent_customer" ("opened_at");
CREATE UNIQUE INDEX IF NOT EXISTS "recent_customer_user_id_customer_id" ON "recent_customer" ("user_id", "customer_id");
CREATE TABLE IF NOT EXISTS "saved_list_view" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "user_id" INTEGER,
    "role_id" INTEGER,
    "name" VARCHAR(80) NOT NULL,
    "spec" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" VARCHAR(80) NOT NULL,
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("role_id") REFERENCES "role" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "saved_list_view_user_id" ON "saved_list_view" ("user_id");
CREATE INDEX IF NOT EXISTS "saved_list_view_role_id" ON "saved_list_view" ("role_id");
CREATE UNIQUE INDEX IF NOT EXISTS "saved_list_view_user_id_role_id_name" ON "saved_list_view" ("user_id", "role_id", "name");
CREATE TABLE IF NOT EXISTS "setting" (
    "key" VARCHAR(80) NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS "tab_permission" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "role_id" INTEGER NOT NULL,
    "tab" VARCHAR(40) NOT NULL,
    "level" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("role_id") REFERENCES "role" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "tab_permission_role_id" ON "tab_permission" ("role_id");
CREATE UNIQUE INDEX IF NOT EXISTS "tab_permission_role_id_tab" ON "tab_permission" ("role_id", "tab");
"""

_SQLITE_TYPES = {
    "SERIAL": "INTEGER",
    "BIGINT": "INTEGER",
    "BOOLEAN": "INTEGER",
    "TIMESTAMP": "DATETIME",
    "NUMERIC": "DECIMAL",
}
_COLUMN_TYPE = re.compile(r'^(    "[a-z_]+" )(SERIAL|BIGINT|BOOLEAN|TIMESTAMP|NUMERIC)\b', re.MULTILINE)
_TABLE = re.compile(r'(?:TABLE IF NOT EXISTS|ON) "([a-z_]+)"')


def _sqlite(statement: str) -> str:
    return _COLUMN_TYPE.sub(lambda m: m.group(1) + _SQLITE_TYPES[m.group(2)], statement)


def _one_line(statement: str) -> str:
    return statement.replace("(\n    ", "(").replace(",\n    ", ", ").replace("\n)", ")")


def statements(sqlite: bool, tables: Iterable[str] | None = None) -> list[str]:
    """The statements creating ``tables`` (all of them by default) and their indexes, in
    an order in which every foreign key refers to a table made before."""
    wanted = None if tables is None else set(tables)
    out = []
    for statement in SCRIPT.split(";\n"):
        if not statement.strip():
            continue
        table = _TABLE.search(statement).group(1)
        if wanted is None or table in wanted:
            out.append(_one_line(_sqlite(statement) if sqlite else statement))
    return out


def create(db: peewee.Database, tables: Iterable[str] | None = None) -> None:
    """Create ``tables`` (all by default) with their indexes where they do not exist."""
    for statement in statements(isinstance(db, peewee.SqliteDatabase), tables):
        db.execute_sql(statement)
