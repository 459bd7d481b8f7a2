"""Merged customers: the numbers they leave behind and what undoing a merge needs."""

from __future__ import annotations

import peewee

from tradium_tui.models.base import BaseModel, utcnow
from tradium_tui.models.customer import Customer


class CustomerAlias(BaseModel):
    """A merged-away customer's number (and reference): search, scans and the accounting
    export find the surviving customer by it."""

    number = peewee.BigIntegerField(unique=True)
    reference = peewee.CharField(max_length=64, null=True, index=True)
    customer = peewee.ForeignKeyField(Customer, backref="aliases", on_delete="CASCADE")
    merge_id = peewee.BigIntegerField(null=True, index=True)
    created_at = peewee.DateTimeField(default=utcnow)


class CustomerMerge(BaseModel):
    """One merge of ``other_id`` into ``keep_id``: ``undo_state`` (JSON) holds what undo
    puts back; it is emptied when undo is no longer allowed (anonymisation)."""

    keep_id = peewee.BigIntegerField(index=True)
    other_id = peewee.BigIntegerField(index=True)
    other_number = peewee.BigIntegerField()
    username = peewee.CharField(max_length=64)
    merged_at = peewee.DateTimeField(default=utcnow)
    # The last audit row the merge wrote: later rows of either customer block an undo.
    last_audit_id = peewee.BigIntegerField(default=0)
    undo_state = peewee.TextField(default="")
    undone_at = peewee.DateTimeField(null=True)
    undone_by = peewee.CharField(max_length=64, default="")
