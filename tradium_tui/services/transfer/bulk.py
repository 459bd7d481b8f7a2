"""Many rows at a time: chunked look-ups, bulk inserts and updates, audit rows.

What the customer import and the customer list's bulk actions write goes through here in
a few statements instead of one per row: ``executemany`` on SQLite, ``COPY`` and batches
on PostgreSQL.  The audit rows are the ones :func:`audit.record` would write, laid out as
tuples.  For many new customers the schema's per-row trigger work is done set-based
(:func:`suspend_row_triggers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.db.bulk import DerivedData, bulk_execute, bulk_insert, quote_name
from tradium_tui.models import AuditRecord, CustomerTag, Tag
from tradium_tui.services import audit

IN_CHUNK = 900  # values per "IN (...)" query (SQLite allows 32766 variables; stay modest)
BULK_TRIGGERS_FROM = 200  # new customers from which the per-row triggers' work is done in bulk


# --------------------------------------------------------------------------- reading


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in slices of ``size``: one ``IN (...)`` query (or batch) each."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def tags_of(customer_ids: Iterable[int]) -> dict[int, list[str]]:
    """customer id → the names of its tags, for many customers."""
    found: dict[int, list[str]] = {}
    for part in chunks(sorted(set(customer_ids))):
        query = (
            CustomerTag.select(CustomerTag.customer, Tag.name)
            .join(Tag)
            .where(CustomerTag.customer.in_(list(part)))
            .tuples()
        )
        for customer_id, name in query:
            found.setdefault(customer_id, []).append(name)
    return found


# --------------------------------------------------------------------------- writing


def update_versioned(model: type[peewee.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Update many records by id, each only if it still has the version it was read at.

    Each row: the database values of the fields ``names``, the new ``updated_at``, the id
    and the version read; the version goes up by one.
    """
    assignments = "".join(f"{quote_name(model._meta.fields[n].column_name)} = ?, " for n in names)
    bulk_execute(
        f"UPDATE {quote_name(model._meta.table_name)} SET {assignments}"
        "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        rows,
    )


def delete_links(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Delete the rows of ``model`` whose ``columns`` hold the values of one of ``rows``."""
    where = " AND ".join(f"{c} = ?" for c in columns)
    bulk_execute(f"DELETE FROM {quote_name(model._meta.table_name)} WHERE {where}", rows)


# --------------------------------------------------------------------------- audit rows


AUDIT_COLUMNS = ("at", "username", "customer_id", "table", "record_id", "action", "version",
                 "field", "old_value", "new_value")


def audit_rows(
    username: str, table: str, record_id: int, action: str, changes: dict[str, tuple[Any, Any]],
    customer_id: int | None, version: int, at,
) -> list[tuple]:
    """The rows :func:`audit.record` would write, as tuples for :func:`bulk_insert`.

    ``at`` is best given as text (:func:`stamp`): it is the same in every row.
    """
    if not changes:
        return [(at, username, customer_id, table, record_id, action, version, "", None, None)]
    as_text = audit.as_text
    return [
        (at, username, customer_id, table, record_id, action, version, name,
         old if old.__class__ is str else as_text(old),
         new if new.__class__ is str else as_text(new))
        for name, (old, new) in changes.items()
    ]


def snapshot_row(
    username: str, table: str, record_id: int, action: str, values: dict[str, Any],
    customer_id: int | None, version: int, at,
) -> tuple:
    """One audit row holding all of a new record's ``values`` (see :mod:`services.audit`),
    laid out as :func:`audit_rows` lays out its rows."""
    return (at, username, customer_id, table, record_id, action, version,
            audit.SNAPSHOT_FIELD, None, audit.snapshot_text(values))


def stamp(at) -> str:
    """A UTC time as the drivers store it (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return at.isoformat(" ")


def write_audit(rows: list[tuple]) -> None:
    """Insert audit rows made by :func:`audit_rows` (plain text, numbers and UTC times)."""
    columns = [AuditRecord._meta.fields[c].column_name for c in AUDIT_COLUMNS]
    bulk_insert(AuditRecord, columns, rows)


# --------------------------------------------------------------------------- triggers


def suspend_row_triggers(count: int):
    """For many new customers, the schema's per-row upkeep (SQLite search index, order
    revenue for the ranking) done set-based instead of by per-row triggers.

    Per-row it costs more than the inserts, and on PostgreSQL the revenue trigger takes
    an advisory lock per customer, which a transaction of many thousands of customers
    runs out of.  Returns the :class:`~tradium_tui.db.bulk.DerivedData` the demo seeder
    uses too (call ``rebuild(first_id, last_id)`` after the inserts, inside the same
    transaction) or ``None`` for a few rows.
    """
    if count < BULK_TRIGGERS_FROM:
        return None
    derived = DerivedData(dbmod.database.obj)
    derived.suspend()
    return derived
