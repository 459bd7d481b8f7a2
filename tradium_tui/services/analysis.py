"""What a customer brings in: revenue, orders, margins, payment and order patterns.

Every figure is an aggregate query in the database (SUM / COUNT / AVG / GROUP BY, with
conditional sums for the periods), so the cost does not grow with rows moved into Python:
a customer with 10,000 orders is answered by five small result rows.

Definitions (the analysis tab, the revenue graph and the status-bar ranking share them):

* **Revenue** — invoiced revenue excluding VAT: the sum of ``Invoice.amount_excl`` over the
  customer's invoices whose status is not ``cancelled``, by ``invoice_date``.  Credit notes
  are invoices with a negative amount and so reduce revenue.  VAT (``vat_amount``,
  ``amount_incl``) never counts.  The definition lives in one place,
  :mod:`tradium_tui.services.customer_view` (``revenue_filter``, ``revenue_sum``), which
  also keeps the all-time figure per customer for the status-bar ranking;
  :func:`revenue_per_customer` gives the figure for every customer at once and
  :func:`revenue_rank` is that ranking.
* **Orders** — the customer's orders whose status is not ``cancelled``, by ``order_date``.
* **Line revenue** of an order line — ``quantity × unit_price × (1 − discount_percent / 100)``
  (excl. VAT); **line cost** — ``quantity × cost_price``.  Both over the lines of
  non-cancelled orders, dated by their order.
* **Order value** — the sum of the line revenue of an order; **average order value** of a
  period — order value of the period / number of orders of the period.
* **Gross margin** — line revenue − line cost; **margin %** — gross margin / line revenue
  × 100 (none when the line revenue is zero).  Margins come from orders because invoices
  carry no cost price.
* **Days since the last order** — today − the latest order date on or before today.
* **Average days between orders** — (last order date − first order date) / (number of
  distinct order dates − 1), over orders dated on or before today.  Orders placed on the
  same day (e.g. split orders) count as one ordering moment.  None with fewer than two dates.
* **Average days to pay** — mean of ``paid_on − invoice_date`` over paid invoices
  (status ``paid``, ``paid_on`` set, positive amount: credit notes are not "paid" by the
  customer).
* **Top articles** — line revenue grouped by article code (free-text lines without a code
  group by their description), all time, best first, ten at most.

Periods, for a given ``today``: *this year* is 1 January up to and including today;
*same period last year* is 1 January last year up to the same day last year (28 February
for a 29 February); *last year* and *the year before* are whole calendar years; *last 12
months* ends today and *the previous 12 months* are the twelve months before those.
*All time* has no bounds.  Money is ``Decimal`` rounded to cents (half up).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import peewee
from peewee import SQL, Case, fn

from tradium_tui import db
from tradium_tui.i18n import N_, _
from tradium_tui.models import Customer, Invoice, Order, OrderLine
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_view import RevenueRank, revenue_filter, revenue_sum
from tradium_tui.services.customer_view import revenue_rank as _status_bar_rank
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.money import ZERO_CENTS, as_money, round_money

TOP_ARTICLES = 10
CANCELLED = "cancelled"

# Period names in the order they are computed.
PERIODS = ("all", "ytd", "ytd_prev", "last_year", "year_before", "last_12m", "prev_12m")


# --------------------------------------------------------------------------- values


def _to_days(value) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    return amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _to_int(value) -> int:
    return int(value or 0)


def _to_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- dates


def _same_day_years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def period_bounds(today: date) -> dict[str, tuple[date | None, date | None]]:
    """Inclusive (start, end) of each named period for ``today``; None is unbounded."""
    jan1 = date(today.year, 1, 1)
    one_back = _same_day_years_back(today, 1)
    two_back = _same_day_years_back(today, 2)
    return {
        "all": (None, None),
        "ytd": (jan1, today),
        "ytd_prev": (date(today.year - 1, 1, 1), one_back),
        "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        "year_before": (date(today.year - 2, 1, 1), date(today.year - 2, 12, 31)),
        "last_12m": (one_back + timedelta(days=1), today),
        "prev_12m": (two_back + timedelta(days=1), one_back),
    }


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class _DateSQL:
    """What differs between SQLite and PostgreSQL here (date arithmetic, numeric
    parameters), in one place."""

    @staticmethod
    def number(value: Decimal):
        """A Decimal as a query parameter: SQLite's driver cannot bind Decimal (it would
        compare as text), so it gets the nearest double, as its NUMERIC columns hold."""
        if db.is_sqlite():
            return float(value)
        return value

    @staticmethod
    def month_key(column: peewee.Field) -> peewee.Node:
        """'YYYY-MM' of a date column."""
        if db.is_postgres():
            return fn.to_char(column, "YYYY-MM").coerce(False)
        if db.is_sqlite():
            return fn.strftime("%Y-%m", column).coerce(False)
        raise db.DatabaseUnavailable(_("The revenue analysis supports SQLite and PostgreSQL only."))

    @staticmethod
    def days_between(later: peewee.Field, earlier: peewee.Field) -> peewee.Node:
        """Whole days from ``earlier`` to ``later`` (two date columns)."""
        if db.is_postgres():
            return later - earlier
        if db.is_sqlite():
            return fn.julianday(later) - fn.julianday(earlier)
        raise db.DatabaseUnavailable(_("The revenue analysis supports SQLite and PostgreSQL only."))


def _within(column: peewee.Field, bounds: tuple[date | None, date | None]):
    start, end = bounds
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    if not conditions:
        return None
    expr = conditions[0]
    for extra in conditions[1:]:
        expr = expr & extra
    return expr


def _sum_in(column: peewee.Field, bounds, value) -> peewee.Node:
    """SUM(value) over the rows whose ``column`` lies in ``bounds`` (conditional sum)."""
    condition = _within(column, bounds)
    if condition is None:
        return fn.SUM(value).coerce(False)
    return fn.SUM(Case(None, [(condition, value)], 0)).coerce(False)


# --------------------------------------------------------------------------- revenue


def line_revenue_expression() -> peewee.Node:
    """quantity × unit price × (1 − discount/100) of an order line, excl. VAT."""
    # Written with 100.0 so SQLite never does integer division on whole-number columns.
    return line_revenue_hundredfold() / SQL("100.0")


def line_revenue_hundredfold() -> peewee.Node:
    """100 × the line revenue: summed first and divided once, which spares a numeric
    division per row (the same value: the division is exact in NUMERIC and distributes)."""
    return OrderLine.quantity * OrderLine.unit_price * (SQL("100") - OrderLine.discount_percent)


def sum_line_revenue() -> peewee.Node:
    """SUM of the line revenue of the selected order lines."""
    return (fn.SUM(line_revenue_hundredfold()) / SQL("100.0")).coerce(False)


def line_cost_expression() -> peewee.Node:
    return OrderLine.quantity * OrderLine.cost_price


def revenue_per_customer(since: date | None = None, until: date | None = None) -> peewee.Select:
    """A query of ``(customer_id, revenue)`` rows, one per customer with counted invoices.

    Revenue is rounded to cents in the database.  Any list "by revenue" should build on
    this query (all time, it equals the ``customer_revenue`` table behind the ranking).
    """
    condition = revenue_filter()
    window = _within(Invoice.invoice_date, (since, until))
    if window is not None:
        condition = condition & window
    return (
        Invoice.select(
            Invoice.customer.alias("customer_id"),
            fn.ROUND(revenue_sum(), 2).coerce(False).alias("revenue"),
        )
        .where(condition)
        .group_by(Invoice.customer)
    )


def customer_revenue(customer_id: int, since: date | None = None, until: date | None = None) -> Decimal:
    """One customer's revenue in a date window (inclusive; None = unbounded)."""
    row = (
        revenue_per_customer(since, until)
        .where(Invoice.customer == customer_id)
        .tuples()
        .first()
    )
    return as_money(row[1]) if row else ZERO_CENTS


