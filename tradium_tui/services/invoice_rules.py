"""What an invoice is: its fields and their checks, its number, its payment status,
the customer snapshot it keeps, and the open amount.

An invoice keeps a snapshot of the customer as invoiced (number, name, address, VAT
number): deleting or renaming the customer later leaves the invoice as it was issued.
Invoice numbers run per year without gaps (:func:`numbering.next_yearly_number`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.models import (
    INVOICE_STATUSES,
    Customer,
    Invoice,
    InvoiceLine,
    Order,
)
from tradium_tui.services import numbering, records
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.money import ZERO, ZERO_CENTS, as_money, vat_of
from tradium_tui.services.values import FieldError, parse_decimal

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
    order = read_order(form, values, customer_id)
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
    if stored is not None and (stored.credited_invoice_id is not None or credit_note_of(stored)):
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


def credit_note_of(invoice: Invoice) -> Invoice | None:
    return Invoice.get_or_none(Invoice.credited_invoice == invoice.id)


def _has_order_lines(invoice_id: int) -> bool:
    return InvoiceLine.select().where(
        (InvoiceLine.invoice == invoice_id) & InvoiceLine.order_position.is_null(False)
    ).exists()


def _check_cancel(form: Form, stored: Invoice) -> None:
    if stored.credited_invoice_id is not None:
        form.error("status", _("A credit note cannot be cancelled."))
    elif (note := credit_note_of(stored)) is not None:
        form.error("status", _("The invoice is credited by {number}; it cannot be cancelled.").format(number=note.number))


def _parse_into(form: Form, name: str, parse) -> Any:
    try:
        return parse(form.values.get(name))
    except FieldError as exc:
        form.fail(name, exc)
        return None


def read_order(form: Form, values: dict[str, Any], customer_id: Any) -> Order | None:
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
PAYMENT_SPEC = records.RecordSpec(model=Invoice, tab=TAB, label="invoice", validate=_validate_payment)


def open_amount(invoice: Any) -> Decimal:
    """amount incl. VAT − paid (0 for a cancelled invoice)."""
    if getattr(invoice, "status", None) == "cancelled":
        return ZERO_CENTS
    return as_money(invoice.amount_incl) - as_money(invoice.paid_amount)


def is_overdue(invoice: Any, today: dt.date | None = None) -> bool:
    """Due date before today and an amount still to be received."""
    day = today or dt.date.today()
    return invoice.due_date < day and open_amount(invoice) > 0
