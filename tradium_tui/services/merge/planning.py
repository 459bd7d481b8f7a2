"""Planning a merge: the fields of the customers side by side, what the survivor
keeps per field, and the customers described for choosing the survivor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradium_tui.i18n import N_, _
from tradium_tui.models import (
    ConditionGroup,
    Customer,
    CustomerGroup,
    PriceList,
    User,
)
from tradium_tui.services import audit, records
from tradium_tui.services.customer_rules import COMPUTED_FIELDS, EDITABLE_FIELDS, REFERENCE_FIELDS
from tradium_tui.services.errors import NotFound, ServiceError
from tradium_tui.services.merge.references import customer_references

MERGE_FIELDS: tuple[str, ...] = tuple(
    name for name in Customer._meta.sorted_field_names
    if name in EDITABLE_FIELDS and name not in COMPUTED_FIELDS and name != "number"
)


# Fields only one kind of customer has (the form shows no others): an empty one is not
# filled from a customer of the other kind — a consumer has no VAT number, a company no
# first name.
KIND_FIELDS: dict[str, frozenset[str]] = {
    "consumer": frozenset({"title", "first_name", "last_name"}),
    "company": frozenset({"coc_number", "vat_number"}),
}


def _fits(name: str, kind: str) -> bool:
    return not any(name in names for k, names in KIND_FIELDS.items() if k != kind)


def _value(customer: Customer, name: str) -> Any:
    if name in REFERENCE_FIELDS:
        return customer.__data__.get(name)
    return getattr(customer, name)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _related_name(name: str, ident: Any) -> str:
    if ident is None:
        return ""
    if name == "account_manager":
        user = User.get_or_none(User.id == ident)
        return user.username if user else f"#{ident}"
    if name == "customer_group":
        group = CustomerGroup.get_or_none(CustomerGroup.id == ident)
        return group.name if group else f"#{ident}"
    if name == "price_list":
        price_list = PriceList.get_or_none(PriceList.id == ident)
        return price_list.name if price_list else f"#{ident}"
    group = ConditionGroup.get_or_none(ConditionGroup.id == ident)
    return f"{group.code} {group.name}" if group else f"#{ident}"


def display(name: str, value: Any) -> str:
    """A field's value as the merge dialog and the dry run show it (in the interface
    language: yes / no, the kind of customer)."""
    if name in REFERENCE_FIELDS:
        return _related_name(name, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "kind" and value in KIND_NAMES:
        return _(KIND_NAMES[value])
    return audit.as_text(value) or ""


KIND_NAMES = {"consumer": N_("consumer"), "company": N_("company")}


@dataclass
class FieldChoice:
    name: str
    label: str
    values: list[Any]  # one per customer, the survivor first
    texts: list[str]
    chosen: int  # index into values

    @property
    def differs(self) -> bool:
        return len({t for t in self.texts}) > 1


@dataclass
class MergePlan:
    keep: Customer
    others: list[Customer]
    fields: list[FieldChoice]
    moves: dict[str, int] = field(default_factory=dict)  # label → rows of the others

    @property
    def customers(self) -> list[Customer]:
        return [self.keep, *self.others]

    def changes(self) -> dict[str, Any]:
        """The survivor's fields that take another customer's value."""
        return {f.name: f.values[f.chosen] for f in self.fields if f.chosen and
                records._same(f.values[f.chosen], f.values[0]) is False}


def _alive(customer_id: int) -> Customer:
    rec = Customer.get_or_none(Customer.id == int(customer_id))
    if rec is None:
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id))
    if rec.deleted_at is not None:
        raise ServiceError(_("The customer {name} ({number}) is deleted; restore it first.").format(name=rec.name, number=rec.number))
    return rec


def plan_merge(
    keep_id: int, other_ids: list[int], choices: dict[str, int] | None = None
) -> MergePlan:
    """What merging would do: every field with its candidates and the chosen one, and how
    many rows of each kind move.  ``choices`` maps a field to the index of the customer
    whose value survives (0 = the survivor, 1 = the first other, …)."""
    others_ids = list(dict.fromkeys(int(i) for i in other_ids))
    if not others_ids:
        raise ServiceError(_("Choose at least one other customer to merge."))
    if int(keep_id) in others_ids:
        raise ServiceError(_("A customer cannot be merged with itself."))
    keep = _alive(keep_id)
    others = [_alive(i) for i in others_ids]
    everyone = [keep, *others]
    from tradium_tui.services.history import field_label

    fields: list[FieldChoice] = []
    for name in MERGE_FIELDS:
        values = [_value(c, name) for c in everyone]
        chosen = 0
        if _empty(values[0]) and _fits(name, keep.kind):
            chosen = next((i for i, v in enumerate(values) if not _empty(v)), 0)
        if choices and name in choices:
            wanted = int(choices[name])
            if not 0 <= wanted < len(everyone):
                raise ServiceError(_("There is no customer {value} to take {name} from.").format(value=wanted + 1, name=name))
            chosen = wanted
        fields.append(FieldChoice(name, field_label(name), values,
                                  [display(name, v) for v in values], chosen))
    if choices:
        unknown = sorted(set(choices) - set(MERGE_FIELDS))
        if unknown:
            raise ServiceError(_("Not a field that can be merged: {fields}.").format(fields=', '.join(unknown)))
    moves: dict[str, int] = {}
    for ref in customer_references():
        count = ref.model.select().where(ref.field.in_(others_ids)).count()
        if count:
            moves[ref.label] = moves.get(ref.label, 0) + count
    return MergePlan(keep, others, fields, moves)



def describe_customers(ids: list[int]) -> list[tuple[int, int, str]]:
    """(id, number, name) of the live customers among ``ids``, in the order given."""
    found = {c.id: c for c in Customer.select(Customer.id, Customer.number, Customer.name)
             .where(Customer.id.in_([int(i) for i in ids]) & Customer.deleted_at.is_null())}
    return [(found[i].id, found[i].number, found[i].name) for i in ids if i in found]

