"""Customer groups (with an automatic discount), condition groups and tags.

Groups are written through :mod:`tradium_tui.services.records` (permission, version,
audit).  A group that still has customers cannot be deleted: the error says how many
and that they must be moved to another group first.  Tags have no version; their
writes are audited here directly.  All of it needs the base-data right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import ConditionGroup, Customer, CustomerGroup, CustomerTag, Tag
from tradium_tui.services import audit, records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ServiceError, ValidationError
from tradium_tui.services.forms import reference_id
from tradium_tui.services.validation import clean_text
from tradium_tui.services.values import FieldError, parse_decimal


class GroupInUse(ServiceError):
    """The group still has customers; ``count`` says how many."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count


def _given(values: dict[str, Any], stored: Any, name: str) -> bool:
    return stored is None or name in values


def _taken(model: type[peewee.Model], condition: Any, stored: Any) -> bool:
    """Whether another row than ``stored`` already meets ``condition`` (a name or code in use)."""
    query = model.select(model.id).where(condition)
    if stored is not None:
        query = query.where(model.id != stored.id)
    return query.exists()


def _unknown(values: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, str]:
    return {str(k): "This is not a field of a group." for k in values if k not in allowed}


# ---------------------------------------------------------------------------
# Customer groups
# ---------------------------------------------------------------------------


def _validate_customer_group(values: dict[str, Any], stored: CustomerGroup | None) -> dict[str, Any]:
    errors = _unknown(values, ("name", "discount_percent"))
    out: dict[str, Any] = {}
    if _given(values, stored, "name"):
        try:
            name = clean_text(values.get("name"), CustomerGroup.name.max_length)
            if not name:
                errors["name"] = _("A customer group needs a name.")
            else:
                if _taken(CustomerGroup, peewee.fn.LOWER(CustomerGroup.name) == name.lower(), stored):
                    errors["name"] = _("There is already a customer group '{name}'.").format(name=name)
                out["name"] = name
        except FieldError as exc:
            errors["name"] = exc.message
    if _given(values, stored, "discount_percent"):
        try:
            out["discount_percent"] = parse_decimal(
                values.get("discount_percent"), places=2, max_digits=5, minimum=0, maximum=100,
                default=Decimal("0.00"),
            )
        except FieldError as exc:
            errors["discount_percent"] = exc.for_field(_("Discount percentage"))
    if errors:
        raise ValidationError(errors)
    return out


CUSTOMER_GROUP_SPEC = records.RecordSpec(
    model=CustomerGroup, tab=None, label="customer group", validate=_validate_customer_group,
    customer_of=lambda rec: None,
)


@dataclass(frozen=True)
class GroupRow:
    id: int
    version: int
    name: str
    discount_percent: Decimal
    customer_count: int  # customers not deleted


def resolve_customer_group(raw: Any) -> int | None:
    """The customer group a form or a file names, by id or name (FieldError when there is none)."""
    return reference_id(raw, CustomerGroup, "customer group", lambda name: CustomerGroup.name == name)


def list_customer_groups() -> list[GroupRow]:
    counts = dict(
        Customer.select(Customer.customer_group, peewee.fn.COUNT(Customer.id))
        .where(Customer.customer_group.is_null(False) & Customer.deleted_at.is_null())
        .group_by(Customer.customer_group)
        .tuples()
    )
    return [
        GroupRow(
            id=g.id, version=g.version, name=g.name,
            discount_percent=Decimal(g.discount_percent), customer_count=counts.get(g.id, 0),
        )
        for g in CustomerGroup.select().order_by(CustomerGroup.name)
    ]


def create_customer_group(actor: Actor, name: str, discount_percent: Any = 0) -> CustomerGroup:
    return records.create(
        actor, CUSTOMER_GROUP_SPEC, {"name": name, "discount_percent": discount_percent}
    )


def update_customer_group(
    actor: Actor, group_id: int, values: dict[str, Any], expected_version: int
) -> CustomerGroup:
    return records.update(actor, CUSTOMER_GROUP_SPEC, group_id, values, expected_version)


def rename_customer_group(actor: Actor, group_id: int, name: str, expected_version: int) -> CustomerGroup:
    return update_customer_group(actor, group_id, {"name": name}, expected_version)


