"""Step 6: invoices from orders — invoiced quantities, invoice lines, totals per VAT rate,
credit notes.

Invoices stored before this step have no VAT rows; :func:`adopt_older_invoices` gives them
theirs, by the arithmetic invoices had then (written out here, so that it stays what it
was): a line's net amount is quantity × price × (1 − discount/100) rounded half-up to
cents; per rate the net amounts are summed and the VAT is base × rate / 100 rounded
half-up to cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import peewee

from tradium_tui.db import is_sqlite
from tradium_tui.db.migrations import tables

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
BATCH = 500


def apply(db: peewee.Database) -> None:
    def add(table: str, column: str, sqlite_type: str, pg_type: str) -> None:
        if column not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(
                f"ALTER TABLE {table} ADD COLUMN {column} {sqlite_type if is_sqlite(db) else pg_type}"
            )

    add("order_line", "invoiced_quantity", "DECIMAL(14, 3) NOT NULL DEFAULT 0",
        "NUMERIC(14, 3) NOT NULL DEFAULT 0")
    add("invoice", "payment_term_days", "INTEGER", "INTEGER")
    add("invoice", "credited_invoice_id", "INTEGER REFERENCES invoice (id) ON DELETE RESTRICT",
        "INTEGER REFERENCES invoice (id) ON DELETE RESTRICT")
    db.execute_sql("CREATE INDEX IF NOT EXISTS invoice_credited_invoice_id "
                   "ON invoice (credited_invoice_id)")
    tables.create(db, ["invoice_line", "invoice_vat"])
    # Older invoices: a credit note was a negative invoice; totals per rate from the order.
    adopt_older_invoices(db)


def _decimal(value: Any) -> Decimal:
    """A stored number as a Decimal (SQLite hands back int, float or text)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def _cents(value: Any) -> Decimal:
    return _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _totals(lines: list[tuple]) -> tuple[Decimal, Decimal, list[tuple[Decimal, Decimal, Decimal]]]:
    """(net, VAT, [(rate, base, vat) per rate, lowest rate first]) of order lines given as
    (quantity, unit_price, discount_percent, vat_rate)."""
    bases: dict[Decimal, Decimal] = {}
    for quantity, price, discount, rate in lines:
        net = _cents(_decimal(quantity) * _decimal(price) * (HUNDRED - _decimal(discount)) / HUNDRED)
        key = _decimal(rate).normalize()
        bases[key] = bases.get(key, Decimal(0)) + net
    rows = [(rate, _cents(base), _cents(base * rate / HUNDRED)) for rate, base in sorted(bases.items())]
    return (_cents(sum((r[1] for r in rows), Decimal(0))),
            _cents(sum((r[2] for r in rows), Decimal(0))), rows)


def adopt_older_invoices(db: peewee.Database) -> int:
    """Give invoices without VAT rows their rows: from their order's lines when those add
    up to the invoice (the lines are then kept with the invoice and count as invoiced on
    the order), else one row at the rate the amounts show.  Returns how many it completed."""
    mark = db.param
    missing = db.execute_sql(
        "SELECT i.id, i.order_id, i.amount_excl, i.vat_amount, i.status, i.credited_invoice_id "
        "FROM invoice i WHERE NOT EXISTS (SELECT 1 FROM invoice_vat v WHERE v.invoice_id = i.id) "
        "ORDER BY i.id"
    ).fetchall()
    if not missing:
        return 0
    order_ids = sorted({row[1] for row in missing if row[1] is not None})
    by_order: dict[int, list[tuple]] = {}
    for start in range(0, len(order_ids), BATCH):
        chunk = order_ids[start:start + BATCH]
        for row in db.execute_sql(
            "SELECT order_id, position, article, description, quantity, unit_price, "
            "discount_percent, vat_rate, invoiced_quantity FROM order_line "
            f"WHERE order_id IN ({', '.join([mark] * len(chunk))}) "
            "ORDER BY order_id, position, id",
            chunk,
        ).fetchall():
            by_order.setdefault(row[0], []).append(row)
    taken: set[int] = set()
    vat_rows: list[tuple] = []
    line_rows: list[tuple] = []
    for invoice_id, order_id, amount_excl, vat_amount, status, credited_id in missing:
        lines = by_order.get(order_id, []) if order_id is not None else []
        excl, vat, per_rate = _totals([(q, p, d, r) for _, _, _, _, q, p, d, r, _ in lines])
        counts = (
            bool(lines) and order_id not in taken and credited_id is None
            and status != "cancelled" and excl == _cents(amount_excl) and vat == _cents(vat_amount)
            and not any(_decimal(line[8]) for line in lines)
        )
        if counts:
            taken.add(order_id)
            vat_rows.extend((invoice_id, rate, base, tax) for rate, base, tax in per_rate)
            line_rows.extend(
                (invoice_id, number, position, article, description, quantity, price, discount,
                 rate)
                for number, (_, position, article, description, quantity, price, discount, rate, _)
                in enumerate(lines, start=1)
            )
        else:
            base, tax = _cents(amount_excl), _cents(vat_amount)
            rate = (tax * 100 / base).quantize(CENT) if base else Decimal(0)
            vat_rows.append((invoice_id, rate, base, tax))
    _insert(db, "invoice_vat", ("invoice_id", "rate", "base", "vat"), vat_rows)
    _insert(db, "invoice_line", ("invoice_id", "position", "order_position", "article",
                                 "description", "quantity", "unit_price", "discount_percent",
                                 "vat_rate"), line_rows)
    orders = sorted(taken)
    for start in range(0, len(orders), BATCH):
        chunk = orders[start:start + BATCH]
        db.execute_sql(
            "UPDATE order_line SET invoiced_quantity = quantity "
            f"WHERE order_id IN ({', '.join([mark] * len(chunk))})",
            chunk,
        )
    return len(missing)


def _insert(db: peewee.Database, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    marks = "(" + ", ".join([db.param] * len(columns)) + ")"
    per = max(1, BATCH // len(columns))  # stay far below the drivers' parameter limits
    for start in range(0, len(rows), per):
        chunk = rows[start:start + per]
        db.execute_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([marks] * len(chunk))}",
            [value for row in chunk for value in row],
        )
