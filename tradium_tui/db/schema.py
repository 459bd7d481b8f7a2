"""The schema version of a database, and upgrading it with the migrations.

The table ``schema_version`` holds one row per step applied (its number, description and
time).  Version 0 is an empty database; :data:`MIGRATIONS` ``[n]`` takes version n to n+1.
:func:`ensure_schema` runs the steps a database has not had yet, each in its own
transaction, so two programs opening the same new or older database at once build it once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import peewee

from tradium_tui.db import (
    DatabaseUnavailable,
    connect,
    database,
    explain,
    is_postgres,
    write_transaction,
)
from tradium_tui.db.migrations import MIGRATIONS

__all__ = [
    "MIGRATIONS",
    "SchemaTooNew",
    "current_version",
    "ensure_schema",
    "init",
    "latest_version",
]

# Advisory lock key that serialises schema upgrades on PostgreSQL.
SCHEMA_LOCK_KEY = 7_201_726
VERSION_TABLE = "schema_version"


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer version of the program."""


def latest_version() -> int:
    return len(MIGRATIONS)


def current_version(db: peewee.Database | None = None) -> int:
    target = db or database.obj
    if not target.table_exists(VERSION_TABLE):
        return 0
    (version,) = target.execute_sql(f'SELECT MAX(version) FROM "{VERSION_TABLE}"').fetchone()
    return version or 0


def _create_version_table(db: peewee.Database) -> None:
    # The same table the first step has always made (the model SchemaVersion reads it).
    timestamp = "TIMESTAMP" if is_postgres(db) else "DATETIME"
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "{VERSION_TABLE}" ("version" INTEGER NOT NULL PRIMARY KEY, '
        f'"description" VARCHAR(255) NOT NULL, "applied_at" {timestamp} NOT NULL)'
    )


def _record(db: peewee.Database, version: int, description: str) -> None:
    applied_at = datetime.now(UTC).replace(tzinfo=None)
    db.execute_sql(
        f'INSERT INTO "{VERSION_TABLE}" ("version", "description", "applied_at") '
        f"VALUES ({db.param}, {db.param}, {db.param})",
        (version, description, applied_at),
    )


def ensure_schema(upgrade: bool = True, target: int | None = None) -> tuple[int, int]:
    """Create or upgrade the schema. Returns ``(version_before, version_after)``.

    A schema newer than this program knows raises :class:`SchemaTooNew`.
    """
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
            _create_version_table(db)
            _record(db, version + 1, description)
    return before, goal


def init(url: str, upgrade: bool = True) -> peewee.Database:
    """Connect and make sure the schema is current."""
    db = connect(url)
    try:
        ensure_schema(upgrade=upgrade)
    except DatabaseUnavailable:
        raise
    except peewee.DatabaseError as exc:
        raise DatabaseUnavailable(explain(url, exc)) from exc
    return db
