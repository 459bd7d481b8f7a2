"""Field validation with real numbers: VAT, IBAN/BIC, phone, postcode, CoC, e-mail, website…"""

from __future__ import annotations

from decimal import Decimal

import pytest
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from tradium_tui.services import countries
from tradium_tui.services import validation as v
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.values import FieldError

# --------------------------------------------------------------------------- VAT

# Valid numbers: examples from python-stdnum's documentation plus numbers whose check
# digits were computed with the national algorithms (BSN 11-test, mod 97, ISO 7064
# mod 11,10, Luhn + French key, CIF control digit, UK mod 97, Swiss UID mod 11, NO mod 11).
VALID_VAT = {
    "NL": ["NL004495445B01", "NL534640977B01", "NL302466332B01", "NL 6299.23127.B01"],
    "BE": ["BE0411905847", "BE0746043430", "BE 0240.505.560"],
    "DE": ["DE136695976", "DE819248659", "DE 226 339 202"],
    "FR": ["FR40303265045", "FR54882204829", "FR 79 177 844 834"],
    "ES": ["ESB46020376", "ESB16290728", "ES B-24419558"],
    "GB": ["GB980780684", "GB827536705", "GB 801 5764 03"],
    "CH": ["CHE-116.281.710 MWST", "CHE-423.012.418 MWST", "CHE-221.752.940 MWST"],
    "NO": ["NO974760673MVA", "NO942445008MVA", "NO 819 834 199 MVA"],
}

# (number, customer country, reason expected in the message)
INVALID_VAT = {
    "NL": [
        ("NL004495446B01", "wrong check digit"),
        ("NL00449544B011", "wrong format"),
        ("NL53464097B01", "wrong check digit"),  # 8 digits: zero-padded, then the check fails
        ("DE136695976", "country mismatch"),
    ],
    "BE": [
        ("BE0411905848", "wrong check digit"),
        ("BE04119058471", "wrong length"),
        ("BE041190584", "wrong check digit"),
        ("NL004495445B01", "country mismatch"),
    ],
    "DE": [
        ("DE136695977", "wrong check digit"),
        ("DE13669597", "wrong length"),
        ("DE1366959761", "wrong length"),
        ("DEA36695976", "wrong format"),
    ],
    "FR": [
        ("FR41303265045", "wrong check digit"),
        ("FR4030326504", "wrong length"),
        ("FR403032650451", "wrong length"),
    ],
    "ES": [
        ("ESB46020377", "wrong check digit"),
        ("ESB4602037", "wrong length"),
        ("ESB460203766", "wrong length"),
    ],
    "GB": [
        ("GB980780685", "wrong check digit"),
        ("GB98078068", "wrong length"),
        ("GB9807806841", "wrong length"),
    ],
    "CH": [
        ("CHE-116.281.711 MWST", "wrong check digit"),
        ("CHE-116.281.7101 MWST", "wrong length"),
        ("CHE-116.281.710 XYZ", "not valid"),
    ],
    "NO": [
        ("NO974760674MVA", "wrong check digit"),
        ("NO97476067MVA", "wrong length"),
        ("NO974760673", "wrong format"),
    ],
}


def _stdnum_says_valid(number: str, country: str) -> bool:
    if countries.is_eu(country):
        return eu_vat.is_valid(number)
    return get_cc_module(country.lower(), "vat").is_valid(number)


@pytest.mark.parametrize(
    "country,number", [(cc, n) for cc, numbers in VALID_VAT.items() for n in numbers]
)
def test_valid_vat_numbers(country, number):
    assert _stdnum_says_valid(number, country)  # the test data itself is right
    result = v.check_vat(number, country, "company", "NL")
    assert result.status == "valid", result.message
    assert " " not in result.normalized and "." not in result.normalized
    assert result.normalized[:2] == ("CH" if country == "CH" else country)


