"""Writing many rows at once, for the customer import, bulk actions and the demo seeder.

:func:`bulk_insert` writes rows with one statement per table (``executemany`` on SQLite,
``COPY`` on PostgreSQL); :func:`bulk_execute` runs one parameterised statement for many
rows.  :class:`DerivedData` switches off the per-row triggers that keep the search index
and the revenue per customer, and afterwards builds what they would have written with one
set-based statement per table.  All of it runs inside the caller's transaction: an error
rolls everything back, the triggers included.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.db.sql import list_key_fill_sql, revenue_fill_sql, search_doc_sql

COPY_ROWS = 50_000  # rows per COPY statement: bounds the text buffer of a big batch


def _escape(text: str) -> str:
    """Text in COPY's text format: backslash, tab, newline and carriage return escaped.

    Four ``replace`` calls: each returns its string as it is when there is nothing to
    replace, which makes this several times faster than ``str.translate``.
    """
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_names(model: type[peewee.Model], fields: Sequence[str]) -> tuple[str, ...]:
    """The columns of ``model``'s ``fields`` (``"customer"`` → ``"customer_id"``)."""
    return tuple(model._meta.fields[name].column_name for name in fields)


def _copy_value(value: Any) -> str:
    """One value in COPY's text format (what the driver would send for it as a parameter);
    NULL is ``\\N``."""
    cls = value.__class__
    if cls is str:
        return _escape(value)
    if value is None:
        return "\\N"
    if cls is bool:
        return "t" if value else "f"
    if cls is int or cls is Decimal:
        return str(value)
    # Dates and times as ISO text ("YYYY-MM-DD HH:MM:SS[.ffffff]"), anything else as its text.
    return _escape(str(value))


