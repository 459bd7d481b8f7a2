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
from tradium_tui.i18n import _
from tradium_tui.models import ORDER_STATUSES, Order, OrderLine, Quote, User
from tradium_tui.models.sales import ORDER_SOURCES
from tradium_tui.services import audit, numbering, pricing, records
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import ORDER_LINE_FIELDS, clean_lines
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.lined_documents import LinedDocument
from tradium_tui.services.money import ZERO, as_money, compute_totals, line_net, vat_of

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
                form.error("status", _("A new order starts as open."))
        elif status != stored.status:
            derived = derive_status(_lines(stored.id))
            if status == "cancelled":
                if stored.status == "delivered":
                    form.error("status", _("A delivered order cannot be cancelled."))
            elif status != derived:
                form.error(
                    "status",
                    _("The status follows the delivered quantities: this order is {STATUS_LABELS}; record deliveries on its lines instead.").format(STATUS_LABELS=_(STATUS_LABELS[derived])),
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
    lines_spec=_LINES_SPEC,
    line_columns=ORDER_LINE_FIELDS + ("backorder_quantity", "position", "invoiced_quantity"),
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
    override_credit_limit: bool = False,
    check_credit: bool = True,
) -> Order:
    """A new open order numbered ``O<year>-000001``; ``lines`` optional (see set_order_lines).

    Without remarks the order gets the customer's default order remarks.  ``check_credit``
    off: the order is stored whatever the credit limit (an order the customer placed in
    the webshop, an accepted quote); :func:`credit_check` tells the caller the figures.
    """
    actor.require(TAB, "edit")
    cleaned_lines = clean_lines(
        pricing.price_lines(customer_id, lines, with_cost=True), with_delivery=True
    ) if lines else []
    data = {k: v for k, v in values.items() if k not in ("user", "customer", "number", "quote")}
    if not str(data.get("remarks") or "").strip():
        customer = customer_for_write(customer_id)
        if customer.order_remarks:
            data["remarks"] = customer.order_remarks
    if source is not None:
        data["source"] = source
    data["customer"] = customer_id
    data["user"] = getattr(actor.user, "id", None)
    data["quote"] = quote_id
    with write_transaction():
        order = records.create(actor, SPEC, data)
        if cleaned_lines:
            order = _replace_lines(actor, order, cleaned_lines, order.version,
                                   override_credit_limit=override_credit_limit,
                                   check_credit=check_credit)
    return order


def update_order(actor: Actor, order_id: int, values: dict[str, Any], expected_version: int) -> Order:
    """Change the header; ``status`` may only be set to cancelled (or back to what the lines say)."""
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k not in ("user", "customer", "quote")}
    if "number" in data:
        raise ValidationError({"number": _("The order number cannot be changed.")})
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
    actor: Actor, order_id: int, lines: list[dict[str, Any]], expected_version: int,
    *, override_credit_limit: bool = False,
) -> Order:
    """Replace all lines (article, description, quantity, delivered_quantity, unit_price,
    cost_price, discount_percent, vat_rate); backorders, totals and status follow.

    Errors are keyed ``lines.<index>.<field>``.  A cancelled order must be reopened first.
    A line invoices cover keeps its place, article, description, price, discount and VAT
    rate, and no less than the invoiced quantity.  Lines that take the customer over the
    credit limit raise :class:`CreditLimitExceeded` unless ``override_credit_limit`` (a
    role with the base-edit right only; the override is in the audit trail).
    """
    actor.require(TAB, "edit")
    order = DOCUMENT.get_or_fail(order_id)
    cleaned = clean_lines(
        pricing.price_lines(order.customer_id, lines, order.order_date, with_cost=True),
        with_delivery=True,
    )
    with write_transaction():
        return _replace_lines(actor, DOCUMENT.get_or_fail(order_id), cleaned, expected_version,
                              override_credit_limit=override_credit_limit)


