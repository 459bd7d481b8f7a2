"""Property test: any text in any customer field gives a stored customer or field errors.

Never another exception, and a refused update leaves the stored record as it was.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.models import Customer
from tradium_tui.services import customers as cs
from tradium_tui.services import groups as gs
from tradium_tui.services.customer_rules import EDITABLE_FIELDS
from tradium_tui.services.errors import ValidationError

# Good values mixed in, so that successful saves are explored too.
GOOD = {
    "kind": ["company", "consumer", "bedrijf"],
    "visit_country": ["NL", "be", "Germany", "FR"],
    "postal_country": ["", "NL", "ES"],
    "visit_postcode": ["1012 LG", "1000", "10115", "28001"],
    "postal_postcode": ["2601DC", "75001"],
    "email": ["info@example.nl", ""],
    "phone": ["020 123 4567", "+32 2 555 12 12", ""],
    "mobile": ["06 12345678"],
    "fax": ["+31 20 123 4567"],
    "website": ["example.nl", "https://www.example.com/x"],
    "coc_number": ["34123456", ""],
    "vat_number": ["NL004495445B01", "DE136695976", "BE0411905847", "NL004495446B01", ""],
    "iban": ["NL91ABNA0417164300", "DE89370400440532013000", ""],
    "bic": ["ABNANL2A", "COBADEFFXXX", ""],
    "credit_limit": ["1.500,00", "0", "250"],
    "discount_percent": ["2,5", "10", "0"],
    "custom_num": ["3,1415", ""],
    "mailing_code": ["7", ""],
    "number": ["", "987654"],
    "language": ["nl", "fr", "es_ES"],
    "auto_split_orders": ["ja", "no", ""],
    "charge_vat": ["yes", "0"],
    "customer_group": ["", "Group A"],
    "condition_group": ["", "C1"],
    "account_manager": ["", "anna"],
    "last_name": ["Jansen"],
    "first_name": ["Piet"],
    "name": ["Bakkerij B.V."],
}

FIELDS = sorted(EDITABLE_FIELDS)


def _value(field: str):
    return st.one_of(
        st.text(max_size=40),
        st.sampled_from(GOOD.get(field, ["", "x"])),
        st.none(),
        st.integers(min_value=-10**6, max_value=10**15),
    )


# A handful of fields per example (all fields over the run), each with arbitrary input.
values_strategy = st.lists(st.sampled_from(FIELDS), min_size=1, max_size=10, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({name: _value(name) for name in names})
)


@pytest.fixture
def anna(admin):
    gs.create_customer_group(admin, "Group A", 5)
    gs.create_condition_group(admin, "C1", "Conditions one")
    return admin


def _snapshot(customer_id: int) -> dict:
    return dict(Customer.get_by_id(customer_id).__data__)


PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(values=values_strategy, with_name=st.booleans())
def test_create_gives_customer_or_field_errors(anna, values, with_name):
    if with_name and "name" not in values:
        values = {"name": "Base B.V.", **values}
    before = Customer.select().count()
    try:
        result = cs.create_customer(anna, values, check_online=False)
    except ValidationError as exc:
        assert exc.errors
        assert all(isinstance(k, str) and isinstance(m, str) and m for k, m in exc.errors.items())
        assert Customer.select().count() == before
        return
    stored = Customer.get_by_id(result.customer.id)
    assert stored.version == 1 and stored.name
    assert stored.vat_status in ("valid", "invalid", "missing", "not_required", "unchecked")
    assert Customer.select().count() == before + 1


@PROPERTY_SETTINGS
@given(values=values_strategy)
def test_update_gives_customer_or_field_errors_and_refusal_changes_nothing(anna, values):
    c = Customer.select().where(Customer.name == "Property Target").first()
    if c is None:
        c = cs.create_customer(
            anna,
            {"name": "Property Target", "vat_number": "NL004495445B01", "email": "t@example.nl",
             "iban": "NL91ABNA0417164300", "visit_postcode": "1012 LG"},
            check_online=False,
        ).customer
    before = _snapshot(c.id)
    try:
        result = cs.update_customer(anna, c.id, values, before["version"], check_online=False)
    except ValidationError as exc:
        assert exc.errors
        assert all(isinstance(k, str) and isinstance(m, str) and m for k, m in exc.errors.items())
        assert _snapshot(c.id) == before
        return
    after = _snapshot(c.id)
    assert after["version"] in (before["version"], before["version"] + 1)
    assert result.customer.version == after["version"]
    if after["version"] == before["version"]:
        assert after == before
    # Keep the target findable for the next example.
    if after["name"] != "Property Target":
        cs.update_customer(
            anna, c.id, {"kind": "company", "name": "Property Target"}, after["version"],
            check_online=False,
        )
