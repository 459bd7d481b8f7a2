"""A customer's values as a whole: everything normalised, every error at once, and what
follows from the kind and the country."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradium_tui.services import customer_rules as v
from tradium_tui.services.errors import ValidationError


def test_customer_numbers_are_named_in_their_messages():
    with pytest.raises(ValidationError) as err:
        v.clean_customer({
            "name": "Bakkerij", "credit_limit": "abc", "discount_percent": "150",
            "mailing_code": "-1", "charge_vat": "maybe", "custom_num": "1,2,3",
        })
    errors = err.value.errors
    assert errors["credit_limit"] == "Credit limit is not a number: 'abc'."
    assert errors["discount_percent"] == "Discount percentage must be at most 100."
    assert errors["mailing_code"] == "Mailing code must be at least 0."
    assert errors["charge_vat"] == "Charge VAT must be yes or no, not 'maybe'."
    assert "separators" in errors["custom_num"]
    cleaned, _ = v.clean_customer({"name": "Bakkerij", "credit_limit": "€ 1.500", "charge_vat": ""})
    assert cleaned["credit_limit"] == Decimal("1500.00") and "charge_vat" not in cleaned


def test_clean_company_normalises_everything():
    cleaned, warnings = v.clean_customer(
        {
            "name": "  Bakkerij  De Vries B.V. ", "visit_postcode": "1012lg",
            "visit_country": "nl", "email": "Jan.de.Vries@DeVries.NL", "phone": "020 123 4567",
            "website": "devries.nl", "coc_number": "3412 3456", "vat_number": "nl004495445b01",
            "iban": "nl91 abna 0417 1643 00", "credit_limit": "1.500,00",
            "discount_percent": "2,5 %", "charge_vat": "ja", "language": "Dutch",
        },
        None,
        "NL",
    )
    assert warnings == {}
    assert cleaned["name"] == "Bakkerij  De Vries B.V."
    assert cleaned["visit_postcode"] == "1012 LG"
    assert cleaned["email"] == "Jan.de.Vries@devries.nl"
    assert cleaned["phone"] == "+31 20 123 4567"
    assert cleaned["website"] == "https://devries.nl"
    assert cleaned["vat_number"] == "NL004495445B01" and cleaned["vat_status"] == "valid"
    assert cleaned["iban"] == "NL91ABNA0417164300" and cleaned["bic"] == "ABNANL2A"
    assert cleaned["bank_name"] == "ABN AMRO BANK N.V."
    assert cleaned["credit_limit"] == Decimal("1500.00")
    assert cleaned["discount_percent"] == Decimal("2.50")
    assert cleaned["charge_vat"] is True and cleaned["language"] == "nl"


def test_clean_reports_all_errors_at_once():
    with pytest.raises(ValidationError) as err:
        v.clean_customer(
            {
                "name": "", "email": "nope", "phone": "12", "iban": "NL91ABNA0417164301",
                "visit_postcode": "12", "coc_number": "123", "website": "a b",
                "credit_limit": "lots", "discount_percent": "150", "mailing_code": "x",
                "visit_country": "Atlantis", "vat_status": "valid", "colour": "red",
            },
            None,
            "NL",
        )
    errors = err.value.errors
    assert set(errors) == {
        "name", "email", "phone", "iban", "coc_number", "website", "credit_limit",
        "discount_percent", "mailing_code", "visit_country", "vat_status", "colour",
    }
    assert "checksum" in errors["iban"]
    assert "at most 100" in errors["discount_percent"]
    assert "computed" in errors["vat_status"]


def test_invalid_vat_is_a_warning_not_an_error():
    cleaned, warnings = v.clean_customer({"name": "X", "vat_number": "NL004495446B01"}, None, "NL")
    assert cleaned["vat_status"] == "invalid" and cleaned["vat_number"] == "NL004495446B01"
    assert "wrong check digit" in warnings["vat_number"]


def test_consumer_rules():
    cleaned, _ = v.clean_customer(
        {"kind": "consument", "title": "Mevr.", "first_name": "Anna", "last_name": "de Boer"},
        None, "NL",
    )
    assert cleaned["kind"] == "consumer" and cleaned["name"] == "Anna de Boer"
    assert cleaned["vat_status"] == "not_required"
    with pytest.raises(ValidationError) as err:
        v.clean_customer(
            {"kind": "consumer", "first_name": "Anna", "vat_number": "NL004495445B01",
             "coc_number": "34123456"},
            None, "NL",
        )
    assert set(err.value.errors) == {"last_name", "vat_number", "coc_number"}
    assert "company" in err.value.errors["vat_number"]


def test_company_needs_a_name_and_other_eu_company_without_vat_is_missing():
    with pytest.raises(ValidationError) as err:
        v.clean_customer({"kind": "company", "last_name": "Jansen"}, None, "NL")
    assert err.value.errors == {"name": "A company needs a name."}
    cleaned, warnings = v.clean_customer({"name": "Müller GmbH", "visit_country": "DE"}, None, "NL")
    assert cleaned["vat_status"] == "missing" and "vat_number" in warnings


def test_clean_accepts_any_text_in_every_field():
    nasty = ["\x00", "\ud800", "x" * 5000, "🙂" * 3, "\n\t", "NaN", "-1", "1e400", "%", "' OR 1=1"]
    for name in sorted(v.EDITABLE_FIELDS - set(v.REFERENCE_FIELDS)):
        for text in nasty:
            try:
                v.clean_customer({"name": "X", name: text}, None, "NL")
            except ValidationError as exc:
                assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())



def test_bic_typed_with_iban_must_fit_its_country():
    with pytest.raises(ValidationError) as err:
        v.clean_customer(
            {"name": "X", "iban": "NL91ABNA0417164300", "bic": "COBADEFFXXX"}, None, "NL"
        )
    assert "Germany" in err.value.errors["bic"]
    cleaned, warnings = v.clean_customer(
        {"name": "X", "iban": "NL91ABNA0417164300", "bic": "RABONL2U"}, None, "NL"
    )
    assert cleaned["bic"] == "RABONL2U" and "ABNANL2A" in warnings["bic"]


def test_references_name_a_stored_row_or_are_refused(database):
    from tradium_tui.models import CustomerGroup

    horeca = CustomerGroup.create(name="Horeca")
    cleaned, _ = v.clean_customer({"name": "X", "customer_group": "Horeca"}, None, "NL")
    assert cleaned["customer_group"] == horeca.id
    cleaned, _ = v.clean_customer({"name": "X", "customer_group": str(horeca.id)}, None, "NL")
    assert cleaned["customer_group"] == horeca.id
    with pytest.raises(ValidationError) as err:
        v.clean_customer(
            {"name": "X", "account_manager": 2**70, "customer_group": "Nope", "condition_group": True},
            None, "NL",
        )
    assert err.value.errors == {
        "account_manager": f"There is no user '{2**70}'.",  # an id no row can have
        "customer_group": "There is no customer group 'Nope'.",
        "condition_group": "Not a valid choice.",
    }
