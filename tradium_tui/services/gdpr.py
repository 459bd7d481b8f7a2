"""Privacy requests: export everything held about a person, and anonymise a consumer or a
contact person for good.

Export: the customer (or one contact) with every row that belongs to it — contacts,
actions, notes, quotes and orders with their lines, invoices, conditions, tags, aliases of
merged numbers — and every audit row about it, as JSON and as a readable text.

Anonymising replaces the personal fields, clears notes and the texts of actions, removes
the personal values from the customer's documents and redacts them in the audit trail.
Invoices are bookkeeping: an invoice inside the legal retention (``retention_years`` in the
config, default 7 years after the end of the invoice's year, as Dutch law asks) keeps its
customer snapshot (name, address, VAT number) until then; older invoices lose it too.
Only consumers (natural persons) are anonymised as a whole; a company's contact persons
one by one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from tradium_tui.config import get_settings
from tradium_tui.db import write_transaction
from tradium_tui.i18n import _, ngettext
from tradium_tui.models import (
    Action,
    AuditRecord,
    Contact,
    Customer,
    CustomerAlias,
    CustomerMerge,
    Invoice,
    Note,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    utcnow,
)
from tradium_tui.services import audit, merge
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ServiceError
from tradium_tui.services.transfer.files import replace_file

REDACTED = "[redacted]"
ANONYMOUS = "Anonymised"

# Personal fields of a customer and of a contact, with what they become.
CUSTOMER_PERSONAL: dict[str, Any] = {
    "title": "", "first_name": "", "last_name": ANONYMOUS, "name": ANONYMOUS,
    "visit_street": "", "visit_house_number": "", "visit_postcode": "", "visit_city": "",
    "postal_street": "", "postal_house_number": "", "postal_postcode": "", "postal_city": "",
    "email": "", "phone": "", "mobile": "", "fax": "", "website": "", "coc_number": "",
    "vat_number": "", "vat_message": "", "iban": "", "bic": "", "bank_name": "",
    "reference": None, "remarks": "", "order_remarks": "", "opening_hours": "", "logo_path": "",
    "custom_1": "", "custom_2": "", "custom_3": "", "custom_4": "", "custom_5": "",
    "custom_6": "", "custom_num": None,
}
CONTACT_PERSONAL: dict[str, Any] = {
    "name": ANONYMOUS, "function": "", "email": "", "phone": "", "mobile": "", "street": "",
    "house_number": "", "postcode": "", "city": "", "remarks": "",
}
INVOICE_SNAPSHOT = ("customer_name", "customer_address", "customer_vat_number")


def retention_years() -> int:
    return int(get_settings().retention_years)


def kept_until(invoice_date: dt.date, years: int | None = None) -> dt.date:
    """The last day an invoice of this date must be kept: the end of its year + retention."""
    years = retention_years() if years is None else years
    return dt.date(invoice_date.year + years, 12, 31)


# --------------------------------------------------------------------------- export


def _rows(model, condition) -> list[dict[str, Any]]:
    return [merge.row_image(model, r) for r in model.select().where(condition)
            .order_by(model._meta.primary_key)]


def _audit_rows(condition) -> list[dict[str, Any]]:
    return [
        {"at": a.at.isoformat(sep=" ", timespec="seconds"), "user": a.username, "table": a.table,
         "record_id": a.record_id, "action": a.action, "field": a.field,
         "old_value": a.old_value, "new_value": a.new_value}
        for a in AuditRecord.select().where(condition).order_by(AuditRecord.id)
    ]


def person_data(actor: Actor, customer_id: int, contact_id: int | None = None) -> dict[str, Any]:
    """Everything held about the customer (or only its contact ``contact_id``)."""
    actor.require_base_edit()
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id))
    if contact_id is not None:
        contact = Contact.get_or_none((Contact.id == contact_id) & (Contact.customer == customer.id))
        if contact is None:
            raise NotFound(_("The customer {number} has no contact #{contact_id}.").format(number=customer.number, contact_id=contact_id))
        return {
            "exported_at": utcnow().isoformat(sep=" ", timespec="seconds"),
            "customer": {"number": customer.number, "name": customer.name},
            "contact": merge.row_image(Contact, contact),
            "actions": _rows(Action, Action.contact == contact.id),
            "audit_trail": _audit_rows((AuditRecord.table == "contact")
                                       & (AuditRecord.record_id == contact.id)),
        }
    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(sep=" ", timespec="seconds"),
        "customer": merge.row_image(Customer, customer),
    }
    # The price list by name too: an id means nothing to the person reading the export.
    data["customer"]["price_list_name"] = merge.display("price_list", customer.__data__.get("price_list"))
    from tradium_tui.services.groups import tags_of

    data["tags"] = tags_of(customer.id)
    # Every table that points at a customer, found from the models.
    for ref in merge.customer_references():
        data[ref.table] = _rows(ref.model, ref.field == customer.id)
    quote_ids = [q["id"] for q in data.get("quote", [])]
    order_ids = [o["id"] for o in data.get("order", [])]
    data["quote_line"] = _rows(QuoteLine, QuoteLine.quote.in_(quote_ids or [0]))
    data["order_line"] = _rows(OrderLine, OrderLine.order.in_(order_ids or [0]))
    data["audit_trail"] = _audit_rows(AuditRecord.customer_id == customer.id)
    return data


def _text_report(data: dict[str, Any]) -> str:
    lines: list[str] = []
    head = data["contact"] if isinstance(data.get("contact"), dict) else data["customer"]
    lines.append(f"Personal data held about {head.get('name')} — exported {data['exported_at']} UTC")
    lines.append("")
    for section, value in data.items():
        if section == "exported_at":
            continue
        title = section.replace("_", " ").capitalize()
        if isinstance(value, dict):
            lines.append(f"== {title}")
            lines.extend(f"  {k}: {'' if v is None else v}" for k, v in value.items())
        elif isinstance(value, list):
            lines.append(f"== {title} ({len(value)})")
            for item in value:
                if isinstance(item, dict):
                    lines.append("  - " + "; ".join(f"{k}: {v}" for k, v in item.items()
                                                    if v not in (None, "")))
                else:
                    lines.append(f"  - {item}")
        lines.append("")
    return "\n".join(lines)


def export_person(actor: Actor, customer_id: int, target: str | Path,
                  contact_id: int | None = None) -> list[Path]:
    """Write ``target`` as JSON and a readable text beside it; returns both paths."""
    data = person_data(actor, customer_id, contact_id)
    path = Path(target)
    json_path = path if path.suffix.lower() == ".json" else path.with_name(path.name + ".json")
    text_path = json_path.with_suffix(".txt")
    # As every export writes: a regular file or a new path, never through a symlink or
    # into a pipe or device, and never half-written.
    for file, text in ((json_path, json.dumps(data, ensure_ascii=False, indent=2, default=str)),
                       (text_path, _text_report(data))):
        replace_file(file, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
    return [json_path, text_path]


# --------------------------------------------------------------------------- anonymise


@dataclass
class AnonymiseResult:
    number: int
    what: str
    kept_until: dt.date | None  # the retained invoice snapshot, None when nothing is kept
    invoices_kept: int = 0

    def summary(self) -> str:
        text = _("Anonymised {what}.").format(what=self.what)
        if self.kept_until is not None:
            text += " " + ngettext(
                "{count} invoice keeps the customer's name and address as the law requires, "
                "until {date}.",
                "{count} invoices keep the customer's name and address as the law requires, "
                "until {date}.", self.invoices_kept,
            ).format(count=self.invoices_kept, date=self.kept_until.isoformat())
        return text


def _originals(values: list[Any]) -> list[str]:
    """Personal values worth looking for elsewhere (short ones would match everywhere)."""
    out = {str(v).strip() for v in values if v not in (None, "") and len(str(v).strip()) >= 4}
    return sorted(out, key=len, reverse=True)


def _scrub(text: str | None, originals: list[str]) -> str | None:
    if not text:
        return text
    for value in originals:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def _redact_audit(condition, fields: set[str], originals: list[str]) -> None:
    for row in AuditRecord.select().where(condition):
        if row.field == audit.SNAPSHOT_FIELD:
            values = audit.snapshot_values(row.new_value)
            cleaned = {k: (REDACTED if k in fields and v not in (None, "") else _scrub(v, originals))
                       for k, v in values.items()}
            new_old, new_new = row.old_value, audit.snapshot_text(cleaned) if values else _scrub(
                row.new_value, originals)
        elif row.field in fields:
            new_old = REDACTED if row.old_value not in (None, "") else row.old_value
            new_new = REDACTED if row.new_value not in (None, "") else row.new_value
        else:
            new_old, new_new = _scrub(row.old_value, originals), _scrub(row.new_value, originals)
        if (new_old, new_new) != (row.old_value, row.new_value):
            AuditRecord.update(old_value=new_old, new_value=new_new).where(
                AuditRecord.id == row.id).execute()


def _scrub_rows(model, condition, originals: list[str], keep: tuple[str, ...] = ()) -> None:
    texts = [f for f in model._meta.sorted_fields
             if isinstance(f, (peewee.CharField, peewee.TextField)) and f.name not in keep
             and not f.unique]
    for row in model.select().where(condition):
        changed = {}
        for f in texts:
            value = getattr(row, f.name)
            cleaned = _scrub(value, originals)
            if cleaned != value:
                changed[f] = cleaned
        if changed:
            model.update(changed).where(model._meta.primary_key == row.get_id()).execute()


def anonymise_preview(customer_id: int, contact_id: int | None = None) -> str:
    customer = Customer.get_by_id(customer_id)
    if contact_id is not None:
        return _("Would anonymise contact #{contact} of {name} ({number}).").format(
            contact=contact_id, name=customer.name, number=customer.number)
    kept = _retained_invoices(customer.id)
    text = _("Would anonymise {name} ({number}): personal fields, {notes} notes, {actions} "
             "action texts, {contacts} contacts.").format(
        name=customer.name, number=customer.number,
        notes=Note.select().where(Note.customer == customer.id).count(),
        actions=Action.select().where(Action.customer == customer.id).count(),
        contacts=Contact.select().where(Contact.customer == customer.id).count())
    if kept:
        text += " " + ngettext("{count} invoice keeps its snapshot until {date}.",
                               "{count} invoices keep their snapshot until {date}.",
                               len(kept)).format(count=len(kept),
                                                 date=_until(kept).isoformat())
    return text


def _retained_invoices(customer_id: int, today: dt.date | None = None) -> list[Invoice]:
    today = today or dt.date.today()
    return [inv for inv in Invoice.select().where(Invoice.customer == customer_id)
            if kept_until(inv.invoice_date) >= today]


def _until(invoices: list[Invoice]) -> dt.date:
    return max(kept_until(inv.invoice_date) for inv in invoices)


def anonymise_customer(actor: Actor, customer_id: int, today: dt.date | None = None) -> AnonymiseResult:
    """Anonymise a consumer with everything it owns (see the module text)."""
    actor.require_base_edit()
    with write_transaction():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id))
        if customer.kind != "consumer":
            raise ServiceError(
                _("{name} ({number}) is a company, not a person: anonymise its contact persons one by one (--contact ID).").format(name=customer.name, number=customer.number)
            )
        what = _("customer {number}").format(number=customer.number)
        contacts = list(Contact.select().where(Contact.customer == customer.id))
        originals = _originals(
            [getattr(customer, f) for f in CUSTOMER_PERSONAL]
            + [getattr(c, f) for c in contacts for f in CONTACT_PERSONAL]
            + [a.reference for a in CustomerAlias.select().where(CustomerAlias.customer == customer.id)]
        )
        now = utcnow()
        values = dict(CUSTOMER_PERSONAL) | {"vat_status": "not_required"}
        Customer.update({**values, "version": customer.version + 1, "updated_at": now}).where(
            Customer.id == customer.id).execute()
        for c in contacts:
            Contact.update({**CONTACT_PERSONAL, "version": c.version + 1, "updated_at": now}).where(
                Contact.id == c.id).execute()
        Note.update(text="", version=Note.version + 1, updated_at=now).where(
            Note.customer == customer.id).execute()
        Action.update(subject=ANONYMOUS, text="", version=Action.version + 1, updated_at=now).where(
            Action.customer == customer.id).execute()
        Order.update(delivery_address="", invoice_address="").where(
            Order.customer == customer.id).execute()
        CustomerAlias.update(reference=None).where(CustomerAlias.customer == customer.id).execute()
        kept = _retained_invoices(customer.id, today)
        kept_ids = [inv.id for inv in kept]
        Invoice.update(customer_name=ANONYMOUS, customer_address="", customer_vat_number="").where(
            (Invoice.customer == customer.id) & Invoice.id.not_in(kept_ids or [0])).execute()
        # Whatever else holds the values: the customer's other rows (not the kept snapshots).
        for ref in merge.customer_references():
            keep_cols = INVOICE_SNAPSHOT if ref.model is Invoice else ()
            condition = ref.field == customer.id
            if ref.model is Invoice and kept_ids:
                _scrub_rows(Invoice, condition & Invoice.id.not_in(kept_ids), originals)
                _scrub_rows(Invoice, condition & Invoice.id.in_(kept_ids), originals, keep_cols)
            else:
                _scrub_rows(ref.model, condition, originals)
        for model, parent, fk in ((QuoteLine, Quote, QuoteLine.quote), (OrderLine, Order, OrderLine.order)):
            ids = parent.select(parent.id).where(parent.customer == customer.id)
            _scrub_rows(model, fk.in_(ids), originals)
        fields = set(CUSTOMER_PERSONAL) | set(CONTACT_PERSONAL) | {
            "text", "subject", "delivery_address", "invoice_address", "merged_customer",
            "merged_into", *INVOICE_SNAPSHOT}
        _redact_audit(AuditRecord.customer_id == customer.id, fields, originals)
        # A merge's undo copy holds the old values: that merge can no longer be undone.
        CustomerMerge.update(undo_state="").where(
            (CustomerMerge.keep_id == customer.id) | (CustomerMerge.other_id == customer.id)).execute()
        audit.record(actor.username, "customer", customer.id, "anonymise",
                     {name: (REDACTED, None) for name in ("name", "address", "contact details")},
                     customer_id=customer.id, version=customer.version + 1, at=now)
    return AnonymiseResult(customer.number, what, _until(kept) if kept else None, len(kept))


def anonymise_contact(actor: Actor, contact_id: int, customer_id: int | None = None) -> AnonymiseResult:
    """Anonymise one contact person: its fields, its audit rows, the texts of its actions."""
    actor.require("contacts", "edit")
    with write_transaction():
        contact = Contact.get_or_none(Contact.id == contact_id)
        if contact is None or (customer_id is not None and contact.customer_id != customer_id):
            raise NotFound(_("There is no contact #{contact_id} of that customer.").format(contact_id=contact_id))
        originals = _originals([getattr(contact, f) for f in CONTACT_PERSONAL])
        now = utcnow()
        Contact.update({**CONTACT_PERSONAL, "version": contact.version + 1, "updated_at": now}).where(
            Contact.id == contact.id).execute()
        Action.update(text="", version=Action.version + 1, updated_at=now).where(
            Action.contact == contact.id).execute()
        _scrub_rows(Action, Action.customer == contact.customer_id, originals)
        _scrub_rows(Note, Note.customer == contact.customer_id, originals)
        _redact_audit((AuditRecord.table == "contact") & (AuditRecord.record_id == contact.id),
                      set(CONTACT_PERSONAL), originals)
        _redact_audit(AuditRecord.customer_id == contact.customer_id, set(), originals)
        audit.record(actor.username, "contact", contact.id, "anonymise",
                     {"name": (REDACTED, ANONYMOUS)}, customer_id=contact.customer_id,
                     version=contact.version + 1, at=now)
    customer = Customer.get_by_id(contact.customer_id)
    return AnonymiseResult(customer.number, _("contact #{contact} of {name} ({number})").format(
                               contact=contact.id, name=customer.name, number=customer.number),
                           None)


@dataclass(frozen=True)
class InactiveConsumer:
    id: int
    number: int
    name: str
    last_activity: dt.date | None


def inactive_consumers(since: dt.date) -> list[InactiveConsumer]:
    """Consumers with no audited change, order or invoice on or after ``since`` (and not
    anonymised already)."""
    start = dt.datetime.combine(since, dt.time())
    last_audit = dict(
        AuditRecord.select(AuditRecord.customer_id, peewee.fn.MAX(AuditRecord.at))
        .where(AuditRecord.customer_id.is_null(False)).group_by(AuditRecord.customer_id).tuples()
    )
    last_order = dict(Order.select(Order.customer, peewee.fn.MAX(Order.order_date))
                      .group_by(Order.customer).tuples())
    last_invoice = dict(Invoice.select(Invoice.customer, peewee.fn.MAX(Invoice.invoice_date))
                        .group_by(Invoice.customer).tuples())
    done = {cid for (cid,) in AuditRecord.select(AuditRecord.customer_id)
            .where((AuditRecord.table == "customer") & (AuditRecord.action == "anonymise")).tuples()}
    out: list[InactiveConsumer] = []
    for cid, number, name in (Customer.select(Customer.id, Customer.number, Customer.name)
                              .where(Customer.kind == "consumer").order_by(Customer.number).tuples()):
        if cid in done:
            continue
        moments = [d for d in (last_audit.get(cid), last_order.get(cid), last_invoice.get(cid)) if d]
        days = [_day(d) for d in moments]
        latest = max(days) if days else None
        if latest is None or latest < start.date():
            out.append(InactiveConsumer(cid, number, name, latest))
    return out


def _day(value: Any) -> dt.date:
    if isinstance(value, str):  # SQLite hands back MAX() of a date column as text
        value = dt.datetime.fromisoformat(value[:19]) if len(value) > 10 else dt.date.fromisoformat(value)
    return value.date() if isinstance(value, dt.datetime) else value
