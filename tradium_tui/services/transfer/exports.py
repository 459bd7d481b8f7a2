"""Exports: customers (CSV / .xlsx, read back unchanged by the import), invoices for the
accounting package, and mailing selections for a newsletter tool.

Every export needs the import/export right.  Targets: a file name (``.xlsx`` when the
name says so, CSV otherwise) or ``'-'`` for standard output.  The customer file's
columns and value texts are :mod:`.customer_format`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import peewee

from tradium_tui.i18n import _
from tradium_tui.models import (
    Customer,
    CustomerTag,
    Invoice,
    InvoiceVat,
    Mark,
    Tag,
    User,
)
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound
from tradium_tui.services.invoices import VatRow, _single_rate
from tradium_tui.services.transfer import writing
from tradium_tui.services.transfer.customer_format import (
    CUSTOMER_COLUMNS,
    DECIMAL_FIELDS,
    decimal_places,
    field_text,
    related_names,
    tag_text,
)
from tradium_tui.services.transfer.headings import (
    ACCOUNTING_HEADINGS,
    CUSTOMER_HEADINGS,
    MAILING_HEADINGS,
    headings,
)
from tradium_tui.services.transfer.reports import ExportResult
from tradium_tui.services.transfer.writing import format_decimal

# One row per invoice per VAT rate.  Cancelled invoices are left out; credit notes are
# rows with negative amounts that name the invoice they credit.
ACCOUNTING_COLUMNS = [
    "invoice_number",
    "invoice_date",
    "due_date",
    "document",
    "credited_invoice",
    "customer_number",
    "customer_name",
    "ledger_account",
    "vat_number",
    "vat_rate",
    "net",
    "vat",
    "gross",
    "status",
    # The customer the invoice belongs to now: after a merge the survivor, whose number
    # differs from the invoice's own customer_number (a merged-away number).
    "account_customer_number",
]

MAILING_COLUMNS = ["name", "email", "language", "number", "title", "first_name", "last_name"]


def _target_name(target: str | Path | TextIO) -> str:
    if hasattr(target, "write"):
        return "-"
    return str(target)


# --------------------------------------------------------------------------- customers


def customer_rows(
    include_deleted: bool = False, typed: bool = False, within: peewee.SelectQuery | None = None
) -> Iterator[list[Any]]:
    """The customer export rows, ordered by number.

    With ``typed`` the customer number and mailing code stay integers and amounts stay
    ``Decimal`` (for ``.xlsx``); otherwise every value is text.
    """
    related = related_names()
    tags: dict[int, list[str]] = defaultdict(list)
    for customer_id, name in (
        CustomerTag.select(CustomerTag.customer, Tag.name).join(Tag).tuples().iterator()
    ):
        tags[customer_id].append(name)
    query = Customer.select()
    if not include_deleted:
        query = query.where(Customer.deleted_at.is_null())
    if within is not None:  # only these customers (a subquery of ids)
        query = query.where(Customer.id.in_(within))
    fields = [f for _, f in CUSTOMER_COLUMNS]
    for rec in query.order_by(Customer.number).dicts().iterator():
        row: list[Any] = []
        for name in fields:
            value = rec.get(name)
            if name == "tags":
                row.append(tag_text(tags.get(rec["id"], [])))
            elif typed and name in DECIMAL_FIELDS:
                text = format_decimal(value, decimal_places(name))
                row.append(Decimal(text) if text else "")
            elif typed and name in ("number", "mailing_code"):
                row.append(value)
            else:
                row.append(field_text(name, value, related))
        yield row


def export_customers(
    actor: Actor,
    target: str | Path | TextIO,
    delimiter: str = ",",
    include_deleted: bool = False,
    within: peewee.SelectQuery | None = None,
    heading_language: str | None = None,
) -> ExportResult:
    """All customers (not deleted; or those of ``within``, a subquery of ids) with every
    field, one row each, ordered by number.  The header row holds the column names, or
    with ``heading_language`` that language's words for them (:mod:`.headings`)."""
    actor.require_import_export()
    typed = not hasattr(target, "write") and writing.is_xlsx_name(str(target))
    headers = headings([c for c, _f in CUSTOMER_COLUMNS], CUSTOMER_HEADINGS, heading_language)
    count = writing.write_table(
        target, headers, customer_rows(include_deleted=include_deleted, typed=typed, within=within),
        delimiter=delimiter, sheet_title="Customers",
    )
    return ExportResult(what="customers", target=_target_name(target), rows=count)


