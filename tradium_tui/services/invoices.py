"""Invoices: amounts, due date, payments, the open amount and the customer's open balance.

An invoice keeps a snapshot of the customer as invoiced (number, name, address, VAT
number): deleting or renaming the customer later leaves the invoice as it was issued.
Its totals per VAT rate are stored with it (:class:`InvoiceVat`), written in the same
transaction as the invoice.

An invoice is made from an order (:func:`invoice_order`: all of it, or what was
delivered); each order line counts what invoices cover, so the same quantities are never
invoiced twice.  An invoice is never deleted: :func:`credit_invoice` makes a credit note
(the amounts negated, its own number in the same sequence, referring to the original),
which settles the original and gives its order quantities back.  Invoice numbers run
per year without gaps (:func:`numbering.next_yearly_number`).  A refund is a negative
payment on a credit note.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import is_postgres, write_transaction
from tradium_tui.db.bulk import bulk_insert, column_names
from tradium_tui.i18n import _, ngettext
from tradium_tui.models import (
    INVOICE_STATUSES,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceVat,
    Order,
    OrderLine,
    utcnow,
)
from tradium_tui.services import audit, numbering, records
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import describe_lines
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.money import ZERO, ZERO_CENTS, as_money, compute_totals, vat_of
from tradium_tui.services.values import FieldError, parse_date, parse_decimal

TAB = "invoices"
NUMBER_PREFIX = "F"
FIELDS = (
    "invoice_date", "due_date", "amount_excl", "vat_amount", "amount_incl", "vat_rate",
    "order", "status",
)
LABELS = {
    "invoice_date": "Invoice date",
    "due_date": "Due date",
    "amount_excl": "Amount excl. VAT",
    "vat_amount": "VAT",
    "amount_incl": "Amount incl. VAT",
    "vat_rate": "VAT %",
    "order": "Order",
    "status": "Status",
}
MONEY = {"places": 2, "max_digits": 14}


def payment_status(amount_incl: Decimal, paid: Decimal) -> str:
    """open (nothing paid), paid (nothing open) or partly_paid."""
    if paid == 0:
        return "open" if amount_incl != 0 else "paid"
    return "paid" if amount_incl - paid == 0 else "partly_paid"


def customer_snapshot(customer: Customer) -> dict[str, Any]:
    """What an invoice keeps of its customer: number, name, address lines, VAT number."""
    def address(prefix: str) -> list[str]:
        street = " ".join(
            p for p in (getattr(customer, f"{prefix}_street"), getattr(customer, f"{prefix}_house_number")) if p
        )
        town = "  ".join(
            p for p in (getattr(customer, f"{prefix}_postcode"), getattr(customer, f"{prefix}_city")) if p
        )
        country = getattr(customer, f"{prefix}_country")
        return [line for line in (street, town, country) if line]

    lines = address("postal") if customer.postal_street or customer.postal_city else address("visit")
    return {
        "customer_number": customer.number,
        "customer_name": customer.name,
        "customer_address": "\n".join(lines),
        "customer_vat_number": customer.vat_number or "",
    }


def _validate(values: dict[str, Any], stored: Invoice | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    form = Form(values, stored, FIELDS, LABELS, "an invoice")
    customer = None
    if stored is None:
        customer = customer_for_write(customer_id)
        form.set("customer", customer_id)
        form.cleaned.update(customer_snapshot(customer))
    order = _read_order(form, values, customer_id)
    invoice_date = form.date("invoice_date", default=dt.date.today(), required=True)

    default_due = None
    if stored is None and invoice_date is not None:
        term = payment_term_for(customer_id, invoice_date)
        form.set("payment_term_days", term)
        default_due = invoice_date + dt.timedelta(days=term)
    due_date = form.date("due_date", default=default_due, required=True)
    if invoice_date and due_date and due_date < invoice_date:
        form.error("due_date", _("The due date cannot be before the invoice date."))

    # Amounts: excl. required (or from the order); VAT given, or computed from the rate.
    amounts_given = any(form.given(n) for n in ("amount_excl", "vat_amount", "amount_incl", "vat_rate"))
    if stored is not None and amounts_given and stored.paid_amount != 0:
        for name in ("amount_excl", "vat_amount", "amount_incl"):
            if form.given(name):
                form.error(name, _("The amounts of an invoice with payments cannot be changed."))
    default_excl = order.total_excl if order is not None and stored is None else None
    excl = form.decimal("amount_excl", default=default_excl, **MONEY)
    if excl is not None and excl == 0 and "amount_excl" not in form.errors:
        form.error("amount_excl", _("Amount excl. VAT cannot be 0."))
    if excl is not None and excl < 0 and "amount_excl" not in form.errors:
        form.error("amount_excl", _("A credit note is made from the invoice it credits (Credit on the invoice), not typed as a negative amount."))
    rate = None
    if form.given("vat_rate"):
        rate = _parse_into(form, "vat_rate", lambda raw: parse_decimal(raw, minimum=0, maximum=100))
        form.cleaned.pop("vat_rate", None)
    if stored is None or amounts_given:
        if form.given("vat_amount"):
            vat = form.decimal("vat_amount", **MONEY)
        elif order is not None and stored is None and not form.given("amount_excl"):
            vat = order.total_vat
            form.set("vat_amount", vat)
        elif excl is not None and rate is None and stored is not None:
            # A new amount on an existing invoice keeps its VAT rate.
            ratio = stored.vat_amount / stored.amount_excl if stored.amount_excl else ZERO
            vat = as_money(excl * ratio)
            form.set("vat_amount", vat)
        elif excl is not None:
            default_rate = vat_rules.line_rate(customer) if customer is not None else \
                vat_rules.standard_rate()
            vat = vat_of(excl, rate if rate is not None else default_rate)
            form.set("vat_amount", vat)
        else:
            vat = None
        if excl is not None and vat is not None:
            if excl != 0 and vat != 0 and (vat > 0) != (excl > 0):
                form.error("vat_amount", _("VAT must have the same sign as the amount."))
            incl = excl + vat
            if form.given("amount_incl"):
                typed = _parse_into(form, "amount_incl", lambda raw: parse_decimal(raw, **MONEY))
                if typed is not None and typed != incl:
                    form.error(
                        "amount_incl",
                        _("Amount incl. VAT should be {incl} (amount {excl} + VAT {vat}), not {typed}.").format(incl=incl, excl=excl, vat=vat, typed=typed),
                    )
            form.set("amount_incl", incl)
            paid = stored.paid_amount if stored is not None else ZERO
            if stored is None or stored.status != "cancelled":
                form.set("status", payment_status(incl, paid))
    if form.given("status") and not (stored is None and values.get("status") in (None, "")):
        computed = form.cleaned.get("status")
        status = form.choice("status", INVOICE_STATUSES)
        if stored is None:
            if status is not None and status != computed:
                form.error("status", _("A new invoice's status follows its payments."))
                form.cleaned.pop("status", None)
        elif status is not None and status != stored.status:
            reopening = stored.status == "cancelled" and status == payment_status(
                stored.amount_incl, stored.paid_amount
            )
            if status == "cancelled":
                if stored.paid_amount != 0:
                    form.error("status", _("An invoice with payments cannot be cancelled; credit it instead."))
            elif not reopening:
                form.error("status", _("The status follows the payments; only 'cancelled' can be set."))
            if status == "cancelled" and "status" not in form.errors:
                _check_cancel(form, stored)
            elif reopening and InvoiceLine.select().where(
                (InvoiceLine.invoice == stored.id) & InvoiceLine.order_position.is_null(False)
            ).exists():
                form.error("status", _("A cancelled invoice of an order stays cancelled; invoice the order again instead."))
    if stored is not None and (stored.credited_invoice_id is not None or _credit_note_of(stored)):
        for name in ("amount_excl", "vat_amount", "amount_incl", "vat_rate"):
            if form.given(name):
                form.error(name, _("The amounts of a credited invoice or a credit note cannot be changed."))
    if stored is not None and amounts_given and _has_order_lines(stored.id):
        for name in ("amount_excl", "vat_amount", "amount_incl", "vat_rate"):
            if form.given(name):
                form.error(name, _("The amounts of an invoice of an order follow its lines; credit it and invoice the order again."))
    if stored is None and not form.errors:
        form.set("number", next_invoice_number(invoice_date.year))
    return form.finish()


def next_invoice_number(year: int) -> str:
    """``F<year>-000001`` …, gap-free per year; call inside the transaction that stores it."""
    return numbering.next_yearly_number("invoice", NUMBER_PREFIX, year, Invoice)


def payment_term_for(customer_id: int, day: dt.date) -> int:
    """Days to pay: the customer's payment-term condition valid on ``day``, else the default."""
    from tradium_tui.services.conditions import payment_term_days

    return payment_term_days(customer_id, day)


