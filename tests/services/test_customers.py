"""The customer service: create/update/delete/restore, duplicates, groups, tags, marks, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tradium_tui.models import (
    AuditRecord,
    Customer,
    CustomerGroup,
    Invoice,
    Mark,
    Tag,
)
from tradium_tui.services import customer_duplicates
from tradium_tui.services import customers as cs
from tradium_tui.services import groups as gs
from tradium_tui.services.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationError,
)

COMPANY = {
    "name": "Bakkerij De Vries B.V.",
    "visit_street": "Damrak",
    "visit_house_number": "1",
    "visit_postcode": "1012lg",
    "visit_city": "Amsterdam",
    "email": "inkoop@devries.nl",
    "phone": "020 123 4567",
    "coc_number": "34123456",
    "vat_number": "NL004495445B01",
    "iban": "NL91 ABNA 0417 1643 00",
}


def _audit(record_id: int, action: str | None = None) -> list[AuditRecord]:
    query = AuditRecord.select().where(
        (AuditRecord.table == "customer") & (AuditRecord.record_id == record_id)
    )
    if action:
        query = query.where(AuditRecord.action == action)
    return list(query.order_by(AuditRecord.id))


def test_create_normalises_numbers_and_audits(admin):
    result = cs.create_customer(admin, COMPANY)
    c = Customer.get_by_id(result.customer.id)
    assert c.number > 1000 and c.version == 1
    assert c.visit_postcode == "1012 LG" and c.phone == "+31 20 123 4567"
    assert (c.vat_number, c.vat_status) == ("NL004495445B01", "valid")
    assert (c.iban, c.bic, c.bank_name) == ("NL91ABNA0417164300", "ABNANL2A", "ABN AMRO BANK N.V.")
    assert result.warnings == {} and result.duplicates == []
    rows = {r.field: r for r in _audit(c.id, "create")}
    assert rows["name"].new_value == "Bakkerij De Vries B.V." and rows["name"].old_value is None
    assert rows["iban"].new_value == "NL91ABNA0417164300"
    assert all(r.username == "anna" and r.customer_id == c.id for r in rows.values())
    assert cs.last_change(c.id) is not None


def test_numbers_come_from_the_counter_and_a_given_number_raises_it(admin):
    first = cs.create_customer(admin, {"name": "A"}).customer
    given = cs.create_customer(admin, {"name": "B", "number": "5000"}).customer
    after = cs.create_customer(admin, {"name": "C"}).customer
    assert given.number == 5000
    assert after.number == 5001 and first.number < 5000
    with pytest.raises(ValidationError) as err:
        cs.create_customer(admin, {"name": "D", "number": 5000})
    assert "already used by B" in err.value.errors["number"]


def test_invalid_vat_is_stored_with_warning_and_missing_vat_flagged(admin):
    wrong = cs.create_customer(admin, {"name": "X", "vat_number": "NL004495446B01"})
    assert wrong.customer.vat_status == "invalid"
    assert wrong.customer.vat_number == "NL004495446B01"
    assert "wrong check digit" in wrong.warnings["vat_number"]
    german = cs.create_customer(admin, {"name": "Müller GmbH", "visit_country": "DE"})
    assert german.customer.vat_status == "missing" and "vat_number" in german.warnings


def test_errors_refuse_the_save_and_store_nothing(admin):
    with pytest.raises(ValidationError) as err:
        cs.create_customer(
            admin, {"name": "X", "iban": "NL91ABNA0417164301", "email": "x@", "visit_postcode": "1"}
        )
    assert set(err.value.errors) == {"iban", "email", "visit_postcode"}
    assert Customer.select().count() == 0
    assert AuditRecord.select().count() == 0


def test_update_changes_only_given_fields_and_audits_old_and_new(admin):
    c = cs.create_customer(admin, COMPANY).customer
    result = cs.update_customer(
        admin, c.id, {"email": "info@devries.nl", "credit_limit": "2.500,00", "name": c.name}, 1
    )
    u = result.customer
    assert u.version == 2 and u.email == "info@devries.nl"
    assert u.credit_limit == Decimal("2500.00") and u.vat_number == "NL004495445B01"
    rows = _audit(c.id, "update")
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("email", "inkoop@devries.nl", "info@devries.nl"),
        ("credit_limit", "0", "2500"),
    }
    assert all(r.version == 2 for r in rows)


def test_failed_update_leaves_the_record_unchanged(admin):
    c = cs.create_customer(admin, COMPANY).customer
    before = dict(Customer.get_by_id(c.id).__data__)
    with pytest.raises(ValidationError) as err:
        cs.update_customer(admin, c.id, {"email": "new@devries.nl", "phone": "12"}, 1)
    assert set(err.value.errors) == {"phone"}
    assert dict(Customer.get_by_id(c.id).__data__) == before
    assert _audit(c.id, "update") == []


def test_conflict_lists_the_other_users_changes(admin, account_manager):
    c = cs.create_customer(admin, COMPANY).customer
    cs.update_customer(account_manager, c.id, {"email": "bob@devries.nl", "visit_city": "Haarlem"}, 1)
    with pytest.raises(ConflictError) as err:
        cs.update_customer(admin, c.id, {"email": "anna@devries.nl"}, 1)
    exc = err.value
    assert (exc.expected_version, exc.current_version) == (1, 2)
    [clash] = exc.conflicts
    assert (clash.field, clash.theirs, clash.yours, clash.by) == (
        "email", "bob@devries.nl", "anna@devries.nl", "bob",
    )
    assert [o.field for o in exc.other_changes] == ["visit_city"]
    assert "bob" in str(exc) and "Nothing was saved" in str(exc)
    assert Customer.get_by_id(c.id).email == "bob@devries.nl"


def test_sales_may_not_change_base_data(admin, sales):
    c = cs.create_customer(admin, COMPANY).customer
    with pytest.raises(PermissionDenied):
        cs.create_customer(sales, {"name": "X"})
    with pytest.raises(PermissionDenied):
        cs.update_customer(sales, c.id, {"name": "Y"}, 1)
    with pytest.raises(PermissionDenied):
        cs.delete_customer(sales, c.id, 1)
    with pytest.raises(PermissionDenied):
        cs.set_tags(sales, c.id, ["vip"])
    # Marks are personal: viewing the customer is enough.
    cs.mark(sales, c.id)
    assert cs.is_marked(sales, c.id)


def test_changing_kind_or_country_rechecks_dependent_fields(admin):
    c = cs.create_customer(admin, {"name": "Trader", "visit_postcode": "1012 LG"}).customer
    assert c.vat_status == "not_required"
    with pytest.raises(ValidationError) as err:
        cs.update_customer(admin, c.id, {"visit_country": "DE"}, 1)
    assert "visit_postcode" in err.value.errors  # 1012 LG is not a German postcode
    moved = cs.update_customer(
        admin, c.id, {"visit_country": "DE", "visit_postcode": "10115"}, 1
    ).customer
    assert moved.vat_status == "missing"
    v = cs.create_customer(admin, {"name": "Co", "vat_number": "NL004495445B01"}).customer
    with pytest.raises(ValidationError) as err:
        cs.update_customer(admin, v.id, {"kind": "consumer", "last_name": "Jansen"}, 1)
    assert "company" in err.value.errors["vat_number"]
    person = cs.update_customer(
        admin, v.id, {"kind": "consumer", "first_name": "Piet", "last_name": "Jansen",
                     "vat_number": ""}, 1,
    ).customer
    assert (person.kind, person.name, person.vat_status) == ("consumer", "Piet Jansen", "not_required")


# --------------------------------------------------------------------------- duplicates


def test_duplicate_guard_reports_each_reason(admin):
    first = cs.create_customer(admin, COMPANY).customer
    second = cs.create_customer(
        admin, {"name": "Bakkerij de vries b.v.", "visit_postcode": "1012 LG", "visit_city": "A"}
    )
    [match] = second.duplicates
    assert match.customer_id == first.id and match.reason == "same name"
    third = cs.create_customer(
        admin,
        {"name": "Other", "vat_number": "nl 0044.95445.b01", "coc_number": "3412 3456",
         "iban": "NL91ABNA0417164300", "email": "inkoop@devries.nl"},
    )
    reasons = next(m.reason for m in third.duplicates if m.customer_id == first.id)
    for fragment in ("VAT number", "KvK number", "IBAN", "e-mail"):
        assert fragment in reasons
    # It warns; nothing was merged.
    assert Customer.select().count() == 3
    found = customer_duplicates.find_duplicates({"email": "INKOOP@devries.nl"}, exclude_id=third.customer.id)
    assert [m.customer_id for m in found] == [first.id]
    assert customer_duplicates.find_duplicates({"name": "Nobody"}) == []


def test_deleted_customers_are_reported_as_deleted_duplicates(admin):
    c = cs.create_customer(admin, COMPANY).customer
    cs.delete_customer(admin, c.id, 1)
    [match] = customer_duplicates.find_duplicates({"vat_number": "NL004495445B01"})
    assert match.deleted and match.customer_id == c.id


# --------------------------------------------------------------------------- delete / restore


def test_delete_keeps_invoices_with_their_snapshot_and_restore_brings_it_back(admin):
    c = cs.create_customer(admin, COMPANY).customer
    Invoice.create(
        customer=c.id, number="F2026-000001", invoice_date=dt.date(2026, 1, 5),
        due_date=dt.date(2026, 2, 4), amount_excl=Decimal("100.00"),
        vat_amount=Decimal("21.00"), amount_incl=Decimal("121.00"),
        customer_number=c.number, customer_name=c.name,
        customer_address="Damrak 1\n1012 LG Amsterdam", customer_vat_number=c.vat_number,
    )
    renamed = cs.update_customer(
        admin, c.id, {"name": "De Vries Holding", "visit_street": "Kalverstraat"}, 1
    ).customer
    deleted = cs.delete_customer(admin, c.id, renamed.version)
    assert deleted.deleted_at is not None
    with pytest.raises(NotFound):
        cs.get_customer(c.id)
    assert cs.get_customer(c.id, include_deleted=True).name == "De Vries Holding"
    invoice = Invoice.get(Invoice.number == "F2026-000001")
    assert invoice.customer_name == "Bakkerij De Vries B.V."
    assert invoice.customer_address == "Damrak 1\n1012 LG Amsterdam"
    assert invoice.customer_vat_number == "NL004495445B01"
    assert invoice.amount_incl == Decimal("121.00")
    [row] = _audit(c.id, "delete")
    assert row.field == "deleted_at" and row.old_value is None
    with pytest.raises(ServiceError, match="restore it first"):
        cs.update_customer(admin, c.id, {"name": "X"}, deleted.version)
    with pytest.raises(ServiceError, match="already deleted"):
        cs.delete_customer(admin, c.id, deleted.version)
    restored = cs.restore_customer(admin, c.id, deleted.version)
    assert restored.deleted_at is None
    assert cs.get_customer(c.id).name == "De Vries Holding"
    assert len(_audit(c.id, "restore")) == 1


def test_delete_with_a_stale_version_is_a_conflict(admin, account_manager):
    c = cs.create_customer(admin, COMPANY).customer
    cs.update_customer(account_manager, c.id, {"visit_city": "Utrecht"}, 1)
    with pytest.raises(ConflictError):
        cs.delete_customer(admin, c.id, 1)
    assert Customer.get_by_id(c.id).deleted_at is None


# --------------------------------------------------------------------------- groups


def test_group_with_customers_cannot_be_deleted(admin):
    vip = gs.create_customer_group(admin, "VIP", "10")
    other = gs.create_customer_group(admin, "Horeca", "2,5")
    a = cs.create_customer(admin, {"name": "A", "customer_group": "VIP"}).customer
    b = cs.create_customer(admin, {"name": "B"}).customer
    cs.set_group(admin, b.id, vip.id, 1)
    cs.delete_customer(admin, b.id, 2)
    with pytest.raises(gs.GroupInUse) as err:
        gs.delete_customer_group(admin, vip.id, vip.version)
    assert err.value.count == 2
    assert "2 customers (1 of them deleted)" in str(err.value)
    assert "move them to another customer group first" in str(err.value)
    assert CustomerGroup.get_or_none(CustomerGroup.id == vip.id) is not None
    assert cs.effective_discount(Customer.get_by_id(a.id)) == Decimal("10")
    cs.set_group(admin, a.id, "Horeca", 1)
    cs.restore_customer(admin, b.id, 3)
    cs.set_group(admin, b.id, other.id, 4)
    rows = {g.name: g.customer_count for g in gs.list_customer_groups()}
    assert rows == {"Horeca": 2, "VIP": 0}
    gs.delete_customer_group(admin, vip.id, vip.version)
    assert CustomerGroup.get_or_none(CustomerGroup.id == vip.id) is None


def test_customer_group_rules(admin):
    g = gs.create_customer_group(admin, "Wholesale", 5)
    with pytest.raises(ValidationError) as err:
        gs.create_customer_group(admin, "wholesale", "101")
    assert set(err.value.errors) == {"name", "discount_percent"}
    renamed = gs.rename_customer_group(admin, g.id, "Groothandel", g.version)
    assert renamed.name == "Groothandel" and renamed.version == 2
    with pytest.raises(ConflictError):
        gs.rename_customer_group(admin, g.id, "Other", 1)
    with pytest.raises(ValidationError) as err:
        cs.create_customer(admin, {"name": "X", "customer_group": "Nope"})
    assert "no customer group" in err.value.errors["customer_group"]


def test_condition_group_in_use_cannot_be_deleted(admin):
    cg = gs.create_condition_group(admin, "a1", "Wholesale prices")
    assert cg.code == "A1"
    c = cs.create_customer(admin, {"name": "X"}).customer
    cs.set_condition_group(admin, c.id, "A1", 1)
    with pytest.raises(gs.GroupInUse, match="1 customer;"):
        gs.delete_condition_group(admin, cg.id, cg.version)
    cs.set_condition_group(admin, c.id, None, 2)
    gs.delete_condition_group(admin, cg.id, cg.version)
    assert gs.list_condition_groups() == []


# --------------------------------------------------------------------------- tags and marks


def test_tags(admin):
    c = cs.create_customer(admin, {"name": "X"}).customer
    assert cs.set_tags(admin, c.id, "vip, Horeca") == ["Horeca", "vip"]
    assert cs.set_tags(admin, c.id, ["VIP", "export"]) == ["export", "vip"]
    assert Tag.select().count() == 3  # "VIP" reused the existing "vip"
    [row] = [r for r in _audit(c.id, "tags") if r.old_value == "Horeca, vip"]
    assert row.new_value == "export, vip"
    with pytest.raises(ValidationError):
        cs.set_tags(admin, c.id, ["\x00bad"])
    assert gs.delete_tag(admin, Tag.get(Tag.name == "vip").id) == 1
    assert gs.tags_of(c.id) == ["export"]
    assert {t.name: t.customer_count for t in gs.list_tags()} == {"Horeca": 0, "export": 1}
    t = gs.rename_tag(admin, Tag.get(Tag.name == "Horeca").id, "Catering")
    assert t.name == "Catering"
    with pytest.raises(ValidationError):
        gs.create_tag(admin, "catering")


def test_marks_are_per_user(admin, account_manager):
    c = cs.create_customer(admin, {"name": "X"}).customer
    cs.mark(admin, c.id)
    cs.mark(admin, c.id)  # twice is still once
    assert cs.is_marked(admin, c.id) and not cs.is_marked(account_manager, c.id)
    assert Mark.select().count() == 1
    assert cs.toggle_mark(account_manager, c.id) is True
    assert cs.marked_customer_ids(account_manager) == [c.id]
    cs.unmark(admin, c.id)
    assert not cs.is_marked(admin, c.id) and cs.is_marked(account_manager, c.id)
    # Marking writes nothing to the customer.
    assert Customer.get_by_id(c.id).version == 1
