"""The audit trail: who changed which field of which record, from what to what."""

from __future__ import annotations

import peewee

from tradium_tui.models.base import BaseModel, utcnow


class AuditRecord(BaseModel):
    at = peewee.DateTimeField(default=utcnow)  # UTC; not indexed: queries go by customer or record
    username = peewee.CharField(max_length=64)
    # The customer this change belongs to (for the History tab); null for users/roles etc.
    customer_id = peewee.BigIntegerField(null=True, index=True)
    table = peewee.CharField(max_length=40)
    record_id = peewee.BigIntegerField()
    action = peewee.CharField(max_length=10)  # create | update | delete | restore
    # The record's version after this change (optimistic locking: conflicts are read here).
    version = peewee.IntegerField(default=0)
    field = peewee.CharField(max_length=60, default="")
    old_value = peewee.TextField(null=True)
    new_value = peewee.TextField(null=True)

    class Meta:
        indexes = ((("table", "record_id"), False),)