def _credit_note_of(invoice: Invoice) -> Invoice | None:
    return Invoice.get_or_none(Invoice.credited_invoice == invoice.id)


def _has_order_lines(invoice_id: int) -> bool:
    return InvoiceLine.select().where(
        (InvoiceLine.invoice == invoice_id) & InvoiceLine.order_position.is_null(False)
    ).exists()


def _check_cancel(form: Form, stored: Invoice) -> None:
    if stored.credited_invoice_id is not None:
        form.error("status", _("A credit note cannot be cancelled."))
    elif (note := _credit_note_of(stored)) is not None:
        form.error("status", _("The invoice is credited by {number}; it cannot be cancelled.").format(number=note.number))


def _parse_into(form: Form, name: str, parse) -> Any:
    try:
        return parse(form.values.get(name))
    except FieldError as exc:
        form.fail(name, exc)
        return None


def _read_order(form: Form, values: dict[str, Any], customer_id: Any) -> Order | None:
    if not form.given("order"):
        return None
    raw = values.get("order")
    if raw in (None, "", 0, "0"):
        form.set("order", None)
        return None
    if isinstance(raw, Order):
        order = raw
    else:
        text = str(raw).strip()
        order = Order.get_or_none(Order.number == text) if "\x00" not in text else None
        if order is None and text.isdigit() and len(text) < 10:
            order = Order.get_or_none(Order.id == int(text))
    if order is None or order.customer_id != customer_id:
        form.error("order", _("Order: there is no order '{text}' for this customer.").format(text=raw))
        return None
    form.set("order", order.id)
    return order


