"""Moving a whole database between SQLite and PostgreSQL, and backing it up.

:func:`copy_database` builds the current schema in the target (all migrations: tables,
search index, revenue tables and their triggers), copies every table of
:data:`ALL_MODELS` in dependency order and key order, moves the id sequences past the
copied ids, rebuilds the search index and revenue tables from the copied rows (by the
triggers on SQLite, in one pass each on PostgreSQL), and compares row counts and a
checksum per table.  It all happens in one transaction
on the target: a failure anywhere leaves the target as it was (empty, or — with
``replace`` — with its old content).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import peewee

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.db.sql import (
    RECOUNT_BUCKETS_SQL,
    list_key_fill_sql,
    revenue_fill_sql,
    search_doc_sql,
)
from tradium_tui.i18n import N_, _
from tradium_tui.models import ALL_MODELS, SchemaVersion

BATCH = 2000
Progress = Callable[[str, int, int], None]  # table, rows done, rows in all


class CopyError(Exception):
    """The copy cannot be done; ``str(exc)`` is one sentence."""


@dataclass
class CopyResult:
    tables: dict[str, int] = field(default_factory=dict)  # table → rows copied (verified)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _models() -> list[type[peewee.Model]]:
    return [m for m in peewee.sort_models(ALL_MODELS) if m is not SchemaVersion]


def _open(url: str) -> peewee.Database:
    database = dbmod.open_database(url)
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("SELECT 1")
    except Exception as exc:
        raise CopyError(_("The database {url} cannot be opened: {value}.").format(url=dbmod.describe_url(url), value=str(exc).strip().splitlines()[0] if str(exc).strip() else exc)) from None
    return database


# Every new schema has the default roles: a database with only these counts as empty.
SCHEMA_DEFAULTS = frozenset({"role", "tab_permission"})


def _has_rows(database: peewee.Database) -> bool:
    tables = set(database.get_tables())
    for model in _models():
        name = model._meta.table_name
        if name in tables and name not in SCHEMA_DEFAULTS:
            cursor = database.execute_sql(f'SELECT 1 FROM "{name}" LIMIT 1')
            if cursor.fetchone() is not None:
                return True
    return False


def _canon(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, float):
        return _canon(Decimal(str(value)))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _key(model):
    return model._meta.primary_key


def _batches(database: peewee.Database, model):
    """Rows of ``model`` in ``database`` (tuples of Python values, as the model reads them)
    in key order, a batch at a time: plain cursors, no model objects."""
    fields = model._meta.sorted_fields
    table = model._meta.table_name
    pk = _key(model)
    key_at = fields.index(pk)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    readers = [f.python_value for f in fields]
    last = None
    while True:
        where = f' WHERE "{pk.column_name}" > {database.param}' if last is not None else ""
        rows = database.execute_sql(
            f'SELECT {columns} FROM "{table}"{where} ORDER BY "{pk.column_name}" LIMIT {BATCH}',
            (last,) if last is not None else (),
        ).fetchall()
        if not rows:
            return
        yield [tuple(read(v) for read, v in zip(readers, row, strict=True)) for row in rows]
        last = rows[-1][key_at]


def _insert(database: peewee.Database, model, rows: list[tuple]) -> None:
    fields = model._meta.sorted_fields
    writers = [f.db_value for f in fields]
    values = [tuple(write(v) for write, v in zip(writers, row, strict=True)) for row in rows]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    table = model._meta.table_name
    cursor = database.cursor()
    if dbmod.is_postgres(database):
        from psycopg2.extras import execute_values

        execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', values,
                       page_size=len(values))
    else:
        # Dates as text, the way peewee stores them in SQLite (no default adapters needed).
        values = [tuple(str(v) if isinstance(v, dt.date) else v for v in row) for row in values]
        marks = ", ".join("?" for _ in fields)
        cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)


def table_checksum(database: peewee.Database, model) -> tuple[int, str]:
    """(rows, sha256) of a table in ``database``, from its values as Python reads them."""
    digest = hashlib.sha256()
    count = 0
    for rows in _batches(database, model):
        for row in rows:
            digest.update("\x1f".join(_canon(v) for v in row).encode("utf-8"))
            digest.update(b"\x1e")
            count += 1
    return count, digest.hexdigest()


def _raw_checksum(database: peewee.Database, sql: str) -> str:
    digest = hashlib.sha256()
    for row in database.execute_sql(sql).fetchall():
        digest.update("\x1f".join(_canon(Decimal(str(v)) if isinstance(v, float | int) else v)
                                  for v in row).encode("utf-8"))
    return digest.hexdigest()


DERIVED = {  # tables the triggers rebuild: compared, not copied
    "customer_revenue": "SELECT customer_id, revenue, bucket FROM customer_revenue ORDER BY customer_id",
    "revenue_bucket": "SELECT bucket, customers FROM revenue_bucket ORDER BY bucket",
    "customer_list_key": "SELECT customer_id, manager, grp, balance, last_order "
                         "FROM customer_list_key ORDER BY customer_id",
}


def _drop_everything(target: peewee.Database) -> None:
    """Remove our tables from the target (``replace``), inside the copy's transaction."""
    tables = set(target.get_tables())
    if dbmod.is_postgres(target):
        names = [m._meta.table_name for m in ALL_MODELS] + list(DERIVED)
        present = [n for n in names if n in tables]
        if present:
            target.execute_sql("DROP TABLE " + ", ".join(f'"{n}"' for n in present) + " CASCADE")
    else:
        for name in ["customer_fts", *DERIVED, *(m._meta.table_name for m in reversed(_models())),
                     SchemaVersion._meta.table_name]:
            target.execute_sql(f'DROP TABLE IF EXISTS "{name}"')


