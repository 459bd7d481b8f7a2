"""The one database handle and connecting to it by URL.

``database`` is a :class:`peewee.DatabaseProxy`; :func:`connect` points it at a real
database (SQLite by default, PostgreSQL by URL).  Failures become
:class:`DatabaseUnavailable` carrying one sentence.

The package is the bottom layer: it imports nothing else of tradium_tui.  The schema is
built and upgraded by :mod:`tradium_tui.db.schema` from the steps in
:mod:`tradium_tui.db.migrations`; SQL that the schema and the services share (the search
text, the revenue figures) lives in :mod:`tradium_tui.db.sql`.
"""

from __future__ import annotations

import os
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
        raise DatabaseUnavailable(explain(url, exc)) from exc
    except Exception as exc:  # psycopg2 errors before peewee wraps them
        _close_quietly(db)
        raise DatabaseUnavailable(explain(url, exc)) from exc
    return db


def _close_quietly(db: peewee.Database) -> None:
    try:
        db.close()
    except Exception:
        pass


def explain(url: str, exc: Exception) -> str:
    """One sentence for the user about why ``url`` cannot be used."""
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
    import psycopg2  # loaded only when needed: a SQLite user never waits for the driver

    parsed = urlparse(url)
    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname=parsed.path.lstrip("/") or "postgres", connect_timeout=5,
    )
    conn.autocommit = True
    return conn
