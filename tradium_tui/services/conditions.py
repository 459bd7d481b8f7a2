"""Conditions: customer-specific prices, discounts and payment terms, each with a validity.

A ``price`` or ``discount`` condition applies to one article or one article group; a
``payment_term`` condition to the customer as a whole.  :func:`conditions_summary`
gives what the Conditions tab shows above the list: the customer group and its
automatic discount, the customer's own discount, the condition group and the payment
term in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.models import Condition, ConditionGroup, Customer, CustomerGroup, Setting
from tradium_tui.services import records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.money import ZERO

TAB = "conditions"
KINDS = ("price", "discount", "payment_term")
KIND_LABELS = {"price": "Price", "discount": "Discount", "payment_term": "Payment term"}
DEFAULT_PAYMENT_TERM_DAYS = 30
# Setting key an admin may set to change the default payment term (days).
PAYMENT_TERM_SETTING = "payment_term_days"
FIELDS = (
    "kind", "article", "article_group", "description", "price", "discount_percent",
    "payment_term_days", "min_quantity", "valid_from", "valid_until",
)
LABELS = {
    "kind": "Kind",
    "article": "Article",
    "article_group": "Article group",
    "description": "Description",
    "price": "Price",
    "discount_percent": "Discount %",
    "payment_term_days": "Payment term (days)",
    "min_quantity": "From quantity",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
}
# Which value field belongs to which kind.
VALUE_FIELD = {"price": "price", "discount": "discount_percent", "payment_term": "payment_term_days"}


def _validate(values: dict[str, Any], stored: Condition | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    form = Form(values, stored, FIELDS, LABELS, "a condition")
    if stored is None:
        customer_for_write(customer_id)
        form.set("customer", customer_id)
    kind = form.choice("kind", KINDS, default="discount")
    article = form.text("article", max_length=40)
    group = form.text("article_group", max_length=40)
    form.text("description", max_length=200)
    valid_from = form.date("valid_from")
    valid_until = form.date("valid_until")
    form.decimal("min_quantity", places=3, minimum=0, required=False)
    if valid_from and valid_until and valid_until < valid_from:
        form.error("valid_until", _("Valid until cannot be before valid from."))
    if kind is None:
        return form.finish()

    value_field = VALUE_FIELD[kind]
    # The value fields of the other kinds: refuse what was typed, clear what was stored.
    for other in VALUE_FIELD.values():
        if other == value_field:
            continue
        typed = form.values.get(other)
        if form.given(other) and typed not in (None, "") and str(typed).strip():
            form.error(other, _("{LABELS} does not belong to a {lower} condition.").format(LABELS=_(LABELS[other]), lower=_(KIND_LABELS[kind]).lower()))
        elif stored is None or getattr(stored, other) is not None:
            form.set(other, None)
    if kind == "price":
        form.decimal("price", places=4, minimum=0, max_digits=14)
    elif kind == "discount":
        discount = form.decimal("discount_percent", places=2, minimum=0, maximum=100, max_digits=6)
        if discount is not None and discount == 0:
            form.error("discount_percent", _("Discount % must be more than 0."))
    else:
        form.integer("payment_term_days", minimum=0, maximum=365)
    if value_field not in form.errors and form.current(value_field) is None:
        form.error(
            value_field, _("{LABELS} is required for a {lower} condition.").format(LABELS=_(LABELS[value_field]), lower=_(KIND_LABELS[kind]).lower())
        )

    if kind in ("price", "discount"):
        if not article and not group and not {"article", "article_group"} & form.errors.keys():
            form.error("article", _("Give an article or an article group."))
        elif article and group:
            form.error("article_group", _("Give an article or an article group, not both."))
    elif article or group:
        name = "article" if article else "article_group"
        form.error(name, _("A payment term applies to the whole customer, not to an article."))
    return form.finish()


SPEC = records.RecordSpec(model=Condition, tab=TAB, label="condition", validate=_validate)


@dataclass(frozen=True)
class ConditionRow:
    id: int
    version: int
    customer_id: int
    kind: str
    article: str
    article_group: str
    description: str
    price: Decimal | None
    discount_percent: Decimal | None
    payment_term_days: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    active: bool  # valid today
    expired: bool  # valid_until before today


@dataclass(frozen=True)
class ConditionsSummary:
    customer_group: str  # "" when none
    group_discount_percent: Decimal  # the group's automatic discount
    customer_discount_percent: Decimal  # the customer's own discount (overrides the group's)
    effective_discount_percent: Decimal
    condition_group_code: str
    condition_group_name: str
    condition_group_description: str
    payment_term_days: int
    payment_term_source: str  # "condition" or "default"
    active_conditions: int


def is_active(condition: Any, on: dt.date | None = None) -> bool:
    day = on or dt.date.today()
    starts, ends = condition.valid_from, condition.valid_until
    return (starts is None or starts <= day) and (ends is None or day <= ends)


def _active_where(day: dt.date):
    return (Condition.valid_from.is_null() | (Condition.valid_from <= day)) & (
        Condition.valid_until.is_null() | (Condition.valid_until >= day)
    )


# --------------------------------------------------------------------------- reading


def list_conditions(actor: Actor, customer_id: int, today: dt.date | None = None) -> list[ConditionRow]:
    """The customer's conditions by kind, article (group) and start date."""
    actor.require(TAB, "view")
    day = today or dt.date.today()
    query = (
        Condition.select()
        .where(Condition.customer == customer_id)
        .order_by(
            Condition.kind, Condition.article, Condition.article_group, Condition.valid_from,
            Condition.id,
        )
    )
    return [
        ConditionRow(
            id=c.id, version=c.version, customer_id=c.customer_id, kind=c.kind,
            article=c.article, article_group=c.article_group, description=c.description,
            price=c.price, discount_percent=c.discount_percent,
            payment_term_days=c.payment_term_days, valid_from=c.valid_from,
            valid_until=c.valid_until, active=is_active(c, day),
            expired=c.valid_until is not None and c.valid_until < day,
        )
        for c in query
    ]


