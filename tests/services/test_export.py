"""Exports: customers (CSV and .xlsx), accounting, mailing selections."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tradium_tui.models import (
    Customer,
    CustomerGroup,
    CustomerTag,
    Invoice,
    Mark,
    Role,
    Tag,
    User,
)
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import NotFound, PermissionDenied
from tradium_tui.services.transfer import exports, tabular

CONTRACT = (
    "number,kind,name,email,phone,street,house_number,postcode,city,country,vat_number,"
    "vat_status,coc_number,iban,bic,credit_limit,customer_group,reference,ledger_account,"
    "mailing_code,tags"
).split(",")


def make_user(name: str, role: str = "admin") -> User:
    return User.create(username=name, role=Role.get(Role.name == role))


def make_customer(number: int, name: str, **fields) -> Customer:
    return Customer.create(number=number, name=name, **fields)


def read_csv_file(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def sample(database):
    group = CustomerGroup.create(name="Wholesale", discount_percent=Decimal("5"))
    a = make_customer(
        1001, "Bakkerij Émile", kind="company", email="info@emile.nl", phone="020 123 4567",
        visit_street="Dorpsstraat", visit_house_number="12a", visit_postcode="1234 AB",
        visit_city="Utrecht", visit_country="NL", vat_number="NL123456789B01",
        vat_status="invalid", credit_limit=Decimal("1500.5"), customer_group=group,
        reference="LOY-77", ledger_account="1310", mailing_code=3,
        remarks="first line\nsecond line, with comma", charge_vat=False,
        discount_percent=Decimal("2.5"), custom_num=Decimal("12.5"),
    )
    b = make_customer(1002, "Jürgen Müller", kind="consumer", first_name="Jürgen",
                      last_name="Müller", visit_country="DE", mailing_code=3, language="de")
    c = make_customer(1003, "Gone BV", deleted_at=dt.datetime(2026, 1, 1))
    for tag_name, customer in (("vip", a), ("Beurs", a), ("vip", b)):
        tag, _ = Tag.get_or_create(name=tag_name)
        CustomerTag.create(customer=customer, tag=tag)
    return a, b, c


def test_customer_csv_has_contract_columns_and_every_field(admin, sample, tmp_path):
    target = tmp_path / "customers.csv"
    result = exports.export_customers(admin, target)
    assert result.rows == 2
    assert "Exported 2 customers" in result.summary()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs recognise UTF-8
    rows = read_csv_file(target)
    header = rows[0]
    assert header[: len(CONTRACT)] == CONTRACT
    assert len(header) == len(set(header))
    first = dict(zip(header, rows[1], strict=True))
    assert first["number"] == "1001"
    assert first["name"] == "Bakkerij Émile"
    assert first["street"] == "Dorpsstraat"
    assert first["house_number"] == "12a"
    assert first["credit_limit"] == "1500.50"
    assert first["customer_group"] == "Wholesale"
    assert first["tags"] == "Beurs, vip"
    assert first["mailing_code"] == "3"
    assert first["vat_status"] == "invalid"
    assert first["remarks"] == "first line\nsecond line, with comma"
    assert first["charge_vat"] == "no"
    assert first["discount_percent"] == "2.50"
    assert first["custom_num"] == "12.5"
    second = dict(zip(header, rows[2], strict=True))
    assert second["first_name"] == "Jürgen"
    assert second["tags"] == "vip"
    assert second["customer_group"] == ""
    # The deleted customer is not exported.
    assert [r[0] for r in rows[1:]] == ["1001", "1002"]


def test_customer_xlsx_export_reads_back(admin, sample, tmp_path):
    target = tmp_path / "customers.xlsx"
    exports.export_customers(admin, target)
    book = openpyxl.load_workbook(target, read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert list(values[0][: len(CONTRACT)]) == CONTRACT
    assert values[1][0] == 1001  # the number is a number in the sheet
    table = tabular.read_table(target)
    assert table.kind == "xlsx"
    assert table.rows[0][1][2] == "Bakkerij Émile"
    assert table.rows[0][1][table.headers.index("remarks")] == (
        "first line\nsecond line, with comma"
    )


def test_semicolon_export_to_a_stream(admin, sample):
    stream = io.StringIO()
    result = exports.export_customers(admin, stream, delimiter=";")
    assert result.target == "-"
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("number;kind;name;email")


def test_export_needs_the_import_export_right(database, sample, tmp_path):
    make_user("sam", role="sales")
    with pytest.raises(PermissionDenied):
        exports.export_customers(actor_for("sam"), tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def _invoice(customer: Customer, number: str, day: dt.date, excl: str, vat: str, paid="0",
             status="open") -> Invoice:
    excl_d, vat_d = Decimal(excl), Decimal(vat)
    return Invoice.create(
        customer=customer, number=number, invoice_date=day, due_date=day + dt.timedelta(days=30),
        amount_excl=excl_d, vat_amount=vat_d, amount_incl=excl_d + vat_d,
        paid_amount=Decimal(paid), status=status, customer_number=customer.number,
        customer_name=customer.name, customer_vat_number=customer.vat_number,
    )


def test_accounting_export_uses_various_customers_account(admin, sample, tmp_path):
    a, b, c = sample
    _invoice(a, "F2026-000001", dt.date(2026, 1, 10), "100.00", "21.00")
    _invoice(b, "F2026-000002", dt.date(2026, 2, 10), "50.00", "10.50", paid="20.00")
    _invoice(c, "F2026-000003", dt.date(2026, 3, 10), "10.00", "0.90")  # deleted customer
    target = tmp_path / "acc.csv"
    result = exports.export_accounting(admin, target, "1300")
    assert result.rows == 3
    rows = read_csv_file(target)
    assert rows[0] == exports.ACCOUNTING_COLUMNS
    by_number = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_number["F2026-000001"]["ledger_account"] == "1310"
    assert by_number["F2026-000002"]["ledger_account"] == "1300"
    assert by_number["F2026-000003"]["ledger_account"] == "1300"
    assert by_number["F2026-000002"]["gross"] == "60.50"
    assert by_number["F2026-000002"]["vat_rate"] == "21"
    assert by_number["F2026-000003"]["vat_rate"] == "9"
    assert by_number["F2026-000001"]["customer_number"] == "1001"
    assert by_number["F2026-000001"]["invoice_date"] == "2026-01-10"
    assert result.total_incl == Decimal("192.40")
    assert "incl. VAT 192,40" in result.summary()  # amounts as the locale writes them

    period = exports.export_accounting(
        admin, tmp_path / "feb.csv", "1300",
        date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28),
    )
    assert period.rows == 1
    assert read_csv_file(tmp_path / "feb.csv")[1][0] == "F2026-000002"


def test_mailing_selection_counts_customers_without_email(admin, sample, tmp_path):
    a, b, c = sample
    target = tmp_path / "mail.csv"
    result = exports.export_mailing(admin, target, mailing_code=3)
    assert (result.selected, result.rows, result.without_email) == (2, 1, 1)
    assert "1 without an e-mail address" in result.summary()
    rows = read_csv_file(target)
    assert rows[0][:3] == ["name", "email", "language"]
    assert rows[1][:3] == ["Bakkerij Émile", "info@emile.nl", "nl"]

    by_tag = exports.export_mailing(admin, tmp_path / "t.csv", tag="VIP")
    assert (by_tag.selected, by_tag.rows) == (2, 1)
    by_beurs = exports.export_mailing(admin, tmp_path / "t2.csv", tag="beurs", mailing_code=4)
    assert by_beurs.selected == 0

    Mark.create(user=admin.user, customer=b)
    marked = exports.export_mailing(admin, tmp_path / "m.csv", marked_by="anna")
    assert (marked.selected, marked.rows, marked.without_email) == (1, 0, 1)

    with pytest.raises(NotFound):
        exports.export_mailing(admin, tmp_path / "n.csv", tag="nope")
    with pytest.raises(NotFound):
        exports.export_mailing(admin, tmp_path / "n.csv", marked_by="nobody")
