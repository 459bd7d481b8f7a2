"""Cleaning the values of one record as they arrive from a form, field by field.

:class:`Form` reads each field with the parsers of :mod:`~tradium_tui.services.values`
and collects a message per field, so a service reports every error at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from tradium_tui.i18n import N_, _
from tradium_tui.models import Customer
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.validation import clean_text
from tradium_tui.services.values import (
    FieldError,
    as_text,
    parse_bool,
    parse_date,
    parse_datetime_utc,
    parse_decimal,
    parse_int,
)


class Form:
    """Cleans the values of one record as they arrive from a form, collecting per-field errors.

    On create (``stored`` is None) a field that was not given takes its default, so
    "required" applies; on update a field that was not given is left as stored.  Each
    reader returns the value to use for cross-field checks (the typed one, else the
    stored one).  :meth:`finish` returns the cleaned values or raises ValidationError.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        stored: Any | None,
        allowed: Iterable[str],
        labels: Mapping[str, str] | None = None,
        record_label: str = "this record",
    ):
        self.values = dict(values)
        self.stored = stored
        self.labels = dict(labels or {})
        self.errors: dict[str, str] = {}
        self.warnings: dict[str, str] = {}
        self.cleaned: dict[str, Any] = {}
        allowed = set(allowed)
        for name in self.values:
            if name not in allowed:
                self.errors[name] = _("'{name}' is not a field of {record_label}.").format(name=name, record_label=record_label)

    @property
    def creating(self) -> bool:
        return self.stored is None

    def label(self, name: str) -> str:
        return _(self.labels[name]) if name in self.labels else name.replace("_", " ").capitalize()

    def given(self, name: str) -> bool:
        return name in self.values

    def error(self, name: str, message: str) -> None:
        """Record a message for ``name`` (the first one per field wins)."""
        self.errors.setdefault(name, message)

    def fail(self, name: str, exc: FieldError) -> None:
        self.error(name, exc.for_field(self.label(name)))

    def current(self, name: str, fallback: Any = None) -> Any:
        if name in self.cleaned:
            return self.cleaned[name]
        if name in self.errors:
            return fallback
        if self.stored is not None:
            return getattr(self.stored, name, fallback)
        return fallback

    def _read(self, name: str, default: Any, parse) -> Any:
        if name not in self.values:
            if self.stored is not None:
                return getattr(self.stored, name, default)
            raw = default
        else:
            raw = self.values[name]
        try:
            value = parse(raw)
        except FieldError as exc:
            self.fail(name, exc)
            return None
        self.cleaned[name] = value
        return value

    def text(
        self, name: str, *, required: bool = False, max_length: int | None = None, default: str = ""
    ) -> str:
        def parse(raw: Any) -> str:
            text = "" if raw is None else str(raw).strip()
            if "\x00" in text:
                raise FieldError(_("contains a character that cannot be stored (NUL)"))
            if required and not text:
                raise FieldError(_("is required"))
            if max_length is not None and len(text) > max_length:
                raise FieldError(_("is too long ({count} characters, at most {max_length})").format(count=len(text), max_length=max_length))
            return text

        return self._read(name, default, parse)

    def choice(self, name: str, choices: Iterable[str], *, default: str | None = None) -> str | None:
        options = tuple(choices)

        def parse(raw: Any) -> str:
            text = "" if raw is None else str(raw).strip().lower()
            if not text:
                raise FieldError(_("is required"))
            if text not in options:
                raise FieldError(_("must be one of {options}, not '{text}'").format(options=', '.join(options), text=str(raw).strip()))
            return text

        return self._read(name, default, parse)

    def decimal(self, name: str, *, default: Decimal | None = None, required: bool = True, **kwargs) -> Decimal | None:
        fill = default if self.creating else None  # on update, blank means blank
        return self._read(
            name, default,
            lambda raw: parse_decimal(raw, required=required, default=fill, **kwargs),
        )

    def integer(self, name: str, *, default: int | None = None, required: bool = True, **kwargs) -> int | None:
        fill = default if self.creating else None
        return self._read(
            name, default, lambda raw: parse_int(raw, required=required, default=fill, **kwargs)
        )

    def date(self, name: str, *, default: dt.date | None = None, required: bool = False) -> dt.date | None:
        fill = default if self.creating else None
        return self._read(
            name, default, lambda raw: parse_date(raw, required=required, default=fill)
        )

    def datetime_utc(self, name: str, *, default: dt.datetime | None = None) -> dt.datetime | None:
        def parse(raw: Any) -> dt.datetime | None:
            value = parse_datetime_utc(raw, default=default if self.creating else None)
            if value is None and default is not None:
                raise FieldError(_("is required"))
            return value

        return self._read(name, default, parse)

    def boolean(self, name: str, *, default: bool = False) -> bool:
        return self._read(name, default, parse_bool)

    def set(self, name: str, value: Any) -> None:
        """A value the service decides (totals, status, snapshot), not typed by the user."""
        self.cleaned[name] = value

    def finish(self) -> dict[str, Any]:
        if self.errors:
            raise ValidationError(self.errors, self.warnings)
        return dict(self.cleaned)


def record_key(raw: Any, *, below: int = 2**63) -> int:
    """The id a form gives for a record (the row itself or its number); 0 when it cannot
    be the id of a stored row (not a number, or outside 1 .. ``below`` − 1)."""
    try:
        key = int(getattr(raw, "id", raw))
    except (TypeError, ValueError):
        return 0
    return key if 0 < key < below else 0


def customer_for_write(customer_id: Any):
    """The customer a new tab record is written for; NotFound when missing or deleted."""
    key = record_key(customer_id)
    customer = Customer.get_or_none(Customer.id == key) if key else None
    if customer is None:
        raise NotFound(_("The customer #{customer_id} does not exist.").format(customer_id=customer_id))
    if customer.deleted_at is not None:
        raise NotFound(
            _("The customer {name} ({number}) was deleted; restore it first.").format(name=customer.name, number=customer.number)
        )
    return customer


# What reference_id says when nothing is found, per kind of record it looks for.
NO_SUCH = {
    "user": N_("There is no user '{text}'."),
    "customer group": N_("There is no customer group '{text}'."),
    "condition group": N_("There is no condition group '{text}'."),
}


def reference_id(raw: Any, model: Any, what: str, named: Callable[[str], Any]) -> int | None:
    """The id of the ``model`` row that a form's reference field means: a row, an id, or a
    name (``named`` makes the condition for a name); ``None`` for nothing; FieldError when
    there is no such row."""
    if raw is None or as_text(raw).strip() == "" and not hasattr(raw, "get_id"):
        return None
    ident = _id_of(raw)
    if ident is not None:
        row = model.select(model.id).where(model.id == ident).first() if 0 < ident < 2**63 else None
    else:
        row = model.select(model.id).where(named(clean_text(raw, 80))).first()
    if row is None:
        raise FieldError(_(NO_SUCH.get(what, "There is no {what} '{text}'.")).format(what=what, text=as_text(raw)[:40]),
                         sentence=True)
    return row.id


def _id_of(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if hasattr(raw, "get_id"):
        return raw.get_id()
    if isinstance(raw, bool):
        raise FieldError(_("Not a valid choice."), sentence=True)
    if isinstance(raw, int):
        return raw
    text = as_text(raw).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) < 12:
        return int(text)
    return None
