"""An invoice's totals per VAT rate (:class:`InvoiceVat`), written in the same
transaction as the invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tradium_tui.models import (
    Invoice,
    InvoiceVat,
)
from tradium_tui.services.money import ZERO, as_money


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    base: Decimal
    vat: Decimal


def single_rate(invoice: Invoice) -> VatRow:
    """An invoice typed as one amount: one VAT row, its rate read back from the amounts."""
    excl, vat = as_money(invoice.amount_excl), as_money(invoice.vat_amount)
    rate = (vat * 100 / excl).quantize(Decimal("0.01")) if excl else ZERO
    return VatRow(rate=rate, base=excl, vat=vat)


def store_vat_rows(invoice: Invoice, rows: Any) -> None:
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
