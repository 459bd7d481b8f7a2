"""Money: Decimal line amounts, VAT per rate, rounding, and parsing typed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tradium_tui.services.errors import ValidationError
from tradium_tui.services.money import (
    FieldError,
    Line,
    clean_lines,
    compute_totals,
    describe_lines,
    line_net,
    parse_bool,
    parse_date,
    parse_datetime_utc,
    parse_decimal,
    parse_int,
    round_money,
)


def test_round_half_up_to_cents():
    assert round_money(D("0.005")) == D("0.01")
    assert round_money(D("0.004999")) == D("0.00")
    assert round_money(D("2.675")) == D("2.68")  # a float would give 2.67
    assert round_money(D("-0.005")) == D("-0.01")


def test_line_net_with_discount():
    assert line_net(D("3"), D("0.335")) == D("1.01")  # 1.005 → 1.01
    assert line_net(D("1"), D("10"), D("12.5")) == D("8.75")
    assert line_net(D("7"), D("1.99"), D("3")) == D("13.51")  # 13.5121
    assert line_net(D("2.5"), D("3.3333")) == D("8.33")


def test_totals_vat_per_rate():
    lines = [
        Line(D("3"), D("0.335"), vat_rate=D("21")),  # 1.01
        Line(D("3"), D("0.335"), vat_rate=D("21")),  # 1.01
        Line(D("1"), D("10"), D("10"), D("9")),  # 9.00
        Line(D("1"), D("0.05"), vat_rate=D("9")),  # 0.05
        Line(D("4"), D("2.50"), vat_rate=D("0")),  # 10.00
    ]
    totals = compute_totals(lines)
    by_rate = {b.rate: (b.base, b.vat) for b in totals.by_rate}
    # VAT is computed once per rate over the summed base: 2.02 × 21% = 0.4242 → 0.42
    # (per line it would be 0.21 + 0.21 = 0.42 too), 9.05 × 9% = 0.8145 → 0.81.
    assert by_rate == {D("0"): (D("10.00"), D("0.00")), D("9"): (D("9.05"), D("0.81")),
                       D("21"): (D("2.02"), D("0.42"))}
    assert (totals.excl, totals.vat, totals.incl) == (D("21.07"), D("1.23"), D("22.30"))
    assert totals.as_fields() == {"total_excl": D("21.07"), "total_vat": D("1.23"),
                                  "total_incl": D("22.30")}


def test_vat_per_rate_differs_from_per_line_rounding():
    # Three lines of 0.05 at 9%: per line 0.0045 → 0.00 each; over the rate 0.15 × 9% = 0.0135 → 0.01.
    totals = compute_totals([Line(D("1"), D("0.05"), vat_rate=D("9"))] * 3)
    assert totals.vat == D("0.01")


def test_totals_of_mappings_and_credit():
    totals = compute_totals([{"quantity": D("1"), "unit_price": D("-100"), "vat_rate": D("21"),
                              "discount_percent": D("0")}])
    assert (totals.excl, totals.vat, totals.incl) == (D("-100.00"), D("-21.00"), D("-121.00"))
    assert compute_totals([]).incl == D("0.00")


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


def test_clean_lines_parses_and_skips_blank_rows():
    lines = clean_lines(
        [
            {"article": "BRD-01", "description": "Brood", "quantity": "2", "unit_price": "2,35",
             "discount_percent": "10", "vat_rate": "9"},
            {"article": "", "description": "", "quantity": "", "unit_price": ""},
            {"description": "Bezorging", "unit_price": "7.50"},
        ]
    )
    assert [line["position"] for line in lines] == [1, 2]
    assert lines[1]["quantity"] == D("1.000") and lines[1]["vat_rate"] == D("21.00")
    assert compute_totals(lines).excl == D("11.73")  # 4.23 + 7.50
    assert describe_lines(lines).splitlines()[0] == "1. 2 × BRD-01 Brood à 2.35 −10% VAT 9% = 4.23"


def test_clean_lines_errors_are_keyed_per_line():
    with pytest.raises(ValidationError) as info:
        clean_lines(
            [
                {"description": "ok"},
                {"description": "bad qty", "quantity": "twee"},
                {"unit_price": "1"},
                {"description": "d", "quantity": "0"},
                {"description": "d", "discount_percent": "150", "colour": "red"},
            ]
        )
    errors = info.value.errors
    assert set(errors) == {
        "lines.1.quantity", "lines.2.description", "lines.3.quantity",
        "lines.4.discount_percent", "lines.4.colour",
    }
    assert errors["lines.1.quantity"].startswith("Line 2: Quantity is not a number")


def test_order_lines_delivery_rules():
    (line,) = clean_lines([{"description": "x", "quantity": "10", "delivered_quantity": "4"}],
                          with_delivery=True)
    assert line["backorder_quantity"] == D("6.000")
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "10", "delivered_quantity": "11"}],
                    with_delivery=True)
    assert "cannot be more than ordered" in info.value.errors["lines.0.delivered_quantity"]
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "1", "delivered_quantity": "-1"}],
                    with_delivery=True)
    assert "lines.0.delivered_quantity" in info.value.errors


def test_clean_lines_refuses_amounts_too_large_to_store():
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "99999999999", "unit_price": "9999999999"}])
    assert "too large" in next(iter(info.value.errors.values()))


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
    from tradium_tui.services.money import unambiguous
    from tradium_tui.services.transfer import tabular
    from tradium_tui.services.transfer.writing import format_decimal

    assert unambiguous("1.234") == "1.2340" and unambiguous("12.5") == "12.5"
    assert unambiguous("1234") == "1234" and unambiguous("0.1250") == "0.1250"
    assert format_decimal(D("12.125"), None) == "12.1250"
    assert tabular.cell_text(12.125) == "12.1250"  # a spreadsheet number, not typed text
    assert tabular.cell_text(D("2.500")) == "2.5000"
    for name in ("nl_NL", "en_GB"):
        locale(name)
        assert parse_decimal(format_decimal(D("12.125"), None), places=4) == D("12.125")