def _set_sequences(target: peewee.Database) -> None:
    if not dbmod.is_postgres(target):
        return  # SQLite continues after the highest rowid by itself
    for model in _models():
        pk = _key(model)
        if isinstance(pk, peewee.AutoField):
            table = model._meta.table_name
            target.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk.column_name}'), "
                f'COALESCE(MAX("{pk.column_name}"), 1), MAX("{pk.column_name}") IS NOT NULL) '
                f'FROM "{table}"'
            )


class _BulkLoad:
    """PostgreSQL: the per-row triggers of the revenue tables, the search text and the
    list's sort keys are set aside while the rows go in, then what they keep is rebuilt in
    one pass each (what the schema steps would have made of the same rows).  SQLite keeps its triggers: they
    are cheap there."""

    TRIGGER_TABLES = ("customer", "contact", "invoice", "order", "customer_revenue")

    def __init__(self, target: peewee.Database) -> None:
        self.target = target
        self.active = dbmod.is_postgres(target)

    def start(self) -> None:
        if not self.active:
            return
        for table in self.TRIGGER_TABLES:
            self.target.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')

    def finish(self) -> None:
        if not self.active:
            return
        db = self.target
        db.execute_sql("DELETE FROM customer_revenue")
        db.execute_sql(revenue_fill_sql(False))
        db.execute_sql(RECOUNT_BUCKETS_SQL)
        db.execute_sql("DELETE FROM customer_search")
        db.execute_sql(
            f"INSERT INTO customer_search (customer_id, doc) SELECT c.id, "
            f"lower({search_doc_sql(True)}) FROM customer c WHERE c.deleted_at IS NULL"
        )
        db.execute_sql("DELETE FROM customer_list_key")
        db.execute_sql(list_key_fill_sql("true"))
        for table in self.TRIGGER_TABLES:
            db.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def copy_database(from_url: str, to_url: str, *, replace: bool = False,
                  progress: Progress | None = None) -> CopyResult:
    """Copy every table of ``from_url`` into ``to_url`` (see the module text)."""
    import time

    started = time.perf_counter()
    if dbmod.describe_url(from_url) == dbmod.describe_url(to_url) or (
        from_url.startswith("sqlite") and to_url.startswith("sqlite")
        and Path(urlparse(from_url).path).resolve() == Path(urlparse(to_url).path).resolve()
    ):
        raise CopyError(_("The source and the target are the same database."))
    source = _open(from_url)
    target = _open(to_url)
    previous = dbmod.database.obj
    try:
        newest = schema.latest_version()
        version = schema.current_version(source)
        if version != newest:
            raise CopyError(
                _("The source database has schema version {version}, not {newest}: run "
                  "'tradium-tui db upgrade --db {url}' first.").format(
                    version=version, newest=newest, url=dbmod.describe_url(from_url))
                if version < newest else
                _("The source database has schema version {version}, newer than this program "
                  "knows ({newest}).").format(version=version, newest=newest)
            )
        if _has_rows(target) and not replace:
            raise CopyError(_("The target {to_url} is not empty; add --replace to overwrite it.").format(to_url=dbmod.describe_url(to_url)))
        totals = {}
        with source.bind_ctx(_models(), bind_refs=False, bind_backrefs=False):
            for model in _models():
                totals[model._meta.table_name] = model.select().count()
        everything = sum(totals.values())
        done = 0
        result = CopyResult()
        dbmod.database.initialize(target)
        with target.atomic():
            if replace:
                _drop_everything(target)
            schema.ensure_schema()
            for model in reversed(_models()):  # the defaults a new schema has (roles)
                model.delete().execute()
            bulk = _BulkLoad(target)
            bulk.start()
            for model in _models():
                table = model._meta.table_name
                copied = 0
                for rows in _batches(source, model):
                    _insert(target, model, rows)
                    copied += len(rows)
                    done += len(rows)
                    if progress:
                        progress(table, done, everything)
                result.tables[table] = copied
            bulk.finish()
            _set_sequences(target)
            # Verify inside the transaction: a mismatch rolls everything back.
            for model in _models():
                table = model._meta.table_name
                want = table_checksum(source, model)
                have = table_checksum(target, model)
                if want != have:
                    raise CopyError(
                        _("The copy of table {table} does not match the source ({want} rows there, {have} copied, or their values differ); nothing was kept.").format(table=table, want=want[0], have=have[0])
                    )
            for table, sql in DERIVED.items():
                if _raw_checksum(source, sql) != _raw_checksum(target, sql):
                    raise CopyError(_("The rebuilt table {table} does not match the source; nothing was kept.").format(table=table))
        result.seconds = time.perf_counter() - started
        return result
    except CopyError:
        raise
    except peewee.PeeweeException as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CopyError(_("The copy failed and the target was left as it was: {text}.").format(text=text)) from None
    finally:
        for database in (source, target):
            try:
                database.close()
            except Exception:
                pass
        if previous is not None:
            dbmod.database.initialize(previous)


