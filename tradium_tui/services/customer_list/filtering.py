"""Typed-in filter values checked and stored, and the SQL conditions of a list (deleted
customers never; the money filters only for a role that may view the Invoices tab)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee

from tradium_tui.db import is_postgres
from tradium_tui.i18n import N_, _
from tradium_tui.models import (
    VAT_STATUSES,
    ConditionGroup,
    Customer,
    CustomerGroup,
    CustomerTag,
    Invoice,
    Mark,
    Order,
    Tag,
    User,
)
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list.listing import (
    FILTERS,
    MONEY_TAB,
    ListQuery,
    allowed_filters,
)
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.search.matching import text_condition
from tradium_tui.services.values import FieldError, parse_date, parse_int
from tradium_tui.services.vat import eu_countries


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
            code = parse_mailing_code(text)
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


def open_balance_expr():
    inv = Invoice.alias("ob")
    return (
        inv.select(peewee.fn.COALESCE(peewee.fn.SUM(inv.amount_incl - inv.paid_amount), 0))
        .where((inv.customer == Customer.id) & (inv.status != "cancelled"))
    )


def last_order_expr():
    o = Order.alias("lo")
    return o.select(peewee.fn.MAX(o.order_date)).where(o.customer == Customer.id)


def conditions(actor: Actor, query: ListQuery, today: dt.date | None = None) -> list:
    f = query.filters
    day = today or dt.date.today()
    alive = Customer.deleted_at.is_null()
    if not is_postgres():
        # Nearly every customer is not deleted: without the hint SQLite's planner takes the
        # deleted_at index and sorts every customer for each page, instead of walking the
        # sort's index (a partial index on the customers not deleted, or customer_list_key).
        alive = peewee.fn.likely(alive)
    out: list = [alive]
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
        codes = sorted(eu_countries())
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
        out.append((Customer.credit_limit > 0) & (open_balance_expr() > Customer.credit_limit))
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
        # Every customer the text matches (the finder's rules), not only its best hits.
        matching = text_condition(query.text)
        if matching is not None:
            out.append(matching)
    return out


def parse_mailing_code(text: str) -> int | None:
    """A typed mailing code, or None when it is not a whole number of 0 or more."""
    try:
        return parse_int(text, minimum=0)
    except FieldError:
        return None
