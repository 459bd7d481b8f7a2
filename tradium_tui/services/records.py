"""The one write path: permission → validation → optimistic lock → write → audit.

Domain modules (customers, contacts, actions, …) describe their records with a
:class:`RecordSpec` and call :func:`create`, :func:`update` and :func:`delete` here,
so every door (TUI, command palette, CLI, import) obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import utcnow
from tradium_tui.services import audit, text_safety
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import ConflictError, FieldConflict, NotFound
from tradium_tui.services.history import record_label

Validator = Callable[[dict[str, Any], peewee.Model | None], dict[str, Any]]
NOT_AUDITED = frozenset({"version", "created_at", "updated_at"})


@dataclass(frozen=True)
class RecordSpec:
    model: type[peewee.Model]
    # Permission tab for writes; ``None`` means the customer's base data.
    tab: str | None
    label: str
    # Cleans and validates the values (raises ValidationError); gets the stored record on update.
    validate: Validator
    # Which customer a record belongs to (for the audit trail / History tab).
    customer_of: Callable[[peewee.Model], int | None] = field(
        default=lambda rec: getattr(rec, "customer_id", None)
    )

    @property
    def table(self) -> str:
        return self.model._meta.table_name

    def check(self, actor: Actor) -> None:
        if self.tab is None:
            actor.require_base_edit()
        else:
            actor.require(self.tab, "edit")


def _get(spec: RecordSpec, record_id: int) -> peewee.Model:
    rec = spec.model.get_or_none(spec.model._meta.primary_key == record_id)
    if rec is None:
        raise NotFound(_("{record} no longer exists.").format(record=_record_label(spec, record_id)))
    return rec


def _same(a: Any, b: Any) -> bool:
    # Decimals compare by value: SQLite hands back 12.5 for a stored 12.50.
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except (InvalidOperation, ValueError):
            pass
    return audit.as_text(a) == audit.as_text(b)


def create(actor: Actor, spec: RecordSpec, values: dict[str, Any]) -> peewee.Model:
    spec.check(actor)
    cleaned = spec.validate(dict(values), None)
    text_safety.require_safe(spec.model, cleaned)
    with write_transaction():
        now = utcnow()
        rec = spec.model.create(**cleaned, version=1, created_at=now, updated_at=now)
        changes = {
            name: (None, value)
            for name, value in cleaned.items()
            if value not in (None, "") and name not in NOT_AUDITED
        }
        audit.record(
            actor.username, spec.table, rec.get_id(), "create", changes,
            customer_id=spec.customer_of(rec), version=1, at=now,
        )
    return rec


def conflict(spec: RecordSpec, rec: peewee.Model, expected: int, yours: dict[str, Any]) -> ConflictError:
    """Build the error that tells the user what the other person changed."""
    theirs: dict[str, FieldConflict] = {}
    for row in audit.changes_since(spec.table, rec.get_id(), expected):
        if not row.field:
            continue
        theirs[row.field] = FieldConflict(
            field=row.field,
            theirs=row.new_value,
            yours=audit.as_text(yours.get(row.field)),
            by=row.username,
            at=row.at.isoformat(sep=" ", timespec="seconds"),
        )
    clashing = [c for name, c in theirs.items() if name in yours and not _same(c.theirs, yours[name])]
    others = [c for name, c in theirs.items() if c not in clashing]
    return ConflictError(
        table=spec.table,
        record_id=rec.get_id(),
        expected_version=expected,
        current_version=rec.version,
        conflicts=clashing,
        other_changes=others,
    )


def update(
    actor: Actor,
    spec: RecordSpec,
    record_id: int,
    values: dict[str, Any],
    expected_version: int,
    action: str = "update",
    extra_changes: dict[str, tuple[Any, Any]] | None = None,
) -> peewee.Model:
    """Apply ``values`` to the record if it is still at ``expected_version``.

    ``extra_changes`` (field → (old, new)) are audited and count as a change (the
    version goes up) without being columns of the record — e.g. the lines of a quote,
    which the caller replaces inside the same transaction.
    """
    extra = {name: pair for name, pair in (extra_changes or {}).items() if not _same(*pair)}
    spec.check(actor)
    stored = _get(spec, record_id)
    cleaned = spec.validate(dict(values), stored)
    text_safety.require_safe(spec.model, cleaned)
    with write_transaction():
        rec = _get(spec, record_id)
        if rec.version != expected_version:
            raise conflict(spec, rec, expected_version, cleaned)
        changes = {
            name: (getattr(rec, name), value)
            for name, value in cleaned.items()
            if name not in NOT_AUDITED and not _same(_raw(rec, name), value)
        }
        if not changes and not extra:
            return rec
        now = utcnow()
        model = spec.model
        updated = (
            model.update(
                **{name: new for name, (_, new) in changes.items()},
                version=model.version + 1,
                updated_at=now,
            )
            .where(
                (model._meta.primary_key == record_id) & (model.version == expected_version)
            )
            .execute()
        )
        if updated != 1:  # lost a race between our read and our write
            raise conflict(spec, _get(spec, record_id), expected_version, cleaned)
        audit.record(
            actor.username, spec.table, record_id, action,
            {name: (_raw(rec, name), new) for name, (_, new) in changes.items()} | extra,
            customer_id=spec.customer_of(rec), version=expected_version + 1, at=now,
        )
        # Read back inside the transaction: the row is ours until commit, so this is our
        # version, not a later writer's (a read after commit could be someone else's).
        return _get(spec, record_id)


def _raw(rec: peewee.Model, name: str) -> Any:
    """A field's stored value; foreign keys as their id (no extra query)."""
    fld = rec._meta.fields.get(name)
    if isinstance(fld, peewee.ForeignKeyField):
        return rec.__data__.get(name)
    return getattr(rec, name)


def delete(actor: Actor, spec: RecordSpec, record_id: int, expected_version: int) -> None:
    """Remove a record for good (customers are soft-deleted by their own service)."""
    spec.check(actor)
    with write_transaction():
        rec = _get(spec, record_id)
        if rec.version != expected_version:
            raise conflict(spec, rec, expected_version, {})
        snapshot = {
            name: (_raw(rec, name), None)
            for name in rec._meta.sorted_field_names
            if name not in NOT_AUDITED and name != "id" and _raw(rec, name) not in (None, "")
        }
        customer_id = spec.customer_of(rec)
        deleted = (
            spec.model.delete()
            .where(
                (spec.model._meta.primary_key == record_id)
                & (spec.model.version == expected_version)
            )
            .execute()
        )
        if deleted != 1:
            raise conflict(spec, _get(spec, record_id), expected_version, {})
        audit.record(
            actor.username, spec.table, record_id, "delete", snapshot,
            customer_id=customer_id, version=expected_version + 1,
        )


def _record_label(spec: RecordSpec, record_id: Any) -> str:
    """"Contact #12" in the reader's language (the History tab's names of the tables)."""
    return record_label(spec.model._meta.table_name, record_id)
