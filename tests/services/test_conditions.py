"""Conditions: prices, discounts and payment terms with validity; the tab's summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.models import (
    AuditRecord,
    Condition,
    ConditionGroup,
    Customer,
    CustomerGroup,
    Role,
    Setting,
    User,
)
from tradium_tui.services import conditions
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import ConflictError, NotFound, PermissionDenied, ValidationError

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def customer(database):
    group = CustomerGroup.create(name="Horeca", discount_percent=D("7.5"))
    cgroup = ConditionGroup.create(code="HOR", name="Horeca-condities", description="Franco vanaf 250")
    return Customer.create(number=1001, name="Café Het Hoekje", customer_group=group, condition_group=cgroup)


def test_price_condition(admin, customer):
    cond = conditions.create_condition(
        admin, customer.id,
        {"kind": "price", "article": "KOF-1", "price": "12,95", "valid_from": "01-01-2026",
         "valid_until": "31-12-2026"},
    )
    assert (cond.kind, cond.article, cond.price, cond.discount_percent) == ("price", "KOF-1", D("12.95"), None)
    row = conditions.list_conditions(admin, customer.id, today=TODAY)[0]
    assert row.active and not row.expired
    audit = AuditRecord.get((AuditRecord.table == "condition") & (AuditRecord.field == "price"))
    assert (D(audit.new_value), audit.customer_id) == (D("12.95"), customer.id)
    # Saving the same price again (typed differently) is no change: no new version.
    same = conditions.update_condition(admin, cond.id, {"price": "12,950"}, cond.version)
    assert same.version == cond.version


def test_create_bad_input(admin, customer):
    with pytest.raises(ValidationError) as info:
        conditions.create_condition(
            admin, customer.id,
            {"kind": "discount", "discount_percent": "120", "valid_from": "2026-06-01",
             "valid_until": "2026-05-01", "price": "3"},
        )
    assert set(info.value.errors) == {"discount_percent", "valid_until", "price", "article"}
    with pytest.raises(ValidationError) as info:
        conditions.create_condition(admin, customer.id, {"kind": "gift"})
    assert "kind" in info.value.errors
    with pytest.raises(ValidationError) as info:
        conditions.create_condition(
            admin, customer.id, {"kind": "discount", "article": "A", "article_group": "G", "discount_percent": "5"}
        )
    assert "not both" in info.value.errors["article_group"]
    with pytest.raises(ValidationError) as info:
        conditions.create_condition(
            admin, customer.id, {"kind": "payment_term", "payment_term_days": "400", "article": "A"}
        )
    assert set(info.value.errors) == {"payment_term_days", "article"}
    with pytest.raises(ValidationError) as info:
        conditions.create_condition(admin, customer.id, {"kind": "price", "article": "A"})
    assert "required" in info.value.errors["price"]
    assert Condition.select().count() == 0


def test_update_bad_input_kind_change_and_conflict(admin, customer):
    cond = conditions.create_condition(
        admin, customer.id, {"kind": "discount", "article_group": "KOFFIE", "discount_percent": "10"}
    )
    with pytest.raises(ValidationError) as info:
        conditions.update_condition(admin, cond.id, {"discount_percent": "abc"}, cond.version)
    assert "discount_percent" in info.value.errors
    with pytest.raises(ValidationError) as info:
        conditions.update_condition(admin, cond.id, {"kind": "price"}, cond.version)
    assert "required" in info.value.errors["price"]
    assert Condition.get_by_id(cond.id).kind == "discount"
    changed = conditions.update_condition(admin, cond.id, {"kind": "price", "price": "9,50"}, cond.version)
    assert (changed.kind, changed.price, changed.discount_percent) == ("price", D("9.5"), None)
    with pytest.raises(ConflictError):
        conditions.update_condition(admin, cond.id, {"price": "9"}, cond.version)
    conditions.delete_condition(admin, changed.id, changed.version)
    with pytest.raises(NotFound):
        conditions.get_condition(admin, changed.id)


def test_summary_and_payment_term(admin, customer):
    summary = conditions.conditions_summary(customer.id, on=TODAY)
    assert (summary.customer_group, summary.group_discount_percent) == ("Horeca", D("7.5"))
    assert summary.effective_discount_percent == D("7.5")
    assert (summary.condition_group_code, summary.condition_group_name) == ("HOR", "Horeca-condities")
    assert (summary.payment_term_days, summary.payment_term_source) == (30, "default")

    Setting.create(key=conditions.PAYMENT_TERM_SETTING, value="21")
    assert conditions.payment_term_days(customer.id, TODAY) == 21

    conditions.create_condition(
        admin, customer.id,
        {"kind": "payment_term", "payment_term_days": "14", "valid_until": "2026-06-30"},
    )
    conditions.create_condition(
        admin, customer.id,
        {"kind": "payment_term", "payment_term_days": "60", "valid_from": "2026-07-01"},
    )
    assert conditions.payment_term_days(customer.id, TODAY) == 14
    assert conditions.payment_term_days(customer.id, dt.date(2026, 7, 2)) == 60
    summary = conditions.conditions_summary(customer.id, on=TODAY)
    assert (summary.payment_term_days, summary.payment_term_source, summary.active_conditions) == (
        14, "condition", 1,
    )
    Customer.update(discount_percent=D("3")).where(Customer.id == customer.id).execute()
    assert conditions.conditions_summary(customer.id, on=TODAY).effective_discount_percent == D("3")


def test_summary_checks_view_when_given_an_actor(database, customer):
    role = Role.create(name="blind", label="Blind")
    User.create(username="bob", role=role)
    bob = actor_for("bob")
    with pytest.raises(PermissionDenied):
        conditions.conditions_summary(customer.id, actor=bob)
    with pytest.raises(NotFound):
        conditions.conditions_summary(999_999)


def test_expired_flags(admin, customer):
    conditions.create_condition(
        admin, customer.id,
        {"kind": "discount", "article": "OUD", "discount_percent": "5", "valid_until": "2026-01-31"},
    )
    conditions.create_condition(
        admin, customer.id,
        {"kind": "discount", "article": "NIEUW", "discount_percent": "5", "valid_from": "2026-07-01"},
    )
    rows = {r.article: (r.active, r.expired) for r in conditions.list_conditions(admin, customer.id, today=TODAY)}
    assert rows == {"OUD": (False, True), "NIEUW": (False, False)}


TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "price", "discount", "payment_term", "5", "0", "-1", "12,95",
                     "101", "366", "2026-01-01", "2025-01-01", "\x00", "A"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(conditions.FIELDS), TEXT, max_size=6))
def test_arbitrary_text_is_stored_or_refused_per_field(admin, customer, values):
    before = Condition.select().count()
    try:
        cond = conditions.create_condition(admin, customer.id, values)
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert Condition.select().count() == before
        return
    try:
        conditions.update_condition(admin, cond.id, values, cond.version)
    except ValidationError:
        assert Condition.get_by_id(cond.id).version == cond.version