def _validate_payment(values: dict[str, Any], stored: Invoice | None) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in ("paid_amount", "paid_on", "status")}


SPEC = records.RecordSpec(model=Invoice, tab=TAB, label="invoice", validate=_validate)
_PAYMENT_SPEC = records.RecordSpec(model=Invoice, tab=TAB, label="invoice", validate=_validate_payment)


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    version: int
    customer_id: int
    number: str
    invoice_date: dt.date
    due_date: dt.date
    amount_excl: Decimal
    vat_amount: Decimal
    amount_incl: Decimal
    paid_amount: Decimal
    open_amount: Decimal  # amount_incl − paid
    paid_on: dt.date | None
    status: str
    overdue: bool  # due date passed with something still open
    days_overdue: int
    is_credit_note: bool
    order_number: str
    payment_term_days: int | None = None
    credited_number: str = ""  # a credit note: the invoice it credits
    credit_note_number: str = ""  # an invoice: the credit note that undid it




def open_amount(invoice: Any) -> Decimal:
    """amount incl. VAT − paid (0 for a cancelled invoice)."""
    if getattr(invoice, "status", None) == "cancelled":
        return ZERO_CENTS
    return as_money(invoice.amount_incl) - as_money(invoice.paid_amount)


def is_overdue(invoice: Any, today: dt.date | None = None) -> bool:
    """Due date before today and an amount still to be received."""
    day = today or dt.date.today()
    return invoice.due_date < day and open_amount(invoice) > 0


