"""IBAN and BIC with real numbers: structure, check digits, country, the bank offline."""

from __future__ import annotations

import pytest

from tradium_tui.services import bank_accounts as b
from tradium_tui.services.customer_rules import clean_customer
from tradium_tui.services.values import FieldError

VALID_IBANS = [
    # (typed, compact, bic, bank name or None)
    ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", "ABNANL2A", "ABN AMRO BANK N.V."),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "COBADEFFXXX", "Commerzbank"),
    ("be68 5390 0754 7034", "BE68539007547034", None, None),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606", None, None),
    ("ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332", None, None),
]

INVALID_IBANS = [
    ("NL91ABNA0417164301", "checksum"),
    ("DE89370400440532013001", "checksum"),
    ("BE68539007547035", "checksum"),
    ("NL91ABNA041716430", "length"),
    ("DE8937040044053201300", "length"),
    ("FR1420041010050500013M026061", "length"),
    ("NL91AB1A0417164300", "structure"),
    ("ES91A1000418450200051332", "structure"),
    ("XX91ABNA0417164300", "country"),
    ("QQ12345678901234", "country"),
]


@pytest.mark.parametrize("typed,compact,bic,bank", VALID_IBANS)
def test_valid_ibans(typed, compact, bic, bank):
    result = b.check_iban(typed)
    assert result.iban == compact
    assert result.country == compact[:2]
    if bic:
        assert result.bic == bic
    if bank:
        assert result.bank_name == bank


def test_bank_details_are_remembered_per_bank_not_per_account():
    """The BIC and bank name lookup is kept per bank: other accounts at the same bank get
    the same answer, another bank its own, whichever was asked first."""
    b._BANKS.clear()
    abn_one, ing, abn_two = (b.check_iban(i) for i in (
        "NL91ABNA0417164300", "NL69INGB0123456789", "NL31ABNA5699252753"))
    assert (abn_one.bic, abn_two.bic, ing.bic) == ("ABNANL2A", "ABNANL2A", "INGBNL2A")
    assert abn_two.iban == "NL31ABNA5699252753" and abn_one.bank_name == abn_two.bank_name
    assert ("NL", "ABNA", "") in b._BANKS and ("NL", "INGB", "") in b._BANKS


@pytest.mark.parametrize("text,part", INVALID_IBANS)
def test_invalid_ibans_say_which_part(text, part):
    with pytest.raises(FieldError) as err:
        b.check_iban(text)
    assert part in err.value.message


def test_iban_wrong_length_tells_expected_length():
    with pytest.raises(FieldError, match="18 characters, this has 17"):
        b.check_iban("NL91ABNA041716430")


def _iban_with_checksum(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def test_valid_iban_of_unknown_bank_is_accepted_as_bank_unknown():
    iban = _iban_with_checksum("NL", "ZZZZ0123456789")
    result = b.check_iban(iban)
    assert result.iban == iban
    assert result.bic == "" and result.bank_name == ""
    assert not result.bank_known
    assert result.bank_label == "bank unknown"
    cleaned, warnings = clean_customer({"name": "X", "iban": iban}, None, "NL")
    assert cleaned["bic"] == "" and "bank unknown" in warnings["iban"]


def test_bic_lookups_offline():
    assert b.check_bic("abna nl 2a", "NL").bank_name == "ABN AMRO BANK N.V."
    commerz = b.check_bic("COBADEFFXXX")
    assert commerz.bank_name.startswith("Commerzbank") and commerz.country == "DE"
    assert b.check_iban("DE89370400440532013000").bank_label == "COBADEFFXXX · Commerzbank"


@pytest.mark.parametrize(
    "text,iban_country,fragment",
    [
        ("ABNANL2A", "DE", "Netherlands"),
        ("ABNA", None, "8 or 11"),
        ("ABNANL2AXX", None, "8 or 11"),
        ("1BNANL2A", None, "bank code"),
        ("ABNAQQ2A", None, "not a country"),
        ("ABN@NL2A", None, "letters and digits"),
    ],
)
def test_bad_bics(text, iban_country, fragment):
    with pytest.raises(FieldError) as err:
        b.check_bic(text, iban_country)
    assert fragment in err.value.message