def bulk_insert(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert ``rows`` into ``model``'s table; returns how many.

    ``columns`` are column names (see :func:`column_names`); values must already be what
    the columns hold (text, numbers, ``Decimal``, booleans, dates and UTC times, ``None``).
    """
    if not rows:
        return 0
    db = dbmod.database.obj
    table = quote_name(model._meta.table_name)
    cols = ", ".join(quote_name(c) for c in columns)
    cursor = db.cursor()
    if dbmod.is_postgres(db):
        sql = f"COPY {table} ({cols}) FROM STDIN"
        for start in range(0, len(rows), COPY_ROWS):
            buffer = io.StringIO()
            write = buffer.write
            for row in rows[start:start + COPY_ROWS]:
                # Text and NULL, most of the values, without a call per value.
                write("\t".join([
                    v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                    .replace("\r", "\\r") if v.__class__ is str
                    else "\\N" if v is None else _copy_value(v)
                    for v in row
                ]))
                write("\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
    return len(rows)


def bulk_execute(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run one parameterised statement for many rows (``?`` placeholders)."""
    if not rows:
        return
    db = dbmod.database.obj
    cursor = db.cursor()
    if dbmod.is_postgres(db):
        from psycopg2.extras import execute_batch  # the PostgreSQL driver, loaded only for it

        execute_batch(cursor, sql.replace("?", "%s"), rows, page_size=500)
    else:
        cursor.executemany(sql, rows)


class DerivedData:
    """Bulk upkeep, while many customers are written, of what the schema keeps by per-row
    triggers: the search index (SQLite FTS5, PostgreSQL trigram documents), the invoiced
    revenue per customer (for the ranking) and the customer list's sort keys.

    Row by row these triggers cost more than the inserts themselves: an FTS5 trigger
    statement flushes FTS5's pending terms, a revenue refresh re-sums a customer's invoices
    for every invoice (and on PostgreSQL takes an advisory lock per customer, which 100,000
    customers in one transaction would run out of).  So inside the writer's transaction
    :meth:`suspend` switches the insert triggers off, :meth:`rebuild` indexes and totals
    the new customers with one set-based statement each, built from the definitions the
    schema steps use, and switches the triggers on again.  An error rolls all of it back.
    Triggers this class does not know stay live.  On PostgreSQL the trigram index collects
    its new entries and merges them once at the end, and the planner gets fresh statistics
    before the set-based statements (the tables it knows may have been empty).
    """

    SQLITE_FTS = ("customer_fts_ai", "contact_fts_ai")
    PG_SEARCH = (("customer", "customer_search_write"), ("contact", "contact_search_write"))
    SQLITE_REVENUE = ("customer_revenue_ai", "invoice_revenue_ai")
    PG_REVENUE = (("customer", "customer_revenue_new"), ("invoice", "invoice_revenue"))
    PG_BUCKET_COUNT = (("customer_revenue", "revenue_bucket_count"),)
    SQLITE_LIST_KEY = ("customer_list_key_ai", "invoice_list_key_ai", "order_list_key_ai")
    PG_LIST_KEY = (("customer", "customer_list_key_new"), ("invoice", "invoice_list_key_new"),
                   ("order", "order_list_key_new"))

    def __init__(self, database: peewee.Database):
        self.db = database
        self.sqlite = dbmod.is_sqlite(database)
        self.restore_sql: list[str] = []
        self.fts = False
        self.revenue = False
        self.list_key = False

    def suspend(self) -> None:
        if self.sqlite:
            self.fts = self._sqlite_drop(self.SQLITE_FTS)
            self.revenue = self._sqlite_drop(self.SQLITE_REVENUE)
            self.list_key = self._sqlite_drop(self.SQLITE_LIST_KEY)
        elif dbmod.is_postgres(self.db):
            # Let the trigram index collect new entries and merge them once, at the end.
            self.db.execute_sql("SET LOCAL gin_pending_list_limit = '512MB'")
            self.revenue = self._pg_disable(self.PG_REVENUE)
            self.fts = self._pg_disable(self.PG_SEARCH)
            self.list_key = self._pg_disable(self.PG_LIST_KEY)

    def _pg_enabled(self, table: str, name: str) -> bool:
        return self.db.execute_sql(
            "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = %s AND t.tgname = %s AND t.tgenabled <> 'D'",
            (table, name),
        ).fetchone() is not None

    def _pg_disable(self, triggers: Sequence[tuple[str, str]]) -> bool:
        """Disable all of ``triggers`` (until :meth:`rebuild`), or none when one is missing."""
        if not all(self._pg_enabled(table, name) for table, name in triggers):
            return False
        for table, name in triggers:
            self.db.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
            self.restore_sql.append(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
        return True

    def _sqlite_drop(self, names: Sequence[str]) -> bool:
        """Drop all of the triggers ``names`` (recreated by :meth:`rebuild`), or none when
        one is missing."""
        rows = [
            self.db.execute_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
            ).fetchone()
            for name in names
        ]
        if not all(rows):
            return False
        for name, (sql,) in zip(names, rows, strict=True):
            self.db.execute_sql(f'DROP TRIGGER "{name}"')
            self.restore_sql.append(sql)
        return True

    def _revenue(self, first_id: int, last_id: int) -> None:
        sql = revenue_fill_sql(self.sqlite, "?" if self.sqlite else "%s")
        if not self.sqlite:
            # The planner's statistics still describe the tables as they were before this
            # transaction (often empty): without fresh ones it joins by scanning, per customer.
            for table in ("customer", "invoice", "customer_revenue"):
                self.db.execute_sql(f'ANALYZE "{table}"')
        counting = None if self.sqlite else self._pg_bucket_counting()
        if counting is None:  # the per-row count triggers are cheap enough here
            self.db.execute_sql(sql, (first_id, last_id) * 2)
            return
        # PostgreSQL: updating the same few count rows once per customer makes ever longer
        # version chains in one transaction (quadratic); count the difference at once.
        table, name = counting
        per_bucket = (
            "SELECT bucket, count(*) FROM customer_revenue "
            "WHERE customer_id BETWEEN %s AND %s GROUP BY bucket"
        )
        before = dict(self.db.execute_sql(per_bucket, (first_id, last_id)).fetchall())
        self.db.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
        self.db.execute_sql(sql, (first_id, last_id) * 2)
        self.db.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
        after = dict(self.db.execute_sql(per_bucket, (first_id, last_id)).fetchall())
        changes = [
            (after.get(bucket, 0) - before.get(bucket, 0), bucket)
            for bucket in sorted(set(before) | set(after))  # ascending, as the schema's trigger
            if after.get(bucket, 0) != before.get(bucket, 0)
        ]
        cursor = self.db.cursor()
        cursor.executemany(
            "UPDATE revenue_bucket SET customers = customers + %s WHERE bucket = %s", changes
        )

    def _pg_bucket_counting(self) -> tuple[str, str] | None:
        """The enabled per-row trigger that keeps the revenue bucket counts, if this schema has it."""
        for table, name in self.PG_BUCKET_COUNT:
            if self._pg_enabled(table, name):
                return table, name
        return None

    def rebuild(self, first_id: int | None, last_id: int | None) -> None:
        """Index and total the customers with ids ``first_id … last_id`` (all new ones),
        then switch the suspended triggers on again."""
        if first_id is not None and last_id is not None:
            mark = "?" if self.sqlite else "%s"
            if self.fts:
                doc = search_doc_sql(not self.sqlite)
                if self.sqlite:
                    self.db.execute_sql(
                        f"DELETE FROM customer_fts WHERE rowid BETWEEN {mark} AND {mark}",
                        (first_id, last_id),
                    )
                    insert = "INSERT INTO customer_fts(rowid, doc)"
                    conflict = ""
                else:
                    insert, doc = "INSERT INTO customer_search (customer_id, doc)", f"lower({doc})"
                    conflict = " ON CONFLICT (customer_id) DO UPDATE SET doc = EXCLUDED.doc"
                self.db.execute_sql(
                    f"{insert} SELECT c.id, {doc} FROM customer c "
                    f"WHERE c.id BETWEEN {mark} AND {mark} AND c.deleted_at IS NULL{conflict}",
                    (first_id, last_id),
                )
            if self.revenue:
                self._revenue(first_id, last_id)
            if self.list_key:
                self.db.execute_sql(
                    list_key_fill_sql(f"c.id BETWEEN {mark} AND {mark}"), (first_id, last_id))
            if not self.sqlite and self.db.execute_sql(
                "SELECT to_regclass('customer_search_doc')").fetchone()[0]:
                self.db.execute_sql("SELECT gin_clean_pending_list('customer_search_doc'::regclass)")
        for sql in self.restore_sql:
            self.db.execute_sql(sql)
        self.restore_sql.clear()