# --------------------------------------------------------------------------- reading


def list_invoices(actor: Actor, customer_id: int, today: dt.date | None = None) -> list[InvoiceRow]:
    """The customer's invoices, newest first (amounts in cents)."""
    actor.require(TAB, "view")
    day = today or dt.date.today()
    query = (
        Invoice.select(
            Invoice.id, Invoice.version, Invoice.number, Invoice.invoice_date, Invoice.due_date,
            Invoice.amount_excl, Invoice.vat_amount, Invoice.amount_incl, Invoice.paid_amount,
            Invoice.paid_on, Invoice.status, Order.number, Invoice.payment_term_days,
            Invoice.credited_invoice,
        )
        .join(Order, peewee.JOIN.LEFT_OUTER, on=(Invoice.order == Order.id))
        .where(Invoice.customer == customer_id)
        .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
        .tuples()
    )
    rows = []
    fetched = list(query)
    numbers = {row[0]: row[2] for row in fetched}
    credited_by = {row[-1]: row[2] for row in fetched if row[-1] is not None}
    for (key, version, number, invoice_date, due_date, excl, vat, incl, paid, paid_on, status,
         order_number, term, credited) in fetched:
        incl, paid = as_money(incl), as_money(paid)
        still_open = ZERO_CENTS if status == "cancelled" else incl - paid
        overdue = due_date < day and still_open > 0
        rows.append(
            InvoiceRow(
                id=key, version=version, customer_id=customer_id, number=number,
                invoice_date=invoice_date, due_date=due_date, amount_excl=as_money(excl),
                vat_amount=as_money(vat), amount_incl=incl, paid_amount=paid,
                open_amount=still_open, paid_on=paid_on, status=status, overdue=overdue,
                days_overdue=(day - due_date).days if overdue else 0,
                is_credit_note=credited is not None or incl < 0, order_number=order_number or "",
                payment_term_days=term,
                credited_number=numbers.get(credited, "") if credited is not None else "",
                credit_note_number=credited_by.get(key, ""),
            )
        )
    return rows


def get_invoice(actor: Actor, invoice_id: int) -> Invoice:
    actor.require(TAB, "view")
    invoice = Invoice.get_or_none(Invoice.id == invoice_id)
    if invoice is None:
        raise NotFound(_("The invoice #{invoice_id} no longer exists.").format(invoice_id=invoice_id))
    return invoice


def open_balance(customer_id: int) -> Decimal:
    """Sum of what is still open on the customer's invoices (credit notes count negative).

    Shown in the customer header whatever the user's tabs, so it takes no actor.
    """
    value = (
        Invoice.select(peewee.fn.SUM(Invoice.amount_incl - Invoice.paid_amount))
        .where((Invoice.customer == customer_id) & (Invoice.status != "cancelled"))
        .scalar()
    )
    return as_money(value)


def overdue_balance(customer_id: int, today: dt.date | None = None) -> Decimal:
    """What is still open on invoices past their due date."""
    day = today or dt.date.today()
    value = (
        Invoice.select(peewee.fn.SUM(Invoice.amount_incl - Invoice.paid_amount))
        .where(
            (Invoice.customer == customer_id)
            & (Invoice.status.in_(("open", "partly_paid")))
            & (Invoice.due_date < day)
            & (Invoice.amount_incl > 0)
        )
        .scalar()
    )
    return as_money(value)


# --------------------------------------------------------------------------- writing


