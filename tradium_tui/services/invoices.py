"""Invoices: reading them (rows, the open amount, the customer's open balance), and
creating, changing, cancelling and paying them.

The rules of an invoice record are in :mod:`invoice_rules`, its totals per VAT rate in
:mod:`invoice_vat`; an invoice is made from an order (:func:`invoicing.invoice_order`)
and undone by a credit note (:func:`credit_notes.credit_invoice`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceVat,
    Order,
)
from tradium_tui.services import records
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.invoice_rules import (
    LABELS,
    MONEY,
    PAYMENT_SPEC,
    SPEC,
    TAB,
    open_amount,
    payment_status,
    read_order,
)
from tradium_tui.services.invoice_vat import VatRow, single_rate, store_vat_rows, vat_rows
from tradium_tui.services.invoicing import give_back, invoice_order
from tradium_tui.services.money import ZERO_CENTS, as_money
from tradium_tui.services.values import FieldError, parse_date, parse_decimal


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
        store_vat_rows(invoice, [single_rate(invoice)])
    return invoice


def _invoice_given_order(actor: Actor, customer_id: int, data: dict[str, Any]) -> Invoice:
    """``create_invoice`` with an order: what is not invoiced yet of the order, from its
    lines (typed amounts would bypass the invoiced quantities, so they are refused)."""
    customer_for_write(customer_id)
    form = Form({"order": data["order"]}, None, ("order",), LABELS, "an invoice")
    order = read_order(form, data, customer_id)
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
                store_vat_rows(updated, [single_rate(updated)])
            if updated.status == "cancelled" and before.status != "cancelled":
                give_back(actor, updated, "cancelled")
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
            actor, PAYMENT_SPEC, invoice_id,
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