def deliver_all(actor: Actor, order_id: int, expected_version: int) -> Order:
    """Record every line as fully delivered."""
    actor.require(TAB, "edit")
    lines = [
        {**{name: getattr(line, name) for name in ORDER_LINE_FIELDS}, "delivered_quantity": line.quantity}
        for line in _lines(order_id)
    ]
    return set_order_lines(actor, order_id, lines, expected_version)


def _replace_lines(actor: Actor, order: Order, cleaned: list[dict[str, Any]], expected: int,
                   *, override_credit_limit: bool = False, check_credit: bool = True) -> Order:
    if order.status == "cancelled":
        raise ValidationError({"lines": _("The order is cancelled; reopen it before changing its lines.")})
    stored = _lines(order.id)
    _keep_invoiced(order, stored, cleaned)
    fields = compute_totals(cleaned).as_fields()
    fields["status"] = derive_status(cleaned)  # what the delivered quantities say
    extra: dict[str, Any] = {}
    if check_credit:
        check = credit_check(order.customer_id, order.id, cleaned, stored)
        if check is not None:
            if not override_credit_limit:
                raise CreditLimitExceeded(check, may_override=actor.role.can_edit_base)
            if not actor.role.can_edit_base:
                raise CreditLimitExceeded(check, may_override=False)
            extra = {"credit_limit_override": ("", check.describe())}
    updated = DOCUMENT.replace_lines(actor, order, cleaned, expected, fields)
    if extra:
        audit.record(actor.username, SPEC.table, order.id, "override",
                     {"credit_limit_override": extra["credit_limit_override"]},
                     customer_id=order.customer_id, version=updated.version)
    return updated


INVOICED_KEEP = ("article", "description", "unit_price", "discount_percent", "vat_rate")


def _keep_invoiced(order: Order, stored: list[OrderLine], cleaned: list[dict[str, Any]]) -> None:
    """Carry each line's invoiced quantity over (by position); refuse changing what is invoiced."""
    errors: dict[str, str] = {}
    for index, line in enumerate(stored):
        invoiced = Decimal(line.invoiced_quantity or 0)
        new = cleaned[index] if index < len(cleaned) else None
        if new is not None:
            new["invoiced_quantity"] = invoiced
        if invoiced <= 0:
            continue
        values = {"line": index + 1, "article": line.article or line.description,
                  "quantity": format(invoiced.normalize(), "f")}
        if new is None:
            errors[f"lines.{min(index, max(len(cleaned) - 1, 0))}.description"] = (
                _("Line {line} ({article}) is invoiced; it cannot be removed (credit the invoice "
                  "first).").format(**values))
        elif any(_differs(getattr(line, name), new.get(name)) for name in INVOICED_KEEP):
            errors[f"lines.{index}.description"] = (
                _("Line {line} ({article}) is invoiced; its article, description, price, "
                  "discount and VAT stay as invoiced (credit the invoice first).").format(**values))
        elif Decimal(new["quantity"]) < invoiced:
            errors[f"lines.{index}.quantity"] = (
                _("Line {line} ({article}) is invoiced for {quantity}; the quantity cannot be "
                  "less.").format(**values))
    if errors:
        raise ValidationError(errors)


