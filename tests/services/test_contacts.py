"""Contacts: validation per field, exactly one primary contact, locking and audit."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.models import AuditRecord, Contact, Customer, utcnow
from tradium_tui.services import contacts
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError


def _primaries(customer_id):
    return [c.name for c in Contact.select().where((Contact.customer == customer_id) & Contact.is_primary)]


def test_create_normalises_and_audits(admin, customer):
    contact = contacts.create_contact(
        admin, customer.id,
        {"name": " Jan de Vries ", "email": "Jan@Example.NL", "phone": "020 123 4567",
         "country": "nl", "postcode": "1234ab", "kind": "person"},
    )
    assert contact.name == "Jan de Vries"
    assert contact.email == "Jan@example.nl"
    assert contact.phone == "+31 20 123 4567"
    assert contact.country == "NL"
    assert contact.postcode == "1234 AB"
    assert contact.is_primary  # the first contact becomes primary
    rows = {
        r.field: r.new_value
        for r in AuditRecord.select().where(
            (AuditRecord.table == "contact") & (AuditRecord.record_id == contact.id)
        )
    }
    assert rows["name"] == "Jan de Vries"
    assert rows["phone"] == "+31 20 123 4567"
    assert AuditRecord.select().where(AuditRecord.customer_id == customer.id).count() >= 5


def test_phone_uses_customer_country_as_region(admin, database):
    belgian = Customer.create(number=2001, name="Brasserie Liégeoise", visit_country="BE")
    contact = contacts.create_contact(admin, belgian.id, {"name": "Luc", "phone": "02 555 12 12"})
    assert contact.phone.startswith("+32 ")


def test_create_bad_input_reports_each_field(admin, customer):
    with pytest.raises(ValidationError) as info:
        contacts.create_contact(
            admin, customer.id,
            {"name": "  ", "email": "not-an-address", "phone": "12", "kind": "robot",
             "country": "Atlantis", "is_primary": "maybe"},
        )
    errors = info.value.errors
    assert set(errors) >= {"name", "email", "phone", "kind", "country", "is_primary"}
    assert "required" in errors["name"]
    assert "e-mail" in errors["email"].lower()
    assert Contact.select().count() == 0
    assert AuditRecord.select().where(AuditRecord.table == "contact").count() == 0


def test_unknown_field_is_refused(admin, customer):
    with pytest.raises(ValidationError) as info:
        contacts.create_contact(admin, customer.id, {"name": "A", "shoe_size": "44"})
    assert "shoe_size" in info.value.errors


def test_update_bad_input_leaves_record_unchanged(admin, customer):
    contact = contacts.create_contact(admin, customer.id, {"name": "Jan", "email": "jan@example.nl"})
    with pytest.raises(ValidationError) as info:
        contacts.update_contact(admin, contact.id, {"email": "jan@", "name": ""}, contact.version)
    assert set(info.value.errors) == {"email", "name"}
    stored = Contact.get_by_id(contact.id)
    assert (stored.name, stored.email, stored.version) == ("Jan", "jan@example.nl", 1)


def test_stale_version_conflicts(admin, customer):
    contact = contacts.create_contact(admin, customer.id, {"name": "Jan"})
    contacts.update_contact(admin, contact.id, {"function": "Buyer"}, 1)
    with pytest.raises(ConflictError) as info:
        contacts.update_contact(admin, contact.id, {"function": "Owner"}, 1)
    assert [c.field for c in info.value.conflicts] == ["function"]
    assert info.value.conflicts[0].theirs == "Buyer"
    assert Contact.get_by_id(contact.id).function == "Buyer"
    with pytest.raises(ConflictError):
        contacts.delete_contact(admin, contact.id, 1)


def test_exactly_one_primary(admin, customer):
    first = contacts.create_contact(admin, customer.id, {"name": "Jan"})
    second = contacts.create_contact(admin, customer.id, {"name": "Piet"})
    assert _primaries(customer.id) == ["Jan"]
    assert not second.is_primary

    third = contacts.create_contact(admin, customer.id, {"name": "Kees", "is_primary": "yes"})
    assert _primaries(customer.id) == ["Kees"]
    cleared = AuditRecord.get(
        (AuditRecord.table == "contact") & (AuditRecord.record_id == first.id)
        & (AuditRecord.field == "is_primary") & (AuditRecord.action == "update")
    )
    assert (cleared.old_value, cleared.new_value, cleared.username) == ("yes", "no", "anna")
    assert cleared.customer_id == customer.id
    assert Contact.get_by_id(first.id).version == 2

    second = Contact.get_by_id(second.id)
    contacts.make_primary(admin, second.id, second.version)
    assert _primaries(customer.id) == ["Piet"]

    # Switching the primary flag off is refused: one is always primary.
    second = Contact.get_by_id(second.id)
    with pytest.raises(ValidationError) as info:
        contacts.update_contact(admin, second.id, {"is_primary": False}, second.version)
    assert "is_primary" in info.value.errors

    # Deleting the primary promotes the oldest remaining contact.
    contacts.delete_contact(admin, second.id, second.version)
    assert _primaries(customer.id) == ["Jan"]
    listed = contacts.list_contacts(admin, customer.id)
    assert [c.name for c in listed] == ["Jan", "Kees"]
    assert Contact.get_by_id(third.id).is_primary is False


def test_branch_and_list_order(admin, customer):
    contacts.create_contact(admin, customer.id, {"name": "Zoë", "kind": "person"})
    contacts.create_contact(admin, customer.id, {"name": "Filiaal Utrecht", "kind": "branch"})
    contacts.create_contact(admin, customer.id, {"name": "Anton", "kind": "person"})
    names = [(c.kind, c.name) for c in contacts.list_contacts(admin, customer.id)]
    assert names[0] == ("person", "Zoë")  # primary first
    assert names[1:] == [("branch", "Filiaal Utrecht"), ("person", "Anton")]


def test_delete_is_audited_with_snapshot(admin, customer):
    contact = contacts.create_contact(admin, customer.id, {"name": "Jan", "city": "Delft"})
    contacts.delete_contact(admin, contact.id, contact.version)
    assert Contact.select().count() == 0
    fields = {
        r.field: r.old_value
        for r in AuditRecord.select().where(
            (AuditRecord.table == "contact") & (AuditRecord.action == "delete")
        )
    }
    assert fields["name"] == "Jan" and fields["city"] == "Delft"


def test_missing_or_deleted_customer(admin, customer):
    with pytest.raises(NotFound):
        contacts.create_contact(admin, 999_999, {"name": "Jan"})
    Customer.update(deleted_at=utcnow()).where(Customer.id == customer.id).execute()
    with pytest.raises(NotFound) as info:
        contacts.create_contact(admin, customer.id, {"name": "Jan"})
    assert "restore" in str(info.value)
    with pytest.raises(NotFound):
        contacts.get_contact(admin, 424242)


TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "+31 20 123 4567", "a@b.nl", "NL", "person", "branch",
                     "yes", "no", "1234 AB", "\x00", "x" * 300]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(contacts.FIELDS), TEXT, max_size=6))
def test_arbitrary_text_is_stored_or_refused_per_field(admin, customer, values):
    """Whatever is typed: a stored contact or field messages, never another exception."""
    existing = contacts.list_contacts(admin, customer.id)
    try:
        contacts.create_contact(admin, customer.id, {"name": "Jan", **values})
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert len(contacts.list_contacts(admin, customer.id)) == len(existing)
    if existing:
        target = existing[-1]
        try:
            contacts.update_contact(admin, target.id, values, target.version)
        except ValidationError:
            stored = Contact.get_by_id(target.id)
            assert (stored.version, stored.name, stored.email) == (target.version, target.name, target.email)
    assert len([c for c in contacts.list_contacts(admin, customer.id) if c.is_primary]) == 1


def test_concurrent_new_primaries_leave_exactly_one(admin, customer, database):
    """Two people make a new primary contact at the same moment: one primary remains."""
    contacts.create_contact(admin, customer.id, {"name": "Jan"})
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            with database.connection_context():
                barrier.wait(timeout=10)
                contacts.create_contact(admin, customer.id, {"name": name, "is_primary": True})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("Piet", "Kees")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Contact.select().where(Contact.customer == customer.id).count() == 3
    assert len(_primaries(customer.id)) == 1
