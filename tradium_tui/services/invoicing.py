"""Invoicing an order: all of it, or what was delivered.

Each order line counts what invoices cover, so the same quantities are never invoiced
twice; an invoice that no longer counts (cancelled, credited) gives its quantities back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tradium_tui.db import is_postgres, write_transaction
from tradium_tui.i18n import _, ngettext
from tradium_tui.models import (
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    utcnow,
)
from tradium_tui.services import audit, records
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import describe_lines
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.forms import customer_for_write
from tradium_tui.services.invoice_rules import (
    SPEC,
    TAB,
    customer_snapshot,
    next_invoice_number,
    payment_status,
    payment_term_for,
)
from tradium_tui.services.invoice_vat import store_vat_rows
from tradium_tui.services.money import ZERO, ZERO_CENTS, compute_totals
from tradium_tui.services.values import FieldError, parse_date

LINE_COPY = ("article", "description", "unit_price", "discount_percent", "vat_rate")


def _order_lines(order_id: int) -> list[OrderLine]:
    return list(OrderLine.select().where(OrderLine.order == order_id)
                .order_by(OrderLine.position, OrderLine.id))


def covering_invoices(order_id: int) -> list[str]:
    """Numbers of the invoices that cover quantities of the order (not cancelled, not
    credited), oldest first."""
    credited = Invoice.select(Invoice.credited_invoice).where(Invoice.credited_invoice.is_null(False))
    query = (
        Invoice.select(Invoice.number)
        .where(
            (Invoice.order == order_id) & Invoice.credited_invoice.is_null()
            & (Invoice.status != "cancelled") & Invoice.id.not_in(credited)
        )
        .order_by(Invoice.invoice_date, Invoice.id)
        .tuples()
    )
    return [number for (number,) in query]


def order_has_invoices(order_id: int) -> bool:
    """Whether any invoice (also a cancelled or credited one) was made from the order."""
    return Invoice.select().where(Invoice.order == order_id).exists()


def _lock_order(order_id: int) -> Order:
    query = Order.select().where(Order.id == order_id)
    if is_postgres():
        query = query.for_update()
    order = query.first()
    if order is None:
        raise NotFound(_("The order #{order_id} no longer exists.").format(order_id=order_id))
    return order


def invoice_order(
    actor: Actor,
    order_id: int,
    *,
    delivered_only: bool = False,
    invoice_date: Any = None,
    expected_version: int | None = None,
) -> Invoice:
    """Invoice the order: what is not invoiced yet of every line, or (``delivered_only``)
    of what was delivered.  Quantities already invoiced are refused, naming the invoice
    that covers them.  For a customer with "split orders automatically", invoicing what
    was delivered of a partly delivered order first moves the backorder to a new order.
    """
    actor.require(TAB, "edit")
    try:
        day = parse_date(invoice_date, default=dt.date.today())
    except FieldError as exc:
        raise ValidationError({"invoice_date": exc.for_field(_("Invoice date"))}) from None
    with write_transaction():
        order = _lock_order(order_id)
        actor.require(TAB, "edit")
        if expected_version is not None and order.version != expected_version:
            from tradium_tui.services.orders import SPEC as ORDER_SPEC

            raise records.conflict(ORDER_SPEC, order, expected_version, {})
        if order.status == "cancelled":
            raise ValidationError({"order": _("Order {number} is cancelled; reopen it to invoice it.").format(number=order.number)})
        customer = customer_for_write(order.customer_id)
        lines = _order_lines(order.id)
        if not lines:
            raise ValidationError({"order": _("Order {number} has no lines to invoice.").format(number=order.number)})
        if delivered_only and customer.auto_split_orders and order.status == "partly_delivered":
            from tradium_tui.services.orders import split_backorder

            split_backorder(actor, order)
            order = Order.get_by_id(order.id)
            lines = _order_lines(order.id)
        todo: list[tuple[OrderLine, Decimal]] = []
        for line in lines:
            limit = Decimal(line.delivered_quantity if delivered_only else line.quantity)
            rest = limit - Decimal(line.invoiced_quantity)
            if rest > 0:
                todo.append((line, rest))
        if not todo:
            raise ValidationError({"order": _nothing_to_invoice(order, lines, delivered_only)})
        invoice_lines = [
            {**{name: getattr(line, name) for name in LINE_COPY}, "quantity": quantity,
             "order_position": line.position, "position": index}
            for index, (line, quantity) in enumerate(todo, start=1)
        ]
        totals = compute_totals(invoice_lines)
        if totals.excl == 0 and totals.vat == 0:
            raise ValidationError({"order": _("Order {number}: the lines to invoice add up to 0.00.").format(number=order.number)})
        term = payment_term_for(customer.id, day)
        now = utcnow()
        number = next_invoice_number(day.year)
        values = {
            "customer": customer.id, "number": number, "order": order.id, "invoice_date": day,
            "due_date": day + dt.timedelta(days=term), "payment_term_days": term,
            "amount_excl": totals.excl, "vat_amount": totals.vat, "amount_incl": totals.incl,
            "paid_amount": ZERO_CENTS, "status": payment_status(totals.incl, ZERO),
            **customer_snapshot(customer),
        }
        invoice = Invoice.create(**values, version=1, created_at=now, updated_at=now)
        store_lines(invoice, invoice_lines)
        store_vat_rows(invoice, totals.by_rate)
        audit.record(
            actor.username, SPEC.table, invoice.id, "create",
            {name: (None, value) for name, value in values.items() if value not in (None, "")}
            | {"lines": (None, describe_lines(invoice_lines))},
            customer_id=customer.id, version=1, at=now,
        )
        for line, quantity in todo:
            OrderLine.update(invoiced_quantity=OrderLine.invoiced_quantity + quantity).where(
                OrderLine.id == line.id).execute()
        _note_on_order(actor, order, lines, f"invoiced on {number}")
    return invoice


def _nothing_to_invoice(order: Order, lines: list[OrderLine], delivered_only: bool) -> str:
    covering = covering_invoices(order.id)
    by = ", ".join(covering)
    if delivered_only and not any(Decimal(line.delivered_quantity) > 0 for line in lines):
        return _("Nothing of order {number} has been delivered yet.").format(number=order.number)
    if delivered_only and covering:
        text = ngettext("Everything delivered on order {number} is invoiced already: {by} covers it.",
                        "Everything delivered on order {number} is invoiced already: {by} cover it.",
                        len(covering))
    elif delivered_only:
        text = _("Everything delivered on order {number} is invoiced already.")
    elif covering:
        text = ngettext("Order {number} is invoiced already: {by} covers it.",
                        "Order {number} is invoiced already: {by} cover it.", len(covering))
    else:
        text = _("Order {number} is invoiced already.")
    return text.format(number=order.number, by=by)


def store_lines(invoice: Invoice, lines: list[dict[str, Any]]) -> None:
    columns = set(InvoiceLine._meta.fields) - {"id", "invoice"}
    InvoiceLine.insert_many([
        {**{k: v for k, v in line.items() if k in columns}, "invoice": invoice.id} for line in lines
    ]).execute()


def _note_on_order(actor: Actor, order: Order, before: list[OrderLine], what: str) -> None:
    """The order's invoiced quantities changed: one audited version step on the order."""
    from tradium_tui.services.orders import _LINES_SPEC

    def invoiced(lines: list[OrderLine]) -> str:
        return "; ".join(f"{line.position}: {Decimal(line.invoiced_quantity).normalize():f}"
                         for line in lines)

    after = _order_lines(order.id)
    records.update(
        actor, _LINES_SPEC, order.id, {}, order.version,
        extra_changes={"invoiced": (invoiced(before), f"{invoiced(after)} ({what})")},
    )


def give_back(actor: Actor, invoice: Invoice, why: str) -> None:
    """The invoice no longer counts (cancelled, credited): its order quantities are free."""
    if invoice.order_id is None:
        return
    lines = list(InvoiceLine.select().where(
        (InvoiceLine.invoice == invoice.id) & InvoiceLine.order_position.is_null(False)))
    order = Order.get_or_none(Order.id == invoice.order_id)
    if not lines or order is None:
        return
    before = _order_lines(order.id)
    by_position = {line.position: line for line in before}
    for line in lines:
        target = by_position.get(line.order_position)
        if target is None:
            continue
        left = max(Decimal(target.invoiced_quantity) - abs(Decimal(line.quantity)), ZERO)
        OrderLine.update(invoiced_quantity=left).where(OrderLine.id == target.id).execute()
    _note_on_order(actor, order, before, f"{invoice.number} {why}")
