"""Money: Decimal line amounts, VAT per rate, rounding, and cleaning document lines."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tradium_tui.services.errors import ValidationError
from tradium_tui.services.money import (
    Line,
    clean_lines,
    compute_totals,
    describe_lines,
    line_net,
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
