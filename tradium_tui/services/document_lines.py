"""The lines of quotes and orders as typed in a grid: cleaned, checked, and described.

:func:`clean_lines` parses each line with a :class:`~tradium_tui.services.forms.Form`
(errors keyed per line), :func:`describe_lines` writes lines as text for the audit trail.
Their amounts are computed by :mod:`~tradium_tui.services.money`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.forms import Form
from tradium_tui.services.money import ZERO, as_line, compute_totals
from tradium_tui.services.values import is_blank, plain_number
from tradium_tui.services.vat import standard_rate

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
        default_vat_rate = standard_rate()
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
            form.error("quantity", _("Quantity must be more than 0."))
        if not article and not description and "article" not in form.errors:
            form.error("description", _("Give an article or a description."))
        if with_delivery:
            delivered = form.decimal("delivered_quantity", places=3, minimum=0, default=ZERO)
            form.decimal("cost_price", places=4, minimum=0, default=ZERO)
            if delivered is not None and quantity is not None and delivered > quantity:
                form.error(
                    "delivered_quantity",
                    _("Delivered ({delivered}) cannot be more than ordered ({quantity}).").format(delivered=plain_number(delivered), quantity=plain_number(quantity)),
                )
            elif delivered is not None and quantity is not None:
                form.set("backorder_quantity", quantity - delivered)
        for name, message in form.errors.items():
            errors[f"lines.{index}.{name}"] = _("Line {value}: {message}").format(value=index + 1, message=message)
        if not form.errors:
            row = form.finish()
            row["position"] = len(cleaned) + 1
            if abs(row["quantity"] * row["unit_price"]) >= MAX_TOTAL:
                errors[f"lines.{index}.quantity"] = _("Line {value}: the amount is too large.").format(value=index + 1)
                continue
            cleaned.append(row)
    if not errors and abs(compute_totals(cleaned).incl) >= MAX_TOTAL:
        errors["lines"] = _("The total of the lines is too large.")
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
        line = as_line(raw)
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
