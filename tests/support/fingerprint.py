"""Helpers of the abuse and property tests: a fingerprint of every table."""

from __future__ import annotations

import hashlib

import peewee

from tradium_tui.models import ALL_MODELS


def fingerprint() -> str:
    """A digest of every row of every table (ordered by primary key)."""
    digest = hashlib.sha256()
    for model in sorted(ALL_MODELS, key=lambda m: m._meta.table_name):
        digest.update(model._meta.table_name.encode())
        query = model.select().tuples()
        pk = model._meta.primary_key
        if pk is not None and not isinstance(pk, peewee.CompositeKey):
            query = query.order_by(pk)
        else:
            query = query.order_by(*model._meta.sorted_fields)
        for row in query:
            digest.update(repr(row).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()
