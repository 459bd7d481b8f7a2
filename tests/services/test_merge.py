"""Merging duplicate customers: every related row moves, the alias finds the survivor,
History shows the merge, undo restores the database exactly."""

from __future__ import annotations

import pytest
from support.app import COMPANY, create_customer
from support.lifecycle import customer_models, fingerprint, make_row, max_audit_id

from tradium_tui.models import AuditRecord, Customer, CustomerAlias, Invoice, Mark, RecentCustomer
from tradium_tui.services import contacts as contact_service
from tradium_tui.services import customers, groups, history, invoices, notes
from tradium_tui.services import orders as order_service
from tradium_tui.services.errors import PermissionDenied, ServiceError
from tradium_tui.services.merge import merging, planning, references, undo
from tradium_tui.services.search import customers as search
from tradium_tui.services.transfer import exports


@pytest.fixture
def pair(team):
    admin = team["admin"]
    keep = create_customer(admin, **COMPANY)
    other = create_customer(admin, kind="company", name="Van der Berg Handel", visit_city="Amsterdam",
                            visit_postcode="1015 CX", phone="", mobile="06 12345678",
                            email="sales@vdberg.example", reference="REF-OTHER", region="Zuid",
                            remarks="Old remarks")
    return admin, keep, other


def test_every_model_with_a_customer_key_has_a_merge_rule():
    tables = {ref.table for ref in references.customer_references()}
    assert tables == {model._meta.table_name for model, _ in customer_models()}
    missing = sorted(tables - set(references.RULES))
    assert not missing, f"merge.references.RULES has no decision for {missing}: add one (and a test)"


def test_merge_moves_every_related_row_and_undo_restores_exactly(pair):
    admin, keep, other = pair
    # A row in every table with a customer key, for both (the survivor's stay put).
    made = {}
    for model, _fld in customer_models():
        made[model] = make_row(model, other.id)
        make_row(model, keep.id)
    # Rows the survivor already has the same of (unique per user / tag) are removed, kept for undo.
    Mark.create(user=admin.user.id, customer=other.id)
    Mark.create(user=admin.user.id, customer=keep.id)
    RecentCustomer.create(user=admin.user.id, customer=other.id)
    RecentCustomer.create(user=admin.user.id, customer=keep.id)
    customers.set_tags(admin, other.id, "vip, wholesale")
    customers.set_tags(admin, keep.id, "vip")
    inv = invoices.create_invoice(admin, other.id, {"amount_excl": "100"})
    before_audit = max_audit_id()
    before = fingerprint(skip=("customer_merge",))  # the merge log keeps the undone merge

    result = merging.merge_customers(admin, keep.id, [other.id])

    for model, fld in customer_models():
        if model is CustomerAlias:
            continue
        left = model.select().where(fld == other.id).count()
        assert left == 0, f"{model.__name__} rows stayed with the merged-away customer"
        assert model.select().where(fld == keep.id).exists()
    gone = Customer.get_by_id(other.id)
    assert gone.deleted_at is not None
    survivor = Customer.get_by_id(keep.id)
    # Survivor's values stay; empty fields are filled from the other.
    assert survivor.phone == COMPANY["phone"].replace(" ", "") or survivor.phone
    assert survivor.mobile == other.mobile
    assert survivor.region == "Noord"
    assert survivor.remarks == "Old remarks"
    assert groups.tags_of(keep.id) == ["vip", "wholesale"]
    # Invoices keep their snapshot; the accounting export maps the old number.
    moved = Invoice.get_by_id(inv.id)
    assert (moved.customer_id, moved.customer_number, moved.customer_name) == (
        keep.id, other.number, other.name)
    row = [r for r in exports.accounting_rows("1300").rows if r[0] == inv.number][0]
    column = exports.ACCOUNTING_COLUMNS.index("customer_number")
    assert (row[column], row[-1]) == (str(other.number), str(keep.number))
    # The old number and reference find the survivor.
    assert search.lookup_code(str(other.number)) == keep.id
    assert search.lookup_code("REF-OTHER") == keep.id
    assert search.search_customers(str(other.number))[0].id == keep.id
    # History of the survivor shows the merge field by field.
    rows = [h for h in history.customer_history(admin, keep.id) if h.action == "merged"]
    fields = {h.field_name: h.new for h in rows}
    assert fields["merged_customer"] == f"{other.name} ({other.number})"
    assert fields["mobile"] == other.mobile
    assert "moved orders" in fields and "moved invoices" in fields
    assert result.merge_ids

    undo.undo_merge(admin, result.merge_ids[0])
    assert fingerprint(audit_upto=before_audit, skip=("customer_merge",)) == before
    assert search.lookup_code(str(other.number)) == other.id


