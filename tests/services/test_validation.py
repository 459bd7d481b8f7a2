"""Field checks with real numbers: VAT, phone, postcode, CoC, e-mail, website, country."""

from __future__ import annotations

import pytest
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from tradium_tui.models import VAT_STATUSES
from tradium_tui.services import countries, vat
from tradium_tui.services import validation as v
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
    if vat.is_eu(country):
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
        assert result.status in VAT_STATUSES


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
    assert countries.check_country("nl") == "NL"
    assert countries.check_country("NLD") == "NL"
    assert countries.check_country("Germany") == "DE"
    assert countries.check_country("Duitsland") == "DE"
    assert countries.check_country("EL") == "GR"
    assert countries.check_country("UK") == "GB"
    with pytest.raises(FieldError, match="not a country"):
        countries.check_country("QQ")
    assert countries.country_name("DE") == "Germany"
    assert countries.country_name("DE", "nl") == "Duitsland"
    assert countries.country_name("ES", "fr") == "Espagne"
    assert countries.country_name("DE", "no-such-locale") == "Germany"
    assert countries.flag_emoji("nl") == "\U0001f1f3\U0001f1f1"
    assert countries.flag_emoji("X") == ""
    assert vat.is_eu("NL") and vat.is_eu("gr") and vat.is_eu("EL") and vat.is_eu("XI")
    assert not vat.is_eu("GB") and not vat.is_eu("CH") and not vat.is_eu("NO")