@pytest.mark.parametrize(
    "country,number,reason",
    [(cc, n, r) for cc, items in INVALID_VAT.items() for n, r in items],
)
def test_invalid_vat_numbers_have_a_reason(country, number, reason):
    if reason != "country mismatch":
        assert not _stdnum_says_valid(number, country)
    result = v.check_vat(number, country, "company", "NL")
    assert result.status == "invalid"
    assert reason in result.message, result.message
    assert result.normalized  # kept (normalised) so the customer can still be saved


def test_vat_count_per_country():
    for cc in ("NL", "BE", "DE", "FR", "ES", "GB", "CH", "NO"):
        assert len(VALID_VAT[cc]) >= 3 and len(INVALID_VAT[cc]) >= 3


def test_vat_normalisation_and_prefix_added():
    assert v.check_vat("nl 0044.95445.b01", "NL").normalized == "NL004495445B01"
    assert v.check_vat("004495445B01", "NL").normalized == "NL004495445B01"
    assert v.check_vat("980780684", "GB").normalized == "GB980780684"
    assert v.check_vat("974760673MVA", "NO").normalized == "NO974760673MVA"


def test_vat_greece_el_and_northern_ireland_xi():
    assert v.check_vat("EL094259216", "GR").status == "valid"
    assert v.check_vat("094259216", "GR").normalized == "EL094259216"
    assert v.check_vat("XI980780684", "GB").status == "valid"
    assert v.check_vat("EL094259216", "CY").status == "invalid"


def test_vat_missing_only_for_companies_in_other_eu_countries():
    assert v.check_vat("", "DE", "company", "NL").status == "missing"
    assert "VAT number" in v.check_vat("", "BE", "company", "NL").message
    assert v.check_vat("", "NL", "company", "NL").status == "not_required"
    assert v.check_vat("", "DE", "consumer", "NL").status == "not_required"
    assert v.check_vat("", "CH", "company", "NL").status == "not_required"
    assert v.check_vat("", "US", "company", "NL").status == "not_required"
    # Home country is a setting: from Belgium, a Dutch company needs one.
    assert v.check_vat("", "NL", "company", "BE").status == "missing"


def test_vat_country_without_stdnum_module_is_unchecked():
    result = v.check_vat("12-3456789", "US", "company", "NL")
    assert result.status == "unchecked"
    assert result.normalized == "123456789"


def test_vat_never_raises_on_strange_text():
    for text in ["\x00", "€€€", "NL" + "9" * 40, "🙂", "B" * 3, "   ", "EL", "XI"]:
        result = v.check_vat(text, "NL")
        assert result.status in v.VAT_STATUSES


# Online (VIES-style) checks: pluggable, none by default, never blocks.


def test_no_online_checker_by_default():
    assert v.online_vat_checker() is None


def test_online_checker_confirms_rejects_and_failures_keep_local_status():
    answers = {"NL004495445B01": True, "DE136695976": False}
    calls = []

    def checker(number):
        calls.append(number)
        if number not in answers:
            raise OSError("VIES unreachable")
        return answers[number]

    v.register_online_vat_checker(checker)
    try:
        confirmed = v.check_vat("NL004495445B01", "NL", online=True)
        assert confirmed.status == "valid" and confirmed.checked_online
        assert "VIES" in confirmed.message
        rejected = v.check_vat("DE136695976", "DE", online=True)
        assert rejected.status == "invalid" and "not registered" in rejected.message
        offline = v.check_vat("BE0411905847", "BE", online=True)
        assert offline.status == "valid" and not offline.checked_online
        assert "could not be reached" in offline.message
        # Not asked online (e.g. bulk import), or locally invalid: no call.
        v.check_vat("FR40303265045", "FR")
        v.check_vat("NL004495446B01", "NL", online=True)
        assert calls == ["NL004495445B01", "DE136695976", "BE0411905847"]
    finally:
        v.register_online_vat_checker(None)


def test_load_online_checker_by_name():
    try:
        checker = v.load_online_vat_checker("tradium_tui.services.validation:stdnum_vies_checker")
        assert v.online_vat_checker() is checker
    finally:
        v.register_online_vat_checker(None)
    with pytest.raises(ValueError, match="module:function"):
        v.load_online_vat_checker("nonsense")
    with pytest.raises(ValueError, match="cannot be loaded"):
        v.load_online_vat_checker("tradium_tui.services.validation:no_such_thing")


