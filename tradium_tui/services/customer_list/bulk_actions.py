"""Bulk actions on a selection (the user's marks, or everything a list shows): preview,
then apply in one transaction with the rules of a single change, or export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    Action,
    Customer,
    CustomerGroup,
    CustomerTag,
    Tag,
    User,
    utcnow,
)
from tradium_tui.services import actions as actions_service
from tradium_tui.services import audit
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list.filtering import parse_mailing_code
from tradium_tui.services.customer_list.listing import ListQuery
from tradium_tui.services.customer_list.paging import base_select
from tradium_tui.services.errors import ServiceError, ValidationError
from tradium_tui.services.transfer import exports
from tradium_tui.services.transfer.bulk import (
    audit_rows,
    bulk_execute,
    bulk_insert,
    stamp,
    tags_of,
    write_audit,
)

BATCH = 500


class BulkCancelled(ServiceError):
    """The user cancelled a bulk action: nothing was changed."""


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
        code = parse_mailing_code(text)
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