def _in_use_message(kind: str, name: str, field: peewee.Field, group_id: int) -> tuple[str, int]:
    total = Customer.select().where(field == group_id).count()
    deleted = Customer.select().where((field == group_id) & Customer.deleted_at.is_null(False)).count()
    if not total:
        return "", 0
    noun = "customer" if total == 1 else "customers"
    extra = f" ({deleted} of them deleted)" if deleted else ""
    return (
        f"The {kind} '{name}' still has {total} {noun}{extra}; move "
        f"{'it' if total == 1 else 'them'} to another {kind} "
        f"first, then delete it.",
        total,
    )


def delete_customer_group(actor: Actor, group_id: int, expected_version: int) -> None:
    """Delete an empty group; refused (:class:`GroupInUse`) while customers are in it."""
    CUSTOMER_GROUP_SPEC.check(actor)
    group = CustomerGroup.get_or_none(CustomerGroup.id == group_id)
    if group is None:
        raise NotFound(_("The customer group #{group_id} no longer exists.").format(group_id=group_id))
    message, count = _in_use_message("customer group", group.name, Customer.customer_group, group.id)
    if count:
        raise GroupInUse(message, count)
    try:
        records.delete(actor, CUSTOMER_GROUP_SPEC, group_id, expected_version)
    except peewee.IntegrityError:  # a customer was put in the group meanwhile
        message, count = _in_use_message("customer group", group.name, Customer.customer_group, group.id)
        raise GroupInUse(message or _("The customer group is in use."), count) from None


# ---------------------------------------------------------------------------
# Condition groups
# ---------------------------------------------------------------------------


def _validate_condition_group(values: dict[str, Any], stored: ConditionGroup | None) -> dict[str, Any]:
    errors = _unknown(values, ("code", "name", "description"))
    out: dict[str, Any] = {}
    if _given(values, stored, "code"):
        try:
            code = clean_text(values.get("code"), ConditionGroup.code.max_length).upper()
            if not code:
                errors["code"] = _("A condition group needs a code.")
            elif any(c.isspace() for c in code):
                errors["code"] = _("The code cannot contain spaces.")
            else:
                if _taken(ConditionGroup, ConditionGroup.code == code, stored):
                    errors["code"] = _("There is already a condition group with code {code}.").format(code=code)
            out["code"] = code
        except FieldError as exc:
            errors["code"] = exc.message
    if _given(values, stored, "name"):
        try:
            name = clean_text(values.get("name"), ConditionGroup.name.max_length)
            if not name:
                errors["name"] = _("A condition group needs a name.")
            out["name"] = name
        except FieldError as exc:
            errors["name"] = exc.message
    if "description" in values:
        try:
            out["description"] = clean_text(values.get("description"), None, multiline=True)
        except FieldError as exc:
            errors["description"] = exc.message
    if errors:
        raise ValidationError(errors)
    return out


CONDITION_GROUP_SPEC = records.RecordSpec(
    model=ConditionGroup, tab=None, label="condition group", validate=_validate_condition_group,
    customer_of=lambda rec: None,
)


def resolve_condition_group(raw: Any) -> int | None:
    """The condition group a form or a file names, by id, code or name."""
    return reference_id(raw, ConditionGroup, "condition group",
                        lambda code: (ConditionGroup.code == code) | (ConditionGroup.name == code))


def list_condition_groups() -> list[ConditionGroup]:
    return list(ConditionGroup.select().order_by(ConditionGroup.code))


def create_condition_group(actor: Actor, code: str, name: str, description: str = "") -> ConditionGroup:
    return records.create(
        actor, CONDITION_GROUP_SPEC, {"code": code, "name": name, "description": description}
    )


def update_condition_group(
    actor: Actor, group_id: int, values: dict[str, Any], expected_version: int
) -> ConditionGroup:
    return records.update(actor, CONDITION_GROUP_SPEC, group_id, values, expected_version)


def delete_condition_group(actor: Actor, group_id: int, expected_version: int) -> None:
    CONDITION_GROUP_SPEC.check(actor)
    group = ConditionGroup.get_or_none(ConditionGroup.id == group_id)
    if group is None:
        raise NotFound(_("The condition group #{group_id} no longer exists.").format(group_id=group_id))
    label = f"{group.code} {group.name}".strip()
    message, count = _in_use_message("condition group", label, Customer.condition_group, group.id)
    if count:
        raise GroupInUse(message, count)
    try:
        records.delete(actor, CONDITION_GROUP_SPEC, group_id, expected_version)
    except peewee.IntegrityError:
        message, count = _in_use_message("condition group", label, Customer.condition_group, group.id)
        raise GroupInUse(message or _("The condition group is in use."), count) from None


