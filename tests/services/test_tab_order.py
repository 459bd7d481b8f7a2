"""Tab order: own order, else role default, else the default; hidden tabs stay out."""

from __future__ import annotations

import pytest

from tradium_tui.models import AuditRecord, Role, User
from tradium_tui.services import tab_order, users
from tradium_tui.services.access import TABS, actor_for
from tradium_tui.services.errors import PermissionDenied, ValidationError


def test_parse_and_complete():
    assert tab_order.parse_order(" notes, ,bogus,contacts,notes") == ["notes", "contacts"]
    full = tab_order.complete_order(["notes", "contacts"])
    assert full[:2] == ["notes", "contacts"] and sorted(full) == sorted(TABS)
    assert tab_order.complete_order([]) == list(TABS)


def test_default_order_is_tabs_order(alice):
    assert tab_order.visible_tabs(alice) == list(TABS)
    Role.update(tab_order="").where(Role.name == "admin").execute()
    assert tab_order.visible_tabs(actor_for("alice")) == list(TABS)


def test_hidden_tabs_stay_out(alice):
    users.grant(alice, "sales", "invoices", "hidden")
    sam = actor_for("sam")
    assert "invoices" not in tab_order.visible_tabs(sam)
    tab_order.set_user_tab_order(sam, ["invoices", "notes"])  # a hidden tab is ignored
    assert "invoices" not in tab_order.visible_tabs(sam)
    assert tab_order.visible_tabs(sam)[0] == "notes"
    # Once granted, the tab appears at the end of the user's own order.
    users.grant(alice, "sales", "invoices", "view")
    assert tab_order.visible_tabs(actor_for("sam"))[-1] == "invoices"


def test_own_order_survives_a_new_session_and_is_per_user(alice):
    sam = actor_for("sam")
    order = tab_order.set_user_tab_order(sam, ["notes", "actions", "contacts"])
    assert order[:3] == ["notes", "actions", "contacts"]
    assert tab_order.visible_tabs(actor_for("sam")) == order  # "after a restart"
    assert tab_order.visible_tabs(actor_for("sue")) == list(TABS)
    row = AuditRecord.get((AuditRecord.table == "user") & (AuditRecord.field == "tab_order"))
    assert row.username == "sam" and row.new_value.startswith("notes,actions,contacts")


def test_role_default_applies_until_own_order(alice):
    full = tab_order.set_role_tab_order(alice, "sales", ["orders", "quotes"])
    assert full[:2] == ["orders", "quotes"] and len(full) == len(TABS)
    assert tab_order.visible_tabs(actor_for("sam"))[:2] == ["orders", "quotes"]
    assert tab_order.visible_tabs(alice) == list(TABS)  # other roles unaffected
    sam = actor_for("sam")
    tab_order.set_user_tab_order(sam, ["notes"])
    assert tab_order.visible_tabs(sam)[0] == "notes"
    assert tab_order.has_own_order(sam)
    assert tab_order.visible_tabs(actor_for("sue"))[:2] == ["orders", "quotes"]
    reset = tab_order.reset_user_tab_order(sam)
    assert reset[:2] == ["orders", "quotes"] and not tab_order.has_own_order(sam)
    assert User.get(User.username == "sam").tab_order == ""


def test_saving_the_role_default_follows_later_changes(alice):
    sam = actor_for("sam")
    tab_order.set_user_tab_order(sam, tab_order.role_default_tabs(sam))
    assert not tab_order.has_own_order(sam)
    tab_order.set_role_tab_order(alice, "sales", ["graph"])
    assert tab_order.visible_tabs(sam)[0] == "graph"


def test_role_order_needs_manage_users(alice):
    sam = actor_for("sam")
    with pytest.raises(PermissionDenied):
        tab_order.set_role_tab_order(sam, "sales", ["notes"])
    assert Role.get(Role.name == "sales").tab_order == ",".join(TABS)


@pytest.mark.parametrize("order", [["notes", "kitchen"], ["notes", "notes"]])
def test_bad_orders_are_refused(alice, order):
    sam = actor_for("sam")
    with pytest.raises(ValidationError) as info:
        tab_order.set_user_tab_order(sam, order)
    assert "tab_order" in info.value.errors
    with pytest.raises(ValidationError):
        tab_order.set_role_tab_order(alice, "sales", order)
    assert User.get(User.username == "sam").tab_order == ""


def test_role_order_is_audited(alice):
    tab_order.set_role_tab_order(alice, "sales", ["notes"])
    row = AuditRecord.get((AuditRecord.table == "role") & (AuditRecord.field == "tab_order"))
    assert row.username == "alice" and row.new_value.startswith("notes,contacts")
    before = AuditRecord.select().count()
    tab_order.set_role_tab_order(alice, "sales", ["notes"])
    assert AuditRecord.select().count() == before
