"""Snapshots of the main screen at 80×24 and 120×40 on a fixed customer.

Everything shown is fixed: the customer, its contacts and actions are made through the
services with fixed values, their timestamps are set to one fixed moment, times are shown
in UTC, and nothing shown depends on today's date.  So the pictures are the same on
SQLite and PostgreSQL.  Update with ``pytest tests/test_snapshots.py --snapshot-update``
after checking the new pictures by eye.
"""

from __future__ import annotations

import time

import pytest
from app_support import (
    COMPANY,
    FIXED_AT,
    all_panes_mounted,
    create_customer,
    freeze_customer_times,
    loaded_pane,
    make_team,
    settings_for,
    started,
    wait_for,
)

from tradium_tui import formatting
from tradium_tui.app import make_app
from tradium_tui.models import Action, Contact, Note
from tradium_tui.services import actions, contacts, custom_fields, groups, notes


@pytest.fixture
def fixed_customer(database, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    formatting.set_locale("nl_NL")
    team = make_team()
    admin = team["admin"]
    custom_fields.define(admin, 1, "Delivery day", "text")
    group = groups.create_customer_group(admin, "Wholesale", "5")
    condition_group = groups.create_condition_group(admin, "B2B", "Trade terms")
    customer = create_customer(
        admin, **COMPANY, custom_1="Monday", account_manager="admin",
        customer_group=group.id, condition_group=condition_group.id,
    )
    contacts.create_contact(admin, customer.id, {
        "name": "Jan de Vries", "function": "Purchasing", "email": "jan@vdberg.example",
        "phone": "020 123 4569",
    })
    contacts.create_contact(admin, customer.id, {
        "name": "Branch Utrecht", "kind": "branch", "city": "Utrecht", "phone": "030 123 4567",
    })
    actions.create_action(admin, customer.id, {
        "type": "visit", "subject": "Showroom visit", "happened_at": "2026-02-20 10:15",
        "text": "Looked at the spring range.",
    })
    actions.create_action(admin, customer.id, {
        "type": "call", "subject": "Send the price list", "happened_at": "2026-03-01 14:00",
        "follow_up_on": "2099-03-01",
    })
    notes.create_note(admin, customer.id, {"text": "Prefers e-mail over phone.", "pinned": True})
    for model in (Contact, Action, Note):
        model.update(created_at=FIXED_AT, updated_at=FIXED_AT).execute()
    freeze_customer_times(customer.id)
    yield {"admin": admin, "customer": customer}
    monkeypatch.delenv("TZ")
    time.tzset()


def _ready(*then: str, tab: str | None = None):
    async def run_before(pilot) -> None:
        pilot.app.animation_level = "none"
        main = await started(pilot)
        if tab is not None:
            main.show_tab(tab)
            await loaded_pane(pilot, main, tab)
        await all_panes_mounted(pilot, main)
        for key in then:
            await pilot.press(key)
        await wait_for(pilot, lambda: not any(w.is_running for w in pilot.app.workers))
        # A blinking cursor would make the picture depend on the moment it is taken.
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def _app(database, world):
    return make_app(settings=settings_for(database), actor=world["admin"])


def test_main_screen_120x40(snap_compare, database, fixed_customer):
    assert snap_compare(_app(database, fixed_customer), terminal_size=(120, 40),
                        run_before=_ready())


def test_main_screen_80x24(snap_compare, database, fixed_customer):
    assert snap_compare(_app(database, fixed_customer), terminal_size=(80, 24),
                        run_before=_ready())


def test_actions_tab_120x40(snap_compare, database, fixed_customer):
    assert snap_compare(_app(database, fixed_customer), terminal_size=(120, 40),
                        run_before=_ready(tab="actions"))


def test_log_contact_dialog_80x24(snap_compare, database, fixed_customer):
    assert snap_compare(_app(database, fixed_customer), terminal_size=(80, 24),
                        run_before=_ready("l"))