def create_invoice(actor: Actor, customer_id: int, values: dict[str, Any]) -> Invoice:
    """A new invoice numbered ``F<year>-000001`` with the customer as it is now.

    ``values``: invoice_date (default today), due_date (default: + the customer's payment
    term), amount_excl (required unless ``order`` is given), vat_amount (or vat_rate,
    default: the customer's rate from services/vat.py), amount_incl (checked if typed),
    order (number or id; its totals are the default amounts).  Negative = credit note.
    """
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k not in ("customer", "credited_invoice")}
    data["customer"] = customer_id
    if data.get("order") not in (None, "", 0, "0"):
        return _invoice_given_order(actor, customer_id, data)
    with write_transaction():  # the number is taken inside: a failed save burns none
        invoice = records.create(actor, SPEC, data)
        _store_vat_rows(invoice, [_single_rate(invoice)])
    return invoice


def _invoice_given_order(actor: Actor, customer_id: int, data: dict[str, Any]) -> Invoice:
    """``create_invoice`` with an order: what is not invoiced yet of the order, from its
    lines (typed amounts would bypass the invoiced quantities, so they are refused)."""
    customer_for_write(customer_id)
    form = Form({"order": data["order"]}, None, ("order",), LABELS, "an invoice")
    order = _read_order(form, data, customer_id)
    typed = [n for n in ("amount_excl", "vat_amount", "amount_incl", "vat_rate", "due_date")
             if data.get(n) not in (None, "")]
    if typed:
        form.error("order", _("An invoice of an order takes its amounts from the order's lines; leave the amounts empty."))
    if order is None or form.errors:
        raise ValidationError(form.errors)
    return invoice_order(actor, order.id, invoice_date=data.get("invoice_date"))


def update_invoice(actor: Actor, invoice_id: int, values: dict[str, Any], expected_version: int) -> Invoice:
    """Change dates or (while nothing is paid) amounts; set status 'cancelled'.

    The customer snapshot, number and payments cannot be changed here.
    """
    actor.require(TAB, "edit")
    fixed = {"customer", "number", "paid_amount", "paid_on", "credited_invoice"} | {
        "customer_number", "customer_name", "customer_address", "customer_vat_number",
    }
    refused = {k: "This cannot be changed on an invoice." for k in values if k in fixed}
    if refused:
        raise ValidationError(refused)
    with write_transaction():
        before = Invoice.get_or_none(Invoice.id == invoice_id)
        updated = records.update(actor, SPEC, invoice_id, dict(values), expected_version)
        if before is not None and updated.version != before.version:
            if (updated.amount_excl, updated.vat_amount) != (before.amount_excl, before.vat_amount):
                InvoiceVat.delete().where(InvoiceVat.invoice == invoice_id).execute()
                _store_vat_rows(updated, [_single_rate(updated)])
            if updated.status == "cancelled" and before.status != "cancelled":
                _give_back(actor, updated, "cancelled")
    return updated


def cancel_invoice(actor: Actor, invoice_id: int, expected_version: int) -> Invoice:
    """Cancel an invoice nothing was paid on (left out of the accounting export); the
    quantities of its order can be invoiced again.  A credit note is the booked undo."""
    return update_invoice(actor, invoice_id, {"status": "cancelled"}, expected_version)


