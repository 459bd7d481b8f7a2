"""Quotes: numbering, lines and totals, status transitions, conversion into an order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tradium_tui.models import AuditRecord, Customer, Order, OrderLine, Quote, QuoteLine, Role, User
from tradium_tui.services import quotes
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import ConflictError, NotFound, PermissionDenied, ValidationError

LINES = [
    {"article": "BRD-01", "description": "Volkorenbrood", "quantity": "10", "unit_price": "2,35",
     "discount_percent": "5", "vat_rate": "9"},
    {"article": "KOF-1", "description": "Koffiebonen 1 kg", "quantity": "3", "unit_price": "14,95",
     "vat_rate": "21"},
]


def _audit(table, record_id, field=None):
    query = AuditRecord.select().where(
        (AuditRecord.table == table) & (AuditRecord.record_id == record_id)
    )
    if field:
        query = query.where(AuditRecord.field == field)
    return list(query.order_by(AuditRecord.id))


def test_create_numbers_and_defaults(admin, customer):
    first = quotes.create_quote(admin, customer.id, {"quote_date": "02-03-2026"})
    second = quotes.create_quote(admin, customer.id, {"quote_date": "2026-03-03"})
    assert first.number == "Q2026-000001" and second.number == "Q2026-000002"
    assert first.status == "draft"
    assert first.valid_until == dt.date(2026, 4, 1)  # 30 days
    assert first.user_id == admin.user.id
    assert _audit("quote", first.id, "number")[0].new_value == "Q2026-000001"


def test_create_with_lines_computes_totals(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {"reference": "Voorjaar"}, LINES)
    # 10 × 2.35 − 5% = 22.325 → 22.33 at 9% (VAT 2.0097 → 2.01); 3 × 14.95 = 44.85 at 21% (9.4185 → 9.42)
    assert (quote.total_excl, quote.total_vat, quote.total_incl) == (D("67.18"), D("11.43"), D("78.61"))
    lines = quotes.quote_lines(admin, quote.id)
    assert [(ln.position, ln.article, ln.quantity) for ln in lines] == [
        (1, "BRD-01", D("10")), (2, "KOF-1", D("3")),
    ]
    row = quotes.list_quotes(admin, customer.id)[0]
    assert (row.number, row.total_incl, row.username) == (quote.number, D("78.61"), "anna")
    assert "Volkorenbrood" in _audit("quote", quote.id, "lines")[0].new_value


def test_create_bad_input_stores_nothing(admin, customer):
    with pytest.raises(ValidationError) as info:
        quotes.create_quote(
            admin, customer.id,
            {"quote_date": "30-02-2026", "status": "accepted", "valid_until": "soon"},
        )
    assert set(info.value.errors) == {"quote_date", "status", "valid_until"}
    with pytest.raises(ValidationError) as info:
        quotes.create_quote(admin, customer.id, {}, [{"description": "x", "quantity": "-1"}])
    assert "lines.0.quantity" in info.value.errors
    assert Quote.select().count() == 0 and QuoteLine.select().count() == 0
    # A refused quote does not use up a number.
    assert quotes.create_quote(admin, customer.id, {"quote_date": "2026-01-05"}).number == "Q2026-000001"


def test_valid_until_not_before_date(admin, customer):
    with pytest.raises(ValidationError) as info:
        quotes.create_quote(admin, customer.id, {"quote_date": "10-03-2026", "valid_until": "09-03-2026"})
    assert "valid_until" in info.value.errors


def test_update_bad_input_and_conflict(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {"reference": "A"})
    with pytest.raises(ValidationError) as info:
        quotes.update_quote(admin, quote.id, {"quote_date": "x", "status": "paid"}, quote.version)
    assert set(info.value.errors) == {"quote_date", "status"}
    with pytest.raises(ValidationError):
        quotes.update_quote(admin, quote.id, {"number": "Q1"}, quote.version)
    updated = quotes.update_quote(admin, quote.id, {"reference": "B"}, quote.version)
    assert updated.version == 2
    with pytest.raises(ConflictError) as conflict:
        quotes.update_quote(admin, quote.id, {"reference": "C"}, quote.version)
    assert conflict.value.conflicts[0].theirs == "B"


def test_set_lines_replaces_recomputes_and_audits(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {}, LINES)
    changed = quotes.set_quote_lines(
        admin, quote.id, [{"description": "Taart", "quantity": "1", "unit_price": "25"}], quote.version
    )
    assert changed.version == quote.version + 1
    assert (changed.total_excl, changed.total_vat, changed.total_incl) == (D("25.00"), D("5.25"), D("30.25"))
    assert [ln.description for ln in quotes.quote_lines(admin, quote.id)] == ["Taart"]
    lines_audit = _audit("quote", quote.id, "lines")[-1]
    assert "Volkorenbrood" in lines_audit.old_value and "Taart" in lines_audit.new_value
    assert lines_audit.customer_id == customer.id
    assert _audit("quote", quote.id, "total_incl")[-1].new_value == "30.25"

    # Same totals, different lines: still a change (version up, audited).
    again = quotes.set_quote_lines(
        admin, quote.id, [{"description": "Cake", "quantity": "1", "unit_price": "25"}], changed.version
    )
    assert again.version == changed.version + 1
    assert [ln.description for ln in quotes.quote_lines(admin, quote.id)] == ["Cake"]

    # The same lines again: nothing changes, the version stays.
    same = quotes.set_quote_lines(
        admin, quote.id, [{"description": "Cake", "quantity": "1,0", "unit_price": "25.00"}], again.version
    )
    assert same.version == again.version

    # Stale version: nothing replaced.
    with pytest.raises(ConflictError):
        quotes.set_quote_lines(admin, quote.id, LINES, changed.version)
    assert [ln.description for ln in quotes.quote_lines(admin, quote.id)] == ["Cake"]

    # Bad line: nothing replaced.
    with pytest.raises(ValidationError) as info:
        quotes.set_quote_lines(admin, quote.id, [{"description": "x", "unit_price": "abc"}], again.version)
    assert "lines.0.unit_price" in info.value.errors
    assert Quote.get_by_id(quote.id).version == again.version


def test_status_transitions(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {}, LINES)
    assert quotes.allowed_statuses("draft") == ["sent", "accepted", "rejected", "expired"]
    sent = quotes.set_quote_status(admin, quote.id, "sent", quote.version)
    rejected = quotes.set_quote_status(admin, quote.id, "rejected", sent.version)
    with pytest.raises(ValidationError) as info:
        quotes.set_quote_status(admin, quote.id, "accepted", rejected.version)
    assert "rejected quote cannot become accepted" in info.value.errors["status"]
    draft = quotes.set_quote_status(admin, quote.id, "draft", rejected.version)
    accepted = quotes.set_quote_status(admin, quote.id, "accepted", draft.version)
    with pytest.raises(ValidationError) as info:
        quotes.set_quote_status(admin, quote.id, "draft", accepted.version)
    assert "final" in info.value.errors["status"]
    with pytest.raises(ValidationError) as info:
        quotes.set_quote_lines(admin, quote.id, LINES, accepted.version)
    assert "lines" in info.value.errors
    history = [(r.old_value, r.new_value) for r in _audit("quote", quote.id, "status")]
    assert history == [(None, "draft"), ("draft", "sent"), ("sent", "rejected"),
                       ("rejected", "draft"), ("draft", "accepted")]


def test_convert_only_accepted_and_once(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {"reference": "Ref-7"}, LINES)
    with pytest.raises(ValidationError) as info:
        quotes.convert_quote_to_order(admin, quote.id)
    assert "accepted" in info.value.errors["status"]
    accepted = quotes.set_quote_status(admin, quote.id, "accepted", quote.version)
    order = quotes.convert_quote_to_order(admin, accepted.id)
    assert order.number.startswith("O") and order.quote_id == quote.id
    assert (order.source, order.reference, order.status) == ("quote", "Ref-7", "open")
    assert (order.total_excl, order.total_incl) == (accepted.total_excl, accepted.total_incl)
    lines = list(OrderLine.select().where(OrderLine.order == order.id).order_by(OrderLine.position))
    assert [(ln.article, ln.quantity, ln.backorder_quantity, ln.delivered_quantity) for ln in lines] == [
        ("BRD-01", D("10"), D("10"), D("0")), ("KOF-1", D("3"), D("3"), D("0")),
    ]
    with pytest.raises(ValidationError) as info:
        quotes.convert_quote_to_order(admin, quote.id)
    assert order.number in info.value.errors["status"]
    assert Order.select().count() == 1


def test_convert_needs_edit_on_orders(admin, customer, database):
    role = Role.create(name="quoter", label="Quoter")
    from tradium_tui.models import TabPermission
    TabPermission.create(role=role, tab="quotes", level="edit")
    TabPermission.create(role=role, tab="orders", level="view")
    User.create(username="quinn", role=role)
    quinn = actor_for("quinn")
    quote = quotes.create_quote(quinn, customer.id, {}, LINES)
    accepted = quotes.set_quote_status(quinn, quote.id, "accepted", quote.version)
    with pytest.raises(PermissionDenied):
        quotes.convert_quote_to_order(quinn, accepted.id)
    assert Order.select().count() == 0


def test_delete_keeps_lines_in_audit(admin, customer):
    quote = quotes.create_quote(admin, customer.id, {}, LINES)
    with pytest.raises(ConflictError):
        quotes.delete_quote(admin, quote.id, 1)
    quotes.delete_quote(admin, quote.id, quote.version)
    assert Quote.select().count() == 0 and QuoteLine.select().count() == 0
    deleted = [r for r in _audit("quote", quote.id) if r.action == "delete"]
    assert {r.field for r in deleted} >= {"number", "lines"}
    with pytest.raises(NotFound):
        quotes.get_quote(admin, quote.id)


def test_expired_by_date_flag(admin, customer):
    quotes.create_quote(admin, customer.id, {"quote_date": "2026-01-01", "valid_until": "2026-01-31"})
    (row,) = quotes.list_quotes(admin, customer.id, today=dt.date(2026, 2, 1))
    assert row.expired_by_date is True


TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "1", "0", "-1", "1,5", "1.234,56", "99999999999", "21", "100",
                     "101", "\x00", "x" * 300]),
)
LINE_KEYS = st.sampled_from(["article", "description", "quantity", "unit_price", "discount_percent", "vat_rate"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.dictionaries(st.sampled_from(quotes.FIELDS), TEXT, max_size=4),
    lines=st.lists(st.dictionaries(LINE_KEYS, TEXT, max_size=6), max_size=3),
)
@example(header={}, lines=[{"quantity": "1" + "0" * 25}])  # longer than rounding can handle
@example(header={}, lines=[{"unit_price": "9" * 30, "discount_percent": "-" + "9" * 30}])
def test_arbitrary_text_is_stored_or_refused_per_field(admin, customer, header, lines):
    before = (Quote.select().count(), QuoteLine.select().count())
    try:
        quote = quotes.create_quote(admin, customer.id, header, lines)
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert (Quote.select().count(), QuoteLine.select().count()) == before
        return
    assert quote.total_incl == quote.total_excl + quote.total_vat


def test_convert_applies_the_credit_limit_of_the_order_form(admin, customer, database):
    """Open invoices + open orders + backorders + this order over the limit: refused unless
    a role with the base-edit right overrides, which the audit trail keeps with the figures."""
    from tradium_tui.models import Invoice, TabPermission
    from tradium_tui.services import orders

    Invoice.create(customer=customer, number="F2026-000001", invoice_date=dt.date(2026, 3, 1),
                   due_date=dt.date(2026, 3, 31), amount_excl=D("30.00"), amount_incl=D("30.00"),
                   status="open", customer_number=customer.number, customer_name=customer.name)
    other = orders.create_order(admin, customer.id, {}, [
        {"description": "Bolt", "quantity": "10", "delivered_quantity": "4", "unit_price": "10",
         "vat_rate": "0"}])
    Customer.update(credit_limit=D("150")).where(Customer.id == customer.id).execute()
    quote = quotes.create_quote(admin, customer.id, {"reference": "Ref-C"}, LINES)
    accepted = quotes.set_quote_status(admin, quote.id, "accepted", quote.version)

    with pytest.raises(orders.CreditLimitExceeded) as info:
        quotes.convert_quote_to_order(admin, accepted.id)
    check = info.value.check
    assert (check.limit, check.open_invoices, check.open_orders, check.backorders) == (
        D("150.00"), D("30.00"), D("40.00"), D("60.00"))
    assert check.this_order == accepted.total_incl == D("78.61")
    assert check.over == D("58.61") and info.value.may_override
    assert "over the credit limit 150.00 by 58.61" in info.value.errors["lines"]
    assert [o.id for o in Order.select()] == [other.id]  # nothing stored
    assert Quote.get_by_id(quote.id).status == "accepted"

    # A role that edits quotes and orders but not the base data cannot override.
    role = Role.create(name="clerk", label="Clerk")
    TabPermission.create(role=role, tab="quotes", level="edit")
    TabPermission.create(role=role, tab="orders", level="edit")
    User.create(username="carl", role=role)
    carl = actor_for("carl")
    for override in (False, True):
        with pytest.raises(orders.CreditLimitExceeded) as info:
            quotes.convert_quote_to_order(carl, accepted.id, override_credit_limit=override)
        assert not info.value.may_override
        assert "Only a role that may change the customer's base data" in info.value.errors["lines"]
    assert Order.select().count() == 1

    order = quotes.convert_quote_to_order(admin, accepted.id, override_credit_limit=True)
    assert order.quote_id == quote.id and order.total_incl == D("78.61")
    [override] = _audit("order", order.id, "credit_limit_override")
    assert (override.action, override.username, override.customer_id) == ("override", "anna",
                                                                          customer.id)
    assert override.new_value == check.describe()


def test_convert_within_the_credit_limit_asks_nothing(admin, customer):
    Customer.update(credit_limit=D("1000")).where(Customer.id == customer.id).execute()
    quote = quotes.create_quote(admin, customer.id, {}, LINES)
    accepted = quotes.set_quote_status(admin, quote.id, "accepted", quote.version)
    order = quotes.convert_quote_to_order(admin, accepted.id)
    assert order.total_incl == accepted.total_incl
    assert not _audit("order", order.id, "credit_limit_override")
