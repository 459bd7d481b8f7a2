"""The duplicate guard: each reason, in the service the form uses and in the import."""

from __future__ import annotations

import pytest

from tradium_tui.models import Customer
from tradium_tui.services import customer_duplicates
from tradium_tui.services import customers as cs
from tradium_tui.services.transfer import customer_import

KNOWN = {
    "kind": "company", "name": "Alpha Bouw B.V.", "visit_street": "Stationsstraat",
    "visit_house_number": "12a", "visit_postcode": "5014 RW", "visit_city": "Tilburg",
    "visit_country": "NL", "email": "info@alphabouw.nl", "phone": "013 415 5479",
    "mobile": "06 12345678", "coc_number": "34123456", "vat_number": "NL004495445B01",
    "iban": "NL91 ABNA 0417 1643 00",
}


@pytest.fixture
def known(admin):
    return cs.create_customer(admin, KNOWN, check_online=False).customer


CASES = [
    ({"name": "Other", "vat_number": "nl 0044.95445.b01"}, "same VAT number NL004495445B01"),
    ({"name": "Other", "coc_number": "3412 3456"}, "same KvK number 34123456"),
    ({"name": "Other", "iban": "nl91abna0417164300"}, "same IBAN NL91ABNA0417164300"),
    ({"name": "Other", "email": "INFO@alphabouw.nl"}, "same e-mail address info@alphabouw.nl"),
    ({"name": "Other", "phone": "+31 (0)13 4155479"}, "same phone number +31 13 415 5479"),
    ({"name": "Other", "phone": "0031134155479"}, "same phone number +31 13 415 5479"),
    ({"name": "Other", "mobile": "+31612345678"}, "same phone number +31 6 12345678"),
    ({"name": "Other", "phone": "06-12345678"}, "same phone number +31 6 12345678"),
    ({"name": "alpha bouw"}, "same name"),
    ({"name": "Alpha Bouw BV"}, "same name"),
    ({"name": "ALPHA BOUW, B.V."}, "same name"),
    ({"name": "Alpha Bouw N.V."}, "same name"),
    ({"name": "Alpha Bouw GmbH", "visit_country": "DE"}, "same name"),
    ({"name": "Other", "visit_postcode": "5014rw", "visit_house_number": "12 A"},
     "same address 5014 RW 12a"),
]


@pytest.mark.parametrize("values, reason", CASES)
def test_each_reason_is_found_and_named(known, values, reason):
    [match] = customer_duplicates.find_duplicates({"kind": "company", **values})
    assert (match.customer_id, match.number, match.name) == (known.id, known.number, known.name)
    assert match.reason == reason


@pytest.mark.parametrize(
    "values",
    [
        {"name": "Alpha Bouwers B.V."},
        {"name": "Beta Bouw B.V."},
        {"name": "Other", "visit_postcode": "5014 RW", "visit_house_number": "14"},
        {"name": "Other", "phone": "013 415 5478"},
        {"name": "Other", "visit_postcode": "5014 RW"},  # a postcode alone is no address
    ],
)
def test_near_misses_are_no_duplicates(known, values):
    assert customer_duplicates.find_duplicates({"kind": "company", **values}) == []


def test_several_reasons_together_and_saving_warns_only(admin, known):
    result = cs.create_customer(
        admin, {"kind": "consumer", "first_name": "Jan", "last_name": "Jansen",
                "visit_postcode": "5014 RW", "visit_house_number": "12a",
                "mobile": "06 12345678"}, check_online=False,
    )
    [match] = result.duplicates
    assert match.reason == "same phone number +31 6 12345678; same address 5014 RW 12a"
    assert Customer.select().count() == 2


def test_the_normalised_name():
    assert customer_duplicates.normalized_name("Alpha-Bouw B.V.") == "alpha bouw"
    assert customer_duplicates.normalized_name("Construcciones García, S.L.") == "construcciones garcía"
    assert customer_duplicates.normalized_name("  ALPHA   bouw  sarl ") == "alpha bouw"
    assert customer_duplicates.normalized_name("BV") == "bv"  # a name that is only a legal form stays


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("values, reason", CASES)
def test_the_import_warns_per_row(admin, known, tmp_path, values, reason):
    columns = {"name": "name", "vat_number": "vat_number", "coc_number": "coc_number",
               "iban": "iban", "email": "email", "phone": "phone", "mobile": "mobile",
               "visit_postcode": "postcode", "visit_house_number": "house_number",
               "visit_country": "country"}
    header = ",".join(columns[k] for k in values)
    row = ",".join(f'"{v}"' for v in values.values())
    path = _write(tmp_path / "d.csv", f"{header}\n{row}\n")
    report = customer_import.import_customers(admin, path, home_country="NL")
    assert report.created == 1
    [warning] = [w for w in report.warnings if "duplicate" in w.message]
    assert warning.row == 2
    assert f"duplicate of customer {known.number} (Alpha Bouw B.V.): {reason}" in warning.message


def test_the_import_refuses_duplicates_when_asked(admin, known, tmp_path):
    path = _write(tmp_path / "d.csv", "name,phone\nAlpha Bouw BV,\nNew One,+31 20 123 4567\n")
    report = customer_import.import_customers(admin, path, home_country="NL", no_duplicates=True)
    assert not report.written  # an invalid row stops the whole file by default
    [error] = report.errors
    assert error.row == 2 and "same name" in error.message and "--no-duplicates" in error.message
    report = customer_import.import_customers(
        admin, path, home_country="NL", no_duplicates=True, skip_invalid=True
    )
    assert report.created == 1 and report.rejected == 1
    assert Customer.select().where(Customer.name == "New One").count() == 1
