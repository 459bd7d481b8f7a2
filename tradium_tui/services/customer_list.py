"""The customer list: filters, sorts, keyset pages, saved views and bulk actions.

A list is described by a :class:`ListQuery` (filters, sort column, direction, text).  Pages
are fetched by keyset: a page after (or before) a row's sort key ``(value, id)`` — never
an ``OFFSET`` — so the millionth row costs what the first one costs, and rows with equal
sort values are neither skipped nor repeated (the id breaks every tie).

Deleted customers are never listed.  The open balance, overdue and over-limit columns and
filters belong to the Invoices tab: a role that cannot view it neither sees nor filters by
them.

Bulk actions work on a selection (the user's marks, or everything matching the filter) and
go through the same rules as a single change: permission, validation, a version bump and
an audit row per changed field of each customer, all in one transaction, so a cancelled or
failed run leaves nothing changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import N_, _
from tradium_tui.models import (
    VAT_STATUSES,
    Action,
    ConditionGroup,
    Customer,
    CustomerGroup,
    CustomerTag,
    Invoice,
    Mark,
    Order,
    Role,
    SavedListView,
    Tag,
    User,
    utcnow,
)
from tradium_tui.services import actions as actions_service
from tradium_tui.services import audit, search
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ServiceError, ValidationError
from tradium_tui.services.money import as_money
from tradium_tui.services.transfer import exports
from tradium_tui.services.transfer.bulk import (
    audit_rows,
    bulk_execute,
    bulk_insert,
    stamp,
    tags_of,
    write_audit,
)
from tradium_tui.services.users import require_admin
from tradium_tui.services.values import FieldError, parse_date, parse_int

# id → (title, needs the Invoices tab)
COLUMNS: dict[str, tuple[str, bool]] = {
    "number": ("Number", False),
    "name": ("Name", False),
    "city": ("City", False),
    "country": ("Country", False),
    "account_manager": ("Account manager", False),
    "region": ("Region", False),
    "group": ("Group", False),
    "open_balance": ("Open balance", True),
    "last_order": ("Last order", False),
    "vat_status": ("VAT status", False),
}
MONEY_TAB = "invoices"
# Filters and what their value is.
FILTERS: dict[str, str] = {
    "region": "text",
    "account_manager": "user name",
    "group": "group name",
    "condition_group": "condition group code",
    "tag": "tag name",
    "country": "country code",
    "eu": "eu / non-eu",
    "vat_status": "VAT status",
    "marked": "yes",
    "mailing_code": "number",
    "over_limit": "yes",
    "overdue": "yes",
    "no_order_since": "date (YYYY-MM-DD)",
}
MONEY_FILTERS = frozenset({"over_limit", "overdue"})
TEXT_FILTER_LIMIT = search.MAX_LIMIT
BATCH = 500


class BulkCancelled(ServiceError):
    """The user cancelled a bulk action: nothing was changed."""


@dataclass
class ListQuery:
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "number"
    descending: bool = False
    text: str = ""
    columns: list[str] = field(default_factory=lambda: list(COLUMNS))

    def to_spec(self) -> dict[str, Any]:
        return {"filters": self.filters, "sort": self.sort, "descending": self.descending,
                "text": self.text, "columns": self.columns}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> ListQuery:
        query = cls(
            filters=dict(spec.get("filters") or {}),
            sort=str(spec.get("sort") or "number"),
            descending=bool(spec.get("descending")),
            text=str(spec.get("text") or ""),
            columns=[c for c in spec.get("columns") or COLUMNS if c in COLUMNS] or list(COLUMNS),
        )
        if query.sort not in COLUMNS:
            query.sort = "number"
        return query


@dataclass(frozen=True)
class ListRow:
    id: int
    number: int
    name: str
    city: str
    country: str
    account_manager: str
    region: str
    group: str
    open_balance: Decimal | None
    last_order: dt.date | None
    vat_status: str
    marked: bool
    key: tuple  # (sort value, id): where the next page starts


def visible_columns(actor: Actor, wanted: Iterable[str] | None = None) -> list[str]:
    """The columns the actor may see, in the wanted order (default all)."""
    money = actor.can(MONEY_TAB, "view")
    return [c for c in (wanted or COLUMNS) if c in COLUMNS and (money or not COLUMNS[c][1])]


def allowed_filters(actor: Actor) -> list[str]:
    money = actor.can(MONEY_TAB, "view")
    return [f for f in FILTERS if money or f not in MONEY_FILTERS]


# --------------------------------------------------------------------------- filters


def _yes(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "yes", "y", "true", "on", "ja", "x")


# Filters that name a record: label, what it names, whether it exists, and whether "-" /
# "none" asks for customers without one.
_NAMED_FILTERS = {
    "account_manager": (N_("Account manager: there is no user '{text}'."), "user",
                        lambda t: User.select().where(User.username == t).exists(), True),
    "group": (N_("Group: there is no customer group '{text}'."), "customer group",
              lambda t: CustomerGroup.select().where(CustomerGroup.name == t).exists(), True),
    "condition_group": (N_("Condition group: there is no condition group '{text}'."), "condition group",
                        lambda t: ConditionGroup.select().where(ConditionGroup.code == t).exists(),
                        False),
    "tag": (N_("Tag: there is no tag '{text}'."), "tag",
            lambda t: Tag.select().where(peewee.fn.LOWER(Tag.name) == t.lower()).exists(), False),
}


def clean_filters(actor: Actor, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed-in filter values → stored filter values; empty values are dropped.

    Raises :class:`ValidationError` naming each bad field.
    """
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    allowed = allowed_filters(actor)
    for name, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()) or value is False:
            continue
        if name not in FILTERS:
            errors[name] = _("There is no filter '{name}'.").format(name=name)
            continue
        if name not in allowed:
            errors[name] = _("Your role '{name}' may not filter by {value}.").format(name=actor.role.name, value=name.replace('_', ' '))
            continue
        text = str(value).strip()
        if name in ("marked", "over_limit", "overdue"):
            if _yes(value) or value is True:
                out[name] = True
        elif name == "region":
            out[name] = text[:40]
        elif name in _NAMED_FILTERS:
            label, what, exists, none_allowed = _NAMED_FILTERS[name]
            if none_allowed and text.lower() in ("-", "none"):
                out[name] = "-"
            elif not exists(text):
                errors[name] = _(label).format(text=text)
            else:
                out[name] = text
        elif name == "country":
            code = text.upper()
            if len(code) != 2 or not code.isalpha():
                errors[name] = _("Country: give a two-letter country code such as NL.")
            else:
                out[name] = code
        elif name == "eu":
            low = text.lower().replace("_", "-")
            if low in ("eu", "yes", "y"):
                out[name] = "eu"
            elif low in ("non-eu", "non eu", "no", "n"):
                out[name] = "non-eu"
            else:
                errors[name] = _("EU: give 'eu' or 'non-eu'.")
        elif name == "vat_status":
            low = text.lower()
            if low not in VAT_STATUSES:
                errors[name] = _("VAT status: one of {VAT_STATUSES}.").format(VAT_STATUSES=', '.join(VAT_STATUSES))
            else:
                out[name] = low
        elif name == "mailing_code":
            code = _mailing_code(text)
            if code is None:
                errors[name] = _("Mailing code: a whole number of 0 or more.")
            else:
                out[name] = code
        elif name == "no_order_since":
            try:
                out[name] = parse_date(text).isoformat()
            except FieldError:
                errors[name] = _("No order since: a date such as 2025-12-31.")
    if errors:
        raise ValidationError(errors)
    return out


