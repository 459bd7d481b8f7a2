"""Hostile text in every field of customers, contacts, actions, quote lines and webshop
orders: the services raise only the project's own errors, a refused write changes
nothing (every table fingerprinted), and what is stored holds no character that could
steer a terminal and fits its column.

At least 1,000 examples per field group on each backend; ``--hypothesis-profile=long``
runs the profile's (larger) number.
"""

from __future__ import annotations

import json
import os

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.fingerprint import fingerprint

from tradium_tui import db as dbmod
from tradium_tui.models import Action, Contact, Customer, Order, OrderLine, QuoteLine, Role, User
from tradium_tui.services import actions, contacts, customers, quotes, text_safety
from tradium_tui.services.access import actor_for
from tradium_tui.services.customer_rules import EDITABLE_FIELDS
from tradium_tui.services.document_lines import QUOTE_LINE_FIELDS
from tradium_tui.services.errors import ServiceError
from tradium_tui.services.transfer import order_import

# CI: 1,000 examples per field group; TRADIUM_HYPOTHESIS_EXAMPLES lowers it for a quick local run.
EXAMPLES = max(int(os.environ.get("TRADIUM_HYPOTHESIS_EXAMPLES", "1000")), settings.default.max_examples)
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "\x00", "\x1b", "\x1b]0;owned\x07", "\x1b[2J", "\x9b", "\x7f", "\u202e", "\u2066", "\ud800",
    "\udfff", "\t", "\n", "\r", "\u2028", "\x85", "\x07", "\x08", "=", "+", "-", "@", "'", '"',
    ",", ";", "é", "ß", "€", "𝔘", "\u0301", " ", "0", "9", "a", "Z", ".",
]


def _text() -> st.SearchStrategy:
    return st.one_of(
        st.lists(st.sampled_from(HOSTILE), max_size=12).map("".join),
        st.text(st.characters(codec=None, categories=None), max_size=30),
        st.text(st.sampled_from("aZ0 .-"), min_size=30, max_size=300),  # column lengths
        st.sampled_from(["", "Jansen BV", "info@example.nl", "020 123 4567", "NL", "1"]),
    )


def _values(fields) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(sorted(fields)), _text(), min_size=1,
                           max_size=len(fields))


@pytest.fixture
def team(database):
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    admin = actor_for("anna")
    customer = customers.create_customer(admin, {"name": "Vast BV"}).customer
    return admin, customer


def _assert_stored_safe(model: type[peewee.Model]) -> None:
    columns = text_safety.text_columns(model)
    for row in model.select():
        for name, (length, multiline) in columns.items():
            value = getattr(row, name)
            if isinstance(value, str):
                assert text_safety.problem(value, multiline=multiline) is None, (name, value)
                assert length is None or len(value) <= length, (name, value)


def _try(write, model) -> None:
    """Run ``write`` in a transaction that is rolled back afterwards (the database stays
    small over thousands of examples); refused → nothing changed; stored → safe."""
    with dbmod.database.atomic() as txn:
        before = fingerprint()
        try:
            write()
        except ServiceError:
            assert fingerprint() == before
        else:
            _assert_stored_safe(model)
        txn.rollback()


@PROPERTY
@given(values=_values(EDITABLE_FIELDS))
def test_customer_fields(team, values):
    admin, _ = team
    _try(lambda: customers.create_customer(admin, values, check_online=False), Customer)


@PROPERTY
@given(values=_values(contacts.FIELDS))
def test_contact_fields(team, values):
    admin, customer = team
    _try(lambda: contacts.create_contact(admin, customer.id, values), Contact)


@PROPERTY
@given(values=_values(actions.FIELDS))
def test_action_fields(team, values):
    admin, customer = team
    _try(lambda: actions.create_action(admin, customer.id, values), Action)


@PROPERTY
@given(lines=st.lists(_values(QUOTE_LINE_FIELDS), min_size=1, max_size=3))
def test_quote_line_fields(team, lines):
    admin, customer = team
    _try(lambda: quotes.create_quote(admin, customer.id, {}, lines=lines), QuoteLine)


ORDER_FIELDS = ("order_number", "order_date", "email", "name", "company", "phone", "remarks",
                "vat_number", "contact_person", "language")
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city", "country")
LINE_FIELDS = ("article", "description", "quantity", "unit_price", "vat_rate")


@PROPERTY
@given(order=_values(ORDER_FIELDS), address=_values(ADDRESS_FIELDS),
       line=_values(LINE_FIELDS))
def test_webshop_order_fields(team, tmp_path_factory, order, address, line):
    admin, _ = team
    document = {"order_number": "W1", "name": "Jan de Vries", "email": "jan@example.nl",
                "invoice_address": {"street": "Kerkstraat", "house_number": "5",
                                    "postcode": "1017GA", "city": "Amsterdam", "country": "NL"},
                "lines": [{"description": "Brood", "quantity": 1, "unit_price": "2"}]}
    document.update(order)
    document["invoice_address"].update(address)
    document["lines"][0].update(line)
    path = tmp_path_factory.mktemp("orders") / "o.jsonl"
    # Lone surrogates cannot be written as UTF-8: JSON escapes them (\\ud800), as a web shop could.
    path.write_text(json.dumps(document) + "\n", encoding="utf-8")

    def write():
        report = order_import.import_orders(admin, path)
        assert report.exit_code in (0, 1, 2)

    _try(write, Order)
    _assert_stored_safe(OrderLine)
