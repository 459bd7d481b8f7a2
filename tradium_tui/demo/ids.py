"""Keys and numbers handed out before the rows are written: primary keys, so that children
can point at their parents in the same batch, and quote, order and invoice numbers that
continue the shared counters without gaps."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import peewee

from tradium_tui import db as dbmod
from tradium_tui.models import Counter
from tradium_tui.services import numbering

ID_BLOCK = 20_000  # primary keys fetched at once from a PostgreSQL sequence


class Ids:
    """Primary keys for new rows, so children can point at their parents before insert.

    SQLite: counted on from ``max(id)`` (the seed holds the write lock, so nobody else
    inserts meanwhile).  PostgreSQL: taken from the table's sequence in blocks; sequence
    values are unique whatever transaction or connection asks for them.
    """

    def __init__(self, database: peewee.Database | None, starts: dict[str, int] | None = None):
        """``database`` for PostgreSQL sequences, else ``starts``: table → first free id."""
        self.db = database
        self.pg = database is not None and dbmod.is_postgres(database)
        self.next: dict[str, int] = dict(starts or {})
        self.pools: dict[str, deque[int]] = {}

    @staticmethod
    def starts(database: peewee.Database, models: Iterable[type[peewee.Model]]) -> dict[str, int]:
        """SQLite: the first free id per table (call it holding the write lock)."""
        out = {}
        for model in models:
            table = model._meta.table_name
            top = database.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()[0]
            out[table] = (top or 0) + 1
        return out

    def block(self, model: type[peewee.Model], count: int) -> list[int]:
        """``count`` new keys at once (consecutive on SQLite)."""
        table = model._meta.table_name
        if count <= 0:
            return []
        if self.pg:
            assert self.db is not None
            cursor = self.db.execute_sql(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (f'"{table}"', count),
            )
            return [row[0] for row in cursor.fetchall()]
        start = self.next[table]
        self.next[table] = start + count
        return list(range(start, start + count))

    def take(self, model: type[peewee.Model], count: int) -> list[int]:
        """``count`` keys from the current block (a new block is fetched when it runs out)."""
        pool = self.pools.get(model._meta.table_name)
        if pool is None:
            pool = self.pools[model._meta.table_name] = deque()
        if len(pool) < count:
            pool.extend(self.block(model, max(count, ID_BLOCK)))
        return [pool.popleft() for _ in range(count)]


DOCUMENT_KINDS = ("quote", "order", "invoice")


class DocumentNumbers:
    """Quote, order and invoice numbers continuing the shared counters without gaps.

    The seed reads each counter and holds it (:func:`hold_counter`: PostgreSQL ``FOR
    UPDATE``, SQLite the write lock), so a user creating a document meanwhile waits and
    then continues after the demo's last number; afterwards the counters are moved past
    what was used (:func:`release_counters`).
    """

    def __init__(self, first: dict[str, int]):
        self.next = dict(first)

    def take(self, kind: str, prefix: str, year: int) -> str:
        value = self.next[kind]
        self.next[kind] = value + 1
        return f"{prefix}{year}-{value:06d}"


def release_counters(first: dict[str, int], next_free: dict[str, int]) -> None:
    for kind, value in next_free.items():
        if value > first[kind]:
            numbering.raise_to(kind, value - 1)


def hold_counter(name: str) -> int:
    """The counter's current value, locked against other writers until the commit."""
    query = Counter.select(Counter.value).where(Counter.name == name)
    if dbmod.is_postgres():
        query = query.for_update()
    row = query.tuples().first()
    if row is None:
        try:
            with dbmod.database.atomic():
                Counter.insert(name=name, value=numbering.DEFAULT_START.get(name, 0)).execute()
        except peewee.IntegrityError:
            pass  # created by a concurrent caller
        row = query.clone().tuples().first()
    return int(row[0])

