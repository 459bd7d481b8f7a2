"""Money and form values: Decimal line and document totals, and cleaning a form's values.

Amounts are :class:`~decimal.Decimal`, never float.  A line's net amount is rounded
half-up to cents; VAT is computed per rate over the summed net amounts of that rate
and rounded half-up to cents; the total including VAT is the sum of both.

Typed values are read by :mod:`~tradium_tui.services.values`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tradium_tui.services.errors import ValidationError
from tradium_tui.services.values import (
    FieldError,
    is_blank,
    parse_bool,
    parse_date,
    parse_datetime_utc,
    parse_decimal,
    parse_int,
    plain_number,
)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


# --------------------------------------------------------------------------- rounding


def round_money(value: Decimal) -> Decimal:
    """Round to cents, halves away from zero (0.005 → 0.01, −0.005 → −0.01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_money(value: Any) -> Decimal:
    """A stored amount (Decimal, or a float some backends hand back for sums) as cents."""
    if value is None:
        return ZERO.quantize(CENT)
    if isinstance(value, float):
        value = Decimal(repr(value))
    return round_money(Decimal(value))


# --------------------------------------------------------------------------- lines and totals


@dataclass(frozen=True)
class Line:
    """The numbers of one document line that make up its amount."""

    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = ZERO
    vat_rate: Decimal = field(default_factory=lambda: _standard_rate())

    @property
    def gross(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def net(self) -> Decimal:
        """quantity × price × (1 − discount/100), rounded to cents."""
        return line_net(self.quantity, self.unit_price, self.discount_percent)


def _standard_rate() -> Decimal:
    from tradium_tui.services.vat import standard_rate

    return standard_rate()


def line_net(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal = ZERO) -> Decimal:
    factor = (HUNDRED - Decimal(discount_percent)) / HUNDRED
    return round_money(Decimal(quantity) * Decimal(unit_price) * factor)


@dataclass(frozen=True)
class VatBucket:
    rate: Decimal
    base: Decimal  # the net amounts at this rate, summed
    vat: Decimal  # base × rate / 100, rounded to cents


@dataclass(frozen=True)
class Totals:
    excl: Decimal
    vat: Decimal
    incl: Decimal
    by_rate: tuple[VatBucket, ...] = field(default=())

    def as_fields(self) -> dict[str, Decimal]:
        """The totals under the names the document models use."""
        return {"total_excl": self.excl, "total_vat": self.vat, "total_incl": self.incl}


def compute_totals(lines: Iterable[Line | Mapping[str, Any] | Any]) -> Totals:
    """Totals of a document: net per line, VAT per rate, everything in cents.

    ``lines`` may be :class:`Line` objects, mappings or model rows with the attributes
    ``quantity``, ``unit_price``, ``discount_percent`` and ``vat_rate``.
    """
    bases: dict[Decimal, Decimal] = {}
    for raw in lines:
        line = _as_line(raw)
        rate = Decimal(line.vat_rate).normalize()
        bases[rate] = bases.get(rate, ZERO) + line.net
    buckets = tuple(
        VatBucket(rate=rate, base=round_money(base), vat=round_money(base * rate / HUNDRED))
        for rate, base in sorted(bases.items())
    )
    excl = round_money(sum((b.base for b in buckets), ZERO))
    vat = round_money(sum((b.vat for b in buckets), ZERO))
    return Totals(excl=excl, vat=vat, incl=excl + vat, by_rate=buckets)


def _as_line(raw: Any) -> Line:
    if isinstance(raw, Line):
        return raw
    get = raw.get if isinstance(raw, Mapping) else lambda name, default=None: getattr(raw, name, default)
    return Line(
        quantity=Decimal(get("quantity", ZERO) or ZERO),
        unit_price=Decimal(get("unit_price", ZERO) or ZERO),
        discount_percent=Decimal(get("discount_percent", ZERO) or ZERO),
        vat_rate=Decimal(get("vat_rate", ZERO) or ZERO),
    )


def vat_of(amount_excl: Decimal, rate: Decimal) -> Decimal:
    return round_money(Decimal(amount_excl) * Decimal(rate) / HUNDRED)


# --------------------------------------------------------------------------- forms


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
                self.errors[name] = f"'{name}' is not a field of {record_label}."

    @property
    def creating(self) -> bool:
        return self.stored is None

    def label(self, name: str) -> str:
        return self.labels.get(name) or name.replace("_", " ").capitalize()

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
                raise FieldError("contains a character that cannot be stored (NUL)")
            if required and not text:
                raise FieldError("is required")
            if max_length is not None and len(text) > max_length:
                raise FieldError(f"is too long ({len(text)} characters, at most {max_length})")
            return text

        return self._read(name, default, parse)

    def choice(self, name: str, choices: Iterable[str], *, default: str | None = None) -> str | None:
        options = tuple(choices)

        def parse(raw: Any) -> str:
            text = "" if raw is None else str(raw).strip().lower()
            if not text:
                raise FieldError("is required")
            if text not in options:
                raise FieldError(f"must be one of {', '.join(options)}, not '{str(raw).strip()}'")
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
                raise FieldError("is required")
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


def customer_for_write(customer_id: Any):
    """The customer a new tab record is written for; NotFound when missing or deleted."""
    from tradium_tui.models import Customer
    from tradium_tui.services.errors import NotFound

    try:
        key = int(getattr(customer_id, "id", customer_id))
    except (TypeError, ValueError):
        key = 0
    if not 0 < key < 2**63:
        key = 0
    customer = Customer.get_or_none(Customer.id == key) if key else None
    if customer is None:
        raise NotFound(f"The customer #{customer_id} does not exist.")
    if customer.deleted_at is not None:
        raise NotFound(
            f"The customer {customer.name} ({customer.number}) was deleted; restore it first."
        )
    return customer


# --------------------------------------------------------------------------- document lines

LINE_LABELS = {
    "article": "Article",
    "description": "Description",
    "quantity": "Quantity",
    "delivered_quantity": "Delivered",
    "unit_price": "Unit price",
    "cost_price": "Cost price",
    "discount_percent": "Discount %",
    "vat_rate": "VAT %",
}
QUOTE_LINE_FIELDS = ("article", "description", "quantity", "unit_price", "discount_percent", "vat_rate")
ORDER_LINE_FIELDS = QUOTE_LINE_FIELDS + ("delivered_quantity", "cost_price")
MAX_TOTAL = Decimal(10) ** 12  # what a MoneyField (14 digits, 2 decimals) can hold
IGNORED_LINE_KEYS = frozenset({"id", "position", "quote", "order", "backorder_quantity"})


def clean_lines(
    lines: Iterable[Mapping[str, Any] | Any], *, with_delivery: bool = False,
    default_vat_rate: Decimal | None = None,
) -> list[dict[str, Any]]:
    """Parse the lines of a quote (or, ``with_delivery``, of an order) as typed in a grid.

    Entirely blank lines are skipped.  Errors are keyed ``lines.<index>.<field>`` (index
    counted from 0 over the lines given) with the 1-based line number in the message.
    Order lines get ``backorder_quantity`` = ordered − delivered.  A blank VAT rate is
    ``default_vat_rate`` (the customer's, see services/vat.py), else the home standard rate.
    """
    if default_vat_rate is None:
        default_vat_rate = _standard_rate()
    allowed = ORDER_LINE_FIELDS if with_delivery else QUOTE_LINE_FIELDS
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    for index, raw in enumerate(lines):
        values = _line_values(raw, allowed)
        if all(is_blank(v) for v in values.values()):
            continue
        form = Form(values, None, allowed, LINE_LABELS, "a document line")
        article = form.text("article", max_length=40)
        description = form.text("description", max_length=200)
        quantity = form.decimal("quantity", places=3, default=Decimal("1"))
        form.decimal("unit_price", places=4, default=ZERO)
        form.decimal("discount_percent", places=2, minimum=0, maximum=100, default=ZERO)
        form.decimal("vat_rate", places=2, minimum=0, maximum=100, default=default_vat_rate)
        if quantity is not None and quantity <= 0:
            form.error("quantity", "Quantity must be more than 0.")
        if not article and not description and "article" not in form.errors:
            form.error("description", "Give an article or a description.")
        if with_delivery:
            delivered = form.decimal("delivered_quantity", places=3, minimum=0, default=ZERO)
            form.decimal("cost_price", places=4, minimum=0, default=ZERO)
            if delivered is not None and quantity is not None and delivered > quantity:
                form.error(
                    "delivered_quantity",
                    f"Delivered ({plain_number(delivered)}) cannot be more than ordered ({plain_number(quantity)}).",
                )
            elif delivered is not None and quantity is not None:
                form.set("backorder_quantity", quantity - delivered)
        for name, message in form.errors.items():
            errors[f"lines.{index}.{name}"] = f"Line {index + 1}: {message}"
        if not form.errors:
            row = form.finish()
            row["position"] = len(cleaned) + 1
            if abs(row["quantity"] * row["unit_price"]) >= MAX_TOTAL:
                errors[f"lines.{index}.quantity"] = f"Line {index + 1}: the amount is too large."
                continue
            cleaned.append(row)
    if not errors and abs(compute_totals(cleaned).incl) >= MAX_TOTAL:
        errors["lines"] = "The total of the lines is too large."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _line_values(raw: Mapping[str, Any] | Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return {k: v for k, v in raw.items() if k not in IGNORED_LINE_KEYS}
    return {name: getattr(raw, name) for name in allowed if hasattr(raw, name)}


def describe_lines(lines: Iterable[Mapping[str, Any] | Any]) -> str:
    """The lines as readable text, one per line, for the audit trail."""
    out = []
    for number, raw in enumerate(lines, start=1):
        get = raw.get if isinstance(raw, Mapping) else lambda n, d=None, r=raw: getattr(r, n, d)
        line = _as_line(raw)
        what = " ".join(p for p in (get("article", ""), get("description", "")) if p)
        text = f"{number}. {plain_number(line.quantity)} × {what} à {plain_number(line.unit_price)}"
        if line.discount_percent:
            text += f" −{plain_number(line.discount_percent)}%"
        text += f" VAT {plain_number(line.vat_rate)}% = {line.net}"
        delivered = get("delivered_quantity", None)
        if delivered is not None:
            text += f" (delivered {plain_number(Decimal(delivered))})"
        out.append(text)
    return "\n".join(out)
