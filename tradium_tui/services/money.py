"""Money and form values: Decimal line and document totals, and parsing what people type.

Amounts are :class:`~decimal.Decimal`, never float.  A line's net amount is rounded
half-up to cents; VAT is computed per rate over the summed net amounts of that rate
and rounded half-up to cents; the total including VAT is the sum of both.

The ``parse_*`` functions turn text from a form ("1.234,50", "1,5", "23-11-2026") into
typed values, or raise :class:`FieldError` with a sentence meant for the user.  They
accept already-typed values (Decimal, int, date) as they are, so code and forms can
call the same service functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from tradium_tui.services.errors import ValidationError

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


class FieldError(ValueError):
    """A typed value could not be understood; ``str(exc)`` is the message for the field."""


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


# --------------------------------------------------------------------------- parsing

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,' ]\d{3})+$")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_decimal(
    value: Any,
    *,
    places: int = 2,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    max_digits: int = 14,
    required: bool = True,
    default: Decimal | None = None,
) -> Decimal | None:
    """A number typed with "," or "." as decimal mark ("1.234,56", "1,234.56", "-3,5").

    One mark followed by exactly three digits ("2.500", "2,500") could be either; the
    user's locale decides (:func:`tradium_tui.formatting.current_locale`): in Dutch "2.500"
    is 2500 and "2,500" is 2.5, in English the other way round.

    Raises :class:`FieldError` for text that is not a number, more decimals than
    ``places``, or a value outside ``minimum``/``maximum`` or too large for the column.
    An empty value gives ``default`` (or an error when ``required`` and no default).
    """
    if _is_blank(value):
        if default is not None or not required:
            return default
        raise FieldError("is required")
    if isinstance(value, bool):
        raise FieldError("must be a number")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite():
            raise FieldError("must be a number")
    else:
        number = parse_number_text(str(value))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            raise FieldError("must be a whole number")
        raise FieldError(f"may have at most {places} decimal{'s' if places != 1 else ''}")
    # More decimals than ``places`` were refused above, so rounding only pads with zeros;
    # the range is checked first because rounding a number too long for the context fails.
    if minimum is not None and number < Decimal(minimum):
        raise FieldError(f"must be at least {_show(Decimal(minimum))}")
    if maximum is not None and number > Decimal(maximum):
        raise FieldError(f"must be at most {_show(Decimal(maximum))}")
    if abs(number) >= Decimal(10) ** (max_digits - places):
        raise FieldError(f"is too large (at most {max_digits - places} digits before the decimal mark)")
    number = number.quantize(Decimal(1).scaleb(-places)) if places else number.quantize(Decimal(1))
    return number


def _show(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


# What can stand before the first thousands mark: one to three digits, not starting with 0.
_GROUP_HEAD = re.compile(r"[1-9]\d{0,2}")


def _locale_decimal_mark() -> str:
    """The decimal mark of the user's locale ("," for nl_NL, "." for en_GB)."""
    from tradium_tui.formatting import current_locale

    return _decimal_symbol(current_locale())


@lru_cache(maxsize=8)
def _decimal_symbol(locale: str) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(locale)


def unambiguous(text: str) -> str:
    """A number written with "." as decimal mark (a file, a spreadsheet cell), made safe to
    read back in any locale: never exactly three decimals ("1.234" → "1.2340"), which
    :func:`parse_number_text` in a "," locale would take for thousands."""
    if len(text.partition(".")[2]) == 3:
        return text + "0"
    return text


