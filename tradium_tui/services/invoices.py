"""Invoices: amounts, due date, payments, the open amount and the customer's open balance.

An invoice keeps a snapshot of the customer as invoiced (number, name, address, VAT
number): deleting or renaming the customer later leaves the invoice as it was issued.
Credit notes are invoices with negative amounts; a refund is a negative payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.models import INVOICE_STATUSES, Customer, Invoice, Order
from tradium_tui.services import numbering, records
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.money import (
    ZERO,
    FieldError,
    Form,
    as_money,
    customer_for_write,
    parse_date,
    parse_decimal,
    vat_of,
)

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
        from tradium_tui.services.conditions import payment_term_days

        default_due = invoice_date + dt.timedelta(days=payment_term_days(customer_id, invoice_date))
    due_date = form.date("due_date", default=default_due, required=True)
    if invoice_date and due_date and due_date < invoice_date:
        form.error("due_date", "The due date cannot be before the invoice date.")

    # Amounts: excl. required (or from the order); VAT given, or computed from the rate.
    amounts_given = any(form.given(n) for n in ("amount_excl", "vat_amount", "amount_incl", "vat_rate"))
    if stored is not None and amounts_given and stored.paid_amount != 0:
        for name in ("amount_excl", "vat_amount", "amount_incl"):
            if form.given(name):
                form.error(name, "The amounts of an invoice with payments cannot be changed.")
    default_excl = order.total_excl if order is not None and stored is None else None
    excl = form.decimal("amount_excl", default=default_excl, **MONEY)
    if excl is not None and excl == 0 and "amount_excl" not in form.errors:
        form.error("amount_excl", "Amount excl. VAT cannot be 0.")
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
                form.error("vat_amount", "VAT must have the same sign as the amount.")
            incl = excl + vat
            if form.given("amount_incl"):
                typed = _parse_into(form, "amount_incl", lambda raw: parse_decimal(raw, **MONEY))
                if typed is not None and typed != incl:
                    form.error(
                        "amount_incl",
                        f"Amount incl. VAT should be {incl} (amount {excl} + VAT {vat}), not {typed}.",
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
                form.error("status", "A new invoice's status follows its payments.")
                form.cleaned.pop("status", None)
        elif status is not None and status != stored.status:
            reopening = stored.status == "cancelled" and status == payment_status(
                stored.amount_incl, stored.paid_amount
            )
            if status == "cancelled":
                if stored.paid_amount != 0:
                    form.error("status", "An invoice with payments cannot be cancelled; credit it instead.")
            elif not reopening:
                form.error("status", "The status follows the payments; only 'cancelled' can be set.")
    if stored is None and not form.errors:
        form.set("number", numbering.next_document_number("invoice", NUMBER_PREFIX, invoice_date.year))
    return form.finish()


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
        form.error("order", f"Order: there is no order '{raw}' for this customer.")
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


ZERO_CENTS = Decimal("0.00")


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
            Invoice.paid_on, Invoice.status, Order.number,
        )
        .join(Order, peewee.JOIN.LEFT_OUTER, on=(Invoice.order == Order.id))
        .where(Invoice.customer == customer_id)
        .order_by(Invoice.invoice_date.desc(), Invoice.id.desc())
        .tuples()
    )
    rows = []
    for (key, version, number, invoice_date, due_date, excl, vat, incl, paid, paid_on, status,
         order_number) in query:
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
                is_credit_note=incl < 0, order_number=order_number or "",
            )
        )
    return rows


def get_invoice(actor: Actor, invoice_id: int) -> Invoice:
    actor.require(TAB, "view")
    invoice = Invoice.get_or_none(Invoice.id == invoice_id)
    if invoice is None:
        raise NotFound(f"The invoice #{invoice_id} no longer exists.")
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
    data = {k: v for k, v in values.items() if k != "customer"}
    data["customer"] = customer_id
    return records.create(actor, SPEC, data)


def update_invoice(actor: Actor, invoice_id: int, values: dict[str, Any], expected_version: int) -> Invoice:
    """Change dates or (while nothing is paid) amounts; set status 'cancelled'.

    The customer snapshot, number and payments cannot be changed here.
    """
    actor.require(TAB, "edit")
    fixed = {"customer", "number", "paid_amount", "paid_on"} | {
        "customer_number", "customer_name", "customer_address", "customer_vat_number",
    }
    refused = {k: "This cannot be changed on an invoice." for k in values if k in fixed}
    if refused:
        raise ValidationError(refused)
    return records.update(actor, SPEC, invoice_id, dict(values), expected_version)


def cancel_invoice(actor: Actor, invoice_id: int, expected_version: int) -> Invoice:
    return records.update(actor, SPEC, invoice_id, {"status": "cancelled"}, expected_version)


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
        errors["amount"] = f"Amount {exc}."
        paid = None
    try:
        day = parse_date(paid_on, default=dt.date.today())
    except FieldError as exc:
        errors["paid_on"] = f"Payment date {exc}."
        day = None
    with write_transaction():
        invoice = Invoice.get_or_none(Invoice.id == invoice_id)
        if invoice is None:
            raise NotFound(f"The invoice #{invoice_id} no longer exists.")
        if paid is not None:
            still_open = open_amount(invoice)
            if invoice.status == "cancelled":
                errors["amount"] = "The invoice is cancelled; no payment can be registered."
            elif paid == 0:
                errors["amount"] = "Amount cannot be 0."
            elif still_open == 0:
                errors["amount"] = "This invoice is paid already."
            elif (paid > 0) != (still_open > 0):
                errors["amount"] = (
                    "Amount must be negative (a refund) for a credit note."
                    if still_open < 0 else "Amount must be positive."
                )
            elif abs(paid) > abs(still_open):
                errors["amount"] = f"Amount {paid} is more than the open amount {still_open}."
        if day is not None and day < invoice.invoice_date:
            errors["paid_on"] = "The payment date cannot be before the invoice date."
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
    """Delete an invoice nothing was paid on (otherwise cancel or credit it)."""
    actor.require(TAB, "edit")
    with write_transaction():
        invoice = Invoice.get_or_none(Invoice.id == invoice_id)
        if invoice is not None and invoice.paid_amount != 0:
            raise ValidationError(
                {"paid_amount": "An invoice with payments cannot be deleted; credit it instead."}
            )
        records.delete(actor, SPEC, invoice_id, expected_version)