def revenue_rank(customer_id: int) -> RevenueRank:
    """Where the customer stands among all not-deleted customers by all-time revenue: the
    status-bar ranking, read from the tables the database keeps for it (ties share a
    position; customers without counted invoices have 0; a deleted customer has none)."""
    return _status_bar_rank(customer_id)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PeriodFigures:
    """Figures of one period."""

    revenue: Decimal  # invoiced, excl. VAT
    orders: int
    order_value: Decimal  # sum of line revenue
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    average_order_value: Decimal | None


@dataclass(frozen=True)
class Comparison:
    """A figure against the customer's own previous period."""

    key: str
    label: str
    kind: str  # money | count | percent
    current: Decimal | int | None
    previous: Decimal | int | None
    current_label: str
    previous_label: str

    @property
    def change(self) -> Decimal | int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        """Relative change; None when the previous figure is zero or missing."""
        if self.current is None or self.previous is None or self.previous == 0:
            return None
        change = Decimal(self.current) - Decimal(self.previous)
        return (change * 100 / abs(Decimal(self.previous))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def direction(self) -> str:
        """'up', 'down', 'flat', or '' when one side is missing."""
        change = self.change
        if change is None:
            return ""
        if change > 0:
            return "up"
        if change < 0:
            return "down"
        return "flat"


@dataclass(frozen=True)
class ArticleRevenue:
    article: str
    description: str
    quantity: Decimal
    revenue: Decimal
    margin: Decimal


@dataclass(frozen=True)
class CustomerAnalysis:
    customer_id: int
    today: date
    periods: dict[str, PeriodFigures]
    first_order_date: date | None
    last_order_date: date | None
    days_since_last_order: int | None
    average_days_between_orders: Decimal | None
    average_days_to_pay: Decimal | None
    paid_invoices: int
    top_articles: list[ArticleRevenue] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def this_year(self) -> PeriodFigures:
        return self.periods["ytd"]

    @property
    def same_period_last_year(self) -> PeriodFigures:
        return self.periods["ytd_prev"]

    @property
    def last_year(self) -> PeriodFigures:
        return self.periods["last_year"]

    @property
    def all_time(self) -> PeriodFigures:
        return self.periods["all"]

    @property
    def has_activity(self) -> bool:
        figures = self.all_time
        return bool(figures.orders or figures.revenue or self.paid_invoices)


@dataclass(frozen=True)
class MonthRevenue:
    month: date  # first day of the month
    revenue: Decimal
    previous_year: Decimal  # revenue in the same month one year earlier


# --------------------------------------------------------------------------- queries


def _invoice_figures(customer_id: int, bounds: dict) -> tuple[dict[str, Decimal], Decimal | None, int]:
    paid = (
        (Invoice.status == "paid") & Invoice.paid_on.is_null(False) & (Invoice.amount_incl > 0)
    )
    days = _DateSQL.days_between(Invoice.paid_on, Invoice.invoice_date)
    columns = [_sum_in(Invoice.invoice_date, bounds[p], Invoice.amount_excl) for p in PERIODS]
    columns.append(fn.AVG(Case(None, [(paid, days)], None)).coerce(False))
    columns.append(fn.SUM(Case(None, [(paid, 1)], 0)).coerce(False))
    row = (
        Invoice.select(*columns)
        .where((Invoice.customer == customer_id) & revenue_filter())
        .tuples()
        .first()
    )
    row = row or (None,) * (len(PERIODS) + 2)
    revenue = {p: as_money(v) for p, v in zip(PERIODS, row[: len(PERIODS)], strict=True)}
    return revenue, _to_days(row[len(PERIODS)]), _to_int(row[len(PERIODS) + 1])


def _order_figures(customer_id: int, bounds: dict, today: date):
    counted = Case(None, [(Order.order_date <= today, Order.order_date)], None)
    columns = [_sum_in(Order.order_date, bounds[p], 1) for p in PERIODS]
    columns += [
        fn.MIN(counted).coerce(False),
        fn.MAX(counted).coerce(False),
        fn.COUNT(counted.distinct()).coerce(False),
    ]
    row = (
        Order.select(*columns)
        .where((Order.customer == customer_id) & (Order.status != CANCELLED))
        .tuples()
        .first()
    )
    row = row or (None,) * (len(PERIODS) + 3)
    counts = {p: _to_int(v) for p, v in zip(PERIODS, row[: len(PERIODS)], strict=True)}
    first, last, distinct_days = row[len(PERIODS) :]
    return counts, _to_date(first), _to_date(last), _to_int(distinct_days)


def _line_figures(customer_id: int, bounds: dict) -> dict[str, tuple[Decimal, Decimal]]:
    """Line revenue and cost per period.

    One pass: lines dated before the earliest bounded period fall in one group, later
    ones are grouped per order date (a few hundred rows at most per year), and the
    periods are added up from those sums.  This evaluates the line arithmetic once per
    line instead of once per line and period.
    """
    earliest = min(start for start, _end in bounds.values() if start is not None)
    day = Case(None, [(Order.order_date >= earliest, Order.order_date)], None)
    rows = (
        OrderLine.select(day.alias("day"), sum_line_revenue(),
                         fn.SUM(line_cost_expression()).coerce(False))
        .join(Order, on=(OrderLine.order == Order.id))
        .where((Order.customer == customer_id) & (Order.status != CANCELLED))
        .group_by(day)
        .tuples()
    )
    totals = {p: [Decimal(0), Decimal(0)] for p in PERIODS}
    for raw_day, net, cost in rows:
        net_d, cost_d = _exact(net), _exact(cost)
        when = _to_date(raw_day)
        for p in PERIODS:
            start, end = bounds[p]
            if start is not None and (when is None or when < start):
                continue
            if end is not None and (when is None or when > end):
                continue
            totals[p][0] += net_d
            totals[p][1] += cost_d
    return {p: (as_money(net), as_money(cost)) for p, (net, cost) in totals.items()}


def _exact(value) -> Decimal:
    """An aggregate as Decimal without rounding (floats from SQLite via their repr)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


def top_articles(customer_id: int, limit: int = TOP_ARTICLES) -> list[ArticleRevenue]:
    """The customer's best articles by line revenue, all time (see the module docstring)."""
    key = fn.COALESCE(fn.NULLIF(OrderLine.article, ""), OrderLine.description).coerce(False)
    net = sum_line_revenue()
    cost = fn.SUM(line_cost_expression()).coerce(False)
    rows = (
        OrderLine.select(
            key.alias("article"),
            fn.MAX(OrderLine.description).coerce(False),
            fn.SUM(OrderLine.quantity).coerce(False),
            net.alias("revenue"),
            cost,
        )
        .join(Order, on=(OrderLine.order == Order.id))
        .where((Order.customer == customer_id) & (Order.status != CANCELLED))
        .group_by(key)
        .order_by(net.desc(), key)
        .limit(limit)
        .tuples()
    )
    result = []
    for article, description, quantity, revenue, cost_sum in rows:
        revenue_d = as_money(revenue)
        quantity_d = Decimal(repr(quantity)) if isinstance(quantity, float) else Decimal(str(quantity or 0))
        result.append(
            ArticleRevenue(
                article=article or "",
                description=description or "",
                quantity=quantity_d.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize(),
                revenue=revenue_d,
                margin=revenue_d - as_money(cost_sum),
            )
        )
    return result


def average_days_to_pay(customer_id: int) -> Decimal | None:
    """Mean days from invoice date to payment over paid invoices (None if none were paid).

    This is the payment-history input of the advisory credit figure in the header.
    """
    _revenue, days, _count = _invoice_figures(customer_id, period_bounds(date.today()))
    return days


def _comparisons(periods: dict[str, PeriodFigures], today: date) -> list[Comparison]:
    ytd, prev = periods["ytd"], periods["ytd_prev"]
    this_label = f"1 Jan–{today:%d %b} {today.year}"
    prev_end = _same_day_years_back(today, 1)
    prev_label = f"1 Jan–{prev_end:%d %b} {prev_end.year}"
    rows = [
        Comparison("revenue_ytd", N_("Revenue, year to date"), "money", ytd.revenue, prev.revenue,
                   this_label, prev_label),
        Comparison("revenue_12m", N_("Revenue, last 12 months"), "money",
                   periods["last_12m"].revenue, periods["prev_12m"].revenue,
                   "last 12 months", "12 months before"),
        Comparison("revenue_year", N_("Revenue, last year"), "money",
                   periods["last_year"].revenue, periods["year_before"].revenue,
                   str(today.year - 1), str(today.year - 2)),
        Comparison("orders_ytd", N_("Orders, year to date"), "count", ytd.orders, prev.orders,
                   this_label, prev_label),
        Comparison("aov_ytd", N_("Average order value, year to date"), "money",
                   ytd.average_order_value, prev.average_order_value, this_label, prev_label),
        Comparison("margin_ytd", N_("Gross margin, year to date"), "money", ytd.margin, prev.margin,
                   this_label, prev_label),
        Comparison("margin_pct_ytd", N_("Margin %, year to date"), "percent", ytd.margin_percent,
                   prev.margin_percent, this_label, prev_label),
    ]
    return rows


def compute_analysis(customer_id: int, today: date | None = None) -> CustomerAnalysis:
    """All figures of the analysis tab (no permission check: see :func:`analysis_for`)."""
    today = today or date.today()
    bounds = period_bounds(today)
    revenue, days_to_pay, paid_count = _invoice_figures(customer_id, bounds)
    counts, first, last, distinct_days = _order_figures(customer_id, bounds, today)
    lines = _line_figures(customer_id, bounds)
    periods: dict[str, PeriodFigures] = {}
    for p in PERIODS:
        value, cost = lines[p]
        margin = value - cost
        orders = counts[p]
        periods[p] = PeriodFigures(
            revenue=revenue[p],
            orders=orders,
            order_value=value,
            cost=cost,
            margin=margin,
            margin_percent=_percent(margin, value),
            average_order_value=(
                round_money(value / orders) if orders else None
            ),
        )
    between = None
    if first is not None and last is not None and distinct_days > 1:
        between = (Decimal((last - first).days) / (distinct_days - 1)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return CustomerAnalysis(
        customer_id=customer_id,
        today=today,
        periods=periods,
        first_order_date=first,
        last_order_date=last,
        days_since_last_order=(today - last).days if last is not None else None,
        average_days_between_orders=between,
        average_days_to_pay=days_to_pay,
        paid_invoices=paid_count,
        top_articles=top_articles(customer_id),
        comparisons=_comparisons(periods, today),
    )


def monthly_revenue(customer_id: int, months: int = 24, today: date | None = None) -> list[MonthRevenue]:
    """Revenue per calendar month for the last ``months`` months (the current month last),
    each with the same month one year earlier as the second series.  Whole months.
    """
    if not 1 <= months <= 240:
        raise ValidationError({"months": _("Choose between 1 and 240 months.")})
    today = today or date.today()
    current = date(today.year, today.month, 1)
    first = add_months(current, -(months - 1))
    window_start = add_months(first, -12)
    window_end = add_months(current, 1) - timedelta(days=1)
    key = _DateSQL.month_key(Invoice.invoice_date)
    rows = (
        Invoice.select(key, revenue_sum())
        .where(
            (Invoice.customer == customer_id)
            & revenue_filter()
            & (Invoice.invoice_date >= window_start)
            & (Invoice.invoice_date <= window_end)
        )
        .group_by(key)
        .tuples()
    )
    by_month = {str(k): as_money(v) for k, v in rows}
    series = []
    for i in range(months):
        month = add_months(first, i)
        before = add_months(month, -12)
        series.append(
            MonthRevenue(
                month=month,
                revenue=by_month.get(f"{month:%Y-%m}", ZERO_CENTS),
                previous_year=by_month.get(f"{before:%Y-%m}", ZERO_CENTS),
            )
        )
    return series


# --------------------------------------------------------------------------- access


def _require_customer(customer_id: int) -> None:
    if not Customer.select().where(Customer.id == customer_id).exists():
        raise NotFound(_("The customer #{customer_id} no longer exists.").format(customer_id=customer_id))


def analysis_for(actor: Actor, customer_id: int, today: date | None = None) -> CustomerAnalysis:
    """The analysis tab's figures, for someone allowed to view the Analysis tab."""
    actor.require("analysis", "view")
    _require_customer(customer_id)
    return compute_analysis(customer_id, today=today)


def graph_for(
    actor: Actor, customer_id: int, months: int = 24, today: date | None = None
) -> list[MonthRevenue]:
    """The revenue graph's series, for someone allowed to view the Graph tab."""
    actor.require("graph", "view")
    _require_customer(customer_id)
    return monthly_revenue(customer_id, months=months, today=today)


def totals(series: Iterable[MonthRevenue]) -> tuple[Decimal, Decimal]:
    """Sum of both series of a monthly revenue list."""
    current = previous = ZERO_CENTS
    for row in series:
        current += row.revenue
        previous += row.previous_year
    return current, previous
