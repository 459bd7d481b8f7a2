"""Analysis speed: one customer with 10,000 orders, on SQLite and PostgreSQL.

    .venv/bin/python bench/analysis_bench.py [--orders N] [--lines N] [--others N]
        [--backend sqlite|postgresql|both] [--pg postgresql://postgres@127.0.0.1:55432/postgres]
        [--repeat N]

Builds one customer with ``--orders`` orders over the last eight years (``--lines``
lines each, with cost prices and discounts, one order in twenty cancelled), an invoice
per order (one in twenty-five a credit note, one in thirty cancelled, most paid), plus
``--others`` other customers with 50 orders each so the queries must pick the customer
out of a larger table.  Then it times, cold (first call) and warm (median of
``--repeat`` calls):

* ``compute_analysis``   — everything the Analysis tab shows,
* ``monthly_revenue``    — the Graph tab's 24 months with the year before,
* ``revenue_rank``       — the status-bar ranking by the same revenue definition.

For PostgreSQL it creates its own database on the server and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradium_tui import db as dbmod  # noqa: E402
from tradium_tui.db import schema  # noqa: E402
from tradium_tui.models import Customer, Invoice, Order, OrderLine  # noqa: E402
from tradium_tui.services import analysis  # noqa: E402

TODAY = date(2025, 6, 15)
ARTICLES = [(f"ART{i:04d}", f"Article {i}") for i in range(1, 401)]
BATCH = 2000


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        model.insert_many(rows[start : start + BATCH]).execute()


def build(orders: int, lines: int, others: int, seed: int = 7) -> int:
    """Create the data; returns the id of the big customer."""
    rng = random.Random(seed)
    big = Customer.create(number=1, name="Big Buyer BV")
    customers = [big] + [
        Customer.create(number=2 + i, name=f"Other customer {i}") for i in range(others)
    ]
    plan = [(big, orders)] + [(c, 50) for c in customers[1:]]
    first_day = TODAY - timedelta(days=8 * 365)
    span = (TODAY - first_day).days
    order_no = invoice_no = 0
    for customer, count in plan:
        with dbmod.database.atomic():
            order_rows = []
            for _ in range(count):
                order_no += 1
                order_rows.append({
                    "customer": customer.id,
                    "number": f"O{order_no:08d}",
                    "order_date": first_day + timedelta(days=rng.randrange(span + 1)),
                    "status": "cancelled" if rng.random() < 0.05 else "delivered",
                })
            _insert(Order, order_rows)
            saved = list(
                Order.select(Order.id, Order.order_date, Order.status)
                .where(Order.customer == customer.id)
                .tuples()
            )
            line_rows, invoice_rows = [], []
            for order_id, order_date, status in saved:
                order_date = (
                    order_date if isinstance(order_date, date) else date.fromisoformat(order_date)
                )
                total = Decimal("0")
                for position in range(lines):
                    article, description = ARTICLES[rng.randrange(len(ARTICLES))]
                    quantity = Decimal(rng.randint(1, 40))
                    price = _money(rng.uniform(2, 250))
                    discount = Decimal(rng.choice([0, 0, 0, 5, 10, 15]))
                    line_rows.append({
                        "order": order_id,
                        "position": position,
                        "article": article,
                        "description": description,
                        "quantity": quantity,
                        "unit_price": price,
                        "cost_price": _money(float(price) * rng.uniform(0.45, 0.85)),
                        "discount_percent": discount,
                    })
                    total += quantity * price * (100 - discount) / 100
                if status == "cancelled":
                    continue
                invoice_no += 1
                excl = _money(float(total))
                if rng.random() < 0.04:
                    excl = -_money(float(total) * 0.2)  # a credit note
                invoice_date = order_date + timedelta(days=rng.randint(0, 10))
                vat = _money(float(excl) * 0.21)
                paid = invoice_date <= TODAY - timedelta(days=60) and rng.random() < 0.95
                invoice_rows.append({
                    "customer": customer.id,
                    "number": f"F{invoice_no:08d}",
                    "order": order_id,
                    "invoice_date": invoice_date,
                    "due_date": invoice_date + timedelta(days=30),
                    "amount_excl": excl,
                    "vat_amount": vat,
                    "amount_incl": excl + vat,
                    "paid_amount": excl + vat if paid else Decimal("0"),
                    "paid_on": invoice_date + timedelta(days=rng.randint(5, 70)) if paid else None,
                    "status": "cancelled" if rng.random() < 0.033 else ("paid" if paid else "open"),
                    "customer_number": customer.number,
                    "customer_name": customer.name,
                })
            _insert(OrderLine, line_rows)
            _insert(Invoice, invoice_rows)
    return big.id


def _time(fn, repeat: int) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return cold * 1000, statistics.median(runs) * 1000


def run(url: str, label: str, args) -> None:
    schema.init(url)
    start = time.perf_counter()
    customer_id = build(args.orders, args.lines, args.others)
    built = time.perf_counter() - start
    if dbmod.is_postgres():
        dbmod.database.execute_sql("ANALYZE")
    counts = (
        Order.select().where(Order.customer == customer_id).count(),
        OrderLine.select().join(Order).where(Order.customer == customer_id).count(),
        Invoice.select().where(Invoice.customer == customer_id).count(),
        Order.select().count(),
    )
    print(f"\n{label}: customer with {counts[0]:,} orders, {counts[1]:,} lines, "
          f"{counts[2]:,} invoices ({counts[3]:,} orders in the table); built in {built:.1f} s")
    result = analysis.compute_analysis(customer_id, today=TODAY)
    print(f"  revenue all time {result.all_time.revenue}, this year {result.this_year.revenue}, "
          f"orders {result.all_time.orders}, margin {result.all_time.margin_percent} %, "
          f"days to pay {result.average_days_to_pay}")
    for name, fn in (
        ("compute_analysis", lambda: analysis.compute_analysis(customer_id, today=TODAY)),
        ("monthly_revenue (24 months)",
         lambda: analysis.monthly_revenue(customer_id, months=24, today=TODAY)),
        ("revenue_rank", lambda: analysis.revenue_rank(customer_id)),
    ):
        cold, warm = _time(fn, args.repeat)
        print(f"  {name:<30} cold {cold:8.1f} ms   warm median {warm:8.1f} ms")
    dbmod.database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--others", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg", default=os.environ.get("TRADIUM_TEST_PG_URL", ""),
                        help="PostgreSQL server URL (a database is created and dropped there)")
    args = parser.parse_args()

    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args)
    if args.backend in ("postgresql", "both"):
        if not args.pg:
            print("\nPostgreSQL: skipped (give --pg URL or set TRADIUM_TEST_PG_URL)")
            return 0
        name = f"tradium_bench_{uuid.uuid4().hex[:8]}"
        conn = dbmod.pg_server_connection(args.pg)
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        try:
            run(urlparse(args.pg)._replace(path=f"/{name}").geturl(), "PostgreSQL", args)
        finally:
            conn = dbmod.pg_server_connection(args.pg)
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