def _all_eu() -> set[str]:
    from stdnum.eu.vat import MEMBER_STATES

    return {("GR" if c == "el" else c.upper()) for c in MEMBER_STATES if c != "xi"}


def _open_balance_expr():
    inv = Invoice.alias("ob")
    return (
        inv.select(peewee.fn.COALESCE(peewee.fn.SUM(inv.amount_incl - inv.paid_amount), 0))
        .where((inv.customer == Customer.id) & (inv.status != "cancelled"))
    )


def _last_order_expr():
    o = Order.alias("lo")
    return o.select(peewee.fn.MAX(o.order_date)).where(o.customer == Customer.id)


def _conditions(actor: Actor, query: ListQuery, today: dt.date | None = None) -> list:
    f = query.filters
    day = today or dt.date.today()
    out: list = [Customer.deleted_at.is_null()]
    money = actor.can(MONEY_TAB, "view")
    if "region" in f:
        out.append(Customer.region == f["region"])
    if "account_manager" in f:
        if f["account_manager"] == "-":
            out.append(Customer.account_manager.is_null())
        else:
            out.append(Customer.account_manager.in_(
                User.select(User.id).where(User.username == f["account_manager"])))
    if "group" in f:
        if f["group"] == "-":
            out.append(Customer.customer_group.is_null())
        else:
            out.append(Customer.customer_group.in_(
                CustomerGroup.select(CustomerGroup.id).where(CustomerGroup.name == f["group"])))
    if "condition_group" in f:
        out.append(Customer.condition_group.in_(
            ConditionGroup.select(ConditionGroup.id).where(ConditionGroup.code == f["condition_group"])))
    if "tag" in f:
        out.append(Customer.id.in_(
            CustomerTag.select(CustomerTag.customer).join(Tag)
            .where(peewee.fn.LOWER(Tag.name) == str(f["tag"]).lower())))
    if "country" in f:
        out.append(Customer.visit_country == f["country"])
    if "eu" in f:
        codes = sorted(_all_eu())
        out.append(Customer.visit_country.in_(codes) if f["eu"] == "eu"
                   else Customer.visit_country.not_in(codes))
    if "vat_status" in f:
        out.append(Customer.vat_status == f["vat_status"])
    if f.get("marked"):
        user_id = actor.user.get_id() if actor.user is not None else None
        out.append(Customer.id.in_(Mark.select(Mark.customer).where(Mark.user == (user_id or 0))))
    if "mailing_code" in f:
        out.append(Customer.mailing_code == f["mailing_code"])
    if money and f.get("over_limit"):
        out.append((Customer.credit_limit > 0) & (_open_balance_expr() > Customer.credit_limit))
    if money and f.get("overdue"):
        inv = Invoice.alias("od")
        out.append(peewee.fn.EXISTS(
            inv.select(peewee.SQL("1")).where(
                (inv.customer == Customer.id) & inv.status.in_(("open", "partly_paid"))
                & (inv.due_date < day) & (inv.amount_incl > inv.paid_amount))))
    if "no_order_since" in f:
        o = Order.alias("ns")
        since = dt.date.fromisoformat(f["no_order_since"])
        out.append(~peewee.fn.EXISTS(
            o.select(peewee.SQL("1")).where((o.customer == Customer.id) & (o.order_date >= since))))
    if query.text.strip():
        hits = search.search_customers(query.text, limit=TEXT_FILTER_LIMIT)
        out.append(Customer.id.in_([h.id for h in hits] or [0]))
    return out