def test_a_merged_away_customer_cannot_be_restored_as_if_deleted(pair):
    admin, keep, other = pair
    merging.merge_customers(admin, keep.id, [other.id])
    gone = Customer.get_by_id(other.id)
    with pytest.raises(ServiceError, match="was merged into"):
        customers.restore_customer(admin, other.id, gone.version)


def test_undo_is_refused_after_new_activity_and_says_why(pair):
    admin, keep, other = pair
    result = merging.merge_customers(admin, keep.id, [other.id])
    notes.create_note(admin, keep.id, {"text": "called after the merge"})
    info = undo.last_merge(keep.id)
    assert "can no longer be undone" in info.blocked_by and "Note" in info.blocked_by
    with pytest.raises(ServiceError, match="no longer be undone"):
        undo.undo_merge(admin, result.merge_ids[0])


def test_field_choice_takes_the_others_value_and_reference(pair):
    admin, keep, other = pair
    merging.merge_customers(admin, keep.id, [other.id], {"email": 1, "reference": 1})
    survivor = Customer.get_by_id(keep.id)
    assert survivor.email == "sales@vdberg.example"
    assert survivor.reference == "REF-OTHER"
    assert Customer.get_by_id(other.id).reference is None


def test_primary_contact_of_the_survivor_stays_the_only_one(pair):
    admin, keep, other = pair
    contact_service.create_contact(admin, keep.id, {"name": "Kees", "is_primary": True})
    theirs = contact_service.create_contact(admin, other.id, {"name": "Ria", "is_primary": True})
    result = merging.merge_customers(admin, keep.id, [other.id])
    from tradium_tui.models import Contact

    assert Contact.select().where((Contact.customer == keep.id) & Contact.is_primary).count() == 1
    undo.undo_merge(admin, result.merge_ids[0])
    assert Contact.get_by_id(theirs.id).is_primary


def test_merge_needs_base_edit_and_two_live_customers(pair, team):
    admin, keep, other = pair
    with pytest.raises(PermissionDenied):
        merging.merge_customers(team["sales"], keep.id, [other.id])
    with pytest.raises(ServiceError, match="itself"):
        merging.merge_customers(admin, keep.id, [keep.id])
    dry = merging.merge_customers(admin, keep.id, [other.id], dry_run=True)
    assert dry.dry_run and Customer.get_by_id(other.id).deleted_at is None
    assert AuditRecord.select().where(AuditRecord.action == "merge").count() == 0


def test_three_customers_and_a_thousand_orders(pair):
    admin, keep, other = pair
    third = create_customer(admin, kind="company", name="VDB Handel", visit_city="Utrecht")
    for _ in range(30):
        order_service.create_order(admin, other.id, {"order_date": "2026-01-02"})
    result = merging.merge_customers(admin, keep.id, [other.id, third.id])
    assert len(result.merge_ids) == 2
    from tradium_tui.models import Order

    assert Order.select().where(Order.customer == keep.id).count() == 30


