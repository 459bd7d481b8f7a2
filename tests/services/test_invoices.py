"""Invoices: customer snapshot, amounts, payments, open amount, overdue, open balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.models import AuditRecord, Customer, Invoice, utcnow
from tradium_tui.services import conditions, credit_notes, invoice_rules, invoices, orders
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def customer(database):
    return Customer.create(
        number=1001, name="Bakkerij De Korenschoof", visit_street="Molenstraat",
        visit_house_number="12", visit_postcode="3511 AB", visit_city="Utrecht",
        visit_country="NL", vat_number="NL004495445B01",
    )


def test_create_takes_snapshot_and_computes(admin, customer):
    invoice = invoices.create_invoice(
        admin, customer.id, {"invoice_date": "01-06-2026", "amount_excl": "1.000,00"}
    )
    assert invoice.number == "F2026-000001"
    assert (invoice.amount_excl, invoice.vat_amount, invoice.amount_incl) == (
        D("1000.00"), D("210.00"), D("1210.00"),
    )
    assert invoice.due_date == dt.date(2026, 7, 1)  # default payment term 30 days
    assert invoice.status == "open"
    assert (invoice.customer_number, invoice.customer_name, invoice.customer_vat_number) == (
        1001, "Bakkerij De Korenschoof", "NL004495445B01",
    )
    assert invoice.customer_address.splitlines() == ["Molenstraat 12", "3511 AB  Utrecht", "NL"]
    # Renaming and deleting the customer leaves the invoice as issued.
    Customer.update(name="Nieuwe Naam BV", deleted_at=utcnow()).where(Customer.id == customer.id).execute()
    stored = Invoice.get_by_id(invoice.id)
    assert stored.customer_name == "Bakkerij De Korenschoof"
    assert invoices.list_invoices(admin, customer.id)[0].number == "F2026-000001"
    audit = AuditRecord.get((AuditRecord.table == "invoice") & (AuditRecord.field == "amount_incl"))
    assert (audit.new_value, audit.customer_id) == ("1210", customer.id)


def test_payment_term_condition_sets_due_date(admin, customer):
    conditions.create_condition(admin, customer.id, {"kind": "payment_term", "payment_term_days": "14"})
    invoice = invoices.create_invoice(admin, customer.id, {"invoice_date": "2026-06-01", "amount_excl": "10"})
    assert invoice.due_date == dt.date(2026, 6, 15)


def test_vat_rate_and_no_vat_customer(admin, customer, database):
    low = invoices.create_invoice(admin, customer.id, {"amount_excl": "100", "vat_rate": "9"})
    assert (low.vat_amount, low.amount_incl) == (D("9.00"), D("109.00"))
    abroad = Customer.create(number=1002, name="Boulangerie Lyon", visit_country="FR", charge_vat=False)
    reverse = invoices.create_invoice(admin, abroad.id, {"amount_excl": "100"})
    assert reverse.vat_amount == D("0.00")


def test_create_bad_input(admin, customer):
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(
            admin, customer.id,
            {"invoice_date": "10-06-2026", "due_date": "01-06-2026", "amount_excl": "tien",
             "vat_rate": "150"},
        )
    assert set(info.value.errors) == {"due_date", "amount_excl", "vat_rate"}
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {"order": "O-\x00404"})
    assert "no order" in info.value.errors["order"]
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {"order": "O-1", "amount_excl": "5"})
    assert set(info.value.errors) == {"order"}
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {"amount_excl": "100", "amount_incl": "120"})
    assert "should be 121.00" in info.value.errors["amount_incl"]
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {})
    assert "required" in info.value.errors["amount_excl"]
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {"amount_excl": "0"})
    assert Invoice.select().count() == 0


def test_from_order_defaults_amounts(admin, customer):
    order = orders.create_order(admin, customer.id, {}, [
        {"description": "Brood", "quantity": "10", "unit_price": "2,50", "vat_rate": "9"},
    ])
    invoice = invoices.create_invoice(admin, customer.id, {"order": order.number})
    assert (invoice.amount_excl, invoice.vat_amount, invoice.amount_incl) == (
        D("25.00"), D("2.25"), D("27.25"),
    )
    assert invoice.order_id == order.id
    assert invoices.list_invoices(admin, customer.id)[0].order_number == order.number


def test_payments_status_and_open_amount(admin, customer):
    invoice = invoices.create_invoice(admin, customer.id, {"invoice_date": "2026-05-01", "amount_excl": "100"})
    part = invoices.register_payment(admin, invoice.id, "21,00", "2026-05-20", invoice.version)
    assert (part.paid_amount, part.status, part.paid_on) == (D("21.00"), "partly_paid", dt.date(2026, 5, 20))
    row = invoices.list_invoices(admin, customer.id, today=TODAY)[0]
    assert (row.open_amount, row.overdue, row.days_overdue) == (D("100.00"), True, 15)
    assert invoices.open_balance(customer.id) == D("100.00")

    with pytest.raises(ValidationError) as info:
        invoices.register_payment(admin, invoice.id, "100,01", None, part.version)
    assert "more than the open amount 100.00" in info.value.errors["amount"]
    with pytest.raises(ValidationError) as info:
        invoices.register_payment(admin, invoice.id, "abc", "31-31-2026", part.version)
    assert set(info.value.errors) == {"amount", "paid_on"}
    with pytest.raises(ConflictError):
        invoices.register_payment(admin, invoice.id, "10", None, invoice.version)

    paid = invoices.register_payment(admin, invoice.id, "100", "2026-06-01", part.version)
    assert (paid.status, paid.paid_amount) == ("paid", D("121.00"))
    assert invoices.list_invoices(admin, customer.id, today=TODAY)[0].overdue is False
    assert invoices.open_balance(customer.id) == D("0.00")
    payments = AuditRecord.select().where(
        (AuditRecord.table == "invoice") & (AuditRecord.action == "payment")
        & (AuditRecord.field == "paid_amount")
    ).order_by(AuditRecord.id)
    assert [(r.old_value, r.new_value) for r in payments] == [("0", "21"), ("21", "121")]
    with pytest.raises(ValidationError) as info:
        invoices.register_payment(admin, invoice.id, "1", None, paid.version)
    assert "paid already" in info.value.errors["amount"]


def test_credit_note_and_balance(admin, customer):
    with pytest.raises(ValidationError) as info:
        invoices.create_invoice(admin, customer.id, {"amount_excl": "-50"})
    assert "credit note" in info.value.errors["amount_excl"]
    invoice = invoices.create_invoice(admin, customer.id, {"amount_excl": "50", "invoice_date": "2026-06-01"})
    paid = invoices.register_payment(admin, invoice.id, "60,50", "2026-06-02", invoice.version)
    credit = credit_notes.credit_invoice(admin, invoice.id, paid.version, "2026-06-02")
    assert (credit.vat_amount, credit.amount_incl) == (D("-10.50"), D("-60.50"))
    rows = invoices.list_invoices(admin, customer.id, today=dt.date(2027, 1, 1))
    assert rows[0].is_credit_note and rows[0].overdue is False
    assert invoices.open_balance(customer.id) == D("-60.50")  # a refund is owed
    with pytest.raises(ValidationError) as info:
        invoices.register_payment(admin, credit.id, "10", None, credit.version)
    assert "negative" in info.value.errors["amount"]
    refunded = invoices.register_payment(admin, credit.id, "-60,50", "2026-06-10", credit.version)
    assert refunded.status == "paid"
    assert invoices.open_balance(customer.id) == D("0.00")


def test_update_amounts_cancel_and_conflict(admin, customer):
    invoice = invoices.create_invoice(admin, customer.id, {"amount_excl": "100", "vat_rate": "9"})
    with pytest.raises(ValidationError) as info:
        invoices.update_invoice(admin, invoice.id, {"due_date": "", "amount_excl": "x"}, invoice.version)
    assert set(info.value.errors) == {"due_date", "amount_excl"}
    with pytest.raises(ValidationError) as info:
        invoices.update_invoice(admin, invoice.id, {"customer_name": "Other"}, invoice.version)
    assert "customer_name" in info.value.errors
    changed = invoices.update_invoice(admin, invoice.id, {"amount_excl": "200"}, invoice.version)
    assert (changed.vat_amount, changed.amount_incl) == (D("18.00"), D("218.00"))  # keeps 9%
    with pytest.raises(ConflictError):
        invoices.update_invoice(admin, invoice.id, {"amount_excl": "300"}, invoice.version)
    cancelled = invoices.cancel_invoice(admin, invoice.id, changed.version)
    assert cancelled.status == "cancelled"
    assert invoices.open_balance(customer.id) == D("0.00")
    with pytest.raises(ValidationError):
        invoices.register_payment(admin, invoice.id, "1", None, cancelled.version)
    with pytest.raises(ValidationError) as info:
        invoices.update_invoice(admin, invoice.id, {"status": "paid"}, cancelled.version)
    assert "status" in info.value.errors
    reopened = invoices.update_invoice(admin, invoice.id, {"status": "open"}, cancelled.version)
    assert reopened.status == "open"


def test_paid_invoice_amounts_and_delete_are_protected(admin, customer):
    invoice = invoices.create_invoice(admin, customer.id, {"amount_excl": "100"})
    paid = invoices.register_payment(admin, invoice.id, "50", None, invoice.version)
    with pytest.raises(ValidationError) as info:
        invoices.update_invoice(admin, invoice.id, {"amount_excl": "90"}, paid.version)
    assert "payments" in info.value.errors["amount_excl"]
    with pytest.raises(ValidationError):
        invoices.cancel_invoice(admin, invoice.id, paid.version)
    with pytest.raises(ValidationError):
        invoices.delete_invoice(admin, invoice.id, paid.version)
    other = invoices.create_invoice(admin, customer.id, {"amount_excl": "5"})
    with pytest.raises(ValidationError) as info:
        invoices.delete_invoice(admin, other.id, other.version)
    assert "credit" in str(info.value)
    assert invoices.get_invoice(admin, other.id).number == other.number
    with pytest.raises(NotFound):
        invoices.get_invoice(admin, 999_999)


def test_overdue_balance(admin, customer):
    invoices.create_invoice(admin, customer.id, {"invoice_date": "2026-01-01", "due_date": "2026-01-31", "amount_excl": "100"})
    invoices.create_invoice(admin, customer.id, {"invoice_date": "2026-06-01", "due_date": "2026-07-01", "amount_excl": "100"})
    assert invoices.overdue_balance(customer.id, today=TODAY) == D("121.00")
    assert invoices.open_balance(customer.id) == D("242.00")


TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "100", "-50", "0", "1.234,56", "9999999999999", "21", "150",
                     "2026-06-01", "31-02-2026", "\x00", "paid", "cancelled", "open"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(invoice_rules.FIELDS), TEXT, max_size=5),
       payment=TEXT)
def test_arbitrary_text_is_stored_or_refused_per_field(admin, customer, values, payment):
    before = Invoice.select().count()
    try:
        invoice = invoices.create_invoice(admin, customer.id, {"amount_excl": "10", **values})
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert Invoice.select().count() == before
        return
    assert invoice.amount_incl == invoice.amount_excl + invoice.vat_amount
    try:
        invoices.register_payment(admin, invoice.id, payment, None, invoice.version)
    except ValidationError:
        assert Invoice.get_by_id(invoice.id).paid_amount == 0
