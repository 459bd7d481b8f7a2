"""Every tab with records × every level × every write function, called on the services.

For each case a role gets exactly one level on the tab under test (edit everywhere else,
so that a refusal can only come from that tab), then the service function is called
directly — no UI in between.  ``edit`` must succeed; ``view`` and ``hidden`` must raise
PermissionDenied and leave the database as it was.  Reading (list_* / get_*) needs view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tradium_tui.models import AuditRecord, Customer, Role, TabPermission, User
from tradium_tui.services import (
    actions,
    conditions,
    contacts,
    credit_notes,
    history,
    invoices,
    notes,
    orders,
    quotes,
)
from tradium_tui.services.access import LEVELS, TABS, Actor, actor_for, system_actor
from tradium_tui.services.errors import PermissionDenied

LINE = {"description": "Koffie", "quantity": "2", "unit_price": "10"}


@dataclass
class World:
    customer: Customer
    contact: Any
    action: Any
    note: Any
    quote: Any
    accepted_quote: Any
    order: Any
    invoice: Any
    condition: Any


def _world() -> World:
    """One record of every kind, written by an all-powerful actor."""
    root = system_actor("setup")
    customer = Customer.create(number=1001, name="Matrix BV")
    quote = quotes.create_quote(root, customer.id, {}, [LINE])
    accepted = quotes.create_quote(root, customer.id, {}, [LINE])
    accepted = quotes.set_quote_status(root, accepted.id, "accepted", accepted.version)
    return World(
        customer=customer,
        contact=contacts.create_contact(root, customer.id, {"name": "Jan"}),
        action=actions.log_contact_moment(root, customer.id, "call", "Belafspraak", follow_up_on="2030-01-01"),
        note=notes.create_note(root, customer.id, {"text": "Notitie"}),
        quote=quote,
        accepted_quote=accepted,
        order=orders.create_order(root, customer.id, {}, [LINE]),
        invoice=invoices.create_invoice(root, customer.id, {"amount_excl": "100"}),
        condition=conditions.create_condition(
            root, customer.id, {"kind": "discount", "article": "A", "discount_percent": "5"}
        ),
    )


# tab → {write function name: call(actor, world)}
Write = Callable[[Actor, World], Any]
WRITES: dict[str, dict[str, Write]] = {
    "contacts": {
        "create_contact": lambda a, w: contacts.create_contact(a, w.customer.id, {"name": "Piet"}),
        "update_contact": lambda a, w: contacts.update_contact(a, w.contact.id, {"function": "Inkoop"}, w.contact.version),
        "make_primary": lambda a, w: contacts.make_primary(
            a, contacts.create_contact(system_actor(), w.customer.id, {"name": "Kees"}).id, 1
        ),
        "delete_contact": lambda a, w: contacts.delete_contact(a, w.contact.id, w.contact.version),
    },
    "actions": {
        "create_action": lambda a, w: actions.create_action(a, w.customer.id, {"subject": "Bezoek"}),
        "log_contact_moment": lambda a, w: actions.log_contact_moment(a, w.customer.id, "call", "Gebeld"),
        "update_action": lambda a, w: actions.update_action(a, w.action.id, {"subject": "Anders"}, w.action.version),
        "complete_action": lambda a, w: actions.complete_action(a, w.action.id, w.action.version),
        "reopen_action": lambda a, w: actions.reopen_action(
            a, w.action.id, actions.complete_action(system_actor(), w.action.id, w.action.version).version
        ),
        "delete_action": lambda a, w: actions.delete_action(a, w.action.id, w.action.version),
    },
    "notes": {
        "create_note": lambda a, w: notes.create_note(a, w.customer.id, {"text": "Nieuw"}),
        "update_note": lambda a, w: notes.update_note(a, w.note.id, {"text": "Anders"}, w.note.version),
        "pin_note": lambda a, w: notes.pin_note(a, w.note.id, w.note.version),
        "unpin_note": lambda a, w: notes.unpin_note(
            a, w.note.id, notes.pin_note(system_actor(), w.note.id, w.note.version).version
        ),
        "delete_note": lambda a, w: notes.delete_note(a, w.note.id, w.note.version),
    },
    "quotes": {
        "create_quote": lambda a, w: quotes.create_quote(a, w.customer.id, {}, [LINE]),
        "update_quote": lambda a, w: quotes.update_quote(a, w.quote.id, {"reference": "R"}, w.quote.version),
        "set_quote_status": lambda a, w: quotes.set_quote_status(a, w.quote.id, "sent", w.quote.version),
        "set_quote_lines": lambda a, w: quotes.set_quote_lines(a, w.quote.id, [LINE, LINE], w.quote.version),
        "delete_quote": lambda a, w: quotes.delete_quote(a, w.quote.id, w.quote.version),
        "convert_quote_to_order": lambda a, w: quotes.convert_quote_to_order(a, w.accepted_quote.id),
    },
    "orders": {
        "create_order": lambda a, w: orders.create_order(a, w.customer.id, {}, [LINE]),
        "update_order": lambda a, w: orders.update_order(a, w.order.id, {"reference": "R"}, w.order.version),
        "set_order_lines": lambda a, w: orders.set_order_lines(a, w.order.id, [LINE, LINE], w.order.version),
        "deliver_all": lambda a, w: orders.deliver_all(a, w.order.id, w.order.version),
        "cancel_order": lambda a, w: orders.cancel_order(a, w.order.id, w.order.version),
        "reopen_order": lambda a, w: orders.reopen_order(
            a, w.order.id, orders.cancel_order(system_actor(), w.order.id, w.order.version).version
        ),
        "delete_order": lambda a, w: orders.delete_order(a, w.order.id, w.order.version),
        "convert_quote_to_order": lambda a, w: quotes.convert_quote_to_order(a, w.accepted_quote.id),
    },
    "invoices": {
        "create_invoice": lambda a, w: invoices.create_invoice(a, w.customer.id, {"amount_excl": "5"}),
        "update_invoice": lambda a, w: invoices.update_invoice(a, w.invoice.id, {"due_date": "2030-01-01"}, w.invoice.version),
        "register_payment": lambda a, w: invoices.register_payment(a, w.invoice.id, "10", None, w.invoice.version),
        "cancel_invoice": lambda a, w: invoices.cancel_invoice(a, w.invoice.id, w.invoice.version),
        "credit_invoice": lambda a, w: credit_notes.credit_invoice(a, w.invoice.id, w.invoice.version),
    },
    "conditions": {
        "create_condition": lambda a, w: conditions.create_condition(
            a, w.customer.id, {"kind": "price", "article": "B", "price": "1"}
        ),
        "update_condition": lambda a, w: conditions.update_condition(
            a, w.condition.id, {"discount_percent": "6"}, w.condition.version
        ),
        "delete_condition": lambda a, w: conditions.delete_condition(a, w.condition.id, w.condition.version),
    },
}

# tab → reading functions that need at least view.
READS: dict[str, list[Callable[[Actor, World], Any]]] = {
    "contacts": [
        lambda a, w: contacts.list_contacts(a, w.customer.id),
        lambda a, w: contacts.get_contact(a, w.contact.id),
    ],
    "actions": [
        lambda a, w: actions.list_actions(a, w.customer.id),
        lambda a, w: actions.get_action(a, w.action.id),
        lambda a, w: actions.my_open_actions(a),
    ],
    "notes": [
        lambda a, w: notes.list_notes(a, w.customer.id),
        lambda a, w: notes.get_note(a, w.note.id),
    ],
    "quotes": [
        lambda a, w: quotes.list_quotes(a, w.customer.id),
        lambda a, w: quotes.get_quote(a, w.quote.id),
        lambda a, w: quotes.quote_lines(a, w.quote.id),
    ],
    "orders": [
        lambda a, w: orders.list_orders(a, w.customer.id),
        lambda a, w: orders.get_order(a, w.order.id),
        lambda a, w: orders.order_lines(a, w.order.id),
    ],
    "invoices": [
        lambda a, w: invoices.list_invoices(a, w.customer.id),
        lambda a, w: invoices.get_invoice(a, w.invoice.id),
    ],
    "conditions": [
        lambda a, w: conditions.list_conditions(a, w.customer.id),
        lambda a, w: conditions.get_condition(a, w.condition.id),
        lambda a, w: conditions.conditions_summary(w.customer.id, actor=a),
    ],
    "history": [lambda a, w: history.customer_history(a, w.customer.id)],
}

CASES = [(tab, level) for tab in READS for level in LEVELS]


def _actor_with(tab: str, level: str) -> Actor:
    """A user whose role has ``level`` on ``tab`` and edit on every other tab."""
    role = Role.create(name="matrix", label="Matrix")
    TabPermission.insert_many(
        [{"role": role.id, "tab": t, "level": level if t == tab else "edit"} for t in TABS]
    ).execute()
    User.create(username="mia", role=role)
    actor = actor_for("mia")
    assert actor.level(tab) == level  # resolved from the rows just written
    return actor


def _fingerprint() -> tuple[int, int]:
    return AuditRecord.select().count(), AuditRecord.select().order_by(AuditRecord.id.desc()).scalar() or 0


def test_every_tab_with_records_is_covered():
    record_tabs = {tab for tab in TABS if tab not in ("history", "analysis", "graph")}
    assert set(WRITES) == record_tabs
    assert set(READS) >= record_tabs | {"history"}


@pytest.mark.parametrize(("tab", "level"), CASES, ids=[f"{t}-{lv}" for t, lv in CASES])
def test_tab_level(database, tab, level):
    """Each write function of the tab, then each read, as a user with ``level`` on it.

    Every call runs in a transaction that is rolled back afterwards, so each one starts
    from the same records.
    """
    world = _world()
    actor = _actor_with(tab, level)
    for name, call in WRITES.get(tab, {}).items():
        if level == "edit":
            with database.atomic() as txn:
                before = _fingerprint()
                call(actor, world)
                assert _fingerprint()[0] > before[0], f"{name}: an allowed write leaves an audit trail"
                assert AuditRecord.select().where(AuditRecord.username == "mia").exists(), name
                txn.rollback()
        else:
            with pytest.raises(PermissionDenied) as info, database.atomic():
                call(actor, world)
            assert ("no access" if level == "hidden" else "only view") in str(info.value), name
            # Some cases first write with another actor; nothing may be written as mia.
            assert not AuditRecord.select().where(AuditRecord.username == "mia").exists(), name
    for call in READS[tab]:
        if level == "hidden":
            with pytest.raises(PermissionDenied):
                call(actor, world)
        else:
            call(actor, world)


def test_default_sales_role(database):
    """The sales defaults: edit contacts, actions and notes; only view the documents."""
    world = _world()
    User.create(username="sam", role=Role.get(name="sales"))
    sam = actor_for("sam")
    contacts.create_contact(sam, world.customer.id, {"name": "Door sales"})
    actions.log_contact_moment(sam, world.customer.id, "call", "Door sales")
    notes.create_note(sam, world.customer.id, {"text": "Door sales"})
    for tab in ("quotes", "orders", "invoices", "conditions"):
        for call in READS[tab]:
            call(sam, world)
        for name, call in WRITES[tab].items():
            with pytest.raises(PermissionDenied):
                call(sam, world)
            assert not AuditRecord.select().where(
                (AuditRecord.username == "sam") & (AuditRecord.table != "contact")
                & (AuditRecord.table != "action") & (AuditRecord.table != "note")
            ).exists(), name
