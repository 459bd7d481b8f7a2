"""Helpers for the merge, GDPR and copy tests: a row in every table that points at a
customer (built from the model's fields, so a new model is covered without editing this),
and a fingerprint of the whole database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import peewee

from tradium_tui.db import database
from tradium_tui.models import ALL_MODELS, AuditRecord, Customer, Role, User

_serial = itertools.count(1)


def make_row(model: type[peewee.Model], customer_id: int, **given) -> peewee.Model:
    """A row of ``model`` with every required field filled; foreign keys to a customer point
    at ``customer_id``, other foreign keys at a new row of their own."""
    values: dict[str, object] = {}
    for fld in model._meta.sorted_fields:
        if fld.primary_key and isinstance(fld, peewee.AutoField) or fld.name in given:
            continue
        if isinstance(fld, peewee.ForeignKeyField):
            if fld.rel_model is Customer:
                values[fld.name] = customer_id
            elif not fld.null:
                values[fld.name] = _other_row(fld.rel_model, customer_id)
            continue
        if fld.null or fld.default is not None:
            continue
        n = next(_serial)
        if isinstance(fld, peewee.BooleanField):
            values[fld.name] = False
        elif isinstance(fld, peewee.DateTimeField):
            values[fld.name] = dt.datetime(2026, 1, 1, 12, 0)
        elif isinstance(fld, peewee.DateField):
            values[fld.name] = dt.date(2026, 1, 1)
        elif isinstance(fld, peewee.DecimalField):
            values[fld.name] = Decimal("1")
        elif isinstance(fld, (peewee.IntegerField, peewee.BigIntegerField)):
            values[fld.name] = 900_000 + n
        else:
            values[fld.name] = f"row {n}"
    values.update(given)
    return model.create(**values)


def _other_row(model: type[peewee.Model], customer_id: int) -> int:
    if model is User:
        n = next(_serial)
        return User.create(username=f"user{n}", role=Role.get(Role.name == "sales")).id
    return make_row(model, customer_id).get_id()


def customer_models() -> list[tuple[type[peewee.Model], peewee.ForeignKeyField]]:
    return [
        (model, fld) for model in ALL_MODELS if model is not Customer
        for fld in model._meta.sorted_fields
        if isinstance(fld, peewee.ForeignKeyField) and fld.rel_model is Customer
    ]


def fingerprint(audit_upto: int | None = None, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (and the trigger-kept revenue tables), in key order;
    audit rows only up to ``audit_upto`` when given; tables in ``skip`` left out."""
    out: dict[str, list[tuple]] = {}
    for model in ALL_MODELS:
        if model._meta.table_name in skip:
            continue
        query = model.select().order_by(*[f.asc() for f in _key(model)])
        if model is AuditRecord and audit_upto is not None:
            query = query.where(AuditRecord.id <= audit_upto)
        out[model._meta.table_name] = [
            tuple(_norm(v) for v in row) for row in query.tuples()
        ]
    for table, key in (("customer_revenue", "customer_id"), ("revenue_bucket", "bucket")):
        rows = database.execute_sql(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        out[table] = [tuple(_norm(v) for v in row) for row in rows]
    return out


def _key(model):
    pk = model._meta.primary_key
    if isinstance(pk, peewee.CompositeKey):
        return [model._meta.fields[n] for n in pk.field_names]
    return [pk]


def _norm(value):
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, float):
        return Decimal(str(value)).normalize()
    return value


def max_audit_id() -> int:
    return AuditRecord.select(peewee.fn.MAX(AuditRecord.id)).scalar() or 0
