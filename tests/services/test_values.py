"""Reading typed values: numbers in every notation and locale, whole numbers, yes/no,
dates and moments, and the one error every parser and field check raises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tradium_tui.services.values import (
    FieldError,
    parse_bool,
    parse_date,
    parse_datetime_utc,
    parse_decimal,
    parse_int,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,50", D("12.50")),
        ("12.50", D("12.50")),
        ("1.234,56", D("1234.56")),
        ("1,234.56", D("1234.56")),
        ("1 234,56", D("1234.56")),
        ("1.234.567", D("1234567.00")),
        ("€ 7,5", D("7.50")),
        ("-3,25", D("-3.25")),
        ("\u22123,25", D("-3.25")),
        ("3,25-", D("-3.25")),
        (",5", D("0.50")),
        (" 42 ", D("42.00")),
        (D("1.5"), D("1.50")),
        (7, D("7.00")),
    ],
)
def test_parse_decimal_accepts(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("abc", "is not a number"),
        ("1,2,3", "thousands"),
        ("12.34,5", "thousands"),
        ("1e5", "is not a number"),
        ("NaN", "is not a number"),
        ("--1", "is not a number"),
        ("1,005", "at most 2 decimals"),
        ("", "is required"),
        ("12345678901234", "too large"),
        ("1" + "0" * 40, "too large"),  # longer than the decimal context can round
        ("-1" + "0" * 40, "too large"),
        (True, "must be a number"),
    ],
)
def test_parse_decimal_refuses(text, fragment):
    with pytest.raises(FieldError) as info:
        parse_decimal(text)
    assert fragment in str(info.value)


def test_parse_decimal_limits():
    assert parse_decimal("", required=False) is None
    assert parse_decimal("", default=D("1")) == D("1.00")
    assert parse_decimal("1,2345", places=4) == D("1.2345")
    with pytest.raises(FieldError, match="at least 0"):
        parse_decimal("-1", minimum=0)
    with pytest.raises(FieldError, match="at most 100"):
        parse_decimal("100,01", maximum=100)
    assert parse_int("30") == 30
    with pytest.raises(FieldError, match="whole number"):
        parse_int("2,5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23", dt.date(2026, 11, 23)),
        ("23-11-2026", dt.date(2026, 11, 23)),
        ("23.11.2026", dt.date(2026, 11, 23)),
        ("23/11/2026", dt.date(2026, 11, 23)),
        ("3-2-2026", dt.date(2026, 2, 3)),
        ("23-11-26", dt.date(2026, 11, 23)),
        ("20261123", dt.date(2026, 11, 23)),
        (dt.date(2026, 1, 2), dt.date(2026, 1, 2)),
        (dt.datetime(2026, 1, 2, 13, 0), dt.date(2026, 1, 2)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "2026-13-01", "tomorrow-ish", "23-11", "0-0-0"])
def test_parse_date_refuses(text):
    with pytest.raises(FieldError) as info:
        parse_date(text)
    assert "date" in str(info.value)


def test_parse_date_today_and_blank():
    assert parse_date("today") == dt.date.today()
    assert parse_date("", required=False) is None
    with pytest.raises(FieldError, match="required"):
        parse_date("  ")


def test_parse_datetime_local_to_utc(monkeypatch):
    naive = dt.datetime(2026, 5, 1, 12, 0)
    assert parse_datetime_utc(naive) == naive  # naive datetimes are UTC already
    aware = dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert parse_datetime_utc(aware) == naive
    typed = parse_datetime_utc("01-05-2026 14:00")
    expected = dt.datetime(2026, 5, 1, 14, 0).astimezone().astimezone(dt.UTC).replace(tzinfo=None)
    assert typed == expected
    with pytest.raises(FieldError, match="date and time"):
        parse_datetime_utc("not a time")
    with pytest.raises(FieldError, match="real time"):
        parse_datetime_utc("01-05-2026 25:00")


def test_parse_bool():
    assert parse_bool("ja") is True and parse_bool("x") is True and parse_bool(1) is True
    assert parse_bool("") is False and parse_bool("nee") is False and parse_bool(None) is False
    with pytest.raises(FieldError):
        parse_bool("maybe")


@pytest.fixture
def locale():
    """Switch the user's locale for one test."""
    from tradium_tui import formatting

    before = formatting.current_locale()
    yield formatting.set_locale
    formatting.set_locale(before)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # One mark and three digits: the locale's reading, as the number is shown there.
        ("nl_NL", "2.500", D("2500")),
        ("nl_NL", "2,500", D("2.5")),
        ("nl_NL", "12.345", D("12345")),
        ("de_DE", "2.500", D("2500")),
        ("en_GB", "2,500", D("2500")),
        ("en_GB", "2.500", D("2.5")),
        # Not a thousands grouping whatever the locale: a leading 0, or other digit counts.
        ("nl_NL", "0.125", D("0.125")),
        ("nl_NL", "1.25", D("1.25")),
        ("en_GB", "0,125", D("0.125")),
        ("en_GB", "1234.5", D("1234.5")),
        # Both marks, or a mark twice: unambiguous.
        ("en_GB", "1.234,5", D("1234.5")),
        ("nl_NL", "1,234.5", D("1234.5")),
        ("en_GB", "1.234.567", D("1234567")),
    ],
)
def test_one_mark_and_three_digits_is_read_as_the_locale_writes_it(locale, name, text, expected):
    locale(name)
    assert parse_decimal(text, places=3) == expected