def get_condition(actor: Actor, condition_id: int) -> Condition:
    actor.require(TAB, "view")
    condition = Condition.get_or_none(Condition.id == condition_id)
    if condition is None:
        raise NotFound(_("The condition #{condition_id} no longer exists.").format(condition_id=condition_id))
    return condition


def default_payment_term_days() -> int:
    stored = Setting.select(Setting.value).where(Setting.key == PAYMENT_TERM_SETTING).scalar()
    try:
        days = int(str(stored).strip()) if stored is not None else DEFAULT_PAYMENT_TERM_DAYS
    except ValueError:
        return DEFAULT_PAYMENT_TERM_DAYS
    return days if 0 <= days <= 365 else DEFAULT_PAYMENT_TERM_DAYS


def _payment_term(customer_id: int, day: dt.date) -> tuple[int, str]:
    days = (
        Condition.select(Condition.payment_term_days)
        .where(
            (Condition.customer == customer_id)
            & (Condition.kind == "payment_term")
            & Condition.payment_term_days.is_null(False)
            & _active_where(day)
        )
        .order_by(Condition.valid_from.desc(nulls="LAST"), Condition.id.desc())
        .scalar()
    )
    if days is not None:
        return int(days), "condition"
    return default_payment_term_days(), "default"


def payment_term_days(customer_id: int, on: dt.date | None = None) -> int:
    """Days to pay: the customer's payment-term condition valid ``on``, else the default."""
    return _payment_term(customer_id, on or dt.date.today())[0]


def conditions_summary(
    customer_id: int, on: dt.date | None = None, actor: Actor | None = None
) -> ConditionsSummary:
    """The head of the Conditions tab (checks view on conditions when an actor is given)."""
    if actor is not None:
        actor.require(TAB, "view")
    day = on or dt.date.today()
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound(_("The customer #{customer_id} does not exist.").format(customer_id=customer_id))
    group_id = customer.__data__.get("customer_group")
    group = CustomerGroup.get_or_none(CustomerGroup.id == group_id) if group_id else None
    cgroup_id = customer.__data__.get("condition_group")
    cgroup = ConditionGroup.get_or_none(ConditionGroup.id == cgroup_id) if cgroup_id else None
    group_discount = Decimal(group.discount_percent or 0) if group else ZERO
    own = Decimal(customer.discount_percent or 0)
    term, source = _payment_term(customer_id, day)
    active = (
        Condition.select()
        .where((Condition.customer == customer_id) & _active_where(day))
        .count()
    )
    return ConditionsSummary(
        customer_group=group.name if group else "",
        group_discount_percent=group_discount,
        customer_discount_percent=own,
        effective_discount_percent=own if own else group_discount,
        condition_group_code=cgroup.code if cgroup else "",
        condition_group_name=cgroup.name if cgroup else "",
        condition_group_description=cgroup.description if cgroup else "",
        payment_term_days=term,
        payment_term_source=source,
        active_conditions=active,
    )


# --------------------------------------------------------------------------- writing


def create_condition(actor: Actor, customer_id: int, values: dict[str, Any]) -> Condition:
    """``values``: kind (price|discount|payment_term), article or article_group,
    description, price / discount_percent / payment_term_days (per kind), valid_from,
    valid_until.
    """
    data = {k: v for k, v in values.items() if k != "customer"}
    data["customer"] = customer_id
    return records.create(actor, SPEC, data)


def update_condition(
    actor: Actor, condition_id: int, values: dict[str, Any], expected_version: int
) -> Condition:
    data = {k: v for k, v in values.items() if k != "customer"}
    return records.update(actor, SPEC, condition_id, data, expected_version)


def delete_condition(actor: Actor, condition_id: int, expected_version: int) -> None:
    records.delete(actor, SPEC, condition_id, expected_version)