def register_payment(
    actor: Actor,
    invoice_id: int,
    amount: Any,
    paid_on: Any,
    expected_version: int,
) -> Invoice:
    """Add a payment (text or Decimal; negative for a refund on a credit note).

    ``paid_on`` may be empty (today).  The status becomes partly_paid or paid; more than
    the open amount is refused.
    """
    actor.require(TAB, "edit")
    errors: dict[str, str] = {}
    try:
        paid = parse_decimal(amount, **MONEY)
    except FieldError as exc:
        errors["amount"] = exc.for_field(_("Amount"))
        paid = None
    try:
        day = parse_date(paid_on, default=dt.date.today())
    except FieldError as exc:
        errors["paid_on"] = exc.for_field(_("Payment date"))
        day = None
    with write_transaction():
        invoice = Invoice.get_or_none(Invoice.id == invoice_id)
        if invoice is None:
            raise NotFound(_("The invoice #{invoice_id} no longer exists.").format(invoice_id=invoice_id))
        if paid is not None:
            still_open = open_amount(invoice)
            if invoice.status == "cancelled":
                errors["amount"] = _("The invoice is cancelled; no payment can be registered.")
            elif paid == 0:
                errors["amount"] = _("Amount cannot be 0.")
            elif still_open == 0:
                errors["amount"] = _("This invoice is paid already.")
            elif (paid > 0) != (still_open > 0):
                errors["amount"] = (
                    "Amount must be negative (a refund) for a credit note."
                    if still_open < 0 else "Amount must be positive."
                )
            elif abs(paid) > abs(still_open):
                errors["amount"] = _("Amount {paid} is more than the open amount {still_open}.").format(paid=paid, still_open=still_open)
        if day is not None and day < invoice.invoice_date:
            errors["paid_on"] = _("The payment date cannot be before the invoice date.")
        if errors:
            raise ValidationError(errors)
        total_paid = as_money(invoice.paid_amount) + paid
        return records.update(
            actor, _PAYMENT_SPEC, invoice_id,
            {
                "paid_amount": total_paid,
                "paid_on": day,
                "status": payment_status(as_money(invoice.amount_incl), total_paid),
            },
            expected_version,
            action="payment",
        )


def delete_invoice(actor: Actor, invoice_id: int, expected_version: int) -> None:
    """Invoices are never deleted: this always refuses, saying to credit it instead."""
    actor.require(TAB, "edit")
    invoice = get_invoice(actor, invoice_id)
    raise ValidationError({"invoice": _("Invoice {number} cannot be deleted: an issued invoice is undone by crediting it.").format(number=invoice.number)})


# --------------------------------------------------------------------------- per VAT rate


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    base: Decimal
    vat: Decimal


def _single_rate(invoice: Invoice) -> VatRow:
    """An invoice typed as one amount: one VAT row, its rate read back from the amounts."""
    excl, vat = as_money(invoice.amount_excl), as_money(invoice.vat_amount)
    rate = (vat * 100 / excl).quantize(Decimal("0.01")) if excl else ZERO
    return VatRow(rate=rate, base=excl, vat=vat)


def _store_vat_rows(invoice: Invoice, rows: Any) -> None:
    rows = [{"invoice": invoice.id, "rate": r.rate, "base": r.base, "vat": r.vat} for r in rows]
    if rows:
        InvoiceVat.insert_many(rows).execute()


def vat_rows(invoice_id: int) -> list[VatRow]:
    """The invoice's stored totals per VAT rate, lowest rate first."""
    return [
        VatRow(rate=Decimal(rate), base=as_money(base), vat=as_money(vat))
        for rate, base, vat in InvoiceVat.select(InvoiceVat.rate, InvoiceVat.base, InvoiceVat.vat)
        .where(InvoiceVat.invoice == invoice_id).order_by(InvoiceVat.rate).tuples()
    ]


@dataclass(frozen=True)
class InvoiceDetail:
    """What the invoice view shows beyond its row: lines, totals per rate, payment term."""

    lines: list[InvoiceLine]
    vat_rows: list[VatRow]
    payment_term_days: int | None
    vat_note: str = ""  # reverse charge, export, or why it could not apply


def invoice_detail(actor: Actor, invoice_id: int) -> InvoiceDetail:
    invoice = get_invoice(actor, invoice_id)
    lines = list(InvoiceLine.select().where(InvoiceLine.invoice == invoice_id)
                 .order_by(InvoiceLine.position, InvoiceLine.id))
    rows = vat_rows(invoice_id)
    customer = Customer.get_or_none(Customer.id == invoice.customer_id)
    note = vat_rules.invoice_note(invoice, customer, [r.rate for r in rows])
    return InvoiceDetail(lines=lines, vat_rows=rows, payment_term_days=invoice.payment_term_days,
                         vat_note=note)


