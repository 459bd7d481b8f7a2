"""GDPR: the export holds every personal field; anonymising leaves no personal value in any
table or audit row except the customer snapshot of invoices inside the retention."""

from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest
from support.app import create_customer, make_team

from tradium_tui.db import database
from tradium_tui.models import ALL_MODELS, Customer, Invoice
from tradium_tui.services import actions, gdpr, invoices, merge, notes
from tradium_tui.services import contacts as contact_service
from tradium_tui.services import orders as order_service
from tradium_tui.services.errors import ServiceError

PERSON = {
    "kind": "consumer", "title": "Mevr.", "first_name": "Josefien", "last_name": "Kwakernaak",
    "visit_street": "Zonnebloemstraat", "visit_house_number": "17", "visit_postcode": "3581 AB",
    "visit_city": "Utrecht", "email": "josefien.kwakernaak@example.org", "phone": "030 7654321",
    "mobile": "06 12345678", "iban": "NL91ABNA0417164300", "reference": "CARD-778899",
    "remarks": "Prefers Kwakernaak deliveries after 17:00",
}


@pytest.fixture
def person(team, database):
    admin = team["admin"]
    c = create_customer(admin, **PERSON)
    contact_service.create_contact(admin, c.id, {"name": "Pieter Kwakernaak",
                                                 "email": "pieter.k@example.org",
                                                 "phone": "030 1112223"})
    notes.create_note(admin, c.id, {"text": "Josefien called about her Zonnebloemstraat address"})
    actions.create_action(admin, c.id, {"subject": "Call Josefien", "text": "at 06 98765432"})
    order_service.create_order(admin, c.id, {"order_date": "2026-02-01",
                                             "delivery_address": "Zonnebloemstraat 17, Utrecht"})
    recent = invoices.create_invoice(admin, c.id, {"amount_excl": "50",
                                                   "invoice_date": dt.date.today().isoformat()})
    old = invoices.create_invoice(admin, c.id, {"amount_excl": "20", "invoice_date": "2015-03-01"})
    return admin, Customer.get_by_id(c.id), recent, old


def _personal_values(customer: Customer) -> list[str]:
    from tradium_tui.models import Contact

    values = [getattr(customer, f) for f in gdpr.CUSTOMER_PERSONAL] + [
        getattr(c, f) for c in Contact.select() for f in gdpr.CONTACT_PERSONAL
    ] + ["Kwakernaak", "Josefien"]
    return sorted({str(v) for v in values if v not in (None, "") and len(str(v)) >= 4})


def test_export_contains_every_personal_field(person, tmp_path):
    admin, customer, recent, _old = person
    written = gdpr.export_person(admin, customer.id, tmp_path / "person")
    data = json.loads(written[0].read_text(encoding="utf-8"))
    text = written[1].read_text(encoding="utf-8")
    for name in gdpr.CUSTOMER_PERSONAL:
        assert data["customer"][name] == merge.row_image(Customer, customer)[name]
    blob = json.dumps(data, ensure_ascii=False)
    for value in _personal_values(customer):
        assert value in blob, value
        assert value in text, value
    assert data["contact"][0]["email"] == "pieter.k@example.org"
    assert data["note"] and data["action"] and data["order"] and len(data["invoice"]) == 2
    assert any(a["table"] == "customer" for a in data["audit_trail"])


def _every_text_value() -> list[tuple[str, str, object, str]]:
    found = []
    for model in ALL_MODELS:
        texts = [f for f in model._meta.sorted_fields
                 if isinstance(f, (peewee.CharField, peewee.TextField))]
        for row in model.select():
            for f in texts:
                value = getattr(row, f.name)
                if value:
                    found.append((model._meta.table_name, f.name, row.get_id(), str(value)))
    return found


def test_anonymise_leaves_no_personal_value_outside_the_kept_invoice(person):
    admin, customer, recent, old = person
    originals = _personal_values(customer)
    result = gdpr.anonymise_customer(admin, customer.id)
    assert result.kept_until == dt.date(dt.date.today().year + 7, 12, 31)
    assert str(result.kept_until) in result.summary()
    leaks = [
        (table, column, rid, value) for table, column, rid, value in _every_text_value()
        for original in originals if original in value
        and not (table == "invoice" and rid == recent.id and column in gdpr.INVOICE_SNAPSHOT)
    ]
    assert not leaks
    if database.obj.__class__.__name__ == "SqliteDatabase":
        rows = database.execute_sql("SELECT * FROM customer_fts").fetchall()
        assert not [r for r in rows for o in originals if any(o in str(v) for v in r)]
    assert Invoice.get_by_id(recent.id).customer_name == customer.name  # kept by law
    assert Invoice.get_by_id(old.id).customer_name == gdpr.ANONYMOUS


def test_companies_are_refused_and_contacts_anonymised_one_by_one(database):
    admin = make_team()["admin"]
    company = create_customer(admin, kind="company", name="Acme B.V.")
    contact = contact_service.create_contact(admin, company.id, {"name": "Gerrit Zwanenburg",
                                                                 "email": "gerrit@acme.example"})
    with pytest.raises(ServiceError, match="company"):
        gdpr.anonymise_customer(admin, company.id)
    gdpr.anonymise_contact(admin, contact.id)
    leaks = [v for *_, v in _every_text_value() if "Zwanenburg" in v or "gerrit@acme" in v]
    assert not leaks


def test_export_never_writes_through_a_symlink(person, tmp_path):
    admin, customer, _recent, _old = person
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    (tmp_path / "person.json").symlink_to(elsewhere)
    with pytest.raises(ServiceError, match="symbolic link"):
        gdpr.export_person(admin, customer.id, tmp_path / "person")
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "person.json").is_symlink()


def test_cli_export_inactive_and_anonymise(cli_runner, person, tmp_path):
    admin, customer, _recent, _old = person
    code, out, err = cli_runner("customers", "gdpr-export", str(customer.number),
                                str(tmp_path / "x.json"), "--user", "admin")
    assert code == 0, err
    assert (tmp_path / "x.txt").exists()
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    code, out, err = cli_runner("customers", "anonymise", "--inactive-since", future, "--dry-run",
                                "--user", "admin")
    assert code == 0, err
    assert str(customer.number) in out and "dry run" in out
    code, out, err = cli_runner("customers", "anonymise", "--inactive-since", "2000-01-01",
                                "--user", "admin")
    assert code == 0 and "No consumers" in out
    code, out, err = cli_runner("customers", "anonymise", str(customer.number), "--yes",
                                "--user", "admin")
    assert code == 0, err
    assert "until" in out
    assert Customer.get_by_id(customer.id).name == gdpr.ANONYMOUS
