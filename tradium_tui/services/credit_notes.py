"""Credit notes: the only undo of an issued invoice.

An invoice is never deleted: :func:`credit_invoice` makes a credit note (the amounts
negated, its own number in the same sequence, referring to the original), which settles
the original and gives its order quantities back.  A refund is a negative payment on a
credit note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    Invoice,
    InvoiceLine,
    utcnow,
)
from tradium_tui.services import audit, records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.invoice_rules import (
    PAYMENT_SPEC,
    SPEC,
    TAB,
    credit_note_of,
    next_invoice_number,
    open_amount,
    payment_status,
)
from tradium_tui.services.invoice_vat import VatRow, single_rate, store_vat_rows, vat_rows
from tradium_tui.services.invoicing import LINE_COPY, give_back, store_lines
from tradium_tui.services.money import as_money
from tradium_tui.services.values import FieldError, parse_date


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
        if (note := credit_note_of(original)) is not None:
            raise ValidationError({"invoice": _("Invoice {number} is credited already by {number2}.").format(number=original.number, number2=note.number)})
        if day < original.invoice_date:
            raise ValidationError({"invoice_date": _("The credit date cannot be before the invoice date.")})
        rows = vat_rows(original.id) or [single_rate(original)]
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
            store_lines(credit, negated)
        store_vat_rows(credit, [VatRow(r.rate, -r.base, -r.vat) for r in rows])
        audit.record(
            actor.username, SPEC.table, credit.id, "create",
            {name: (None, value) for name, value in values.items() if value not in (None, "")},
            customer_id=original.customer_id, version=1, at=now,
        )
        paid = as_money(original.paid_amount) + still_open
        records.update(
            actor, PAYMENT_SPEC, original.id,
            {"paid_amount": paid, "paid_on": day if still_open else original.paid_on,
             "status": payment_status(as_money(original.amount_incl), paid)},
            expected_version, action="credit",
            extra_changes={"credit_note": ("", number)},
        )
        give_back(actor, original, f"credited by {number}")
    return Invoice.get_by_id(credit.id)
