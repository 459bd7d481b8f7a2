"""Definitions of the seven variable customer fields (admin-defined labels and types).

Slot 0 is numeric (``Customer.custom_num``); slots 1–6 hold text or one of a list of
choices (``Customer.custom_1`` … ``custom_6``).  A slot without an active definition is
not shown.  Changing a definition needs the manage-users right and is audited (table
``custom_field_def``, record id = slot).  :func:`clean_value` checks a value typed for a
slot, for the customer service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tradium_tui.db import database
from tradium_tui.i18n import _
from tradium_tui.models import CustomFieldDef
from tradium_tui.services import audit
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.users import admin_transaction, require_admin
from tradium_tui.services.values import FieldError, parse_decimal

SLOTS = tuple(range(7))
NUMERIC_SLOT = 0
KINDS = ("number", "text", "choice")
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 200  # the width of the customer columns


def column_for(slot: int) -> str:
    """The customer column behind a slot."""
    return "custom_num" if slot == NUMERIC_SLOT else f"custom_{slot}"


@dataclass(frozen=True)
class FieldDef:
    slot: int
    label: str = ""
    kind: str = "text"
    choices: list[str] = field(default_factory=list)
    active: bool = False

    @property
    def column(self) -> str:
        return column_for(self.slot)

    @property
    def defined(self) -> bool:
        return self.active and bool(self.label)


def _default(slot: int) -> FieldDef:
    return FieldDef(slot=slot, kind="number" if slot == NUMERIC_SLOT else "text")


def _from_row(row: CustomFieldDef) -> FieldDef:
    return FieldDef(
        slot=row.slot,
        label=row.label,
        kind=row.kind,
        choices=[c for c in (row.choices or "").split("\n") if c],
        active=bool(row.active),
    )


def list_definitions() -> list[FieldDef]:
    """All seven slots, defined or not, in slot order (anyone may read them)."""
    stored = {row.slot: _from_row(row) for row in CustomFieldDef.select()}
    return [stored.get(slot, _default(slot)) for slot in SLOTS]


def active_definitions() -> list[FieldDef]:
    return [d for d in list_definitions() if d.defined]


def _check(slot: int, label: str, kind: str | None, choices: Iterable[str] | None) -> FieldDef:
    errors: dict[str, str] = {}
    if slot not in SLOTS:
        raise ValidationError({"slot": _("There is no variable field {slot}; use 0 to 6.").format(slot=slot)})
    label = (label or "").strip()
    if not label:
        errors["label"] = _("A label is required.")
    elif len(label) > 60:
        errors["label"] = _("The label is longer than 60 characters.")
    if slot == NUMERIC_SLOT:
        kind = (kind or "number").strip().lower()
        if kind != "number":
            errors["kind"] = _("Variable field 0 is numeric; it cannot hold text or choices.")
    else:
        kind = (kind or "text").strip().lower()
        if kind not in ("text", "choice"):
            errors["kind"] = _("Variable field {slot} holds text or a choice, not '{kind}'.").format(slot=slot, kind=kind)
    cleaned: list[str] = []
    for raw in choices or []:
        choice = (raw or "").strip()
        if not choice:
            continue
        if len(choice) > MAX_CHOICE_LENGTH:
            errors["choices"] = _("The choice '{choice}…' is longer than {limit} characters.").format(choice=choice[:20], limit=MAX_CHOICE_LENGTH)
        elif choice in cleaned:
            errors["choices"] = _("The choice '{choice}' appears twice.").format(choice=choice)
        else:
            cleaned.append(choice)
    if kind == "choice":
        if not cleaned and "choices" not in errors:
            errors["choices"] = _("A choice field needs at least one choice.")
        elif len(cleaned) > MAX_CHOICES:
            errors["choices"] = _("At most {MAX_CHOICES} choices.").format(MAX_CHOICES=MAX_CHOICES)
    elif cleaned and "kind" not in errors:
        errors["choices"] = _("Only a choice field has choices.")
    if errors:
        raise ValidationError(errors)
    return FieldDef(slot=slot, label=label, kind=kind, choices=cleaned, active=True)


def define(
    actor: Actor,
    slot: int,
    label: str,
    kind: str | None = None,
    choices: Iterable[str] | None = None,
    active: bool = True,
) -> FieldDef:
    """Define (or redefine) a variable field; returns the stored definition.

    Existing customer values are kept when a definition changes.
    """
    require_admin(actor)
    new = _check(slot, label, kind, choices)
    with admin_transaction(actor):
        row = CustomFieldDef.get_or_none(CustomFieldDef.slot == slot)
        old = _from_row(row) if row else None
        values = {
            "label": new.label,
            "kind": new.kind,
            "choices": "\n".join(new.choices),
            "active": bool(active),
        }
        if row is None:
            CustomFieldDef.insert(slot=slot, **values).execute()
            changes = {name: (None, value) for name, value in values.items() if value != ""}
            action = "create"
        else:
            before = {
                "label": old.label, "kind": old.kind,
                "choices": "\n".join(old.choices), "active": old.active,
            }
            changes = {
                name: (before[name], value)
                for name, value in values.items()
                if audit.as_text(before[name]) != audit.as_text(value)
            }
            if not changes:
                return _from_row(row)
            CustomFieldDef.update(**values).where(CustomFieldDef.slot == slot).execute()
            action = "update"
        audit.record(actor.username, "custom_field_def", slot, action, changes)
        return _from_row(CustomFieldDef.get(CustomFieldDef.slot == slot))


def set_active(actor: Actor, slot: int, active: bool) -> FieldDef:
    """Show or hide a defined field without losing its label, type or choices."""
    require_admin(actor)
    if slot not in SLOTS:
        raise ValidationError({"slot": _("There is no variable field {slot}; use 0 to 6.").format(slot=slot)})
    with admin_transaction(actor):
        row = CustomFieldDef.get_or_none(CustomFieldDef.slot == slot)
        if row is None:
            if active:
                raise ValidationError({"label": _("Variable field {slot} has no label yet.").format(slot=slot)})
            return _default(slot)
        if bool(row.active) == bool(active):
            return _from_row(row)
        CustomFieldDef.update(active=bool(active)).where(CustomFieldDef.slot == slot).execute()
        audit.record(actor.username, "custom_field_def", slot, "update",
                     {"active": (bool(row.active), bool(active))})
        return _from_row(CustomFieldDef.get(CustomFieldDef.slot == slot))


def clean_value(definition: FieldDef, value: object) -> Decimal | str | None:
    """A value typed for a variable field → what is stored, or ValidationError.

    Numeric slot: Decimal or ``None`` (empty), read as every typed number is.
    Choice slot: one of the choices or empty.  Text slot: at most 200 characters.
    """
    name = definition.column
    text = "" if value is None else str(value).strip()
    if definition.kind == "number":
        try:
            return parse_decimal(text, places=4, max_digits=14, required=False)
        except FieldError as exc:
            raise ValidationError({name: exc.for_field(definition.label or name)}) from None
    if definition.kind == "choice" and text and text not in definition.choices:
        raise ValidationError(
            {name: _("{value}: choose one of {choices}.").format(value=definition.label or name, choices=', '.join(definition.choices))}
        )
    if len(text) > MAX_CHOICE_LENGTH:
        raise ValidationError(
            {name: _("{value}: at most {limit} characters.").format(value=definition.label or name, limit=MAX_CHOICE_LENGTH)}
        )
    return text


# The variable text fields an admin may turn into a choice list.
CHOICE_COLUMNS = ("custom_1", "custom_2", "custom_3", "custom_4", "custom_5", "custom_6")


class ChoiceChecker:
    """Refuses a value outside the choice list an admin defined for a variable field.

    Built from the definitions once (picklable, so bulk validation in worker processes
    can use it without a database connection).
    """

    def __init__(self, choices: dict[str, tuple[str, list[str]]]):
        self.choices = choices  # column → (label, allowed values)

    @classmethod
    def from_database(cls) -> ChoiceChecker:
        if database.obj is None:  # pure validation with no database: no lists defined
            return cls({})

        return cls({
            d.column: (d.label, list(d.choices))
            for d in active_definitions()
            if d.kind == "choice" and d.column in CHOICE_COLUMNS
        })

    def __call__(self, column: str, value: str) -> None:
        if column in self.choices:
            label, allowed = self.choices[column]
            if value not in allowed:
                raise FieldError(_("{label}: choose one of {allowed}.").format(label=label, allowed=', '.join(allowed)), sentence=True)
