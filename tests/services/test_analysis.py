"""Analysis figures against hand-computed expectations on a small fixed data set.

Run on both backends (see tests/conftest.py).  Today is fixed at 2025-06-15; the data set
and its figures are described in support/analysis.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support.analysis import (
    TODAY,
    actor_with_levels,
    build_data_set,
    make_customer,
    make_order,
)

from tradium_tui.models import Role, User
from tradium_tui.services import analysis, analysis_periods
from tradium_tui.services.access import actor_for, system_actor
from tradium_tui.services.customer_view import load_customer_view
from tradium_tui.services.errors import NotFound, PermissionDenied, ValidationError
from tradium_tui.services.money import as_money

D = Decimal


@pytest.fixture
def data(database):
    return build_data_set()


def test_revenue_periods_main(data):
    a = analysis.compute_analysis(data["main"], today=TODAY)
    revenue = {p: a.periods[p].revenue for p in analysis_periods.PERIODS}
    assert revenue == {
        "all": D("2600.00"),
        "ytd": D("1300.00"),
        "ytd_prev": D("800.00"),
        "last_year": D("1100.00"),
        "year_before": D("150.00"),
        "last_12m": D("1600.00"),
        "prev_12m": D("950.00"),
    }
    assert a.this_year.revenue == D("1300.00")
    assert a.last_year.revenue == D("1100.00")
    assert a.all_time.revenue == D("2600.00")
    assert all(isinstance(v, Decimal) for v in revenue.values())


def test_orders_margin_and_order_value_main(data):
    a = analysis.compute_analysis(data["main"], today=TODAY)
    assert {p: a.periods[p].orders for p in analysis_periods.PERIODS} == {
        "all": 6, "ytd": 3, "ytd_prev": 1, "last_year": 2, "year_before": 0,
        "last_12m": 4, "prev_12m": 1,
    }
    ytd = a.this_year
    assert (ytd.order_value, ytd.cost, ytd.margin) == (D("605.00"), D("330.00"), D("275.00"))
    assert ytd.margin_percent == D("45.5")
    assert ytd.average_order_value == D("201.67")
    prev = a.same_period_last_year
    assert (prev.order_value, prev.margin, prev.margin_percent) == (D("256.50"), D("76.50"), D("29.8"))
    assert prev.average_order_value == D("256.50")
    ly = a.last_year
    assert (ly.order_value, ly.cost, ly.margin, ly.margin_percent) == (
        D("376.50"), D("260.00"), D("116.50"), D("30.9"))
    assert ly.average_order_value == D("188.25")
    whole = a.all_time
    assert (whole.order_value, whole.cost, whole.margin, whole.margin_percent) == (
        D("991.50"), D("595.00"), D("396.50"), D("40.0"))
    assert whole.average_order_value == D("165.25")
    assert a.periods["year_before"].average_order_value is None
    assert a.periods["year_before"].margin_percent is None


def test_order_pattern_and_payment_main(data):
    a = analysis.compute_analysis(data["main"], today=TODAY)
    assert a.first_order_date == date(2024, 4, 15)
    assert a.last_order_date == date(2025, 5, 10)  # the July order lies after today
    assert a.days_since_last_order == 36
    # 390 days over 4 distinct order dates (the two 10 May orders are one moment).
    assert a.average_days_between_orders == D("130.0")
    # 30, 14, 30, 10: the credit note and the cancelled invoice do not count.
    assert a.average_days_to_pay == D("21.0")
    assert a.paid_invoices == 4
    assert analysis.average_days_to_pay(data["main"]) == D("21.0")


def test_top_articles_main(data):
    a = analysis.compute_analysis(data["main"], today=TODAY)
    rows = [(t.article, t.revenue, t.quantity, t.margin) for t in a.top_articles]
    assert rows == [
        ("B200", D("456.50"), D("5"), D("156.50")),
        ("A100", D("325.00"), D("14"), D("115.00")),
        ("C300", D("120.00"), D("100"), D("40.00")),
        ("Installation", D("80.00"), D("1"), D("80.00")),
        ("D400", D("10.00"), D("1"), D("5.00")),
    ]
    assert a.top_articles[0].description == "Gadget"


def test_top_articles_limited_to_ten(database):
    customer = make_customer("Many Articles BV")
    make_order(customer, date(2025, 1, 1), [
        (f"ART{i:02d}", f"Article {i}", "1", str(i), "0", "0") for i in range(1, 13)
    ])
    top = analysis.top_articles(customer.id)
    assert [t.article for t in top] == [f"ART{i:02d}" for i in range(12, 2, -1)]


def test_comparisons_main(data):
    a = analysis.compute_analysis(data["main"], today=TODAY)
    by_key = {c.key: c for c in a.comparisons}
    rev = by_key["revenue_ytd"]
    assert (rev.current, rev.previous, rev.change, rev.direction) == (
        D("1300.00"), D("800.00"), D("500.00"), "up")
    assert rev.change_percent == D("62.5")
    r12 = by_key["revenue_12m"]
    assert (r12.current, r12.previous, r12.direction, r12.change_percent) == (
        D("1600.00"), D("950.00"), "up", D("68.4"))
    year = by_key["revenue_year"]
    assert (year.current, year.previous, year.current_label, year.previous_label) == (
        D("1100.00"), D("150.00"), "2024", "2023")
    orders = by_key["orders_ytd"]
    assert (orders.current, orders.previous, orders.direction) == (3, 1, "up")
    aov = by_key["aov_ytd"]
    assert (aov.current, aov.previous, aov.direction) == (D("201.67"), D("256.50"), "down")
    assert aov.change_percent == D("-21.4")
    assert by_key["margin_ytd"].direction == "up"
    pct = by_key["margin_pct_ytd"]
    assert (pct.current, pct.previous, pct.direction) == (D("45.5"), D("29.8"), "up")


def test_customer_without_orders_or_invoices(data):
    a = analysis.compute_analysis(data["empty"], today=TODAY)
    for p in analysis_periods.PERIODS:
        figures = a.periods[p]
        assert figures.revenue == D("0.00")
        assert figures.orders == 0
        assert figures.margin == D("0.00")
        assert figures.margin_percent is None
        assert figures.average_order_value is None
    assert a.last_order_date is None and a.days_since_last_order is None
    assert a.average_days_between_orders is None
    assert a.average_days_to_pay is None and a.paid_invoices == 0
    assert a.top_articles == []
    assert not a.has_activity
    by_key = {c.key: c for c in a.comparisons}
    assert by_key["revenue_ytd"].direction == "flat"
    assert by_key["revenue_ytd"].change_percent is None
    assert by_key["aov_ytd"].direction == ""
    assert all(m.revenue == 0 and m.previous_year == 0
               for m in analysis.monthly_revenue(data["empty"], today=TODAY))


def test_customer_with_orders_but_no_invoices(data):
    a = analysis.compute_analysis(data["orders_only"], today=TODAY)
    assert a.all_time.revenue == D("0.00") and a.this_year.revenue == D("0.00")
    assert a.all_time.orders == 1 and a.this_year.orders == 1
    assert a.all_time.order_value == D("100.00")
    assert a.all_time.margin == D("40.00") and a.all_time.margin_percent == D("40.0")
    assert a.all_time.average_order_value == D("100.00")
    assert a.days_since_last_order == 156
    assert a.average_days_between_orders is None  # one ordering date only
    assert a.average_days_to_pay is None
    assert a.has_activity


def test_vat_inclusive_and_exclusive_amounts_count_net(data):
    for key in ("no_vat", "with_vat"):
        a = analysis.compute_analysis(data[key], today=TODAY)
        assert a.all_time.revenue == D("100.00")
        assert a.this_year.revenue == D("100.00")


def test_credit_notes_reduce_revenue(data):
    a = analysis.compute_analysis(data["credit_only"], today=TODAY)
    assert a.all_time.revenue == D("-50.00")
    assert a.average_days_to_pay is None
    assert analysis.customer_revenue(data["credit_only"]) == D("-50.00")


def test_revenue_rank_uses_the_same_definition(data):
    def rank(key):
        r = analysis.revenue_rank(data[key])
        return r.position, r.of, r.revenue

    # Six customers are alive; the deleted one (10,000.00) does not rank.
    assert rank("main") == (1, 6, D("2600.00"))
    assert rank("no_vat") == (2, 6, D("100.00"))
    assert rank("with_vat") == (2, 6, D("100.00"))
    assert rank("empty") == (4, 6, D("0.00"))
    assert rank("orders_only") == (4, 6, D("0.00"))
    assert rank("credit_only") == (6, 6, D("-50.00"))
    # Same figure as the analysis tab's all-time revenue.
    assert analysis.compute_analysis(data["main"], today=TODAY).all_time.revenue == rank("main")[2]
    # The status bar shows the same rank, read from the same tables.
    view = load_customer_view(data["main"], None, today=TODAY)
    assert (view.rank, view.rank_total) == (1, 6)
    assert analysis.revenue_rank(data["gone"]).position is None
    # A window: 2024 only.
    assert analysis.customer_revenue(data["main"], date(2024, 1, 1), date(2024, 12, 31)) == D("1100.00")
    rows = dict(
        (cid, as_money(rev)) for cid, rev in analysis.revenue_per_customer().tuples()
    )
    assert rows[data["main"]] == D("2600.00")
    assert data["empty"] not in rows


def test_monthly_revenue_series(data):
    series = analysis.monthly_revenue(data["main"], today=TODAY)
    assert len(series) == 24
    assert series[0].month == date(2023, 7, 1)
    assert series[-1].month == date(2025, 6, 1)
    by_month = {m.month: (m.revenue, m.previous_year) for m in series}
    assert by_month[date(2023, 7, 1)] == (D("150.00"), D("0.00"))
    assert by_month[date(2024, 3, 1)] == (D("800.00"), D("0.00"))
    assert by_month[date(2024, 7, 1)] == (D("0.00"), D("150.00"))
    assert by_month[date(2025, 1, 1)] == (D("0.00"), D("0.00"))  # cancelled invoice
    assert by_month[date(2025, 2, 1)] == (D("1000.00"), D("0.00"))
    assert by_month[date(2025, 3, 1)] == (D("0.00"), D("800.00"))
    assert by_month[date(2025, 4, 1)] == (D("-200.00"), D("0.00"))
    assert by_month[date(2025, 6, 1)] == (D("50.00"), D("0.00"))  # whole current month
    assert analysis.totals(series) == (D("2600.00"), D("950.00"))
    short = analysis.monthly_revenue(data["main"], months=3, today=TODAY)
    assert [(m.month, m.revenue, m.previous_year) for m in short] == [
        (date(2025, 4, 1), D("-200.00"), D("0.00")),
        (date(2025, 5, 1), D("500.00"), D("0.00")),
        (date(2025, 6, 1), D("50.00"), D("0.00")),
    ]


def test_monthly_revenue_rejects_bad_month_count(data):
    with pytest.raises(ValidationError) as exc:
        analysis.monthly_revenue(data["main"], months=0, today=TODAY)
    assert "months" in exc.value.errors


def test_leap_day_periods():
    bounds = analysis_periods.period_bounds(date(2024, 2, 29))
    assert bounds["ytd_prev"] == (date(2023, 1, 1), date(2023, 2, 28))
    assert bounds["last_12m"] == (date(2023, 3, 1), date(2024, 2, 29))
    assert bounds["prev_12m"] == (date(2022, 3, 1), date(2023, 2, 28))


def test_access_needs_view_on_each_tab(data):
    actor = actor_with_levels("limited", {"analysis": "view"})
    a = analysis.analysis_for(actor, data["main"], today=TODAY)
    assert a.all_time.revenue == D("2600.00")
    with pytest.raises(PermissionDenied, match="Graph"):
        analysis.graph_for(actor, data["main"], today=TODAY)

    graph_only = actor_with_levels("graphonly", {"graph": "view"})
    assert len(analysis.graph_for(graph_only, data["main"], today=TODAY)) == 24
    with pytest.raises(PermissionDenied, match="Analysis"):
        analysis.analysis_for(graph_only, data["main"], today=TODAY)


def test_sales_role_may_view_both(data):
    User.create(username="sam", role=Role.get(Role.name == "sales"))
    sam = actor_for("sam")
    assert analysis.analysis_for(sam, data["main"], today=TODAY).this_year.revenue == D("1300.00")
    assert analysis.graph_for(sam, data["main"], today=TODAY)[-1].revenue == D("50.00")


def test_unknown_customer_is_not_found(database):
    with pytest.raises(NotFound):
        analysis.analysis_for(system_actor(), 999999, today=TODAY)
    with pytest.raises(NotFound):
        analysis.graph_for(system_actor(), 999999, today=TODAY)
