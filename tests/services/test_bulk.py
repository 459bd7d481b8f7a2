"""The bulk writer: rows come back exactly as written, hostile text included, on both backends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tradium_tui.db import bulk
from tradium_tui.models import Condition, Customer, Note

HOSTILE = [
    "plain",
    "",
    "\\N",
    "back\\slash \\t not a tab",
    "tab\there",
    "two\nlines\r\nand a carriage return\r",
    'quote " and "" double, comma; semicolon',
    "Ünïcødé ß ø – ‘’ 😀",
]


def test_rows_come_back_as_written(database, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_ROWS", 3)  # several COPY statements for one call
    customer = Customer.create(number=1, name="Bulk BV")
    at = dt.datetime(2025, 6, 15, 9, 30, 5, 123456)
    notes = [(customer.id, text, i % 2 == 0, 1, at, at) for i, text in enumerate(HOSTILE)]
    columns = bulk.column_names(Note, ("customer", "text", "pinned", "version", "created_at",
                                       "updated_at"))
    assert columns[0] == "customer_id"
    assert bulk.bulk_insert(Note, columns, notes) == len(HOSTILE)
    stored = list(Note.select(Note.text, Note.pinned, Note.created_at).order_by(Note.id).tuples())
    assert stored == [(text, i % 2 == 0, at) for i, text in enumerate(HOSTILE)]

    conditions = [
        (customer.id, "price", "A-1", "", "Net\tprice", Decimal("12.50"), None, None,
         dt.date(2025, 1, 31), None, 1, at, at),
        (customer.id, "payment_term", "", "", "", None, Decimal("7.5"), 45, None,
         dt.date(2026, 2, 28), 1, at, at),
    ]
    columns = bulk.column_names(Condition, (
        "customer", "kind", "article", "article_group", "description", "price",
        "discount_percent", "payment_term_days", "valid_from", "valid_until", "version",
        "created_at", "updated_at"))
    assert bulk.bulk_insert(Condition, columns, conditions) == 2
    stored = list(Condition.select(
        Condition.description, Condition.price, Condition.discount_percent,
        Condition.payment_term_days, Condition.valid_from, Condition.valid_until,
    ).order_by(Condition.id).tuples())
    assert stored == [
        ("Net\tprice", Decimal("12.50"), None, None, dt.date(2025, 1, 31), None),
        ("", None, Decimal("7.5"), 45, None, dt.date(2026, 2, 28)),
    ]


def test_nothing_to_write(database):
    assert bulk.bulk_insert(Note, ("customer_id", "text"), []) == 0
    assert not Note.select().exists()
