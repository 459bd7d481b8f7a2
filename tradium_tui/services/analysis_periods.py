"""The periods a customer analysis compares, and the date arithmetic of its queries.

Periods, for a given ``today``: *this year* is 1 January up to and including today;
*same period last year* is 1 January last year up to the same day last year (28 February
for a 29 February); *last year* and *the year before* are whole calendar years; *last 12
months* ends today and *the previous 12 months* are the twelve months before those.
*All time* has no bounds.

What differs between SQLite and PostgreSQL in these queries is in :class:`DateSQL`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import peewee
from peewee import Case, fn

from tradium_tui import db
from tradium_tui.i18n import _

# Period names in the order they are computed.
PERIODS = ("all", "ytd", "ytd_prev", "last_year", "year_before", "last_12m", "prev_12m")


def same_day_years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def period_bounds(today: date) -> dict[str, tuple[date | None, date | None]]:
    """Inclusive (start, end) of each named period for ``today``; None is unbounded."""
    jan1 = date(today.year, 1, 1)
    one_back = same_day_years_back(today, 1)
    two_back = same_day_years_back(today, 2)
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


class DateSQL:
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


def within(column: peewee.Field, bounds: tuple[date | None, date | None]):
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


def sum_in(column: peewee.Field, bounds, value) -> peewee.Node:
    """SUM(value) over the rows whose ``column`` lies in ``bounds`` (conditional sum)."""
    condition = within(column, bounds)
    if condition is None:
        return fn.SUM(value).coerce(False)
    return fn.SUM(Case(None, [(condition, value)], 0)).coerce(False)
