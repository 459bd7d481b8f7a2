"""The one database handle, connecting by URL, and the schema version with migrations.

``database`` is a :class:`peewee.DatabaseProxy`; :func:`connect` points it at a real
database (SQLite by default, PostgreSQL by URL) and :func:`ensure_schema` creates or
upgrades the schema.  Failures become :class:`DatabaseUnavailable` carrying one sentence.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import peewee

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "busy_timeout": 15000,  # first, so the pragmas below wait for a busy database too
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64 * 1024,
}


class DatabaseUnavailable(Exception):
    """The database cannot be reached or used. ``str(exc)`` is one sentence for the user."""


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer version of the program."""


def is_postgres(db: peewee.Database | None = None) -> bool:
    target = db or database.obj
    return isinstance(target, peewee.PostgresqlDatabase)


def is_sqlite(db: peewee.Database | None = None) -> bool:
    target = db or database.obj
    return isinstance(target, peewee.SqliteDatabase)


def describe_url(url: str) -> str:
    """The URL without a password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (``None`` for an in-memory or non-SQLite URL)."""
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    path = parsed.path[1:] if parsed.path.startswith("/") else parsed.path
    if not path or path == ":memory:":
        return None
    if url.startswith("sqlite:////"):
        return Path("/" + path.lstrip("/"))
    return Path(path)


