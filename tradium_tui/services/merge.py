"""Merging duplicate customers into one, and undoing a merge.

Everything that belongs to the merged-away customer moves to the survivor.  Which tables
that is, is found from the models: every model in :data:`ALL_MODELS` with a foreign key to
:class:`Customer` is moved (an ``UPDATE`` of that key).  Where a unique index holds the key
together with other columns (a user's mark or recent list, a tag), a row the survivor
already has the same of is removed instead and kept for undo.  :data:`RULES` names the
decision for every table known today; a test fails when a model with a customer key is
added without a decision here.

Per field the survivor keeps its own value unless asked otherwise; an empty field is filled
from the other customer (not with a field of the other kind: see :data:`KIND_FIELDS`).  The merged-away customer is soft-deleted and its number (and
reference) kept as a :class:`CustomerAlias` of the survivor, so a search or scan of the old
number finds the survivor and the accounting export can map the old number.  Invoices move
too; their snapshot of the customer (number, name, address, VAT number) stays as issued.

One transaction per merge, the base-data right, one ``merge`` audit entry on each customer
(the survivor's lists every changed field and what moved).  :func:`undo_merge` puts every row
back exactly as it was, as long as neither customer has had new audited activity since.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import N_, _
from tradium_tui.models import (
    ALL_MODELS,
    AuditRecord,
    ConditionGroup,
    Contact,
    Customer,
    CustomerAlias,
    CustomerGroup,
    CustomerMerge,
    PriceList,
    User,
    utcnow,
)
from tradium_tui.services import audit, records
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_rules import COMPUTED_FIELDS, EDITABLE_FIELDS, REFERENCE_FIELDS
from tradium_tui.services.errors import NotFound, ServiceError

# --------------------------------------------------------------------------- what moves

MOVE = "move"  # every row follows the survivor
UNIQUE = "unique"  # move, except rows the survivor already has (removed, kept for undo)
PRIMARY = "move, one primary"  # contacts: the survivor's primary contact stays the only one

# The decision for every table with a foreign key to the customer.
RULES: dict[str, str] = {
    "customer_tag": UNIQUE,
    "mark": UNIQUE,
    "recent_customer": UNIQUE,
    "contact": PRIMARY,
    "action": MOVE,
    "note": MOVE,
    "quote": MOVE,
    "order": MOVE,
    "invoice": MOVE,  # the invoice's customer snapshot stays as issued
    "condition": MOVE,
    "customer_alias": MOVE,  # aliases of earlier merges follow too
}

# What moves, as the merge dialog names it ("orders: 3"; translated where it is shown).
LABELS: dict[str, str] = {
    "customer_tag": N_("tags"), "mark": N_("marks"), "recent_customer": N_("recent-list entries"),
    "contact": N_("contacts"), "action": N_("actions"), "note": N_("notes"), "quote": N_("quotes"),
    "order": N_("orders"), "invoice": N_("invoices"), "condition": N_("conditions"),
    "customer_alias": N_("earlier numbers"),
}


@dataclass(frozen=True)
class Reference:
    model: type[peewee.Model]
    field: peewee.ForeignKeyField
    # Other columns of a unique index holding the customer key (empty: none).
    unique_with: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.model._meta.table_name

    @property
    def rule(self) -> str:
        return RULES.get(self.table) or (UNIQUE if self.unique_with else MOVE)

    @property
    def label(self) -> str:
        return LABELS.get(self.table, self.table.replace("_", " "))


def customer_references() -> list[Reference]:
    """Every (model, foreign key) that points at a customer, from :data:`ALL_MODELS`."""
    found: list[Reference] = []
    for model in ALL_MODELS:
        if model is Customer:
            continue
        for fld in model._meta.sorted_fields:
            if isinstance(fld, peewee.ForeignKeyField) and fld.rel_model is Customer:
                partners: tuple[str, ...] = ()
                for columns, unique in model._meta.indexes:
                    names = tuple(c if isinstance(c, str) else c.name for c in columns)
                    if unique and fld.name in names:
                        partners = tuple(n for n in names if n != fld.name)
                found.append(Reference(model, fld, partners))
    return found


# --------------------------------------------------------------------------- the fields

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


# --------------------------------------------------------------------------- row images


def _encode(fld: peewee.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, peewee.Model):
        return value.get_id()
    if isinstance(value, (dt.datetime, dt.date, Decimal)):
        return str(value) if not isinstance(value, dt.datetime) else value.isoformat()
    return value


def _decode(fld: peewee.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(fld, peewee.DateTimeField):
        return dt.datetime.fromisoformat(value)
    if isinstance(fld, peewee.DateField):
        return dt.date.fromisoformat(value)
    if isinstance(fld, peewee.DecimalField):
        return Decimal(value)
    return value


def row_image(model: type[peewee.Model], row: peewee.Model) -> dict[str, Any]:
    return {f.name: _encode(f, row.__data__.get(f.name)) for f in model._meta.sorted_fields}


def _from_image(model: type[peewee.Model], image: dict[str, Any]) -> dict[peewee.Field, Any]:
    fields = model._meta.fields
    return {fields[name]: _decode(fields[name], value) for name, value in image.items()
            if name in fields}


def _model_by_table(table: str) -> type[peewee.Model]:
    for model in ALL_MODELS:
        if model._meta.table_name == table:
            return model
    raise ServiceError(_("The table {table} of this merge no longer exists; it cannot be undone.").format(table=table))


# --------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    plan: MergePlan
    merge_ids: list[int]
    dry_run: bool = False

    def summary(self) -> str:
        keep = self.plan.keep
        names = ", ".join(f"{c.name} ({c.number})" for c in self.plan.others)
        moved = ", ".join(f"{n} {_(label)}" for label, n in self.plan.moves.items()) or _("nothing")
        changed = ", ".join(_(f.label) for f in self.plan.fields if f.name in self.plan.changes())
        values = {"names": names, "name": keep.name, "number": keep.number, "moved": moved,
                  "fields": changed}
        if self.dry_run and changed:
            text = _("Would merge {names} into {name} ({number}); moved: {moved}; fields taken "
                     "over: {fields}.")
        elif self.dry_run:
            text = _("Would merge {names} into {name} ({number}); moved: {moved}.")
        elif changed:
            text = _("Merged {names} into {name} ({number}); moved: {moved}; fields taken over: "
                     "{fields}.")
        else:
            text = _("Merged {names} into {name} ({number}); moved: {moved}.")
        return text.format(**values)


def merge_customers(
    actor: Actor,
    keep_id: int,
    other_ids: list[int],
    choices: dict[str, int] | None = None,
    *,
    dry_run: bool = False,
) -> MergeResult:
    """Merge ``other_ids`` into ``keep_id`` in one transaction (see the module text)."""
    actor.require_base_edit()
    plan = plan_merge(keep_id, other_ids, choices)
    if dry_run:
        return MergeResult(plan, [], dry_run=True)
    merge_ids: list[int] = []
    with write_transaction():
        plan = plan_merge(keep_id, other_ids, choices)  # read again inside the lock
        values = plan.changes()
        taken_reference = "reference" in values
        for index, other in enumerate(plan.others, start=1):
            merge_ids.append(_merge_one(actor, plan, other, index, values, taken_reference))
        if len(merge_ids) > 1:
            # Merged together, undone together: each merge knows the others of its batch.
            for merge in CustomerMerge.select().where(CustomerMerge.id.in_(merge_ids)):
                state = json.loads(merge.undo_state)
                state["batch"] = merge_ids
                CustomerMerge.update(undo_state=json.dumps(state, ensure_ascii=False)).where(
                    CustomerMerge.id == merge.id).execute()
    return MergeResult(plan, merge_ids)


def _merge_one(actor: Actor, plan: MergePlan, other: Customer, index: int,
               values: dict[str, Any], taken_reference: bool) -> int:
    keep = Customer.get_by_id(plan.keep.id)
    other = Customer.get_by_id(other.id)
    now = utcnow()
    merge = CustomerMerge.create(keep_id=keep.id, other_id=other.id, other_number=other.number,
                                 username=actor.username, merged_at=now)
    state: dict[str, Any] = {
        "keep": row_image(Customer, keep), "other": row_image(Customer, other),
        "moved": {}, "removed": {}, "unset_primary": [], "aliases": [],
    }
    # Fields this customer gives the survivor (the others' choices wait for their turn).
    mine = {
        f.name: f.values[f.chosen] for f in plan.fields
        if f.name in values and plan.customers[f.chosen].id == other.id
    }
    # The merged-away customer leaves first: a reference it gives away must be free.
    other_changes: dict[str, tuple[Any, Any]] = {"deleted_at": (None, now),
                                                 "merged_into": (None, f"{keep.name} ({keep.number})")}
    update: dict[Any, Any] = {Customer.deleted_at: now, Customer.version: other.version + 1,
                              Customer.updated_at: now}
    if "reference" in mine and other.reference:
        update[Customer.reference] = None
        other_changes["reference"] = (other.reference, None)
    Customer.update(update).where(Customer.id == other.id).execute()
    audit.record(actor.username, "customer", other.id, "merge", other_changes,
                 customer_id=other.id, version=other.version + 1, at=now)

    moved_counts: dict[str, int] = {}
    keep_has_primary = Contact.select().where(
        (Contact.customer == keep.id) & Contact.is_primary).exists()
    for ref in customer_references():
        model, fk = ref.model, ref.field
        pk = model._meta.primary_key
        ids = [i for (i,) in model.select(pk).where(fk == other.id).order_by(pk).tuples()]
        if not ids:
            continue
        if ref.unique_with:
            cols = [model._meta.fields[n] for n in ref.unique_with]
            have = set(model.select(*cols).where(fk == keep.id).tuples())
            clash = [row for row in model.select().where(pk.in_(ids))
                     if tuple(row.__data__.get(c.name) for c in cols) in have]
            if clash:
                state["removed"].setdefault(ref.table, []).extend(
                    row_image(model, row) for row in clash)
                gone = [row.get_id() for row in clash]
                model.delete().where(pk.in_(gone)).execute()
                ids = [i for i in ids if i not in set(gone)]
        if ref.rule == PRIMARY and keep_has_primary and ids:
            primaries = [i for (i,) in model.select(pk).where(pk.in_(ids) & model.is_primary)
                         .tuples()]
            if primaries:
                model.update(is_primary=False).where(pk.in_(primaries)).execute()
                state["unset_primary"] = primaries
        if ids:
            for start in range(0, len(ids), 500):
                model.update({fk: keep.id}).where(pk.in_(ids[start:start + 500])).execute()
            state["moved"].setdefault(ref.table, {})[fk.name] = ids
        total = len(ids) + len(state["removed"].get(ref.table, []))
        moved_counts[ref.label] = moved_counts.get(ref.label, 0) + total

    alias = CustomerAlias.create(number=other.number, reference=other.reference,
                                 customer=keep.id, merge_id=merge.id, created_at=now)
    state["alias"] = alias.id

    extra = {"merged_customer": (None, f"{other.name} ({other.number})")}
    extra |= {f"moved {label}": (None, str(n)) for label, n in moved_counts.items()}
    from tradium_tui.services.customers import CUSTOMER_SPEC

    records.update(actor, CUSTOMER_SPEC, keep.id, mine, keep.version, action="merge",
                   extra_changes=extra)
    last = AuditRecord.select(peewee.fn.MAX(AuditRecord.id)).scalar() or 0
    CustomerMerge.update(last_audit_id=last, undo_state=json.dumps(state, ensure_ascii=False)).where(
        CustomerMerge.id == merge.id).execute()
    return merge.id


# --------------------------------------------------------------------------- undo


@dataclass(frozen=True)
class MergeInfo:
    id: int
    keep_id: int
    other_id: int
    other_number: int
    other_name: str
    username: str
    merged_at: dt.datetime
    undone: bool
    blocked_by: str  # "" when undo is possible, else why not
    # (name, number) of every customer merged away in the same merge, in merge order: a
    # merge of several customers at once is one merge for undo too.
    merged: tuple[tuple[str, int], ...] = ()

    @property
    def names(self) -> str:
        """"Name (number)" of every customer merged away together, comma-separated."""
        pairs = self.merged or ((self.other_name, self.other_number),)
        return ", ".join(f"{name} ({number})" for name, number in pairs)


def _batch(merge: CustomerMerge) -> list[CustomerMerge]:
    """The merges made together with this one (itself included), oldest first."""
    ids = (json.loads(merge.undo_state).get("batch") if merge.undo_state else None) or []
    if len(ids) < 2:
        return [merge]
    rows = list(CustomerMerge.select().where(CustomerMerge.id.in_([int(i) for i in ids]))
                .order_by(CustomerMerge.id))
    return rows if any(r.id == merge.id for r in rows) else [merge]


def _why_not(merge: CustomerMerge) -> str:
    batch = _batch(merge)
    undone = next((m for m in batch if m.undone_at is not None), None)
    if undone is not None:
        return _("This merge was already undone by {user}.").format(user=undone.undone_by)
    if not all(m.undo_state for m in batch):
        return _("This merge can no longer be undone: the merged data were anonymised.")
    customers = {merge.keep_id} | {m.other_id for m in batch} | {m.keep_id for m in batch}
    last_audit = max(m.last_audit_id for m in batch)
    later = (
        AuditRecord.select()
        .where((AuditRecord.id > last_audit) & AuditRecord.customer_id.in_(sorted(customers)))
        .order_by(AuditRecord.id).first()
    )
    if later is not None:
        from tradium_tui.services.history import ACTION_LABELS, record_label

        who = Customer.get_or_none(Customer.id == later.customer_id)
        name = f"{who.name} ({who.number})" if who else f"#{later.customer_id}"
        when = later.at.replace(microsecond=0).isoformat(sep=" ")
        action = _(ACTION_LABELS[later.action]) if later.action in ACTION_LABELS else later.action
        # TRANSLATORS: "since then anna changed Contact #12 of Jansen BV (1001) (2026-… UTC)".
        return _("This merge can no longer be undone: since then {user} {action} {record} of "
                 "{name} ({when} UTC).").format(
            user=later.username, action=action, record=record_label(later.table, later.record_id),
            name=name, when=when)
    return ""


def _merged_name(merge: CustomerMerge) -> str:
    state = json.loads(merge.undo_state) if merge.undo_state else {}
    name = (state.get("other") or {}).get("name") or ""
    if not name:
        other = Customer.get_or_none(Customer.id == merge.other_id)
        name = other.name if other else ""
    return name


def _info(merge: CustomerMerge) -> MergeInfo:
    batch = _batch(merge)
    merged = tuple((_merged_name(m), m.other_number) for m in batch) if len(batch) > 1 else ()
    return MergeInfo(merge.id, merge.keep_id, merge.other_id, merge.other_number,
                     _merged_name(merge), merge.username, merge.merged_at,
                     merge.undone_at is not None, _why_not(merge), merged)


def merges_of(customer_id: int) -> list[MergeInfo]:
    """The merges into this customer, newest first."""
    return [_info(m) for m in CustomerMerge.select().where(CustomerMerge.keep_id == customer_id)
            .order_by(CustomerMerge.id.desc())]


def last_merge(customer_id: int) -> MergeInfo | None:
    """The newest merge into this customer that is not undone (with the merges made together
    with it: they are undone together)."""
    row = (CustomerMerge.select().where((CustomerMerge.keep_id == customer_id)
                                        & CustomerMerge.undone_at.is_null())
           .order_by(CustomerMerge.id.desc()).first())
    return _info(row) if row else None


def undo_merge(actor: Actor, merge_id: int) -> MergeInfo:
    """Put the customers and every moved row back as they were before the merge.  A merge of
    several customers at once is undone as a whole, newest first, in one transaction."""
    actor.require_base_edit()
    with write_transaction():
        merge = CustomerMerge.get_or_none(CustomerMerge.id == int(merge_id))
        if merge is None:
            raise NotFound(_("There is no merge #{merge_id}.").format(merge_id=merge_id))
        reason = _why_not(merge)
        if reason:
            raise ServiceError(reason)
        for one in reversed(_batch(merge)):
            _undo_one(actor, one)
        merge = CustomerMerge.get_by_id(merge.id)
    return _info(merge)


def _undo_one(actor: Actor, merge: CustomerMerge) -> None:
    state = json.loads(merge.undo_state)
    CustomerAlias.delete().where(CustomerAlias.id == state["alias"]).execute()
    for table, by_field in state["moved"].items():
        model = _model_by_table(table)
        pk = model._meta.primary_key
        for name, ids in by_field.items():
            fk = model._meta.fields[name]
            for start in range(0, len(ids), 500):
                model.update({fk: merge.other_id}).where(pk.in_(ids[start:start + 500])).execute()
    if state["unset_primary"]:
        Contact.update(is_primary=True).where(Contact.id.in_(state["unset_primary"])).execute()
    for table, images in state["removed"].items():
        model = _model_by_table(table)
        for image in images:
            model.insert(_from_image(model, image)).execute()
    # The survivor first: a reference it took goes back to the other customer.
    for key in ("keep", "other"):
        image = dict(state[key])
        ident = image.pop("id")
        Customer.update(_from_image(Customer, image)).where(Customer.id == ident).execute()
    now = utcnow()
    keep_img, other_img = state["keep"], state["other"]
    audit.record(actor.username, "customer", merge.keep_id, "unmerge",
                 {"merged_customer": (f"{other_img['name']} ({other_img['number']})", None)},
                 customer_id=merge.keep_id, version=keep_img["version"], at=now)
    audit.record(actor.username, "customer", merge.other_id, "unmerge",
                 {"deleted_at": (now, None)}, customer_id=merge.other_id,
                 version=other_img["version"], at=now)
    CustomerMerge.update(undone_at=now, undone_by=actor.username, undo_state="").where(
        CustomerMerge.id == merge.id).execute()


def describe_customers(ids: list[int]) -> list[tuple[int, int, str]]:
    """(id, number, name) of the live customers among ``ids``, in the order given."""
    found = {c.id: c for c in Customer.select(Customer.id, Customer.number, Customer.name)
             .where(Customer.id.in_([int(i) for i in ids]) & Customer.deleted_at.is_null())}
    return [(found[i].id, found[i].number, found[i].name) for i in ids if i in found]


# --------------------------------------------------------------------------- aliases


def alias_customer(number: int) -> int | None:
    """The (not deleted) customer a merged-away number now belongs to."""
    row = (CustomerAlias.select(CustomerAlias.customer).join(Customer)
           .where((CustomerAlias.number == number) & Customer.deleted_at.is_null()).scalar())
    return int(row) if row is not None else None


def alias_reference_customer(reference: str) -> int | None:
    row = (CustomerAlias.select(CustomerAlias.customer).join(Customer)
           .where((CustomerAlias.reference == reference) & Customer.deleted_at.is_null())
           .order_by(CustomerAlias.id.desc()).scalar())
    return int(row) if row is not None else None


def alias_numbers() -> dict[int, int]:
    """Merged-away number → the number of the customer it belongs to now."""
    return {old: new for old, new in CustomerAlias.select(CustomerAlias.number, Customer.number)
            .join(Customer).tuples()}


def merged_into(customer_id: int) -> str:
    """"Name (number)" of the customer this one was merged into (not undone), else ""."""
    row = (CustomerMerge.select().where((CustomerMerge.other_id == customer_id)
                                        & CustomerMerge.undone_at.is_null())
           .order_by(CustomerMerge.id.desc()).first())
    if row is None:
        return ""
    keep = Customer.get_or_none(Customer.id == row.keep_id)
    return f"{keep.name} ({keep.number})" if keep else f"#{row.keep_id}"
