"""Invoices stored before VAT rows existed: giving them their rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.db.bulk import bulk_insert, column_names
from tradium_tui.models import (
    Invoice,
    InvoiceLine,
    InvoiceVat,
    OrderLine,
)
from tradium_tui.services.invoice_vat import single_rate
from tradium_tui.services.money import as_money, compute_totals


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
            row = single_rate(inv)
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