# --------------------------------------------------------------------------- from an order

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
        _store_lines(invoice, invoice_lines)
        _store_vat_rows(invoice, totals.by_rate)
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


def _store_lines(invoice: Invoice, lines: list[dict[str, Any]]) -> None:
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


def _give_back(actor: Actor, invoice: Invoice, why: str) -> None:
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


# --------------------------------------------------------------------------- credit notes


def credit_invoice(
    actor: Actor, invoice_id: int, expected_version: int, credit_date: Any = None
) -> Invoice:
    """The only undo of an invoice: a credit note with its amounts, lines and VAT rows
    negated, the next number of the sequence, referring to the invoice.  The two settle
    each other as far as the invoice is still open (what was paid is left as a refund on
    the credit note), and the order's quantities may be invoiced again."""
    actor.require(TAB, "edit")
    try:
        day = parse_date(credit_date, default=dt.date.today())
    except FieldError as exc:
        raise ValidationError({"invoice_date": exc.for_field(_("Credit date"))}) from None
    with write_transaction():
        original = Invoice.get_or_none(Invoice.id == invoice_id)
        if original is None:
            raise NotFound(_("The invoice #{invoice_id} no longer exists.").format(invoice_id=invoice_id))
        if original.version != expected_version:
            raise records.conflict(SPEC, original, expected_version, {})
        if original.credited_invoice_id is not None or original.amount_incl < 0:
            raise ValidationError({"invoice": _("{number} is a credit note; it cannot be credited.").format(number=original.number)})
        if original.status == "cancelled":
            raise ValidationError({"invoice": _("Invoice {number} is cancelled; there is nothing to credit.").format(number=original.number)})
        if (note := _credit_note_of(original)) is not None:
            raise ValidationError({"invoice": _("Invoice {number} is credited already by {number2}.").format(number=original.number, number2=note.number)})
        if day < original.invoice_date:
            raise ValidationError({"invoice_date": _("The credit date cannot be before the invoice date.")})
        rows = vat_rows(original.id) or [_single_rate(original)]
        lines = list(InvoiceLine.select().where(InvoiceLine.invoice == original.id)
                     .order_by(InvoiceLine.position, InvoiceLine.id))
        incl = -as_money(original.amount_incl)
        still_open = open_amount(original)  # what the credit settles on the invoice
        now = utcnow()
        number = next_invoice_number(day.year)
        values = {
            "customer": original.customer_id, "number": number, "order": original.order_id,
            "credited_invoice": original.id, "invoice_date": day, "due_date": day,
            "payment_term_days": 0,
            "amount_excl": -as_money(original.amount_excl),
            "vat_amount": -as_money(original.vat_amount), "amount_incl": incl,
            "paid_amount": -still_open, "paid_on": day if still_open else None,
            "status": payment_status(incl, -still_open),
            "customer_number": original.customer_number, "customer_name": original.customer_name,
            "customer_address": original.customer_address,
            "customer_vat_number": original.customer_vat_number,
        }
        credit = Invoice.create(**values, version=1, created_at=now, updated_at=now)
        negated = [
            {**{name: getattr(line, name) for name in LINE_COPY}, "quantity": -line.quantity,
             "order_position": line.order_position, "position": line.position}
            for line in lines
        ]
        if negated:
            _store_lines(credit, negated)
        _store_vat_rows(credit, [VatRow(r.rate, -r.base, -r.vat) for r in rows])
        audit.record(
            actor.username, SPEC.table, credit.id, "create",
            {name: (None, value) for name, value in values.items() if value not in (None, "")},
            customer_id=original.customer_id, version=1, at=now,
        )
        paid = as_money(original.paid_amount) + still_open
        records.update(
            actor, _PAYMENT_SPEC, original.id,
            {"paid_amount": paid, "paid_on": day if still_open else original.paid_on,
             "status": payment_status(as_money(original.amount_incl), paid)},
            expected_version, action="credit",
            extra_changes={"credit_note": ("", number)},
        )
        _give_back(actor, original, f"credited by {number}")
    return Invoice.get_by_id(credit.id)


