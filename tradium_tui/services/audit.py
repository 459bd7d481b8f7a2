"""Writing and reading the audit trail.

A change is one row per changed field (old → new).  A record created by a bulk import is
one row holding all its values (field :data:`SNAPSHOT_FIELD`, the values as a JSON object
in ``new_value``): a 100,000-row import writes 100,000 audit rows instead of two million,
and the History tab shows it field by field all the same (:func:`snapshot_values`).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.models import AuditRecord, utcnow


def as_text(value: Any) -> str | None:
    """How a value is stored in the audit trail."""
    if value is None:
        return None
    if isinstance(value, peewee.Model):
        return str(value.get_id())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def record(
    username: str,
    table: str,
    record_id: int,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
    customer_id: int | None = None,
    version: int = 0,
    at: dt.datetime | None = None,
) -> None:
    """Write one audit row per changed field (or one row for a field-less action)."""
    when = at or utcnow()
    rows = [
        {
            "at": when,
            "username": username,
            "customer_id": customer_id,
            "table": table,
            "record_id": record_id,
            "action": action,
            "field": name,
            "old_value": as_text(old),
            "new_value": as_text(new),
            "version": version,
        }
        for name, (old, new) in (changes or {}).items()
    ] or [
        {
            "at": when,
            "username": username,
            "customer_id": customer_id,
            "table": table,
            "record_id": record_id,
            "action": action,
            "field": "",
            "old_value": None,
            "new_value": None,
            "version": version,
        }
    ]
    AuditRecord.insert_many(rows).execute()


def changes_since(table: str, record_id: int, version: int) -> list[AuditRecord]:
    return list(
        AuditRecord.select()
        .where(
            (AuditRecord.table == table)
            & (AuditRecord.record_id == record_id)
            & (AuditRecord.version > version)
        )
        .order_by(AuditRecord.id)
    )


def history(customer_id: int, limit: int = 500) -> list[AuditRecord]:
    return list(
        AuditRecord.select()
        .where(AuditRecord.customer_id == customer_id)
        .order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
        .limit(limit)
    )


def last_base_change(customer_id: int) -> dt.datetime | None:
    """When the customer's own record (base data) last changed."""
    row = (
        AuditRecord.select(peewee.fn.MAX(AuditRecord.at))
        .where((AuditRecord.table == "customer") & (AuditRecord.record_id == customer_id))
        .scalar()
    )
    return row


SNAPSHOT_FIELD = "*"


def snapshot_text(values: dict[str, Any]) -> str:
    """All of a new record's values as one audit value (JSON, each value as :func:`as_text`)."""
    return json.dumps(
        {name: value if value.__class__ is str else as_text(value) for name, value in values.items()},
        ensure_ascii=False, separators=(",", ":"),
    )


def snapshot_values(text: str | None) -> dict[str, str | None]:
    """The values of a snapshot row, in the order they were written."""
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}
