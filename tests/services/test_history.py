"""The History tab: readable rows of a customer's audit trail, without what tabs hide."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradium_tui.models import AuditRecord, Customer, Role, TabPermission, User
from tradium_tui.services import contacts, history, invoices, notes
from tradium_tui.services.access import TABS, actor_for
from tradium_tui.services.errors import PermissionDenied


def test_rows_are_readable_newest_first(admin, customer):
    contact = contacts.create_contact(admin, customer.id, {"name": "Jan", "email": "jan@example.nl"})
    contacts.update_contact(admin, contact.id, {"email": "j.devries@example.nl"}, contact.version)
    rows = history.customer_history(admin, customer.id)
    newest = rows[0]
    assert (newest.who, newest.record, newest.action, newest.field) == (
        "anna", f"Contact #{contact.id}", "changed", "E-mail",
    )
    assert (newest.old, newest.new) == ("jan@example.nl", "j.devries@example.nl")
    assert {r.field for r in rows if r.action == "created"} >= {"Name", "E-mail", "Primary contact"}
    assert all(rows[i].at >= rows[i + 1].at for i in range(len(rows) - 1))
    assert len(history.customer_history(admin, customer.id, limit=2)) == 2


def test_other_customers_are_not_shown(admin, customer, database):
    other = Customer.create(number=1002, name="Other")
    notes.create_note(admin, other.id, {"text": "elsewhere"})
    assert history.customer_history(admin, customer.id) == []


def test_hidden_tabs_are_left_out_and_hidden_history_is_refused(admin, customer):
    notes.create_note(admin, customer.id, {"text": "visible"})
    invoices.create_invoice(admin, customer.id, {"amount_excl": "100"})
    role = Role.create(name="no_invoices", label="No invoices")
    TabPermission.insert_many(
        [{"role": role.id, "tab": t, "level": "hidden" if t == "invoices" else "view"} for t in TABS]
    ).execute()
    User.create(username="vera", role=role)
    vera = actor_for("vera")
    tables = {r.table for r in history.customer_history(vera, customer.id)}
    assert tables == {"note"}
    assert {r.table for r in history.customer_history(admin, customer.id)} == {"note", "invoice"}

    TabPermission.update(level="hidden").where(
        (TabPermission.role == role) & (TabPermission.tab == "history")
    ).execute()
    with pytest.raises(PermissionDenied):
        history.customer_history(actor_for("vera"), customer.id)


def test_labels_and_tidy_numbers():
    assert history.field_label("vat_number") == "VAT number"
    assert history.field_label("custom_3") == "Custom field 3"
    assert history.field_label("something_new") == "Something new"
    assert history.record_label("order", 7) == "Order #7"
    assert history.tidy_value("12.9500") == "12.95"
    assert history.tidy_value("12.5000") == "12.50"
    assert history.tidy_value("Molenstraat 12") == "Molenstraat 12"


def test_a_snapshot_row_is_shown_field_by_field(admin, customer):
    """An imported customer's creation is one audit row with all values; History splits it."""
    from tradium_tui.services import audit

    audit.record("imp", "customer", customer.id, "create", None, customer_id=customer.id, version=1)
    row = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    row.field = audit.SNAPSHOT_FIELD
    row.new_value = audit.snapshot_text({"name": "Bakkerij Lens", "credit_limit": Decimal("2500.00"),
                                         "charge_vat": False})
    row.save()
    created = [h for h in history.customer_history(admin, customer.id) if h.who == "imp"]
    assert [(h.action, h.field, h.old, h.new) for h in created] == [
        ("created", "Name", None, "Bakkerij Lens"),
        ("created", "Credit limit", None, "2500"),
        ("created", "Charge VAT", None, "no"),
    ]
    # A damaged value is shown as stored, not hidden, and raises nothing.
    row.new_value = "{not json"
    row.save()
    damaged = [h for h in history.customer_history(admin, customer.id) if h.who == "imp"]
    assert [(h.action, h.field, h.new) for h in damaged] == [("created", "", "{not json")]
