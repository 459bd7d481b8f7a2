"""Row images: a row as JSON-safe values and back, kept so an undo can put every
row back exactly as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.i18n import _
from tradium_tui.models import (
    ALL_MODELS,
)
from tradium_tui.services.errors import ServiceError


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