# --------------------------------------------------------------------------- backup


def backup(url: str, file: str | Path, progress: Progress | None = None) -> str:
    """Back up the database at ``url`` into ``file``; returns how it was done."""
    path = Path(file)
    if path.exists():
        raise CopyError(_("The backup file {path} exists already; choose a new name.").format(path=path))
    if url.startswith("sqlite"):
        source = _open(url)
        try:
            dest = sqlite3.connect(str(path))
            with dest:
                source.connection().backup(dest)  # the online backup API: safe while in use
            dest.close()
        except (sqlite3.Error, OSError) as exc:
            path.unlink(missing_ok=True)
            raise CopyError(_("The backup to {path} failed: {reason}.").format(path=path, reason=exc)) from None
        finally:
            source.close()
        return N_("SQLite online backup")
    pg_dump = shutil.which("pg_dump")
    if pg_dump:
        done = subprocess.run([pg_dump, "--format=custom", f"--file={path}", f"--dbname={url}"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            path.unlink(missing_ok=True)
            raise CopyError(_("pg_dump failed: {value}.").format(value=done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode))
        return N_("pg_dump (custom format)")
    copy_database(url, f"sqlite:///{path.resolve()}", progress=progress)
    return N_("copy into a SQLite file (pg_dump is not installed)")


def restore(file: str | Path, url: str, *, replace: bool = False,
            progress: Progress | None = None) -> str:
    """Restore a backup made by :func:`backup` into the database at ``url``."""
    path = Path(file)
    try:
        head = path.read_bytes()[:16]
    except OSError as exc:
        raise CopyError(_("The backup file {path} cannot be read: {value}.").format(path=path, value=exc.strerror or exc)) from None
    if head.startswith(b"SQLite format 3"):
        copy_database(f"sqlite:///{path.resolve()}", url, replace=replace, progress=progress)
        return N_("copied from the SQLite backup")
    if head.startswith(b"PGDMP"):
        if not url.startswith("postgres"):
            raise CopyError(_("A pg_dump backup can only be restored into PostgreSQL."))
        pg_restore = shutil.which("pg_restore")
        if not pg_restore:
            raise CopyError(_("pg_restore is needed for this backup and is not installed."))
        target = _open(url)
        try:
            if _has_rows(target) and not replace:
                raise CopyError(_("The target {url} is not empty; add --replace to overwrite it.").format(url=dbmod.describe_url(url)))
            if replace:
                with target.atomic():
                    _drop_everything(target)
        finally:
            target.close()
        done = subprocess.run([pg_restore, "--single-transaction", "--no-owner", f"--dbname={url}",
                               str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            raise CopyError(_("pg_restore failed: {value}.").format(value=lines[-1] if lines else done.returncode))
        return N_("restored with pg_restore")
    raise CopyError(_("{path} is not a backup made by tradium-tui (SQLite file or pg_dump).").format(path=path))
