"""Orders: a header with lines holding ordered, delivered and backorder quantities.

Per line, backorder = ordered − delivered (never negative: delivered may not exceed
ordered).  The order's status follows the lines — ``open`` (nothing delivered),
``partly_delivered``, ``delivered`` (everything) — unless it is ``cancelled``, which is
the only status set by hand (and undone by setting it back to what the lines say).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.models import ORDER_STATUSES, Order, OrderLine, Quote, User
from tradium_tui.models.sales import ORDER_SOURCES
from tradium_tui.services import numbering, pricing, records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.lined_documents import LinedDocument
from tradium_tui.services.money import (
    ORDER_LINE_FIELDS,
    ZERO,
    Form,
    as_money,
    clean_lines,
    compute_totals,
    customer_for_write,
)

TAB = "orders"
NUMBER_PREFIX = "O"
FIELDS = (
    "order_date", "status", "source", "external_ref", "reference", "remarks",
    "delivery_address", "invoice_address",
)
LABELS = {
    "order_date": "Order date",
    "status": "Status",
    "source": "Source",
    "external_ref": "External reference",
    "reference": "Reference",
    "remarks": "Remarks",
    "delivery_address": "Delivery address",
    "invoice_address": "Invoice address",
}
STATUS_LABELS = {
    "open": "open",
    "partly_delivered": "partly delivered",
    "delivered": "delivered",
    "cancelled": "cancelled",
}


def derive_status(lines: list[Any]) -> str:
    """What the delivered quantities say: open, partly_delivered or delivered."""
    def get(line: Any, name: str) -> Decimal:
        value = line.get(name) if isinstance(line, dict) else getattr(line, name)
        return Decimal(value or 0)

    if not lines:
        return "open"
    if all(get(line, "delivered_quantity") >= get(line, "quantity") for line in lines):
        return "delivered"
    if any(get(line, "delivered_quantity") > 0 for line in lines):
        return "partly_delivered"
    return "open"


def _validate(values: dict[str, Any], stored: Order | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    internal = {k: values.pop(k) for k in ("user", "quote") if k in values} if stored is None else {}
    form = Form(values, stored, FIELDS, LABELS, "an order")
    if stored is None:
        customer_for_write(customer_id)
        form.set("customer", customer_id)
        for name, value in internal.items():
            form.set(name, value)
    order_date = form.date("order_date", default=dt.date.today(), required=True)
    form.choice("source", ORDER_SOURCES, default="manual")
    form.text("external_ref", max_length=80)
    form.text("reference", max_length=80)
    form.text("remarks")
    form.text("delivery_address")
    form.text("invoice_address")
    status = form.choice("status", ORDER_STATUSES, default="open")
    if status is not None:
        if stored is None:
            if status != "open":
                form.error("status", "A new order starts as open.")
        elif status != stored.status:
            derived = derive_status(_lines(stored.id))
            if status == "cancelled":
                if stored.status == "delivered":
                    form.error("status", "A delivered order cannot be cancelled.")
            elif status != derived:
                form.error(
                    "status",
                    f"The status follows the delivered quantities: this order is "
                    f"{STATUS_LABELS[derived]}; record deliveries on its lines instead.",
                )
    if stored is None and not form.errors:
        form.set("number", numbering.next_document_number("order", NUMBER_PREFIX, order_date.year))
    return form.finish()


def _validate_lines_result(values: dict[str, Any], stored: Order | None) -> dict[str, Any]:
    """For :func:`set_order_lines`: only computed totals and status are written."""
    names = ("total_excl", "total_vat", "total_incl", "status")
    return {k: v for k, v in values.items() if k in names}


SPEC = records.RecordSpec(model=Order, tab=TAB, label="order", validate=_validate)
_LINES_SPEC = records.RecordSpec(model=Order, tab=TAB, label="order", validate=_validate_lines_result)
DOCUMENT = LinedDocument(
    tab=TAB, noun="order", header=Order, line=OrderLine, link="order", spec=SPEC,
    lines_spec=_LINES_SPEC, line_columns=ORDER_LINE_FIELDS + ("backorder_quantity", "position"),
)


@dataclass(frozen=True)
class OrderRow:
    id: int
    version: int
    customer_id: int
    number: str
    order_date: dt.date
    status: str
    source: str
    reference: str
    external_ref: str
    total_excl: Decimal
    total_vat: Decimal
    total_incl: Decimal
    backorder_lines: int  # lines with something still to deliver
    quote_number: str
    username: str


# --------------------------------------------------------------------------- reading


def list_orders(actor: Actor, customer_id: int) -> list[OrderRow]:
    """The customer's orders, newest first."""
    actor.require(TAB, "view")
    backorders = (
        OrderLine.select(peewee.fn.COUNT(OrderLine.id))
        .where((OrderLine.order == Order.id) & (OrderLine.backorder_quantity > 0))
    )
    query = (
        Order.select(
            Order.id, Order.version, Order.number, Order.order_date, Order.status, Order.source,
            Order.reference, Order.external_ref, Order.total_excl, Order.total_vat,
            Order.total_incl, backorders, Quote.number, User.username,
        )
        .join(User, peewee.JOIN.LEFT_OUTER, on=(Order.user == User.id))
        .switch(Order)
        .join(Quote, peewee.JOIN.LEFT_OUTER, on=(Order.quote == Quote.id))
        .where(Order.customer == customer_id)
        .order_by(Order.order_date.desc(), Order.id.desc())
        .tuples()
    )
    return [
        OrderRow(
            id=key, version=version, customer_id=customer_id, number=number,
            order_date=order_date, status=status, source=source, reference=reference,
            external_ref=external_ref, total_excl=as_money(excl), total_vat=as_money(vat),
            total_incl=as_money(incl), backorder_lines=int(open_lines or 0),
            quote_number=quote_number or "", username=username or "",
        )
        for (key, version, number, order_date, status, source, reference, external_ref, excl, vat,
             incl, open_lines, quote_number, username) in query
    ]


