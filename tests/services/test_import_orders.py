"""Webshop orders import: new customers from orders, matching by number and e-mail,
duplicates, CSV grouping, atomicity (all-or-nothing, skip-invalid, dry-run)."""

from __future__ import annotations

import json
import os
from decimal import Decimal

import pytest

from tradium_tui.models import (
    AuditRecord,
    Contact,
    Counter,
    Customer,
    Order,
    OrderLine,
    Role,
    User,
)
from tradium_tui.services import customers
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import PermissionDenied
from tradium_tui.services.transfer import order_import
from tradium_tui.services.transfer.reports import UnusableFile

VALID_VAT = "NL000099998B57"


def jsonl(path, *orders) -> object:
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in orders) + "\n", encoding="utf-8")
    return path


def consumer_order(number="WS-1", **extra):
    order = {
        "order_number": number, "order_date": "2026-11-20", "email": "Jan@Example.nl",
        "name": "Jan de Vries", "phone": "020 123 4567", "language": "nl",
        "invoice_address": {"street": "Kerkstraat", "house_number": "5", "postcode": "1017GA",
                            "city": "Amsterdam", "country": "NL"},
        "delivery_address": {"name": "Jan (werk)", "street": "Stationsweg", "house_number": "1",
                             "postcode": "3511 AA", "city": "Utrecht", "country": "NL"},
        "remarks": "Bel aan",
        "lines": [
            {"article": "BRD-1", "description": "Volkoren brood", "quantity": 2,
             "unit_price": 3.15, "vat_rate": 9},
            {"article": "KOF", "description": "Koffie", "quantity": 1, "unit_price": "12.40",
             "vat_rate": 21, "discount_percent": 10},
        ],
        "total_incl": "20.37",
    }
    order.update(extra)
    return order


def company_order(number="WS-2", **extra):
    order = {
        "order_number": number, "order_date": "21-11-2026", "company": "Bakkerij Jansen BV",
        "contact_person": "Piet Jansen", "email": "inkoop@jansen.nl", "vat_number": VALID_VAT,
        "charge_vat": False, "customer_remarks": "Levert zelf op",
        "invoice_address": {"street": "Dorpsstraat", "house_number": "12", "postcode": "1234 AB",
                            "city": "Utrecht", "country": "NL"},
        "lines": [{"article": "MEEL", "quantity": "10", "unit_price": "1,25"}],
    }
    order.update(extra)
    return order