# --------------------------------------------------------------------------- IBAN / BIC

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
    result = v.check_iban(typed)
    assert result.iban == compact
    assert result.country == compact[:2]
    if bic:
        assert result.bic == bic
    if bank:
        assert result.bank_name == bank


def test_bank_details_are_remembered_per_bank_not_per_account():
    """The BIC and bank name lookup is kept per bank: other accounts at the same bank get
    the same answer, another bank its own, whichever was asked first."""
    v._BANKS.clear()
    abn_one, ing, abn_two = (v.check_iban(i) for i in (
        "NL91ABNA0417164300", "NL69INGB0123456789", "NL31ABNA5699252753"))
    assert (abn_one.bic, abn_two.bic, ing.bic) == ("ABNANL2A", "ABNANL2A", "INGBNL2A")
    assert abn_two.iban == "NL31ABNA5699252753" and abn_one.bank_name == abn_two.bank_name
    assert ("NL", "ABNA", "") in v._BANKS and ("NL", "INGB", "") in v._BANKS


@pytest.mark.parametrize("text,part", INVALID_IBANS)
def test_invalid_ibans_say_which_part(text, part):
    with pytest.raises(FieldError) as err:
        v.check_iban(text)
    assert part in err.value.message


def test_iban_wrong_length_tells_expected_length():
    with pytest.raises(FieldError, match="18 characters, this has 17"):
        v.check_iban("NL91ABNA041716430")


def _iban_with_checksum(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def test_valid_iban_of_unknown_bank_is_accepted_as_bank_unknown():
    iban = _iban_with_checksum("NL", "ZZZZ0123456789")
    result = v.check_iban(iban)
    assert result.iban == iban
    assert result.bic == "" and result.bank_name == ""
    assert not result.bank_known
    assert result.bank_label == "bank unknown"
    cleaned, warnings = v.clean_customer({"name": "X", "iban": iban}, None, "NL")
    assert cleaned["bic"] == "" and "bank unknown" in warnings["iban"]


def test_bic_lookups_offline():
    assert v.check_bic("abna nl 2a", "NL").bank_name == "ABN AMRO BANK N.V."
    commerz = v.check_bic("COBADEFFXXX")
    assert commerz.bank_name.startswith("Commerzbank") and commerz.country == "DE"
    assert v.check_iban("DE89370400440532013000").bank_label == "COBADEFFXXX · Commerzbank"


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
        v.check_bic(text, iban_country)
    assert fragment in err.value.message


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


# --------------------------------------------------------------------------- other fields


@pytest.mark.parametrize(
    "text,region,expected",
    [
        ("020 123 4567", "NL", "+31 20 123 4567"),
        ("06 12345678", "NL", "+31 6 12345678"),
        ("0031 20 123 4567", "DE", "+31 20 123 4567"),
        ("02 555 12 12", "BE", "+32 2 555 12 12"),
        ("+44 20 7946 0958", "NL", "+44 20 7946 0958"),
        ("030 901820", "DE", "+49 30 901820"),
    ],
)
def test_good_phones(text, region, expected):
    assert v.check_phone(text, region) == expected


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("12", "too short"),
        ("abc", "not a phone number"),
        ("+31 20 123 456", "not a number in use"),
        ("+999 1234567", "country calling code"),
        ("+31 20 123 4567 8901 2345", "too long"),
    ],
)
def test_bad_phones(text, fragment):
    with pytest.raises(FieldError) as err:
        v.check_phone(text, "NL")
    assert fragment in err.value.message


