"""Sorting and keyset pages: a page after (or before) a row's sort key ``(value, id)``,
never an ``OFFSET``; the id breaks every tie."""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee

from tradium_tui.db.sql import LIST_KEY_COLUMNS
from tradium_tui.i18n import _
from tradium_tui.models import (
    Customer,
    CustomerGroup,
    Mark,
    User,
)
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list.filtering import (
    conditions,
    last_order_expr,
    open_balance_expr,
)
from tradium_tui.services.customer_list.listing import MONEY_TAB, ListQuery, ListRow
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.money import as_money

# Columns sorted by a field of the customer itself.
_CUSTOMER_SORT = {
    "number": Customer.number, "name": Customer.name, "city": Customer.visit_city,
    "country": Customer.visit_country, "region": Customer.region,
    "vat_status": Customer.vat_status,
}


# Columns sorted by a value the schema keeps per customer in ``customer_list_key`` (see
# db.sql): the manager's and group's names, the open balance and the last order date.
LIST_KEY = peewee.Table("customer_list_key", ("customer_id", *LIST_KEY_COLUMNS.values()))


def _sort_expr(actor: Actor, column: str):
    """(the sort value, the id column that breaks ties, whether it needs ``LIST_KEY``)."""
    if column == "open_balance" and not actor.can(MONEY_TAB, "view"):
        column = "number"
    if column in _CUSTOMER_SORT:
        return _CUSTOMER_SORT[column], Customer.id, False
    if column in LIST_KEY_COLUMNS:
        # Ties by the key table's own id column (the same value), so one index holds the order.
        return getattr(LIST_KEY, LIST_KEY_COLUMNS[column]), LIST_KEY.customer_id, True
    raise ValidationError({"sort": _("There is no column '{column}' to sort by.").format(column=column)})


def base_select(actor: Actor, query: ListQuery, today: dt.date | None = None):
    """The ids of the customers matching the query (a subquery for bulk work)."""
    return Customer.select(Customer.id).where(*conditions(actor, query, today))


def count(actor: Actor, query: ListQuery, today: dt.date | None = None) -> int:
    return Customer.select().where(*conditions(actor, query, today)).count()


def page(
    actor: Actor,
    query: ListQuery,
    after: tuple | None = None,
    before: tuple | None = None,
    limit: int = 100,
    today: dt.date | None = None,
) -> list[ListRow]:
    """Up to ``limit`` rows in the query's order: the first ones, those after the sort key
    ``after``, or those just before ``before`` (still in list order)."""
    money = actor.can(MONEY_TAB, "view")
    sql = page_query(actor, query, after, before, limit, today)
    rows = [
        ListRow(
            id=r[0], number=r[1], name=r[2], city=r[3], country=r[4], account_manager=r[5] or "",
            region=r[6], group=r[7] or "",
            open_balance=as_money(r[8]) if money else None,
            last_order=_as_date(r[9]), vat_status=r[10], marked=bool(r[11]), key=(r[12], r[0]),
        )
        for r in sql
    ]
    if before is not None:
        rows.reverse()
    return rows


def page_query(
    actor: Actor,
    query: ListQuery,
    after: tuple | None = None,
    before: tuple | None = None,
    limit: int = 100,
    today: dt.date | None = None,
):
    """The statement of :func:`page` (tuples; backward pages come in reverse order)."""
    limit = max(1, min(int(limit), 2000))
    key, tie, keyed = _sort_expr(actor, query.sort)
    backward = before is not None
    desc = query.descending != backward
    conds = conditions(actor, query, today)
    cursor = before if backward else after
    if cursor is not None:
        row_key = peewee.Tuple(key, tie)
        bound = peewee.Tuple(*cursor)
        conds.append(row_key < bound if desc else row_key > bound)
    money = actor.can(MONEY_TAB, "view")
    manager = User.alias("mgr")
    group = CustomerGroup.alias("grp")
    user_id = actor.user.get_id() if actor.user is not None else None
    mark = Mark.alias("mk")
    marked = peewee.fn.EXISTS(mark.select(peewee.SQL("1")).where(
        (mark.customer == Customer.id) & (mark.user == (user_id or 0))))
    fields = [
        Customer.id, Customer.number, Customer.name, Customer.visit_city, Customer.visit_country,
        manager.username, Customer.region, group.name,
        open_balance_expr() if money else peewee.Value(None), last_order_expr(),
        Customer.vat_status, marked, key,
    ]
    sql = Customer.select(*fields)
    if keyed:
        sql = sql.join(LIST_KEY, on=(LIST_KEY.customer_id == Customer.id)).switch(Customer)
    sql = (
        sql.join(manager, peewee.JOIN.LEFT_OUTER, on=(manager.id == Customer.account_manager))
        .switch(Customer)
        .join(group, peewee.JOIN.LEFT_OUTER, on=(group.id == Customer.customer_group))
        .where(*conds)
        .order_by(key.desc() if desc else key.asc(), tie.desc() if desc else tie.asc())
        .limit(limit)
        .tuples()
    )
    return sql


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def matching_ids(actor: Actor, query: ListQuery, today: dt.date | None = None) -> list[int]:
    return [cid for (cid,) in base_select(actor, query, today).order_by(Customer.id).tuples()]