def test_cli_merge_dry_run_merge_and_unmerge(cli_runner, pair):
    admin, keep, other = pair
    code, out, err = cli_runner("customers", "merge", str(keep.number), str(other.number),
                                "--dry-run", "--user", "admin")
    assert code == 0, err
    assert "Would merge" in out and "Mobile" in out
    assert Customer.get_by_id(other.id).deleted_at is None
    code, out, err = cli_runner("customers", "merge", str(keep.number), str(other.number),
                                "--take", "email=" + str(other.number), "--user", "admin")
    assert code == 0, err
    assert Customer.get_by_id(keep.id).email == "sales@vdberg.example"
    code, out, err = cli_runner("customers", "unmerge", str(keep.number), "--user", "admin")
    assert code == 0, err
    assert Customer.get_by_id(other.id).deleted_at is None
    code, out, err = cli_runner("customers", "unmerge", str(keep.number), "--user", "admin")
    assert code == 2 and "Nothing was merged" in err


def test_a_merge_of_three_is_undone_as_one(pair):
    admin, keep, other = pair
    third = create_customer(admin, kind="company", name="VDB Handel", visit_city="Utrecht",
                            website="https://vdb.example")
    for model, _fld in customer_models():
        make_row(model, other.id)
        make_row(model, third.id)
    Mark.create(user=admin.user.id, customer=keep.id)
    Mark.create(user=admin.user.id, customer=other.id)
    Mark.create(user=admin.user.id, customer=third.id)
    before_audit = max_audit_id()
    before = fingerprint(skip=("customer_merge",))

    # The survivor takes the e-mail of the first other and the website of the second.
    result = merging.merge_customers(admin, keep.id, [other.id, third.id], {"email": 1, "website": 2})
    survivor = Customer.get_by_id(keep.id)
    assert (survivor.email, survivor.website) == ("sales@vdberg.example", "https://vdb.example")
    assert Mark.select().where(Mark.user == admin.user.id).count() == 1
    info = undo.last_merge(keep.id)
    assert info.blocked_by == ""
    assert info.merged == ((other.name, other.number), (third.name, third.number))
    assert info.names == f"{other.name} ({other.number}), {third.name} ({third.number})"

    # One undo puts all three back exactly, whichever merge of the batch it is asked for.
    undone = undo.undo_merge(admin, result.merge_ids[0])
    assert undone.undone
    assert fingerprint(audit_upto=before_audit, skip=("customer_merge",)) == before
    assert undo.last_merge(keep.id) is None
    with pytest.raises(ServiceError, match="already undone"):
        undo.undo_merge(admin, result.merge_ids[1])


def test_activity_on_any_customer_of_a_batch_blocks_its_undo(pair):
    admin, keep, other = pair
    third = create_customer(admin, kind="company", name="VDB Handel")
    result = merging.merge_customers(admin, keep.id, [other.id, third.id])
    assert undo.last_merge(keep.id).blocked_by == ""
    notes.create_note(admin, keep.id, {"text": "after the merge"})
    info = undo.last_merge(keep.id)
    assert "no longer be undone" in info.blocked_by
    with pytest.raises(ServiceError, match="no longer be undone"):
        undo.undo_merge(admin, result.merge_ids[0])
    assert Customer.get_by_id(third.id).deleted_at is not None


def test_a_consumer_and_a_company_merge_either_way(team):
    admin = team["admin"]
    company = create_customer(admin, **COMPANY)
    consumer = create_customer(admin, kind="consumer", title="Mrs", first_name="Claire",
                               last_name="Thomas", mobile="06 12345678")
    # The consumer survives: the company's VAT and CoC numbers are not offered to it.
    plan = planning.plan_merge(consumer.id, [company.id])
    chosen = {f.name: f.chosen for f in plan.fields}
    assert chosen["vat_number"] == 0 and chosen["coc_number"] == 0 and chosen["iban"] == 1
    result = merging.merge_customers(admin, consumer.id, [company.id])
    kept = Customer.get_by_id(consumer.id)
    assert kept.kind == "consumer" and not kept.vat_number and not kept.coc_number
    assert kept.iban == COMPANY["iban"]
    undo.undo_merge(admin, result.merge_ids[0])
    # The company survives: no first name or title from the consumer, the mobile is taken.
    merging.merge_customers(admin, company.id, [consumer.id])
    kept = Customer.get_by_id(company.id)
    assert not kept.first_name and not kept.title
    assert kept.mobile
