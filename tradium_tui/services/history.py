"""The History tab: the audit trail of one customer, with readable record and field names.

Changes to records of a tab the user may not see (say, invoices for a role that has
them hidden) are left out, so the History tab does not show what the tabs hide.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tradium_tui.i18n import N_, NP_, _
from tradium_tui.models import AuditRecord
from tradium_tui.services import audit
from tradium_tui.services.access import Actor

TAB = "history"

# Audit table → (record label, the tab that shows such records; None = base data).  The
# labels here are English (the audit trail stores names, never labels) and are shown in
# the reader's language by field_label, record_label and action_label.
TABLES: dict[str, tuple[str, str | None]] = {
    "customer": (N_("Customer"), None),
    "contact": (N_("Contact"), "contacts"),
    "action": (N_("Action"), "actions"),
    "note": (N_("Note"), "notes"),
    "quote": (N_("Quote"), "quotes"),
    "quote_line": (N_("Quote line"), "quotes"),
    "order": (N_("Order"), "orders"),
    "order_line": (N_("Order line"), "orders"),
    "invoice": (NP_("noun", "Invoice"), "invoices"),
    "condition": (N_("Condition"), "conditions"),
}

FIELD_LABELS: dict[str, str] = {
    # shared
    "customer": N_("Customer"),
    "user": N_("User"),
    "status": N_("Status"),
    "reference": N_("Reference"),
    "remarks": N_("Remarks"),
    "number": N_("Number"),
    "lines": N_("Lines"),
    "tags": N_("Tags"),
    "description": N_("Description"),
    "article": N_("Article"),
    "article_group": N_("Article group"),
    "discount_percent": N_("Discount %"),
    "total_excl": N_("Total excl. VAT"),
    "total_vat": N_("VAT"),
    "total_incl": N_("Total incl. VAT"),
    # customer
    "kind": N_("Kind"),
    "title": N_("Title"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "name": N_("Name"),
    "visit_street": N_("Street"),
    "visit_house_number": N_("House number"),
    "visit_postcode": N_("Postcode"),
    "visit_city": N_("City"),
    "visit_country": N_("Country"),
    "postal_street": N_("Postal street"),
    "postal_house_number": N_("Postal house number"),
    "postal_postcode": N_("Postal postcode"),
    "postal_city": N_("Postal city"),
    "postal_country": N_("Postal country"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "fax": N_("Fax"),
    "website": N_("Website"),
    "coc_number": N_("Chamber of commerce no."),
    "vat_number": N_("VAT number"),
    "vat_status": N_("VAT status"),
    "vat_message": N_("VAT check"),
    "vat_checked_at": N_("VAT checked at"),
    "iban": N_("IBAN"),
    "bic": N_("BIC"),
    "bank_name": N_("Bank"),
    "credit_limit": N_("Credit limit"),
    "mailing_code": N_("Mailing code"),
    "region": N_("Region"),
    "account_manager": N_("Account manager"),
    "customer_group": N_("Customer group"),
    "condition_group": N_("Condition group"),
    "ledger_account": N_("Ledger account"),
    "language": N_("Language"),
    "document_template": N_("Document template"),
    "price_list": N_("Price list"),
    "auto_split_orders": N_("Split orders automatically"),
    "charge_vat": N_("Charge VAT"),
    "order_remarks": N_("Order remarks"),
    "opening_hours": N_("Opening hours"),
    "logo_path": N_("Logo"),
    "deleted_at": N_("Deleted at"),
    # contacts
    "function": N_("Function"),
    "street": N_("Street"),
    "house_number": N_("House number"),
    "postcode": N_("Postcode"),
    "city": N_("City"),
    "country": N_("Country"),
    "is_primary": N_("Primary contact"),
    # actions and notes
    "type": N_("Type"),
    "subject": N_("Subject"),
    "text": N_("Text"),
    "happened_at": N_("Date and time"),
    "follow_up_on": N_("Follow-up date"),
    "completed_at": N_("Completed at"),
    "contact": N_("Contact"),
    "pinned": N_("Pinned"),
    # documents
    "quote_date": N_("Quote date"),
    "valid_until": N_("Valid until"),
    "order_date": N_("Order date"),
    "source": N_("Source"),
    "external_ref": N_("External reference"),
    "quote": N_("Quote"),
    "order": N_("Order"),
    "delivery_address": N_("Delivery address"),
    "invoice_address": N_("Invoice address"),
    "invoice_date": N_("Invoice date"),
    "due_date": N_("Due date"),
    "amount_excl": N_("Amount excl. VAT"),
    "vat_amount": N_("VAT amount"),
    "amount_incl": N_("Amount incl. VAT"),
    "paid_amount": N_("Paid"),
    "paid_on": N_("Paid on"),
    "customer_number": N_("Customer number"),
    "customer_name": N_("Customer name"),
    "customer_address": N_("Customer address"),
    "customer_vat_number": N_("Customer VAT number"),
    "credited_invoice": N_("Credits invoice"),
    "credit_note": N_("Credit note"),
    "invoiced": N_("Invoiced quantities"),
    "credit_limit_override": N_("Credit limit exceeded, saved anyway"),
    "backorder": N_("Backorder"),
    # conditions
    "price": N_("Price"),
    "payment_term_days": N_("Payment term (days)"),
    "valid_from": N_("Valid from"),
    # merges
    "merged_customer": N_("Merged customer"),
    "merged_into": N_("Merged into"),
}
ACTION_LABELS = {
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "restore": N_("restored"),
    "payment": N_("payment"),
    "tags": N_("tags changed"),
    "credit": N_("credited"),
    "override": N_("credit limit overridden"),
    "split": N_("split"),
    "merge": N_("merged"),
    "unmerge": N_("merge undone"),
    "anonymise": N_("anonymised"),
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


def shown_value(field: str, value: str | None) -> str | None:
    """A stored (language-neutral) value as the reader reads it: the VAT check's message in
    their language, amounts tidied; everything else as stored."""
    if field == "vat_message" and value:
        from tradium_tui.services.validation import vat_message_text  # its checks load late

        return vat_message_text(value)
    return tidy_value(value)


def field_label(name: str) -> str:
    """A stored field name as the reader reads it (in the interface language)."""
    if not name:
        return ""
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    if name.startswith("custom_"):
        return _("Custom field {number}").format(number=name.removeprefix("custom_"))
    return name.replace("_", " ").capitalize()


def record_label(table: str, record_id: int) -> str:
    if table in TABLES:
        label = _(TABLES[table][0])
    else:
        label = table.replace("_", " ").capitalize()
    return f"{label} #{record_id}"


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


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
            "action": action_label(row.action), "table": row.table,
            "record_id": row.record_id,
        }
        if row.field == audit.SNAPSHOT_FIELD:  # a record created by an import: all its values
            values = audit.snapshot_values(row.new_value)
            rows.extend(
                HistoryRow(field=field_label(name), old=None, new=shown_value(name, value),
                           field_name=name, **common)
                for name, value in values.items()
            )
            if values:
                continue
            # Not readable as values: shown as stored rather than hidden.
        rows.append(HistoryRow(field=field_label(row.field) if row.field != audit.SNAPSHOT_FIELD else "",
                               old=shown_value(row.field, row.old_value),
                               new=shown_value(row.field, row.new_value), field_name=row.field,
                               **common))
    return rows