def open_database(url: str) -> peewee.Database:
    """Build (not yet connect) a peewee database for ``url``."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme not in ("sqlite", "postgres", "postgresql"):
        raise DatabaseUnavailable(
            f"The database URL {describe_url(url)!r} is not understood: "
            "use sqlite:///path/to/file.db or postgresql://user@host:port/dbname."
        )
    if scheme == "sqlite":
        path = parsed.path[1:] if parsed.path.startswith("/") else parsed.path
        if not path or path == ":memory:":
            return peewee.SqliteDatabase(":memory:", pragmas=SQLITE_PRAGMAS)
        file = Path(path)
        if url.startswith("sqlite:////"):
            file = Path("/" + path.lstrip("/"))
        _check_sqlite_path(file)
        return peewee.SqliteDatabase(str(file), pragmas=SQLITE_PRAGMAS, timeout=15)
    from playhouse import db_url  # PostgreSQL only (it loads the SQLite extensions too)

    try:
        return db_url.connect(url, connect_timeout=5)
    except Exception as exc:  # malformed port and the like
        raise DatabaseUnavailable(f"The database URL {describe_url(url)!r} is not valid: {exc}.") from exc


def _check_sqlite_path(file: Path) -> None:
    parent = file.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"The database folder {parent} cannot be created: {exc.strerror or exc}."
        ) from exc
    if file.exists():
        if file.is_dir():
            raise DatabaseUnavailable(f"The database path {file} is a folder, not a file.")
        if not os.access(file, os.R_OK | os.W_OK):
            raise DatabaseUnavailable(f"The database file {file} is not readable and writable.")
    elif not os.access(parent, os.W_OK):
        raise DatabaseUnavailable(f"The database folder {parent} is not writable.")


def connect(url: str) -> peewee.Database:
    """Point :data:`database` at ``url`` and check that it answers."""
    db = open_database(url)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
        if is_sqlite(db):
            # Reads the file header (cheap, unlike an integrity check of a large file): a
            # file that is not a SQLite database fails here.
            db.execute_sql("PRAGMA schema_version").fetchone()
    except peewee.DatabaseError as exc:
        _close_quietly(db)
        raise DatabaseUnavailable(_explain(url, exc)) from exc
    except Exception as exc:  # psycopg2 errors before peewee wraps them
        _close_quietly(db)
        raise DatabaseUnavailable(_explain(url, exc)) from exc
    return db


def _close_quietly(db: peewee.Database) -> None:
    try:
        db.close()
    except Exception:
        pass


def _explain(url: str, exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "file is not a database" in text:
        return f"The file behind {describe_url(url)} is not a SQLite database."
    if "could not connect" in text or "Connection refused" in text or "connection to server" in text:
        return f"The database server for {describe_url(url)} cannot be reached ({text})."
    if "does not exist" in text:
        return f"The database {describe_url(url)} does not exist ({text})."
    if "password authentication failed" in text or "authentication" in text:
        return f"The database server refused the login for {describe_url(url)} ({text})."
    return f"The database {describe_url(url)} cannot be used: {text}."


# --------------------------------------------------------------------------- schema


SchemaStep = Callable[[peewee.Database], None]
# Advisory lock key that serialises schema upgrades on PostgreSQL.
SCHEMA_LOCK_KEY = 7_201_726
# Ordered forward migrations: MIGRATIONS[n] takes a schema at version n to n+1.
# Version 0 is an empty database.  Steps must be idempotent where they add
# columns or indexes, because a fresh database is built by running them all.
MIGRATIONS: list[tuple[str, SchemaStep]] = []


def migration(description: str) -> Callable[[SchemaStep], SchemaStep]:
    def register(step: SchemaStep) -> SchemaStep:
        MIGRATIONS.append((description, step))
        return step

    return register


def latest_version() -> int:
    _load_migrations()
    return len(MIGRATIONS)


def _load_migrations() -> None:
    from tradium_tui import migrations  # noqa: F401  (registers the steps)


def current_version(db: peewee.Database | None = None) -> int:
    from tradium_tui.models.meta import SchemaVersion

    target = db or database.obj
    if not target.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def ensure_schema(upgrade: bool = True, target: int | None = None) -> tuple[int, int]:
    """Create or upgrade the schema. Returns ``(version_before, version_after)``.

    A schema newer than this program knows raises :class:`SchemaTooNew`.
    """
    _load_migrations()
    from tradium_tui.models.meta import SchemaVersion

    db = database.obj
    newest = len(MIGRATIONS)
    goal = newest if target is None else target
    try:
        before = current_version(db)
    except peewee.DatabaseError as exc:
        raise DatabaseUnavailable(f"The database schema cannot be read: {exc}.") from exc
    if before > newest:
        raise SchemaTooNew(
            f"This database has schema version {before}, newer than this program knows "
            f"({newest}); please upgrade tradium-tui."
        )
    if before >= goal or not upgrade:
        return before, before
    for version in range(before, goal):
        description, step = MIGRATIONS[version]
        # Two programs opening a new or older database at once: each step runs under the
        # write lock and only if the version read inside that lock still needs it.
        with write_transaction():
            if is_postgres(db):
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            if current_version(db) > version:
                continue
            step(db)
            if not db.table_exists(SchemaVersion._meta.table_name):
                db.create_tables([SchemaVersion])
            SchemaVersion.create(version=version + 1, description=description)
    return before, goal


def init(url: str, upgrade: bool = True) -> peewee.Database:
    """Connect and make sure the schema is current."""
    db = connect(url)
    try:
        ensure_schema(upgrade=upgrade)
    except DatabaseUnavailable:
        raise
    except peewee.DatabaseError as exc:
        raise DatabaseUnavailable(_explain(url, exc)) from exc
    return db


def write_transaction():
    """A transaction for read-then-write work.

    On SQLite it takes the write lock up front (``BEGIN IMMEDIATE``): a deferred
    transaction that reads and then writes can fail at once under WAL when another
    connection wrote in between, and would bypass the busy timeout.
    """
    if is_sqlite() and database.obj.transaction_depth() == 0:
        return database.atomic(lock_type="IMMEDIATE")
    return database.atomic()


def pg_server_connection(url: str):
    """An autocommit driver connection to the PostgreSQL server of ``url`` (its database,
    else ``postgres``), for work outside any one database: creating and dropping them."""
    import psycopg2

    parsed = urlparse(url)
    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname=parsed.path.lstrip("/") or "postgres", connect_timeout=5,
    )
    conn.autocommit = True
    return conn