def test_a_quantity_of_2_500_in_dutch_is_never_silently_two_and_a_half(locale):
    locale("nl_NL")
    assert parse_decimal("2.500", places=3) == D("2500.000")
    assert parse_decimal("2,500") == D("2.50")  # Dutch decimals, the trailing 0 harmless
    with pytest.raises(FieldError, match="at most 2 decimals"):
        parse_decimal("2,505")  # an amount with a third decimal is refused, not rounded


def test_numbers_written_to_files_read_back_the_same_in_every_locale(locale):
    from tradium_tui.services.transfer import tabular
    from tradium_tui.services.transfer.writing import format_decimal
    from tradium_tui.services.values import unambiguous

    assert unambiguous("1.234") == "1.2340" and unambiguous("12.5") == "12.5"
    assert unambiguous("1234") == "1234" and unambiguous("0.1250") == "0.1250"
    assert format_decimal(D("12.125"), None) == "12.1250"
    assert tabular.cell_text(12.125) == "12.1250"  # a spreadsheet number, not typed text
    assert tabular.cell_text(D("2.500")) == "2.5000"
    for name in ("nl_NL", "en_GB"):
        locale(name)
        assert parse_decimal(format_decimal(D("12.125"), None), places=4) == D("12.125")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("€ 500", D("500.00")),
        ("500 EUR", D("500.00")),
        ("12,5 %", D("12.50")),
        ("1.000.000", D("1000000.00")),
        (D("7.1"), D("7.10")),
        (250, D("250.00")),
    ],
)
def test_currency_and_percent_signs_are_ignored(text, expected):
    assert parse_decimal(text, minimum=0) == expected


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("abc", "is not a number"),
        ("1,2,3", "separators"),
        ("-5", "at least 0"),
        ("1,005", "at most 2 decimals"),
        ("NaN", "is not a number"),
        ("1" * 20, "too large"),
    ],
)
def test_a_parser_reason_follows_the_field_name(text, fragment):
    with pytest.raises(FieldError) as err:
        parse_decimal(text, minimum=0)
    assert fragment in err.value.message
    shown = err.value.for_field("Credit limit")
    assert shown.startswith("Credit limit ") and fragment in shown and shown.endswith(".")


def test_a_check_sentence_is_shown_as_it_is():
    err = FieldError("Invalid IBAN: wrong length.", sentence=True)
    assert err.for_field("IBAN") == "Invalid IBAN: wrong length." == str(err)


def test_whole_numbers():
    assert parse_int("1.000") == 1000 and parse_int("+5") == 5 and parse_int(7) == 7
    assert parse_int("", required=False) is None and parse_int("", default=3) == 3
    with pytest.raises(FieldError, match="at most 2147483647"):
        parse_int("99999999999")  # more than an integer column holds
    assert parse_int("999999999999", maximum=10**15) == 999999999999
    with pytest.raises(FieldError, match="at least 0"):
        parse_int("-1", minimum=0)
    with pytest.raises(FieldError, match="must be a number"):
        parse_int(True)


def test_yes_and_no_words_and_blank():
    for word in ("ja", "JA", "Oui", "vrai", "waar", "sí", "1", "x"):
        assert parse_bool(word) is True, word
    for word in ("nee", "Non", "faux", "onwaar", "nein", "-", "0"):
        assert parse_bool(word) is False, word
    assert parse_bool("", default=None) is None and parse_bool(None, default=None) is None
    assert parse_bool(0) is False and parse_bool(1) is True
    with pytest.raises(FieldError, match="yes or no"):
        parse_bool(2)