# --------------------------------------------------------------------------- accounting


@dataclass
class AccountingRows:
    rows: list[list[Any]]
    invoices: int
    cancelled: int
    total_excl: Decimal
    total_vat: Decimal


def accounting_rows(
    various_customers_account: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    decimal_comma: bool = False,
) -> AccountingRows:
    """Invoices in the period as rows per VAT rate (the rates stored with each invoice)."""
    def when(query):
        if date_from is not None:
            query = query.where(Invoice.invoice_date >= date_from)
        if date_to is not None:
            query = query.where(Invoice.invoice_date <= date_to)
        return query

    def amount(value: Decimal) -> str:
        text = format_decimal(value, 2)
        return text.replace(".", ",") if decimal_comma else text

    query = when(
        Invoice.select(Invoice, Customer.ledger_account,
                       Customer.number.alias("account_customer_number"))
        .join(Customer, on=(Invoice.customer == Customer.id))
        .where(Invoice.status != "cancelled")
        .order_by(Invoice.invoice_date, Invoice.number)
    )
    cancelled = when(Invoice.select().where(Invoice.status == "cancelled")).count()
    invoices = list(query.objects())
    ids = [inv.id for inv in invoices]
    by_invoice: dict[int, list[VatRow]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for invoice_id, rate, base, vat in (
            InvoiceVat.select(InvoiceVat.invoice, InvoiceVat.rate, InvoiceVat.base, InvoiceVat.vat)
            .where(InvoiceVat.invoice.in_(ids[start:start + 500]))
            .order_by(InvoiceVat.invoice, InvoiceVat.rate).tuples()
        ):
            by_invoice[invoice_id].append(VatRow(Decimal(str(rate)), Decimal(str(base)),
                                                 Decimal(str(vat))))
    numbers = {inv.id: inv.number for inv in invoices}
    missing = {inv.credited_invoice_id for inv in invoices} - set(numbers) - {None}
    if missing:
        numbers.update(Invoice.select(Invoice.id, Invoice.number)
                       .where(Invoice.id.in_(list(missing))).tuples())
    rows: list[list[Any]] = []
    total_excl = total_vat = Decimal("0")
    for inv in invoices:
        credit = inv.credited_invoice_id is not None or inv.amount_incl < 0
        for vat_row in by_invoice.get(inv.id) or [_single_rate(inv)]:
            base = vat_row.base.quantize(Decimal("0.01"))
            vat = vat_row.vat.quantize(Decimal("0.01"))
            total_excl += base
            total_vat += vat
            rate = format_decimal(vat_row.rate, None)
            rows.append([
                inv.number,
                inv.invoice_date.isoformat(),
                inv.due_date.isoformat() if inv.due_date else "",
                "credit_note" if credit else "invoice",
                numbers.get(inv.credited_invoice_id, "") if inv.credited_invoice_id else "",
                str(inv.customer_number),
                inv.customer_name,
                inv.ledger_account or various_customers_account,
                inv.customer_vat_number,
                rate.replace(".", ",") if decimal_comma else rate,
                amount(base),
                amount(vat),
                amount(base + vat),
                inv.status,
                str(inv.account_customer_number),
            ])
    return AccountingRows(rows=rows, invoices=len(invoices), cancelled=cancelled,
                          total_excl=total_excl, total_vat=total_vat)


def export_accounting(
    actor: Actor,
    target: str | Path | TextIO,
    various_customers_account: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    delimiter: str = ",",
    decimal_comma: bool = False,
    heading_language: str | None = None,
) -> ExportResult:
    """Invoices in the period (by invoice date, both ends included) for bookkeeping: one
    row per invoice per VAT rate (net, VAT, gross), credit notes negative, cancelled
    invoices left out.  ``decimal_comma`` writes ``1234,50`` (for a Dutch spreadsheet,
    with ``;`` as the delimiter).

    The ledger account is the customer's own, else ``various_customers_account``.
    """
    actor.require_import_export()
    actor.require("invoices", "view")
    found = accounting_rows(various_customers_account, date_from, date_to, decimal_comma)
    count = writing.write_table(
        target, headings(ACCOUNTING_COLUMNS, ACCOUNTING_HEADINGS, heading_language), found.rows,
        delimiter=delimiter, sheet_title="Invoices"
    )
    return ExportResult(
        what="accounting",
        target=_target_name(target),
        rows=count,
        selected=count,
        total_excl=found.total_excl,
        total_vat=found.total_vat,
        total_incl=found.total_excl + found.total_vat,
        invoices=found.invoices,
        cancelled=found.cancelled,
    )


# --------------------------------------------------------------------------- mailing


def mailing_selection(
    mailing_code: int | None = None,
    tag: str | None = None,
    marked_by: str | None = None,
) -> peewee.ModelSelect:
    """Customers (not deleted) matching every given criterion."""
    query = Customer.select().where(Customer.deleted_at.is_null())
    if mailing_code is not None:
        query = query.where(Customer.mailing_code == mailing_code)
    if tag:
        tag_row = Tag.get_or_none(peewee.fn.LOWER(Tag.name) == tag.strip().lower())
        if tag_row is None:
            raise NotFound(_("There is no tag '{tag}'.").format(tag=tag))
        query = query.where(
            Customer.id.in_(
                CustomerTag.select(CustomerTag.customer).where(CustomerTag.tag == tag_row.id)
            )
        )
    if marked_by:
        user = User.get_or_none(User.username == marked_by)
        if user is None:
            raise NotFound(_("There is no user '{marked_by}'.").format(marked_by=marked_by))
        query = query.where(
            Customer.id.in_(Mark.select(Mark.customer).where(Mark.user == user.id))
        )
    return query.order_by(Customer.number)


def export_mailing(
    actor: Actor,
    target: str | Path | TextIO,
    mailing_code: int | None = None,
    tag: str | None = None,
    marked_by: str | None = None,
    delimiter: str = ",",
    within: peewee.SelectQuery | None = None,
    heading_language: str | None = None,
) -> ExportResult:
    """Name, e-mail and preferred language of the selection, for a newsletter tool.

    Customers without an e-mail address cannot be mailed: they are counted, not written.
    """
    actor.require_import_export()
    query = mailing_selection(mailing_code, tag, marked_by)
    if within is not None:  # only these customers (a subquery of ids)
        query = query.where(Customer.id.in_(within))
    selected = 0
    without = 0
    rows: list[list[Any]] = []
    for rec in query.dicts().iterator():
        selected += 1
        email = (rec["email"] or "").strip()
        if not email:
            without += 1
            continue
        rows.append(
            [
                rec["name"],
                email,
                rec["language"] or "",
                str(rec["number"]),
                rec["title"] or "",
                rec["first_name"] or "",
                rec["last_name"] or "",
            ]
        )
    count = writing.write_table(
        target, headings(MAILING_COLUMNS, MAILING_HEADINGS, heading_language), rows,
        delimiter=delimiter, sheet_title="Mailing"
    )
    return ExportResult(
        what="mailing",
        target=_target_name(target),
        rows=count,
        selected=selected,
        without_email=without,
    )
