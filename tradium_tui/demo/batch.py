"""A batch of demo rows, laid out as the tables' columns, and how it is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradium_tui.db.bulk import bulk_insert, column_names
from tradium_tui.demo.report import SeedReport
from tradium_tui.models import (
    Action,
    AuditRecord,
    Condition,
    Contact,
    Customer,
    CustomerTag,
    Invoice,
    Mark,
    Note,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
)

# The fields of the row tuples, in their order (the generator builds its tuples so).
CUSTOMER_FIELDS = tuple(f.name for f in Customer._meta.sorted_fields)
CONTACT_FIELDS = ("id", "customer", "kind", "name", "function", "email", "phone", "mobile",
                  "street", "house_number", "postcode", "city", "country", "is_primary",
                  "remarks", "version", "created_at", "updated_at")
ACTION_FIELDS = ("customer", "contact", "type", "subject", "text", "happened_at",
                 "follow_up_on", "status", "user", "completed_at", "version", "created_at",
                 "updated_at")
NOTE_FIELDS = ("customer", "text", "user", "pinned", "version", "created_at", "updated_at")
QUOTE_FIELDS = ("id", "customer", "number", "quote_date", "valid_until", "status", "reference",
                "remarks", "user", "total_excl", "total_vat", "total_incl", "version",
                "created_at", "updated_at")
QUOTE_LINE_FIELDS = ("quote", "position", "article", "description", "quantity", "unit_price",
                     "discount_percent", "vat_rate")
ORDER_FIELDS = ("id", "customer", "number", "order_date", "status", "source", "external_ref",
                "quote", "reference", "remarks", "delivery_address", "invoice_address", "user",
                "total_excl", "total_vat", "total_incl", "version", "created_at", "updated_at")
ORDER_LINE_FIELDS = ("order", "position", "article", "description", "quantity",
                     "delivered_quantity", "backorder_quantity", "unit_price", "cost_price",
                     "discount_percent", "vat_rate")
INVOICE_FIELDS = ("customer", "number", "order", "invoice_date", "due_date", "amount_excl",
                  "vat_amount", "amount_incl", "paid_amount", "paid_on", "status",
                  "customer_number", "customer_name", "customer_address",
                  "customer_vat_number", "version", "created_at", "updated_at")
CONDITION_FIELDS = ("customer", "kind", "article", "article_group", "description", "price",
                    "discount_percent", "payment_term_days", "valid_from", "valid_until",
                    "version", "created_at", "updated_at")
AUDIT_FIELDS = ("at", "username", "customer_id", "table", "record_id", "action", "version",
                "field", "old_value", "new_value")
TAG_LINK_FIELDS = ("customer", "tag")
MARK_FIELDS = ("user", "customer", "marked_at")


@dataclass
class Batch:
    """The rows of a run of customers and everything around them (picklable: a child
    process may make them)."""

    customers: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    actions: list[tuple] = field(default_factory=list)
    notes: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    quote_lines: list[tuple] = field(default_factory=list)
    orders: list[tuple] = field(default_factory=list)
    order_lines: list[tuple] = field(default_factory=list)
    invoices: list[tuple] = field(default_factory=list)
    conditions: list[tuple] = field(default_factory=list)
    tag_links: list[tuple] = field(default_factory=list)
    marks: list[tuple] = field(default_factory=list)
    audit: list[tuple] = field(default_factory=list)


def write_batch(batch: Batch, report: SeedReport) -> None:
    """Write ``batch`` (inside the seed's transaction) and count the rows the generator
    does not count: customers, tag links, marks and audit rows."""
    report.customers += bulk_insert(Customer, _CUSTOMER_COLUMNS, batch.customers)
    bulk_insert(Contact, _CONTACT_COLUMNS, batch.contacts)
    bulk_insert(Action, _ACTION_COLUMNS, batch.actions)
    bulk_insert(Note, _NOTE_COLUMNS, batch.notes)
    bulk_insert(Quote, _QUOTE_COLUMNS, batch.quotes)
    bulk_insert(QuoteLine, _QUOTE_LINE_COLUMNS, batch.quote_lines)
    bulk_insert(Order, _ORDER_COLUMNS, batch.orders)
    bulk_insert(OrderLine, _ORDER_LINE_COLUMNS, batch.order_lines)
    bulk_insert(Invoice, _INVOICE_COLUMNS, batch.invoices)
    bulk_insert(Condition, _CONDITION_COLUMNS, batch.conditions)
    report.tag_links += bulk_insert(CustomerTag, _TAG_LINK_COLUMNS, batch.tag_links)
    report.marks += bulk_insert(Mark, _MARK_COLUMNS, batch.marks)
    report.audit_rows += bulk_insert(AuditRecord, _AUDIT_COLUMNS, batch.audit)


_CUSTOMER_COLUMNS = column_names(Customer, CUSTOMER_FIELDS)
_CONTACT_COLUMNS = column_names(Contact, CONTACT_FIELDS)
_ACTION_COLUMNS = column_names(Action, ACTION_FIELDS)
_NOTE_COLUMNS = column_names(Note, NOTE_FIELDS)
_QUOTE_COLUMNS = column_names(Quote, QUOTE_FIELDS)
_QUOTE_LINE_COLUMNS = column_names(QuoteLine, QUOTE_LINE_FIELDS)
_ORDER_COLUMNS = column_names(Order, ORDER_FIELDS)
_ORDER_LINE_COLUMNS = column_names(OrderLine, ORDER_LINE_FIELDS)
_INVOICE_COLUMNS = column_names(Invoice, INVOICE_FIELDS)
_CONDITION_COLUMNS = column_names(Condition, CONDITION_FIELDS)
_TAG_LINK_COLUMNS = column_names(CustomerTag, TAG_LINK_FIELDS)
_MARK_COLUMNS = column_names(Mark, MARK_FIELDS)
_AUDIT_COLUMNS = column_names(AuditRecord, AUDIT_FIELDS)