def _sort_expr(actor: Actor, column: str):
    if column == "open_balance" and not actor.can(MONEY_TAB, "view"):
        column = "number"
    if column == "number":
        return Customer.number
    if column == "name":
        return Customer.name
    if column == "city":
        return Customer.visit_city
    if column == "country":
        return Customer.visit_country
    if column == "region":
        return Customer.region
    if column == "vat_status":
        return Customer.vat_status
    if column == "account_manager":
        u = User.alias("sm")
        return peewee.fn.COALESCE(
            u.select(u.username)
            .where(u.id == Customer.account_manager), "")
    if column == "group":
        g = CustomerGroup.alias("sg")
        return peewee.fn.COALESCE(
            g.select(g.name).where(g.id == Customer.customer_group), "")
    if column == "open_balance":
        return peewee.fn.COALESCE(_open_balance_expr(), 0)
    if column == "last_order":
        return peewee.fn.COALESCE(_last_order_expr(), dt.date(1, 1, 1))
    raise ValidationError({"sort": _("There is no column '{column}' to sort by.").format(column=column)})


def base_select(actor: Actor, query: ListQuery, today: dt.date | None = None):
    """The ids of the customers matching the query (a subquery for bulk work)."""
    return Customer.select(Customer.id).where(*_conditions(actor, query, today))


