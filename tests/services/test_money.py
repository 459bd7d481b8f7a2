"""Money: Decimal line amounts, VAT per rate, rounding to cents."""

from __future__ import annotations

from decimal import Decimal as D

from tradium_tui.services.money import Line, as_money, compute_totals, line_net, round_money


def test_round_half_up_to_cents():
    assert round_money(D("0.005")) == D("0.01")
    assert round_money(D("0.004999")) == D("0.00")
    assert round_money(D("2.675")) == D("2.68")  # a float would give 2.67
    assert round_money(D("-0.005")) == D("-0.01")


def test_stored_amounts_from_either_backend_as_cents():
    assert as_money(None) == D("0.00")
    assert as_money(0.1 + 0.2) == D("0.30")  # SQLite sums NUMERIC columns as doubles
    assert as_money(12) == D("12.00")
    assert as_money(D("2.345")) == D("2.35")
    assert as_money("7.5") == D("7.50")


def test_line_net_with_discount():
    assert line_net(D("3"), D("0.335")) == D("1.01")  # 1.005 → 1.01
    assert line_net(D("1"), D("10"), D("12.5")) == D("8.75")
    assert line_net(D("7"), D("1.99"), D("3")) == D("13.51")  # 13.5121
    assert line_net(D("2.5"), D("3.3333")) == D("8.33")


def test_totals_vat_per_rate():
    lines = [
        Line(D("3"), D("0.335"), vat_rate=D("21")),  # 1.01
        Line(D("3"), D("0.335"), vat_rate=D("21")),  # 1.01
        Line(D("1"), D("10"), D("10"), vat_rate=D("9")),  # 9.00
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
