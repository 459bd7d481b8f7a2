"""Undoing a merge: while neither customer has had new audited activity since, every
row goes back exactly as it was."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

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
from tradium_tui.services import audit
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound, ServiceError
from tradium_tui.services.merge.images import _from_image, _model_by_table


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

