"""Base model and shared field helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP

import peewee

from tradium_tui.db import database


def utcnow() -> datetime:
    """Naive UTC timestamp (stored as UTC on every backend)."""
    return datetime.now(UTC).replace(tzinfo=None)


def MoneyField(**kwargs) -> peewee.DecimalField:  # noqa: N802 - reads like a field class
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("auto_round", True)
    kwargs.setdefault("rounding", ROUND_HALF_UP)  # commercial rounding, as the services do
    return peewee.DecimalField(**kwargs)


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class VersionedModel(BaseModel):
    """A record edited by people: optimistic-lock version and timestamps."""

    version = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
