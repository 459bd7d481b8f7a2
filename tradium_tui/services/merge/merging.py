"""Carrying out a merge: one transaction per merged-away customer, the rows moved,
the fields chosen, the old number kept as an alias, the audit entries written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    AuditRecord,
    Contact,
    Customer,
    CustomerAlias,
    CustomerMerge,
    utcnow,
)
from tradium_tui.services import audit, records
from tradium_tui.services.access import Actor
from tradium_tui.services.merge.images import row_image
from tradium_tui.services.merge.planning import MergePlan, plan_merge
from tradium_tui.services.merge.references import PRIMARY, customer_references


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

