"""The History tab: the audit trail of one customer, with readable record and field names.

Changes to records of a tab the user may not see (say, invoices for a role that has
them hidden) are left out, so the History tab does not show what the tabs hide.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tradium_tui.models import AuditRecord
from tradium_tui.services import audit
from tradium_tui.services.access import Actor

TAB = "history"

# Audit table → (record label, the tab that shows such records; None = base data).
TABLES: dict[str, tuple[str, str | None]] = {
    "customer": ("Customer", None),
    "contact": ("Contact", "contacts"),
    "action": ("Action", "actions"),
    "note": ("Note", "notes"),
    "quote": ("Quote", "quotes"),
    "quote_line": ("Quote line", "quotes"),
    "order": ("Order", "orders"),
    "order_line": ("Order line", "orders"),
    "invoice": ("Invoice", "invoices"),
    "condition": ("Condition", "conditions"),
}

FIELD_LABELS: dict[str, str] = {
    # shared
    "customer": "Customer",
    "user": "User",
    "status": "Status",
    "reference": "Reference",
    "remarks": "Remarks",
    "number": "Number",
    "lines": "Lines",
    "tags": "Tags",
    "description": "Description",
    "article": "Article",
    "article_group": "Article group",
    "discount_percent": "Discount %",
    "total_excl": "Total excl. VAT",
    "total_vat": "VAT",
    "total_incl": "Total incl. VAT",
    # customer
    "kind": "Kind",
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "name": "Name",
    "visit_street": "Street",
    "visit_house_number": "House number",
    "visit_postcode": "Postcode",
    "visit_city": "City",
    "visit_country": "Country",
    "postal_street": "Postal street",
    "postal_house_number": "Postal house number",
    "postal_postcode": "Postal postcode",
    "postal_city": "Postal city",
    "postal_country": "Postal country",
    "email": "E-mail",
    "phone": "Phone",
    "mobile": "Mobile",
    "fax": "Fax",
    "website": "Website",
    "coc_number": "Chamber of commerce no.",
    "vat_number": "VAT number",
    "vat_status": "VAT status",
    "vat_message": "VAT check",
    "vat_checked_at": "VAT checked at",
    "iban": "IBAN",
    "bic": "BIC",
    "bank_name": "Bank",
    "credit_limit": "Credit limit",
    "mailing_code": "Mailing code",
    "region": "Region",
    "account_manager": "Account manager",
    "customer_group": "Customer group",
    "condition_group": "Condition group",
    "ledger_account": "Ledger account",
    "language": "Language",
    "document_template": "Document template",
    "price_list": "Price list",
    "auto_split_orders": "Split orders automatically",
    "charge_vat": "Charge VAT",
    "order_remarks": "Order remarks",
    "opening_hours": "Opening hours",
    "logo_path": "Logo",
    "deleted_at": "Deleted at",
    # contacts
    "function": "Function",
    "street": "Street",
    "house_number": "House number",
    "postcode": "Postcode",
    "city": "City",
    "country": "Country",
    "is_primary": "Primary contact",
    # actions and notes
    "type": "Type",
    "subject": "Subject",
    "text": "Text",
    "happened_at": "Date and time",
    "follow_up_on": "Follow-up date",
    "completed_at": "Completed at",
    "contact": "Contact",
    "pinned": "Pinned",
    # documents
    "quote_date": "Quote date",
    "valid_until": "Valid until",
    "order_date": "Order date",
    "source": "Source",
    "external_ref": "External reference",
    "quote": "Quote",
    "order": "Order",
    "delivery_address": "Delivery address",
    "invoice_address": "Invoice address",
    "invoice_date": "Invoice date",
    "due_date": "Due date",
    "amount_excl": "Amount excl. VAT",
    "vat_amount": "VAT amount",
    "amount_incl": "Amount incl. VAT",
    "paid_amount": "Paid",
    "paid_on": "Paid on",
    "customer_number": "Customer number",
    "customer_name": "Customer name",
    "customer_address": "Customer address",
    "customer_vat_number": "Customer VAT number",
    "credited_invoice": "Credits invoice",
    "credit_note": "Credit note",
    "invoiced": "Invoiced quantities",
    "credit_limit_override": "Credit limit exceeded, saved anyway",
    "backorder": "Backorder",
    # conditions
    "price": "Price",
    "payment_term_days": "Payment term (days)",
    "valid_from": "Valid from",
    # merges
    "merged_customer": "Merged customer",
    "merged_into": "Merged into",
}
ACTION_LABELS = {
    "create": "created",
    "update": "changed",
    "delete": "deleted",
    "restore": "restored",
    "payment": "payment",
    "tags": "tags changed",
    "credit": "credited",
    "override": "credit limit overridden",
    "split": "split",
    "merge": "merged",
    "unmerge": "merge undone",
    "anonymise": "anonymised",
}


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # UTC
    who: str
    record: str  # e.g. "Contact #12"
    action: str  # created / changed / deleted / restored / payment
    field: str  # readable field name, "" for a change without fields
    old: str | None
    new: str | None
    table: str
    record_id: int
    field_name: str  # the field as stored


_LONG_DECIMAL = re.compile(r"^-?\d+\.\d{2}\d*$")


def tidy_value(text: str | None) -> str | None:
    """Stored prices keep 4 decimals ("12.9500"); show at least 2 and no trailing zeros beyond."""
    if text is None or not _LONG_DECIMAL.match(text):
        return text
    whole, frac = text.split(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac.ljust(2, '0')}"


def field_label(name: str) -> str:
    if not name:
        return ""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if name.startswith("custom_"):
        return f"Custom field {name.removeprefix('custom_')}"
    return name.replace("_", " ").capitalize()


def record_label(table: str, record_id: int) -> str:
    label = TABLES.get(table, (table.replace("_", " ").capitalize(), None))[0]
    return f"{label} #{record_id}"


def hidden_tables(actor: Actor) -> list[str]:
    """Audit tables whose tab this actor may not see."""
    return [table for table, (_, tab) in TABLES.items() if tab is not None and not actor.can(tab, "view")]


def customer_history(actor: Actor, customer_id: int, limit: int = 500) -> list[HistoryRow]:
    """The customer's audit trail, newest first (needs view on History)."""
    actor.require(TAB, "view")
    query = AuditRecord.select().where(AuditRecord.customer_id == customer_id)
    hidden = hidden_tables(actor)
    if hidden:
        query = query.where(AuditRecord.table.not_in(hidden))
    query = query.order_by(AuditRecord.at.desc(), AuditRecord.id.desc()).limit(max(1, int(limit)))
    rows: list[HistoryRow] = []
    for row in query:
        common = {
            "at": row.at, "who": row.username, "record": record_label(row.table, row.record_id),
            "action": ACTION_LABELS.get(row.action, row.action), "table": row.table,
            "record_id": row.record_id,
        }
        if row.field == audit.SNAPSHOT_FIELD:  # a record created by an import: all its values
            values = audit.snapshot_values(row.new_value)
            rows.extend(
                HistoryRow(field=field_label(name), old=None, new=tidy_value(value),
                           field_name=name, **common)
                for name, value in values.items()
            )
            if values:
                continue
            # Not readable as values: shown as stored rather than hidden.
        rows.append(HistoryRow(field=field_label(row.field) if row.field != audit.SNAPSHOT_FIELD else "",
                               old=tidy_value(row.old_value),
                               new=tidy_value(row.new_value), field_name=row.field, **common))
    return rows
