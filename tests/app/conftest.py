"""Fixtures of the app tests: the app itself (``new_app``), the usual team with one company
customer (``world``) and the fixed customer the snapshots show."""

from __future__ import annotations

import time

import pytest
from support.app import (
    COMPANY,
    FIXED_AT,
    create_customer,
    freeze_customer_times,
    make_team,
    settings_for,
)

from tradium_tui import formatting
from tradium_tui.app import make_app
from tradium_tui.models import Action, Contact, Note
from tradium_tui.services import actions, contacts, custom_fields, groups, notes


@pytest.fixture
def new_app(database):
    """``new_app(actor, settings=None, **options)``: the real app on the test database
    (English, Dutch formatting, home country NL unless ``settings`` says otherwise)."""

    def build(actor, settings=None, **options):
        return make_app(settings=settings or settings_for(database), actor=actor, **options)

    return build


@pytest.fixture
def world(team):
    """The team (``admin``, ``sales``) and the company ``customer`` of ``support.app.COMPANY``."""
    return {**team, "customer": create_customer(team["admin"], **COMPANY)}


@pytest.fixture
def fixed_customer(database, monkeypatch):
    """The customer of the main-screen snapshots (every language): contacts, actions and a
    pinned note with fixed values and times, shown in UTC; ``{"admin", "customer"}``."""
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
