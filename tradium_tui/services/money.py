"""Money arithmetic: rounding to cents, line amounts, document totals and VAT per rate.

Amounts are :class:`~decimal.Decimal`, never float.  A line's net amount is rounded
half-up to cents; VAT is computed per rate over the summed net amounts of that rate
and rounded half-up to cents; the total including VAT is the sum of both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")
ZERO_CENTS = Decimal("0.00")  # an amount of nothing, as stored


# --------------------------------------------------------------------------- rounding


def round_money(value: Decimal) -> Decimal:
    """Round to cents, halves away from zero (0.005 → 0.01, −0.005 → −0.01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_money(value: Any) -> Decimal:
    """A stored amount (Decimal, or a float some backends hand back for sums) as cents."""
    if value is None:
        return ZERO_CENTS
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
    vat_rate: Decimal = field(kw_only=True)

    @property
    def gross(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def net(self) -> Decimal:
        """quantity × price × (1 − discount/100), rounded to cents."""
        return line_net(self.quantity, self.unit_price, self.discount_percent)


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
        line = as_line(raw)
        rate = Decimal(line.vat_rate).normalize()
        bases[rate] = bases.get(rate, ZERO) + line.net
    buckets = tuple(
        VatBucket(rate=rate, base=round_money(base), vat=round_money(base * rate / HUNDRED))
        for rate, base in sorted(bases.items())
    )
    excl = round_money(sum((b.base for b in buckets), ZERO))
    vat = round_money(sum((b.vat for b in buckets), ZERO))
    return Totals(excl=excl, vat=vat, incl=excl + vat, by_rate=buckets)


def as_line(raw: Any) -> Line:
    """A :class:`Line` of a mapping or a model row (missing numbers are 0)."""
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