def _differs(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(new, Decimal):
        return Decimal(str(stored or 0)) != Decimal(str(new or 0))
    return (stored or "") != (new or "")


def delete_order(actor: Actor, order_id: int, expected_version: int) -> None:
    """Delete the order with its lines (the lines are kept in the audit trail).

    An order an invoice was made from is never deleted (cancel it instead)."""
    from tradium_tui.services.invoices import covering_invoices, order_has_invoices

    actor.require(TAB, "edit")
    with write_transaction():
        order = DOCUMENT.get_or_fail(order_id)
        if order_has_invoices(order_id):
            covering = covering_invoices(order_id)
            raise ValidationError({"order": (
                f"Order {order.number} is invoiced"
                + (f" ({', '.join(covering)})" if covering else "")
                + "; an invoiced order cannot be deleted.")})
        DOCUMENT.delete(actor, order_id, expected_version)


def split_backorder(actor: Actor, order: Order) -> Order | None:
    """Move what is still to deliver on ``order`` to a new order (same customer, prices,
    reference; "Backorder of …" in its remarks); the order keeps what was delivered.

    Returns the new order, or ``None`` when nothing is left to deliver.  Call inside a
    write transaction.
    """
    actor.require(TAB, "edit")
    lines = _lines(order.id)
    def covered(line: OrderLine) -> Decimal:  # delivered or invoiced stays on the order
        return max(Decimal(line.delivered_quantity), Decimal(line.invoiced_quantity))

    rest = [line for line in lines if Decimal(line.quantity) > covered(line)]
    if not rest or order.status == "cancelled":
        return None
    kept = []
    moved = []
    renumbered: dict[int, int] = {}  # old position → new, for the lines invoices refer to
    for line in lines:
        values = {name: getattr(line, name) for name in ORDER_LINE_FIELDS}
        values["invoiced_quantity"] = line.invoiced_quantity
        delivered, quantity, keep = (Decimal(line.delivered_quantity), Decimal(line.quantity),
                                     covered(line))
        if quantity > keep:
            moved.append({**values, "quantity": quantity - keep, "delivered_quantity": ZERO,
                          "backorder_quantity": quantity - keep, "invoiced_quantity": ZERO,
                          "position": len(moved) + 1})
        if keep > 0:
            kept.append({**values, "quantity": keep, "backorder_quantity": keep - delivered,
                         "position": len(kept) + 1})
            renumbered[line.position] = len(kept)
    remarks = f"Backorder of {order.number}." + (f"\n{order.remarks}" if order.remarks else "")
    backorder = records.create(actor, SPEC, {
        "customer": order.customer_id, "order_date": dt.date.today(), "source": order.source,
        "reference": order.reference, "external_ref": order.external_ref, "remarks": remarks,
        "delivery_address": order.delivery_address, "invoice_address": order.invoice_address,
        "user": getattr(actor.user, "id", None), "quote": order.quote_id,
    })
    # The lines only move: the customer's credit use does not grow.
    backorder = _replace_lines(actor, backorder, moved, backorder.version, check_credit=False)
    fields = compute_totals(kept).as_fields()
    fields["status"] = derive_status(kept)
    DOCUMENT.replace_lines(actor, order, kept, order.version, fields)
    from tradium_tui.models import Invoice, InvoiceLine

    of_order = Invoice.select(Invoice.id).where(Invoice.order == order.id)
    for line in list(InvoiceLine.select().where(InvoiceLine.invoice.in_(of_order)
                                                & InvoiceLine.order_position.is_null(False))):
        if renumbered.get(line.order_position, line.order_position) != line.order_position:
            InvoiceLine.update(order_position=renumbered[line.order_position]).where(
                InvoiceLine.id == line.id).execute()
    audit.record(actor.username, SPEC.table, order.id, "split",
                 {"backorder": ("", backorder.number)}, customer_id=order.customer_id,
                 version=order.version + 1)
    return backorder


# --------------------------------------------------------------------------- credit limit


@dataclass(frozen=True)
class CreditCheck:
    """The customer's credit use if the order is saved, against the credit limit (incl. VAT)."""

    limit: Decimal
    open_invoices: Decimal
    open_orders: Decimal  # not invoiced, not on backorder, of the other orders
    backorders: Decimal  # still to deliver on the other orders
    this_order: Decimal  # what this order adds (not invoiced yet)

    @property
    def total(self) -> Decimal:
        return self.open_invoices + self.open_orders + self.backorders + self.this_order

    @property
    def over(self) -> Decimal:
        return self.total - self.limit

    def describe(self) -> str:
        return (f"open invoices {self.open_invoices:.2f} + open orders {self.open_orders:.2f} + "
                f"backorders {self.backorders:.2f} + this order {self.this_order:.2f} = "
                f"{self.total:.2f}, over the credit limit {self.limit:.2f} by {self.over:.2f}")


class CreditLimitExceeded(ValidationError):
    """The order would take the customer over the credit limit; ``check`` has the figures."""

    def __init__(self, check: CreditCheck, may_override: bool):
        self.check = check
        self.may_override = may_override
        text = f"Credit limit exceeded: {check.describe()}."
        if not may_override:
            text += " Only a role that may change the customer's base data can save it."
        super().__init__({"lines": text})


def _uninvoiced(line: Any, status: str) -> tuple[Decimal, Decimal]:
    """(open part, backorder part) of a line's value incl. VAT that is not invoiced yet."""
    get = line.get if isinstance(line, dict) else lambda name, d=None: getattr(line, name, d)
    quantity = Decimal(get("quantity") or 0)
    rest = max(quantity - Decimal(get("invoiced_quantity") or 0), ZERO)
    if rest == 0 or quantity == 0:
        return ZERO, ZERO
    back = min(Decimal(get("backorder_quantity") or 0), rest) if status == "partly_delivered" else ZERO
    net = line_net(rest, Decimal(get("unit_price") or 0), Decimal(get("discount_percent") or 0))
    incl = net + vat_of(net, Decimal(get("vat_rate") or 0))
    back_part = as_money(incl * back / rest) if back else ZERO
    return incl - back_part, back_part


def credit_use(customer_id: int, except_order: int | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """(open invoices, open orders, backorders) of the customer, incl. VAT."""
    from tradium_tui.services.invoices import open_balance

    open_orders = backorders = ZERO
    query = (
        OrderLine.select(OrderLine.quantity, OrderLine.invoiced_quantity,
                         OrderLine.backorder_quantity, OrderLine.unit_price,
                         OrderLine.discount_percent, OrderLine.vat_rate, Order.status)
        .join(Order, on=(OrderLine.order == Order.id))
        .where((Order.customer == customer_id) & (Order.status != "cancelled"))
    )
    if except_order is not None:
        query = query.where(Order.id != except_order)
    for quantity, invoiced, back, price, discount, rate, status in query.tuples():
        line = {"quantity": quantity, "invoiced_quantity": invoiced, "backorder_quantity": back,
                "unit_price": price, "discount_percent": discount, "vat_rate": rate}
        part, back_part = _uninvoiced(line, status)
        open_orders += part
        backorders += back_part
    return open_balance(customer_id), open_orders, backorders


def credit_check(customer_id: int, order_id: int | None, lines: list[dict[str, Any]],
                 stored: list[Any] | None = None) -> CreditCheck | None:
    """The figures when ``lines`` (the order's new lines) take the customer over the
    credit limit and add to what the order held; ``None`` when they do not (or no limit)."""
    from tradium_tui.models import Customer

    limit = Customer.select(Customer.credit_limit).where(Customer.id == customer_id).scalar()
    limit = as_money(limit) if limit is not None else ZERO
    if limit <= 0:
        return None
    status = derive_status(lines)
    adds = sum((sum(_uninvoiced(line, status)) for line in lines), ZERO)
    before = sum((sum(_uninvoiced(line, derive_status(stored))) for line in stored or []), ZERO)
    if adds <= before:
        return None
    invoices_open, orders_open, backorders = credit_use(customer_id, order_id)
    check = CreditCheck(limit=limit, open_invoices=invoices_open, open_orders=orders_open,
                        backorders=backorders, this_order=as_money(adds))
    return check if check.total > limit else None


def backorder_total(order_id: int) -> Decimal:
    """The quantity still to deliver over all lines of the order."""
    value = (
        OrderLine.select(peewee.fn.SUM(OrderLine.backorder_quantity))
        .where(OrderLine.order == order_id)
        .scalar()
    )
    return Decimal(str(value)) if value is not None else ZERO