def parse_number_text(text: str) -> Decimal:
    """The one reading of a typed number (see :func:`parse_decimal`), before any range or
    decimals check; also used by :mod:`~tradium_tui.services.validation`."""
    shown = text.strip()
    cleaned = (
        shown.replace("\u2212", "-")  # unicode minus
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .replace("€", "")
        .strip()
    )
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0], cleaned[1:].strip()
    elif cleaned.endswith("-"):  # accounting style "12,50-"
        sign, cleaned = "-", cleaned[:-1].strip()
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        # Both marks: the rightmost one is the decimal mark, the other groups thousands.
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif commas == 1 or dots == 1:
        mark = "," if commas else "."
        before, _, after = cleaned.partition(mark)
        if len(after) == 3 and after.isdigit() and _GROUP_HEAD.fullmatch(before):
            # "2.500" is two thousand five hundred in Dutch and two and a half in English:
            # the user's locale decides, as it does when the number is shown.
            decimal_mark = mark if mark == _locale_decimal_mark() else ""
        else:
            decimal_mark = mark
    else:
        decimal_mark = ""  # none, or only grouping marks ("1.234.567")
    whole, frac = cleaned, ""
    if decimal_mark:
        whole, _, frac = cleaned.rpartition(decimal_mark)
        if not frac.isdigit() and not (frac == "" and whole):
            raise FieldError(f"is not a number: '{shown}'")
    if whole and not whole.isdigit():
        if not _GROUPED.match(whole):
            if re.fullmatch(r"[\d.,' ]+", whole):
                raise FieldError(f"is not a number: '{shown}' (check the thousands separators)")
            raise FieldError(f"is not a number: '{shown}'")
        whole = re.sub(r"[.,' ]", "", whole)
    candidate = f"{sign}{whole or '0'}.{frac}" if frac else f"{sign}{whole}"
    if not whole and not frac or not _NUMBER.match(candidate):
        raise FieldError(f"is not a number: '{shown}'")
    try:
        return Decimal(candidate)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above guards this
        raise FieldError(f"is not a number: '{shown}'") from exc


def parse_int(
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    number = parse_decimal(
        value, places=0, minimum=minimum, maximum=maximum, max_digits=12,
        required=required, default=None if default is None else Decimal(default),
    )
    return None if number is None else int(number)


_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{2})$"), ("d", "m", "yy")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
)


def parse_date(value: Any, *, required: bool = True, default: dt.date | None = None) -> dt.date | None:
    """A date typed as "2026-11-23", "23-11-2026", "23.11.2026", "23/11/2026" or "20261123".

    Day-first is the only reading of ``dd-mm-yyyy`` (as in the Netherlands, Belgium,
    France and Spain).  "today" is understood too.
    """
    if _is_blank(value):
        if default is not None or not required:
            return default
        raise FieldError("is required")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text.lower() in ("today", "vandaag", "aujourd'hui", "hoy"):
        return dt.date.today()
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        year = parts.get("y", 2000 + parts.get("yy", 0))
        try:
            return dt.date(year, parts["m"], parts["d"])
        except ValueError as exc:
            raise FieldError(f"is not a real date: '{text}' ({exc})") from exc
    raise FieldError(f"is not a date: '{text}' (type it as 2026-11-23 or 23-11-2026)")


def parse_datetime_utc(value: Any, *, default: dt.datetime | None = None) -> dt.datetime | None:
    """A moment typed in local time ("2026-11-23 14:30", "23-11-2026 9:05"), as naive UTC.

    A naive :class:`datetime` object is taken to be UTC already (as stored); an aware one
    is converted.  A date alone means midnight local time.
    """
    if _is_blank(value):
        return default
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        local = dt.datetime(value.year, value.month, value.day).astimezone()
        return local.astimezone(dt.UTC).replace(tzinfo=None)
    text = str(value).strip()
    match = re.match(r"^(.*?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", text)
    if match:
        day = parse_date(match.group(1))
        hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
        try:
            local = dt.datetime(day.year, day.month, day.day, hour, minute, second).astimezone()
        except ValueError as exc:
            raise FieldError(f"is not a real time: '{text}' ({exc})") from exc
        return local.astimezone(dt.UTC).replace(tzinfo=None)
    try:
        day = parse_date(text)
    except FieldError as exc:
        raise FieldError(
            f"is not a date and time: '{text}' (type it as 2026-11-23 14:30 or 23-11-2026 14:30)"
        ) from exc
    return parse_datetime_utc(day)


# --------------------------------------------------------------------------- forms

_TRUE = {"1", "y", "yes", "true", "on", "x", "ja", "j", "oui", "si", "sí"}
_FALSE = {"0", "n", "no", "false", "off", "nee", "non", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int):
        return value != 0
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(f"must be yes or no, not '{str(value).strip()}'")


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
        self.error(name, f"{self.label(name)} {exc}.")

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
        if all(_is_blank(v) for v in values.values()):
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
                    f"Delivered ({_show(delivered)}) cannot be more than ordered ({_show(quantity)}).",
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
        text = f"{number}. {_show(line.quantity)} × {what} à {_show(line.unit_price)}"
        if line.discount_percent:
            text += f" −{_show(line.discount_percent)}%"
        text += f" VAT {_show(line.vat_rate)}% = {line.net}"
        delivered = get("delivered_quantity", None)
        if delivered is not None:
            text += f" (delivered {_show(Decimal(delivered))})"
        out.append(text)
    return "\n".join(out)