def count(actor: Actor, query: ListQuery, today: dt.date | None = None) -> int:
    return Customer.select().where(*_conditions(actor, query, today)).count()


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
    key = _sort_expr(actor, query.sort)
    backward = before is not None
    desc = query.descending != backward
    conds = _conditions(actor, query, today)
    cursor = before if backward else after
    if cursor is not None:
        row_key = peewee.Tuple(key, Customer.id)
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
        _open_balance_expr() if money else peewee.Value(None), _last_order_expr(),
        Customer.vat_status, marked, key,
    ]
    sql = (
        Customer.select(*fields)
        .join(manager, peewee.JOIN.LEFT_OUTER, on=(manager.id == Customer.account_manager))
        .switch(Customer)
        .join(group, peewee.JOIN.LEFT_OUTER, on=(group.id == Customer.customer_group))
        .where(*conds)
        .order_by(key.desc() if desc else key.asc(),
                  Customer.id.desc() if desc else Customer.id.asc())
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


# --------------------------------------------------------------------------- marks


def _user_id(actor: Actor) -> int:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        raise ServiceError(_("Marks belong to a user; this action has no user."))
    return user_id


def mark_all(actor: Actor, query: ListQuery, today: dt.date | None = None) -> int:
    """Mark every customer matching the query for this user; returns how many were new."""
    user_id = _user_id(actor)
    now = utcnow()
    with write_transaction():
        have = Mark.select(Mark.customer).where(Mark.user == user_id)
        new = (
            base_select(actor, query, today)
            .where(Customer.id.not_in(have))
            .select(peewee.Value(user_id), Customer.id, peewee.Value(now))
        )
        before = Mark.select().where(Mark.user == user_id).count()
        Mark.insert_from(new, [Mark.user, Mark.customer, Mark.marked_at]).execute()
        return Mark.select().where(Mark.user == user_id).count() - before


def unmark_all(actor: Actor) -> int:
    user_id = _user_id(actor)
    return Mark.delete().where(Mark.user == user_id).execute()


def marked_count(actor: Actor) -> int:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        return 0
    return (Mark.select().join(Customer)
            .where((Mark.user == user_id) & Customer.deleted_at.is_null()).count())


# --------------------------------------------------------------------------- saved views


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    query: ListQuery
    is_default: bool
    shared: bool  # a role default shared by an admin


def _row_view(row: SavedListView) -> SavedView:
    try:
        spec = json.loads(row.spec or "{}")
    except ValueError:
        spec = {}
    return SavedView(id=row.id, name=row.name, query=ListQuery.from_spec(spec),
                     is_default=bool(row.is_default), shared=row.role_id is not None)


def _clean_name(name: Any) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError({"name": _("A view needs a name.")})
    if len(text) > 80:
        raise ValidationError({"name": _("A view's name has at most 80 characters.")})
    return text


def list_views(actor: Actor) -> list[SavedView]:
    """The actor's own views, then their role's shared views."""
    user_id = actor.user.get_id() if actor.user is not None else None
    role_id = actor.role.get_id() if actor.role is not None else None
    own = SavedListView.select().where(SavedListView.user == (user_id or 0)).order_by(SavedListView.name)
    shared = SavedListView.select().where(
        (SavedListView.role == (role_id or 0)) & SavedListView.user.is_null()
    ).order_by(SavedListView.name)
    return [_row_view(r) for r in own] + [_row_view(r) for r in shared]


def default_view(actor: Actor) -> SavedView | None:
    """The actor's own default view, else their role's default, else none."""
    views = list_views(actor)
    for view in views:
        if view.is_default and not view.shared:
            return view
    for view in views:
        if view.is_default and view.shared:
            return view
    return None


def _check_query(actor: Actor, query: ListQuery) -> dict[str, Any]:
    filters = clean_filters(actor, query.filters)
    if query.sort not in COLUMNS:
        raise ValidationError({"sort": _("There is no column '{sort}'.").format(sort=query.sort)})
    spec = query.to_spec() | {"filters": filters, "text": search.clean_query(query.text)}
    return spec


def _store_view(actor: Actor, owner: dict[str, Any], name: str, query: ListQuery,
                make_default: bool) -> SavedView:
    name = _clean_name(name)
    spec = _check_query(actor, query)
    text = json.dumps(spec, sort_keys=True)
    with write_transaction():
        match = [getattr(SavedListView, k) == v for k, v in owner.items()]
        match += [getattr(SavedListView, k).is_null() for k in ("user", "role") if k not in owner]
        if make_default:
            SavedListView.update(is_default=False).where(*match).execute()
        row = SavedListView.get_or_none(*match, SavedListView.name == name)
        old = row.spec if row is not None else None
        if row is None:
            row = SavedListView.create(**owner, name=name, spec=text, is_default=make_default,
                                       updated_at=utcnow(), updated_by=actor.username)
        else:
            row.spec = text
            row.is_default = make_default or row.is_default
            row.updated_at = utcnow()
            row.updated_by = actor.username
            row.save()
        audit.record(actor.username, "saved_list_view", row.id, "update" if old else "create",
                     {"spec": (old, text)})
    return _row_view(row)


def save_view(actor: Actor, name: str, query: ListQuery, make_default: bool = False) -> SavedView:
    """Save (or replace) the actor's own view ``name``; one own view is the default."""
    return _store_view(actor, {"user": _user_id(actor)}, name, query, make_default)


def share_view(actor: Actor, role: str, name: str, query: ListQuery,
               make_default: bool = True) -> SavedView:
    """An admin shares a view with every member of ``role`` (their default unless told)."""
    require_admin(actor)
    role_row = Role.get_or_none(Role.name == role)
    if role_row is None:
        raise NotFound(_("There is no role '{role}'.").format(role=role))
    return _store_view(actor, {"role": role_row.id}, name, query, make_default)


def delete_view(actor: Actor, view_id: int) -> None:
    row = SavedListView.get_or_none(SavedListView.id == view_id)
    if row is None:
        raise NotFound(_("That view no longer exists."))
    if row.user_id is None:
        require_admin(actor)
    elif row.user_id != _user_id(actor):
        raise NotFound(_("That view no longer exists."))
    with write_transaction():
        row.delete_instance()
        audit.record(actor.username, "saved_list_view", row.id, "delete", {"spec": (row.spec, None)})


# --------------------------------------------------------------------------- bulk actions

BULK_ACTIONS: dict[str, str] = {
    "account_manager": "Set account manager",
    "region": "Set region",
    "mailing_code": "Set mailing code",
    "group": "Set group",
    "add_tag": "Add tag",
    "remove_tag": "Remove tag",
    "log_action": "Log an action",
}
_FIELD_OF = {"account_manager": "account_manager", "region": "region",
             "mailing_code": "mailing_code", "group": "customer_group"}


@dataclass(frozen=True)
class BulkPlan:
    action: str
    value: Any  # the cleaned value (user id, group id, tag name, text, ...)
    label: str  # how the value reads for the user
    selected: int  # customers in the selection
    changing: int  # of which this changes


def selection(actor: Actor, query: ListQuery, marked_only: bool) -> peewee.SelectQuery:
    """Ids of the bulk selection: the actor's marks, or everything matching ``query``."""
    if marked_only:
        return base_select(actor, ListQuery(filters={"marked": True}))
    return base_select(actor, query)


def _mailing_code(text: str) -> int | None:
    """A typed mailing code, or None when it is not a whole number of 0 or more."""
    try:
        return parse_int(text, minimum=0)
    except FieldError:
        return None


def selection_count(actor: Actor, query: ListQuery, marked_only: bool) -> int:
    """How many customers the bulk selection holds."""
    ids = selection(actor, query, marked_only)
    return Customer.select().where(Customer.id.in_(ids)).count()


def _clean_value(actor: Actor, action: str, value: Any) -> tuple[Any, str]:
    text = str(value if value is not None else "").strip()
    if action == "account_manager":
        if text in ("", "-"):
            return None, "(none)"
        uid = User.select(User.id).where((User.username == text) & User.active).scalar()
        if uid is None:
            raise ValidationError({"value": _("Account manager: there is no active user '{text}'.").format(text=text)})
        return uid, text
    if action == "region":
        if len(text) > 40:
            raise ValidationError({"value": _("Region: at most 40 characters.")})
        return text, text or "(none)"
    if action == "mailing_code":
        if text in ("", "-"):
            return None, "(none)"
        code = _mailing_code(text)
        if code is None:
            raise ValidationError({"value": _("Mailing code: a whole number of 0 or more.")})
        return code, str(code)
    if action == "group":
        if text in ("", "-"):
            return None, "(none)"
        gid = CustomerGroup.select(CustomerGroup.id).where(CustomerGroup.name == text).scalar()
        if gid is None:
            raise ValidationError({"value": _("Group: there is no customer group '{text}'.").format(text=text)})
        return gid, text
    if action in ("add_tag", "remove_tag"):
        from tradium_tui.services.groups import clean_tag_name

        try:
            name = clean_tag_name(text)
        except ValidationError as exc:
            raise ValidationError({"value": exc.errors.get("tags", "Tag: give a name.")}) from None
        return name, name
    if action == "log_action":
        if not text:
            raise ValidationError({"value": _("Subject: what was done, e.g. 'sent the spring mailing'.")})
        if len(text) > 200:
            raise ValidationError({"value": _("Subject: at most 200 characters.")})
        return text, text
    raise ValidationError({"action": _("There is no bulk action '{action}'.").format(action=action)})


def _require(actor: Actor, action: str) -> None:
    if action == "log_action":
        actor.require(actions_service.TAB, "edit")
    else:
        actor.require_base_edit()


def _tag_id(name: str) -> int | None:
    return Tag.select(Tag.id).where(peewee.fn.LOWER(Tag.name) == name.lower()).scalar()


def _changing(action: str, value: Any, ids) -> peewee.SelectQuery:
    """Those of ``ids`` (a subquery) the action would change."""
    base = Customer.select(Customer.id).where(Customer.id.in_(ids))
    if action in _FIELD_OF:
        column = getattr(Customer, _FIELD_OF[action])
        if value is None:
            return base.where(column.is_null(False))
        return base.where(column.is_null() | (column != value))
    if action in ("add_tag", "remove_tag"):
        tag_id = _tag_id(value)
        linked = CustomerTag.select(CustomerTag.customer).where(CustomerTag.tag == (tag_id or 0))
        return base.where(Customer.id.not_in(linked) if action == "add_tag" else Customer.id.in_(linked))
    return base


def preview(actor: Actor, query: ListQuery, marked_only: bool, action: str, value: Any) -> BulkPlan:
    """What a bulk action would do, without doing it (permission and value are checked)."""
    _require(actor, action)
    cleaned, label = _clean_value(actor, action, value)
    ids = selection(actor, query, marked_only)
    selected = Customer.select().where(Customer.id.in_(ids)).count()
    changing = _changing(action, cleaned, ids).count()
    return BulkPlan(action=action, value=cleaned, label=label, selected=selected, changing=changing)


Progress = Callable[[int, int], None]


def apply(
    actor: Actor,
    plan: BulkPlan,
    query: ListQuery,
    marked_only: bool,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Carry out a previewed bulk action; returns how many customers changed.

    One transaction: when ``cancelled()`` turns true (checked between batches) or anything
    fails, :class:`BulkCancelled` / the error is raised and nothing is changed.
    """
    _require(actor, plan.action)
    cleaned, _warning = _clean_value(actor, plan.action, plan.value if plan.action not in (
        "account_manager", "group") else _value_text(plan))
    with write_transaction():
        ids = [cid for (cid,) in _changing(plan.action, cleaned, selection(actor, query, marked_only))
               .order_by(Customer.id).tuples()]
        total = len(ids)
        now = utcnow()
        at = stamp(now)
        done = 0
        if plan.action in ("add_tag", "remove_tag"):
            tag_id = _tag_id(cleaned)
            if tag_id is None:
                if plan.action == "remove_tag":
                    return 0
                tag = Tag.create(name=cleaned)
                tag_id = tag.id
                audit.record(actor.username, "tag", tag_id, "create", {"name": (None, cleaned)})
        if plan.action == "log_action" and ids:
            probe = actions_service._validate({"customer": ids[0], "subject": cleaned,
                                               "type": "other"}, None)
        for start in range(0, total, BATCH):
            if cancelled is not None and cancelled():
                raise BulkCancelled("Cancelled: nothing was changed.")
            part = ids[start:start + BATCH]
            rows: list[tuple] = []
            if plan.action in _FIELD_OF:
                name = _FIELD_OF[plan.action]
                column = getattr(Customer, name)
                olds = list(Customer.select(Customer.id, Customer.version, column)
                            .where(Customer.id.in_(part)).tuples())
                bulk_execute(
                    f'UPDATE customer SET "{column.column_name}" = ?, version = version + 1, '
                    "updated_at = ? WHERE id = ? AND version = ?",
                    [(cleaned, at, cid, version) for cid, version, _ in olds],
                )
                for cid, version, old in olds:
                    rows += audit_rows(actor.username, "customer", cid, "update",
                                       {name: (old, cleaned)}, cid, version + 1, at)
            elif plan.action in ("add_tag", "remove_tag"):
                before = tags_of(part)
                if plan.action == "add_tag":
                    bulk_insert(CustomerTag, ["customer_id", "tag_id"], [(cid, tag_id) for cid in part])
                else:
                    CustomerTag.delete().where(
                        (CustomerTag.tag == tag_id) & CustomerTag.customer.in_(part)).execute()
                versions = dict(Customer.select(Customer.id, Customer.version)
                                .where(Customer.id.in_(part)).tuples())
                for cid in part:
                    old = sorted(before.get(cid, []), key=str.casefold)
                    new = (sorted([*old, cleaned], key=str.casefold) if plan.action == "add_tag"
                           else [t for t in old if t.casefold() != cleaned.casefold()])
                    rows += audit_rows(actor.username, "customer", cid, "tags",
                                       {"tags": (", ".join(old), ", ".join(new))},
                                       cid, versions.get(cid, 0), at)
            elif plan.action == "log_action":
                columns = ["customer_id", "user_id", "type", "subject", "text", "happened_at",
                           "status", "completed_at", "version", "created_at", "updated_at"]
                user_id = actor.user.get_id()
                bulk_insert(Action, columns, [
                    (cid, user_id, probe["type"], probe["subject"], probe.get("text", ""),
                     probe["happened_at"], probe["status"], probe.get("completed_at"), 1, now, now)
                    for cid in part
                ])
                made = Action.select(Action.id, Action.customer).where(
                    Action.customer.in_(part) & (Action.created_at == now)
                    & (Action.subject == cleaned)).tuples()
                for aid, cid in made:
                    rows += audit_rows(actor.username, "action", aid, "create",
                                       {"subject": (None, cleaned), "type": (None, probe["type"])},
                                       cid, 1, at)
            write_audit(rows)
            done += len(part)
            if progress is not None:
                progress(done, total)
        if cancelled is not None and cancelled():
            raise BulkCancelled("Cancelled: nothing was changed.")
    return total


def _value_text(plan: BulkPlan) -> str:
    if plan.value is None:
        return ""
    return plan.label


def export(actor: Actor, query: ListQuery, marked_only: bool, what: str,
           target: str | TextIO, delimiter: str = ",") -> exports.ExportResult:
    """Export the selection: ``customers`` (every field) or ``mailing`` (name, e-mail...)."""
    ids = selection(actor, query, marked_only)
    if what == "mailing":
        return exports.export_mailing(actor, target, delimiter=delimiter, within=ids)
    if what == "customers":
        return exports.export_customers(actor, target, delimiter=delimiter, within=ids)
    raise ValidationError({"what": _("Export 'customers' or 'mailing'.")})


def sort_label(query: ListQuery) -> str:
    return f"{COLUMNS[query.sort][0]} {'↓' if query.descending else '↑'}"


def describe_filters(query: ListQuery) -> str:
    parts = []
    for name, value in query.filters.items():
        label = name.replace("_", " ")
        parts.append(label if value is True else f"{label}: {value}")
    if query.text:
        parts.append(f"text: {query.text}")
    return "; ".join(parts) or "all customers"


def chunked(items: Sequence[int], size: int = BATCH) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