# ---------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TagRow:
    id: int
    name: str
    customer_count: int


def list_tags() -> list[TagRow]:
    counts = dict(
        CustomerTag.select(CustomerTag.tag, peewee.fn.COUNT(CustomerTag.id))
        .join(Customer)
        .where(Customer.deleted_at.is_null())
        .group_by(CustomerTag.tag)
        .tuples()
    )
    return [
        TagRow(id=t.id, name=t.name, customer_count=counts.get(t.id, 0))
        for t in Tag.select().order_by(Tag.name)
    ]


def tags_of(customer_id: int) -> list[str]:
    return [
        name
        for (name,) in Tag.select(Tag.name)
        .join(CustomerTag)
        .where(CustomerTag.customer == customer_id)
        .order_by(Tag.name)
        .tuples()
    ]


def clean_tag_name(name: Any) -> str:
    try:
        text = clean_text(name, Tag.name.max_length)
    except FieldError as exc:
        raise ValidationError({"tags": _("Tag '{name}': {message}").format(name=str(name)[:30], message=exc.message)}) from None
    if not text:
        raise ValidationError({"tags": _("A tag needs a name.")})
    if "," in text:
        raise ValidationError({"tags": _("Tag '{text}': a comma separates tags and cannot be in a name.").format(text=text)})
    return text


def _tag_taken(name: str, tag: Tag | None = None) -> bool:
    return _taken(Tag, peewee.fn.LOWER(Tag.name) == name.lower(), tag)


def create_tag(actor: Actor, name: Any) -> Tag:
    actor.require_base_edit()
    clean = clean_tag_name(name)
    with write_transaction():
        if _tag_taken(clean):
            raise ValidationError({"name": _("There is already a tag '{name}'.").format(name=clean)})
        tag = Tag.create(name=clean)
        audit.record(actor.username, "tag", tag.id, "create", {"name": (None, clean)})
    return tag


def rename_tag(actor: Actor, tag_id: int, name: Any) -> Tag:
    actor.require_base_edit()
    clean = clean_tag_name(name)
    with write_transaction():
        tag = Tag.get_or_none(Tag.id == tag_id)
        if tag is None:
            raise NotFound(_("The tag #{tag_id} no longer exists.").format(tag_id=tag_id))
        if _tag_taken(clean, tag):
            raise ValidationError({"name": _("There is already a tag '{name}'.").format(name=clean)})
        if tag.name != clean:
            old = tag.name
            Tag.update(name=clean).where(Tag.id == tag.id).execute()
            audit.record(actor.username, "tag", tag.id, "update", {"name": (old, clean)})
            tag.name = clean
    return tag


def delete_tag(actor: Actor, tag_id: int) -> int:
    """Delete a tag and take it off every customer; returns how many customers had it."""
    actor.require_base_edit()
    with write_transaction():
        tag = Tag.get_or_none(Tag.id == tag_id)
        if tag is None:
            raise NotFound(_("The tag #{tag_id} no longer exists.").format(tag_id=tag_id))
        customer_ids = [
            c for (c,) in CustomerTag.select(CustomerTag.customer).where(CustomerTag.tag == tag.id).tuples()
        ]
        before = {cid: tags_of(cid) for cid in customer_ids}
        versions = dict(
            Customer.select(Customer.id, Customer.version).where(Customer.id.in_(customer_ids)).tuples()
        ) if customer_ids else {}
        CustomerTag.delete().where(CustomerTag.tag == tag.id).execute()
        Tag.delete().where(Tag.id == tag.id).execute()
        audit.record(actor.username, "tag", tag.id, "delete", {"name": (tag.name, None)})
        for cid, names in before.items():
            after = [n for n in names if n != tag.name]
            audit.record(
                actor.username, "customer", cid, "tags",
                {"tags": (", ".join(names), ", ".join(after))},
                customer_id=cid, version=versions.get(cid, 0),
            )
    return len(customer_ids)