@pytest.mark.parametrize(
    "text,country,expected",
    [
        ("2601dc", "NL", "2601 DC"),
        ("NL-1012 LG", "NL", "1012 LG"),
        ("1000", "BE", "1000"),
        ("D-10115", "DE", "10115"),
        ("75001", "FR", "75001"),
        ("28001", "ES", "28001"),
        ("1010", "AT", "1010"),
        ("00950", "PL", "00-950"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("11000", "CZ", "110 00"),
        ("k1a0b1", "CA", "K1A 0B1"),
        ("100-0001", "JP", "100-0001"),  # no rule: kept when it looks like a postcode
    ],
)
def test_good_postcodes(text, country, expected):
    assert v.check_postcode(text, country) == expected


@pytest.mark.parametrize(
    "text,country,fragment",
    [
        ("1234", "NL", "wrong format"),
        ("1234 SS", "NL", "does not exist"),
        ("123", "BE", "wrong format"),
        ("1234", "DE", "wrong format"),
        ("7500A", "FR", "wrong format"),
        ("99999", "ES", "does not exist"),
        ("0000", "AT", "does not exist"),
        ("!!", "JP", "letters, digits"),
    ],
)
def test_bad_postcodes(text, country, fragment):
    with pytest.raises(FieldError) as err:
        v.check_postcode(text, country)
    assert fragment in err.value.message


def test_coc_numbers():
    assert v.check_coc("3412 3456", "NL") == "34123456"
    assert v.check_coc("KvK 34.12.34.56", "NL") == "34123456"
    assert v.check_coc("0411905847", "BE") == "0411.905.847"
    assert v.check_coc("732829320", "FR") == "732 829 320"
    assert v.check_coc("HRB 12345 B", "DE") == "HRB 12345 B"
    for text, country, fragment in [
        ("1234567", "NL", "8 digits, this has 7"),
        ("123456789", "NL", "this has 9"),
        ("1234567a", "NL", "only digits"),
        ("0411.905.848", "BE", "wrong check digit"),
        ("732829321", "FR", "wrong check digit"),
        ("HRB <script>", "DE", "letters, digits"),
    ]:
        with pytest.raises(FieldError) as err:
            v.check_coc(text, country)
        assert fragment in err.value.message


def test_emails():
    assert v.check_email(" Jan@Example.NL ") == "Jan@example.nl"
    assert v.check_email("mailto:info@bakkerij.nl") == "info@bakkerij.nl"
    assert v.check_email("") == ""
    for bad in ["jan", "jan@", "@example.nl", "jan@example", "jan@exa mple.nl", "jan@@x.nl"]:
        with pytest.raises(FieldError, match="Invalid e-mail address"):
            v.check_email(bad)


def test_websites():
    assert v.normalize_website("WWW.Example.NL/Over-ons") == "https://www.example.nl/Over-ons"
    assert v.normalize_website("http://shop.example.com:8080") == "http://shop.example.com:8080"
    assert v.normalize_website("bäckerei.de") == "https://bäckerei.de"
    for bad in ["exa mple.nl", "ftp://example.nl", "localhost", "http://-x.nl", "https://"]:
        with pytest.raises(FieldError, match="Invalid website"):
            v.normalize_website(bad)


def test_countries_names_flags_and_eu():
    assert v.check_country("nl") == "NL"
    assert v.check_country("NLD") == "NL"
    assert v.check_country("Germany") == "DE"
    assert v.check_country("Duitsland") == "DE"
    assert v.check_country("EL") == "GR"
    assert v.check_country("UK") == "GB"
    with pytest.raises(FieldError, match="not a country"):
        v.check_country("QQ")
    assert countries.country_name("DE") == "Germany"
    assert countries.country_name("DE", "nl") == "Duitsland"
    assert countries.country_name("ES", "fr") == "Espagne"
    assert countries.country_name("DE", "no-such-locale") == "Germany"
    assert countries.flag_emoji("nl") == "\U0001f1f3\U0001f1f1"
    assert countries.flag_emoji("X") == ""
    assert countries.is_eu("NL") and countries.is_eu("gr") and countries.is_eu("EL") and countries.is_eu("XI")
    assert not countries.is_eu("GB") and not countries.is_eu("CH") and not countries.is_eu("NO")


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


# --------------------------------------------------------------------------- clean_customer


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

