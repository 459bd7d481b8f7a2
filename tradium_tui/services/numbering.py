"""Race-free numbering: customer numbers, quote, order and invoice numbers.

A counter row is incremented with one ``UPDATE ... RETURNING`` statement, which the
database serialises; two users creating at once never get the same number.  Numbers
typed by hand or imported are skipped over when the counter reaches them.
"""

from __future__ import annotations

import peewee

from tradium_tui.db import database
from tradium_tui.i18n import _
from tradium_tui.models import Counter

DEFAULT_START = {
    "customer": 1000,
    "quote": 0,
    "order": 0,
    "invoice": 0,
}


def next_value(name: str) -> int:
    """Atomically increment and return the counter ``name``."""
    with database.atomic():
        query = (
            Counter.update(value=Counter.value + 1)
            .where(Counter.name == name)
            .returning(Counter.value)
        )
        row = query.execute()
        values = [r.value for r in row] if not isinstance(row, int) else []
        if values:
            return int(values[0])
        try:
            with database.atomic():
                Counter.insert(name=name, value=DEFAULT_START.get(name, 0)).execute()
        except peewee.IntegrityError:
            pass  # created by a concurrent caller
        row = query.clone().execute()
        return int(next(iter(row)).value)


def raise_to(name: str, value: int) -> None:
    """Make sure the counter ``name`` is at least ``value`` (after a hand-set number)."""
    with database.atomic():
        updated = Counter.update(value=value).where(
            (Counter.name == name) & (Counter.value < value)
        ).execute()
        if not updated and not Counter.select().where(Counter.name == name).exists():
            try:
                with database.atomic():
                    Counter.insert(name=name, value=value).execute()
            except peewee.IntegrityError:
                raise_to(name, value)


def next_customer_number() -> int:
    from tradium_tui.models import Customer

    while True:
        number = next_value("customer")
        if not Customer.select().where(Customer.number == number).exists():
            return number


def next_document_number(kind: str, prefix: str, year: int) -> str:
    """E.g. ``next_document_number('invoice', 'F', 2026)`` → ``'F2026-000123'``."""
    return f"{prefix}{year}-{next_value(kind):06d}"


def next_yearly_number(kind: str, prefix: str, year: int, model: type[peewee.Model]) -> str:
    """The next number of ``kind`` in ``year`` (``F2026-000001`` …): one counter per year,
    so each year's numbers run from 1 without gaps.

    Call it inside the transaction that stores the document: the counter's row stays
    locked until that transaction ends (other writers wait), and a rollback gives the
    number back, so a failed save never leaves a hole in the sequence.  A year's counter
    starts after the highest number of that year already stored (older data, a demo).
    """
    name = f"{kind}-{year}"
    start = f"{prefix}{year}-"
    with database.atomic():
        query = (
            Counter.update(value=Counter.value + 1)
            .where(Counter.name == name)
            .returning(Counter.value)
        )
        values = [int(r.value) for r in query.execute()]
        if not values:
            highest = (
                model.select(peewee.fn.MAX(model.number))
                .where(model.number.startswith(start))
                .scalar()
            )
            tail = (highest or "")[len(start):]
            try:
                with database.atomic():
                    Counter.insert(name=name, value=int(tail) if tail.isdigit() else 0).execute()
            except peewee.IntegrityError:
                pass  # created by a concurrent caller
            values = [int(r.value) for r in query.clone().execute()]
        value = values[0]
        # The shared counter a demo seed continues from stays ahead of every year's numbers.
        raise_to(kind, value)
        return f"{start}{value:06d}"


def reserve_block(name: str, count: int) -> int:
    """Atomically take ``count`` consecutive values of the counter ``name`` at once.

    Returns the first; the block is ``first … first + count - 1``.  For bulk imports:
    one statement instead of one per record.
    """
    if count < 1:
        raise ValueError(_("count must be at least 1"))
    with database.atomic():
        query = (
            Counter.update(value=Counter.value + count)
            .where(Counter.name == name)
            .returning(Counter.value)
        )
        values = [int(r.value) for r in query.execute()]
        if not values:
            try:
                with database.atomic():
                    Counter.insert(name=name, value=DEFAULT_START.get(name, 0)).execute()
            except peewee.IntegrityError:
                pass  # created by a concurrent caller
            values = [int(r.value) for r in query.clone().execute()]
        return values[0] - count + 1
