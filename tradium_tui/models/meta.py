"""Schema bookkeeping, counters, settings and custom field definitions."""

from __future__ import annotations

import peewee

from tradium_tui.models.base import BaseModel, utcnow


class SchemaVersion(BaseModel):
    version = peewee.IntegerField(primary_key=True)
    description = peewee.CharField()
    applied_at = peewee.DateTimeField(default=utcnow)


class Counter(BaseModel):
    """Named sequences (customer numbers, quote/order/invoice numbers).

    Incremented with a single ``UPDATE ... RETURNING``: atomic on every backend.
    """

    name = peewee.CharField(primary_key=True, max_length=40)
    value = peewee.BigIntegerField(default=0)


class Setting(BaseModel):
    key = peewee.CharField(primary_key=True, max_length=80)
    value = peewee.TextField()


class CustomFieldDef(BaseModel):
    """Admin-defined labels for the seven variable customer fields.

    Slot 0 is numeric (``Customer.custom_num``); slots 1–6 are text or a choice list
    (``Customer.custom_1`` … ``custom_6``).
    """

    slot = peewee.IntegerField(primary_key=True)
    label = peewee.CharField(max_length=60)
    kind = peewee.CharField(max_length=10, default="text")  # number | text | choice
    choices = peewee.TextField(default="")  # one choice per line
    active = peewee.BooleanField(default=True)