def get_order(actor: Actor, order_id: int) -> Order:
    return DOCUMENT.get(actor, order_id)


def order_lines(actor: Actor, order_id: int) -> list[OrderLine]:
    actor.require(TAB, "view")
    return _lines(order_id)


def _lines(order_id: int) -> list[OrderLine]:
    return DOCUMENT.lines(order_id)


# --------------------------------------------------------------------------- writing


def create_order(
    actor: Actor,
    customer_id: int,
    values: dict[str, Any],
    lines: list[dict[str, Any]] | None = None,
    *,
    source: str | None = None,
    quote_id: int | None = None,
) -> Order:
    """A new open order numbered ``O<year>-000001``; ``lines`` optional (see set_order_lines)."""
    actor.require(TAB, "edit")
    cleaned_lines = clean_lines(
        pricing.price_lines(customer_id, lines, with_cost=True), with_delivery=True
    ) if lines else []
    data = {k: v for k, v in values.items() if k not in ("user", "customer", "number", "quote")}
    if source is not None:
        data["source"] = source
    data["customer"] = customer_id
    data["user"] = getattr(actor.user, "id", None)
    data["quote"] = quote_id
    with write_transaction():
        order = records.create(actor, SPEC, data)
        if cleaned_lines:
            order = _replace_lines(actor, order, cleaned_lines, order.version)
    return order


def update_order(actor: Actor, order_id: int, values: dict[str, Any], expected_version: int) -> Order:
    """Change the header; ``status`` may only be set to cancelled (or back to what the lines say)."""
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k not in ("user", "customer", "quote")}
    if "number" in data:
        raise ValidationError({"number": "The order number cannot be changed."})
    return records.update(actor, SPEC, order_id, data, expected_version)


def cancel_order(actor: Actor, order_id: int, expected_version: int) -> Order:
    return records.update(actor, SPEC, order_id, {"status": "cancelled"}, expected_version)


def reopen_order(actor: Actor, order_id: int, expected_version: int) -> Order:
    """Undo a cancellation: the status becomes what the delivered quantities say."""
    actor.require(TAB, "edit")
    get_order(actor, order_id)  # NotFound when it is gone
    status = derive_status(_lines(order_id))
    return records.update(actor, SPEC, order_id, {"status": status}, expected_version)


def set_order_lines(
    actor: Actor, order_id: int, lines: list[dict[str, Any]], expected_version: int
) -> Order:
    """Replace all lines (article, description, quantity, delivered_quantity, unit_price,
    cost_price, discount_percent, vat_rate); backorders, totals and status follow.

    Errors are keyed ``lines.<index>.<field>``.  A cancelled order must be reopened first.
    """
    actor.require(TAB, "edit")
    order = DOCUMENT.get_or_fail(order_id)
    cleaned = clean_lines(
        pricing.price_lines(order.customer_id, lines, order.order_date, with_cost=True),
        with_delivery=True,
    )
    with write_transaction():
        return _replace_lines(actor, DOCUMENT.get_or_fail(order_id), cleaned, expected_version)


def deliver_all(actor: Actor, order_id: int, expected_version: int) -> Order:
    """Record every line as fully delivered."""
    actor.require(TAB, "edit")
    lines = [
        {**{name: getattr(line, name) for name in ORDER_LINE_FIELDS}, "delivered_quantity": line.quantity}
        for line in _lines(order_id)
    ]
    return set_order_lines(actor, order_id, lines, expected_version)


def _replace_lines(actor: Actor, order: Order, cleaned: list[dict[str, Any]], expected: int) -> Order:
    if order.status == "cancelled":
        raise ValidationError({"lines": "The order is cancelled; reopen it before changing its lines."})
    fields = compute_totals(cleaned).as_fields()
    fields["status"] = derive_status(cleaned)  # what the delivered quantities say
    return DOCUMENT.replace_lines(actor, order, cleaned, expected, fields)


def delete_order(actor: Actor, order_id: int, expected_version: int) -> None:
    """Delete the order with its lines (the lines are kept in the audit trail)."""
    DOCUMENT.delete(actor, order_id, expected_version)


def backorder_total(order_id: int) -> Decimal:
    """The quantity still to deliver over all lines of the order."""
    value = (
        OrderLine.select(peewee.fn.SUM(OrderLine.backorder_quantity))
        .where(OrderLine.order == order_id)
        .scalar()
    )
    return Decimal(str(value)) if value is not None else ZERO