def test_orders_create_new_customers_from_the_order(admin, tmp_path):
    path = jsonl(tmp_path / "orders.jsonl", consumer_order(), company_order())
    report = order_import.import_orders(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert (report.created, report.customers_created, report.customers_matched) == (2, 2, 0)
    assert report.written

    jan = Customer.get(Customer.last_name == "de Vries")
    assert (jan.kind, jan.first_name, jan.name) == ("consumer", "Jan", "Jan de Vries")
    assert jan.email.lower() == "jan@example.nl"
    assert (jan.visit_street, jan.visit_postcode, jan.visit_city) == ("Kerkstraat", "1017 GA", "Amsterdam")
    assert jan.phone == "+31 20 123 4567"
    branch = Contact.get(Contact.customer == jan.id)
    assert (branch.kind, branch.name, branch.city) == ("branch", "Jan (werk)", "Utrecht")

    order = Order.get(Order.external_ref == "WS-1")
    assert order.customer_id == jan.id
    assert order.source == "webshop"
    assert order.number.startswith("O2026-")
    assert str(order.order_date) == "2026-11-20"
    assert order.remarks == "Bel aan"
    assert "Stationsweg 1" in order.delivery_address and "Kerkstraat 5" in order.invoice_address
    # 2 × 3.15 = 6.30 at 9 %; 12.40 − 10 % = 11.16 at 21 %.
    assert (Decimal(order.total_excl), Decimal(order.total_vat), Decimal(order.total_incl)) == (
        Decimal("17.46"), Decimal("2.91"), Decimal("20.37"),
    )
    assert OrderLine.select().where(OrderLine.order == order.id).count() == 2
    assert not report.warnings

    jansen = Customer.get(Customer.name == "Bakkerij Jansen BV")
    assert (jansen.kind, jansen.vat_status, jansen.charge_vat) == ("company", "valid", False)
    assert jansen.remarks == "Levert zelf op"
    person = Contact.get(Contact.customer == jansen.id)
    assert (person.kind, person.name, person.is_primary) == ("person", "Piet Jansen", True)
    assert person.email == "inkoop@jansen.nl"
    assert Decimal(Order.get(Order.external_ref == "WS-2").total_excl) == Decimal("12.50")

    # Everything is in the audit trail, attributed to the importing user.
    for table, ident in (("customer", jan.id), ("order", order.id), ("contact", branch.id)):
        rows = AuditRecord.select().where((AuditRecord.table == table) & (AuditRecord.record_id == ident))
        assert rows.count() > 0
        assert {r.username for r in rows} == {"anna"}


def test_orders_match_existing_customers_by_number_and_by_email(admin, tmp_path):
    by_number = customers.create_customer(
        admin, {"number": 4711, "name": "Vaste Klant BV", "email": "vast@klant.nl"}, check_online=False
    ).customer
    by_email = customers.create_customer(
        admin, {"name": "Mail Klant BV", "email": "info@mailklant.nl"}, check_online=False
    ).customer
    path = jsonl(
        tmp_path / "o.jsonl",
        company_order("WS-10", customer_number=4711, email="other@x.nl", company="Andere naam"),
        company_order("WS-11", email="INFO@MailKlant.nl", company="Mail Klant"),
        company_order("WS-12", customer_number="999", email="info@mailklant.nl"),
    )
    before = Customer.select().count()
    report = order_import.import_orders(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert (report.created, report.customers_created, report.customers_matched) == (3, 0, 3)
    assert Customer.select().count() == before
    assert Order.get(Order.external_ref == "WS-10").customer_id == by_number.id
    assert Order.get(Order.external_ref == "WS-11").customer_id == by_email.id
    assert Order.get(Order.external_ref == "WS-12").customer_id == by_email.id
    # The matched customers are not changed by the order's data.
    assert Customer.get_by_id(by_number.id).name == "Vaste Klant BV"


def test_second_order_of_a_new_customer_in_the_same_file_matches_it(admin, tmp_path):
    path = jsonl(tmp_path / "o.jsonl", consumer_order("WS-1"),
                 consumer_order("WS-2", email="jan@example.nl", name="J. de Vries"))
    report = order_import.import_orders(admin, path)
    assert (report.customers_created, report.customers_matched) == (1, 1)
    assert Customer.select().count() == 1


def test_reimporting_the_same_orders_adds_nothing(admin, tmp_path):
    path = jsonl(tmp_path / "o.jsonl", consumer_order(), company_order())
    order_import.import_orders(admin, path)
    counts = (Customer.select().count(), Order.select().count(), AuditRecord.select().count())
    report = order_import.import_orders(admin, path)
    assert (report.created, report.ignored, report.exit_code) == (0, 2, 0)
    assert "2 already imported" in report.summary()
    assert (Customer.select().count(), Order.select().count(), AuditRecord.select().count()) == counts


def test_customer_number_of_a_new_customer_is_taken_from_the_order(admin, tmp_path):
    path = jsonl(tmp_path / "o.jsonl", company_order("WS-5", customer_number=8800))
    order_import.import_orders(admin, path)
    assert Customer.get(Customer.number == 8800).name == "Bakkerij Jansen BV"


def test_csv_rows_grouped_by_order_number(admin, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "Ordernummer;Besteldatum;E-mail;Naam;Bedrijfsnaam;Contactpersoon;Factuurstraat;Postcode;"
        "Plaats;Land;Artikel;Omschrijving;Aantal;Prijs;BTW %\n"
        "WS-2001;2026-11-21;inkoop@jansen.nl;;Bakkerij Jansen BV;Piet Jansen;Dorpsstraat;1234 AB;"
        "Utrecht;NL;MEEL;Meel 25 kg;10;18,50;9\n"
        "WS-2002;2026-11-21;sofia@example.es;Sofía García;;;Calle Mayor 1;28013;Madrid;ES;ACE;"
        "Aceite;1;9,95;21\n"
        "WS-2001;;;;;;;;;;GIST;Gist;2;4,95;9\n",
        encoding="cp1252",
    )
    report = order_import.import_orders(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert "cp1252" in report.file_kind
    assert (report.total, report.created, report.customers_created) == (2, 2, 2)
    order = Order.get(Order.external_ref == "WS-2001")
    lines = list(OrderLine.select().where(OrderLine.order == order.id).order_by(OrderLine.position))
    assert [line.article for line in lines] == ["MEEL", "GIST"]
    assert Decimal(order.total_excl) == Decimal("194.90")
    sofia = Customer.get(Customer.visit_city == "Madrid")
    assert (sofia.kind, sofia.first_name, sofia.last_name) == ("consumer", "Sofía", "García")
    assert (sofia.visit_street, sofia.visit_country) == ("Calle Mayor 1", "ES")


def test_csv_order_fields_that_differ_between_rows_are_errors(admin, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_number,email,company,article,quantity,unit_price\n"
        "WS-1,a@x.nl,A BV,X,1,1\n"
        "WS-1,b@x.nl,A BV,Y,1,1\n",
        encoding="utf-8",
    )
    report = order_import.import_orders(admin, path)
    assert report.rejected == 1 and report.exit_code == 1
    [error] = report.errors
    assert (error.row, error.column, error.value) == (3, "email", "b@x.nl")
    assert "differs" in error.message


def test_invalid_orders_reject_everything_by_default(admin, tmp_path):
    bad = company_order("WS-9", email="geen@", company="Fout BV")
    bad["lines"] = [{"description": "Niets", "quantity": 0, "unit_price": "1"}]
    path = jsonl(tmp_path / "o.jsonl", consumer_order(), bad)
    report = order_import.import_orders(admin, path)
    assert report.exit_code == 1
    assert (report.created, report.rejected) == (1, 1)
    assert not report.written
    assert (Customer.select().count(), Order.select().count(), Contact.select().count()) == (0, 0, 0)
    assert AuditRecord.select().count() == 0
    columns = {i.column for i in report.errors}
    assert {"email", "quantity"} <= columns
    assert all(i.row == 2 for i in report.errors)
    assert "Nothing written: 1 order rejected" in report.summary()


def test_skip_invalid_keeps_the_good_orders(admin, tmp_path):
    bad = company_order("WS-9", email="geen@")
    path = jsonl(tmp_path / "o.jsonl", consumer_order(), bad)
    report = order_import.import_orders(admin, path, skip_invalid=True)
    assert (report.created, report.rejected, report.exit_code) == (1, 1, 1)
    assert report.written
    assert [o.external_ref for o in Order.select()] == ["WS-1"]
    assert Customer.select().count() == 1


def test_dry_run_writes_nothing_not_even_numbers(admin, tmp_path):
    path = jsonl(tmp_path / "o.jsonl", consumer_order(), company_order())
    report = order_import.import_orders(admin, path, dry_run=True)
    assert (report.created, report.customers_created, report.exit_code) == (2, 2, 0)
    assert "Dry run: nothing written." in report.summary()
    assert (Customer.select().count(), Order.select().count(), Counter.select().count()) == (0, 0, 0)
    real = order_import.import_orders(admin, path)
    assert real.created == 2
    assert Order.get(Order.external_ref == "WS-1").number.endswith("000001")


def test_total_mismatch_and_invalid_vat_are_warnings(admin, tmp_path):
    path = jsonl(
        tmp_path / "o.jsonl",
        consumer_order(total_incl="99.99"),
        company_order(vat_number="NL123"),
    )
    report = order_import.import_orders(admin, path)
    assert report.created == 2 and report.exit_code == 0
    messages = {(w.row, w.column): w.message for w in report.warnings}
    assert "differs from the total of the lines 20.37" in messages[(1, "total_incl")]
    assert "Invalid VAT number" in messages[(2, "vat_number")]
    assert Customer.get(Customer.name == "Bakkerij Jansen BV").vat_status == "invalid"


def test_problems_in_the_file(admin, tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text(
        json.dumps(consumer_order("WS-1")) + "\n{not json\n" + json.dumps(consumer_order("WS-1")) + "\n"
        + json.dumps({"email": "x@y.nl", "lines": []}) + "\n",
        encoding="utf-8",
    )
    report = order_import.import_orders(admin, path, skip_invalid=True)
    messages = {i.row: i.message for i in report.errors}
    assert "Not valid JSON" in messages[2]
    assert "appears twice in the file" in messages[3]
    assert "order number is required" in messages[4]
    assert (report.created, report.rejected) == (1, 3)


def test_deleted_customer_number_is_an_error(admin, tmp_path):
    gone = customers.create_customer(admin, {"number": 300, "name": "Weg BV"}, check_online=False).customer
    customers.delete_customer(admin, gone.id, gone.version)
    report = order_import.import_orders(admin, jsonl(tmp_path / "o.jsonl", company_order(customer_number=300)))
    [error] = report.errors
    assert error.column == "customer_number" and "deleted" in error.message


def test_unusable_files(admin, tmp_path):
    binary = tmp_path / "orders.jsonl"
    binary.write_bytes(os.urandom(1000) + b"\x00")
    with pytest.raises(UnusableFile, match="binary"):
        order_import.import_orders(admin, binary)
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(UnusableFile, match="empty"):
        order_import.import_orders(admin, tmp_path / "empty.jsonl")
    (tmp_path / "words.jsonl").write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(UnusableFile, match="not JSON lines"):
        order_import.import_orders(admin, tmp_path / "words.jsonl")
    (tmp_path / "nocol.csv").write_text("name,city\nA,B\n", encoding="utf-8")
    with pytest.raises(UnusableFile, match="no order number column"):
        order_import.import_orders(admin, tmp_path / "nocol.csv")


def test_orders_import_needs_the_right(database, tmp_path):
    User.create(username="sam", role=Role.get(Role.name == "sales"))
    with pytest.raises(PermissionDenied):
        order_import.import_orders(actor_for("sam"), jsonl(tmp_path / "o.jsonl", consumer_order()))
    assert Order.select().count() == 0


def test_an_order_over_the_credit_limit_is_imported_with_a_warning(admin, tmp_path):
    first = order_import.import_orders(admin, jsonl(tmp_path / "a.jsonl", consumer_order()))
    assert first.created == 1
    Customer.update(credit_limit=Decimal("25")).execute()
    report = order_import.import_orders(admin, jsonl(tmp_path / "b.jsonl", consumer_order("WS-9")))
    assert report.created == 1 and Order.select().count() == 2
    warnings = [i.message for i in report.issues if i.level == "warning"]
    assert any("Credit limit exceeded" in text and "over the credit limit 25.00" in text
               for text in warnings)


def test_lines_with_an_article_and_no_price_get_the_customers_price(admin, tmp_path):
    from tradium_tui.models import Article, Order, OrderLine

    Article.create(code="LED-600", description="LED panel", sales_price=Decimal("40.00"),
                   cost_price=Decimal("22.00"), vat_class="reduced")
    order = consumer_order(lines=[{"article": "LED-600", "quantity": 2}], total_incl="87.20")
    report = order_import.import_orders(admin, jsonl(tmp_path / "o.jsonl", order))
    assert report.exit_code == 0 and not report.issues, report.detail_lines()
    line = OrderLine.get()
    assert (line.description, line.unit_price, line.vat_rate, line.cost_price) == (
        "LED panel", Decimal("40.00"), Decimal("9"), Decimal("22.00"))
    assert Order.get().total_incl == Decimal("87.20")