# --------------------------------------------------------------------------- older data


def adopt_legacy_invoices() -> int:
    """Give invoices stored before VAT rows existed their rows: from their order's lines
    when those add up to the invoice (the lines are then kept with the invoice and count
    as invoiced on the order), else one row at the rate the amounts show.  Idempotent;
    returns how many invoices it completed.  Used by the demo (the schema step that
    adopted older invoices has its own copy of these rules, as they were)."""
    missing = list(
        Invoice.select(Invoice.id, Invoice.order, Invoice.amount_excl, Invoice.vat_amount,
                       Invoice.status, Invoice.credited_invoice)
        .where(~peewee.fn.EXISTS(InvoiceVat.select().where(InvoiceVat.invoice == Invoice.id)))
        .order_by(Invoice.id)
    )
    if not missing:
        return 0
    order_ids = {inv.order_id for inv in missing if inv.order_id is not None}
    by_order: dict[int, list[tuple]] = {}
    columns = (OrderLine.id, OrderLine.order, OrderLine.position, OrderLine.article,
               OrderLine.description, OrderLine.quantity, OrderLine.unit_price,
               OrderLine.discount_percent, OrderLine.vat_rate, OrderLine.invoiced_quantity)
    ids = sorted(order_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in OrderLine.select(*columns).where(OrderLine.order.in_(chunk)).order_by(
                OrderLine.order, OrderLine.position, OrderLine.id).tuples():
            by_order.setdefault(row[1], []).append(row)
    taken: set[int] = set()
    vat_batch: list[dict[str, Any]] = []
    line_batch: list[dict[str, Any]] = []
    for inv in missing:
        rows = by_order.get(inv.order_id, []) if inv.order_id is not None else []
        dicts = [
            {"article": r[3], "description": r[4], "quantity": r[5], "unit_price": r[6],
             "discount_percent": r[7], "vat_rate": r[8], "order_position": r[2], "position": i}
            for i, r in enumerate(rows, start=1)
        ]
        totals = compute_totals(dicts) if dicts else None
        counts = (
            totals is not None and inv.order_id not in taken
            and inv.credited_invoice_id is None and inv.status != "cancelled"
            and totals.excl == as_money(inv.amount_excl)
            and totals.vat == as_money(inv.vat_amount)
            and not any(Decimal(r[9]) for r in rows)
        )
        if counts:
            taken.add(inv.order_id)
            vat_batch.extend({"invoice": inv.id, "rate": b.rate, "base": b.base, "vat": b.vat}
                             for b in totals.by_rate)
            line_batch.extend({**d, "invoice": inv.id} for d in dicts)
        else:
            row = _single_rate(inv)
            vat_batch.append({"invoice": inv.id, "rate": row.rate, "base": row.base,
                              "vat": row.vat})
    with write_transaction():
        _insert_all(InvoiceVat, ("invoice", "rate", "base", "vat"), vat_batch)
        _insert_all(InvoiceLine, ("invoice", "position", "order_position", "article",
                                  "description", "quantity", "unit_price", "discount_percent",
                                  "vat_rate"), line_batch)
        orders = sorted(taken)
        for start in range(0, len(orders), 500):
            OrderLine.update(invoiced_quantity=OrderLine.quantity).where(
                OrderLine.order.in_(orders[start:start + 500])).execute()
    return len(missing)


def _insert_all(model: type[peewee.Model], names: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` (dicts of all ``names``) with the bulk writer, each value as the field
    would store it (what ``insert_many`` sends, without building a statement per chunk)."""
    fields = [model._meta.fields[name] for name in names]
    bulk_insert(model, column_names(model, names), [
        tuple([fld.db_value(row[fld.name]) for fld in fields]) for row in rows
    ])
