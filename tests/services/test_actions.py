"""Actions: contact moments, follow-ups, overdue flags and "my open actions"."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.models import Action, AuditRecord, Customer, utcnow
from tradium_tui.services import actions, contacts
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError

TODAY = dt.date(2026, 3, 10)


def test_log_contact_moment_without_follow_up_is_done(sales, customer):
    before = utcnow().replace(microsecond=0)
    action = actions.log_contact_moment(sales, customer.id, "call", "Asked about prices", "Wants a quote")
    assert action.status == "done"
    assert action.completed_at is not None
    assert action.user_id == sales.user.id
    assert before <= action.happened_at <= utcnow()
    audit = AuditRecord.select().where(
        (AuditRecord.table == "action") & (AuditRecord.record_id == action.id)
    )
    assert {r.field for r in audit} >= {"type", "subject", "text", "status"}
    assert {r.customer_id for r in audit} == {customer.id}
    assert {r.username for r in audit} == {"sam"}


def test_log_contact_moment_with_follow_up_is_open(sales, customer):
    action = actions.log_contact_moment(
        sales, customer.id, "visit", "Showroom visit", follow_up_on="23-03-2026"
    )
    assert action.status == "open"
    assert action.follow_up_on == dt.date(2026, 3, 23)
    assert action.completed_at is None


def test_create_bad_input(sales, customer):
    with pytest.raises(ValidationError) as info:
        actions.create_action(
            sales, customer.id,
            {"type": "fax", "subject": "", "follow_up_on": "31-02-2026",
             "happened_at": "yesterday-ish", "status": "pending"},
        )
    errors = info.value.errors
    assert set(errors) == {"type", "subject", "follow_up_on", "happened_at", "status"}
    assert "31-02-2026" in errors["follow_up_on"]
    assert Action.select().count() == 0


def test_update_bad_input_and_conflict(sales, customer):
    action = actions.log_contact_moment(sales, customer.id, "call", "First call")
    with pytest.raises(ValidationError) as info:
        actions.update_action(sales, action.id, {"subject": "", "type": "pigeon"}, action.version)
    assert set(info.value.errors) == {"subject", "type"}
    assert Action.get_by_id(action.id).subject == "First call"

    actions.update_action(sales, action.id, {"subject": "First call (short)"}, action.version)
    with pytest.raises(ConflictError) as conflict:
        actions.update_action(sales, action.id, {"subject": "Mine"}, action.version)
    assert conflict.value.conflicts[0].theirs == "First call (short)"
    assert conflict.value.conflicts[0].yours == "Mine"


def test_contact_must_belong_to_customer(sales, customer, database):
    other = Customer.create(number=1002, name="Other")
    foreign = contacts.create_contact(sales, other.id, {"name": "Stranger"})
    own = contacts.create_contact(sales, customer.id, {"name": "Jan"})
    with pytest.raises(ValidationError) as info:
        actions.create_action(sales, customer.id, {"subject": "x", "contact": foreign.id})
    assert "contact" in info.value.errors
    action = actions.create_action(sales, customer.id, {"subject": "x", "contact": own.id})
    assert actions.list_actions(sales, customer.id)[0].contact_name == "Jan"
    assert action.contact_id == own.id


def test_user_cannot_be_forged(sales, admin, customer):
    action = actions.create_action(sales, customer.id, {"subject": "x", "user": admin.user.id})
    assert action.user_id == sales.user.id


def test_complete_and_reopen(sales, customer):
    action = actions.log_contact_moment(sales, customer.id, "task", "Send brochure", follow_up_on=TODAY)
    done = actions.complete_action(sales, action.id, action.version)
    assert done.status == "done" and done.completed_at is not None and done.version == 2
    reopened = actions.reopen_action(sales, done.id, done.version)
    assert reopened.status == "open" and reopened.completed_at is None
    with pytest.raises(ConflictError):
        actions.complete_action(sales, action.id, 1)


def test_overdue_and_list_order(sales, customer):
    late = actions.log_contact_moment(sales, customer.id, "call", "Late", follow_up_on=TODAY - dt.timedelta(days=1))
    due = actions.log_contact_moment(sales, customer.id, "call", "Due today", follow_up_on=TODAY)
    actions.log_contact_moment(sales, customer.id, "email", "Done one")
    assert actions.is_overdue(late, TODAY) is True
    assert actions.is_overdue(due, TODAY) is False
    rows = actions.list_actions(sales, customer.id, today=TODAY)
    assert [r.subject for r in rows] == ["Late", "Due today", "Done one"]
    assert [r.overdue for r in rows] == [True, False, False]
    assert rows[0].username == "sam"


def test_my_open_actions_across_customers(sales, admin, customer, database):
    other = Customer.create(number=1002, name="Slagerij Van Dam")
    gone = Customer.create(number=1003, name="Weg BV", deleted_at=utcnow())
    actions.log_contact_moment(sales, customer.id, "call", "Mine, late", follow_up_on=TODAY - dt.timedelta(days=3))
    actions.log_contact_moment(sales, other.id, "visit", "Mine, later", follow_up_on=TODAY + dt.timedelta(days=3))
    actions.log_contact_moment(sales, other.id, "call", "Mine, done")
    actions.log_contact_moment(admin, other.id, "call", "Someone else's", follow_up_on=TODAY)
    Action.create(customer=gone, subject="Deleted customer", status="open", user=sales.user.id,
                  follow_up_on=TODAY)
    rows = actions.my_open_actions(sales, today=TODAY)
    assert [(r.customer_number, r.customer_name, r.subject, r.overdue) for r in rows] == [
        (1001, "Bakkerij De Korenschoof", "Mine, late", True),
        (1002, "Slagerij Van Dam", "Mine, later", False),
    ]


def test_delete_and_missing(sales, customer):
    action = actions.log_contact_moment(sales, customer.id, "call", "Oops")
    actions.delete_action(sales, action.id, action.version)
    assert Action.select().count() == 0
    assert AuditRecord.select().where(
        (AuditRecord.table == "action") & (AuditRecord.action == "delete")
    ).exists()
    with pytest.raises(NotFound):
        actions.get_action(sales, action.id)
    with pytest.raises(NotFound):
        actions.log_contact_moment(sales, 999_999, "call", "Nobody")


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "call", "open", "done", "23-11-2026", "2026-02-30", "12:00",
                     "2026-11-23 14:30", "\x00", "x" * 300, "-1"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(actions.FIELDS), TEXT, max_size=6))
def test_arbitrary_text_is_stored_or_refused_per_field(sales, customer, values):
    before = Action.select().count()
    try:
        action = actions.create_action(sales, customer.id, {"subject": "s", **values})
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert Action.select().count() == before
        return
    try:
        actions.update_action(sales, action.id, values, action.version)
    except ValidationError:
        assert Action.get_by_id(action.id).version == action.version
