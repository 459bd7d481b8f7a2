"""Moving and merging: ``db copy`` of a demo database to PostgreSQL, and a merge of two
customers with 1,000 orders each (and its undo).

    .venv/bin/python bench/lifecycle_bench.py --pg postgresql://postgres@127.0.0.1:55432/postgres
        [--customers 100000] [--orders 1000] [--source FILE.db]

Seeds a SQLite demo database of N customers in a temporary folder (or uses ``--source``,
a demo database seeded before), copies it into a fresh database on the PostgreSQL server
(dropped afterwards) and prints rows, seconds and rows per second of the copy, which
includes building the schema, the triggers keeping the search index and revenue tables,
and the verification of every table's row count and checksum.  Then, on SQLite and on
PostgreSQL, two customers get ``--orders`` orders of three lines each and are merged
(with the time of the undo too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradium_tui import db as dbmod  # noqa: E402
from tradium_tui.db import schema  # noqa: E402
from tradium_tui.demo.seed import seed_demo  # noqa: E402
from tradium_tui.services import dbcopy  # noqa: E402
from tradium_tui.services.access import system_actor  # noqa: E402
from tradium_tui.services.merge import merging, undo  # noqa: E402


def seed(url: str, customers: int) -> float:
    started = time.perf_counter()
    schema.init(url)
    seed_demo(customers=customers, seed=42, today=dt.date(2025, 6, 15), home_country="NL")
    dbmod.database.close()
    return time.perf_counter() - started


def bench_copy(source: str, target: str) -> None:
    last = [0.0]

    def progress(table: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 5:
            last[0] = now
            print(f"  … {done:,} / {total:,} rows ({table})", flush=True)

    result = dbcopy.copy_database(source, target, progress=progress)
    print(f"db copy SQLite → PostgreSQL: {result.rows:,} rows in {len(result.tables)} tables, "
          f"{result.seconds:.1f} s, {result.rows / result.seconds:,.0f} rows/s "
          f"(customers {result.tables['customer']:,}, orders {result.tables['order']:,}, "
          f"order lines {result.tables['order_line']:,}, audit rows {result.tables['audit_record']:,})")


def bench_merge(url: str, label: str, orders: int) -> None:
    from tradium_tui.models import Customer, Order, OrderLine

    schema.init(url)
    actor = system_actor()
    pair = []
    for n in range(2):
        number = 9_000_000 + n + int(time.time()) % 1000 * 10
        customer = Customer.create(number=number, name=f"Bench merge {n}", kind="company")
        pair.append(customer)
        today = dt.date(2025, 6, 1)
        rows = [{"customer": customer.id, "number": f"BM{number}-{i:05d}", "order_date": today}
                for i in range(orders)]
        with dbmod.database.atomic():
            for start in range(0, len(rows), 500):
                Order.insert_many(rows[start:start + 500]).execute()
            ids = [o.id for o in Order.select(Order.id).where(Order.customer == customer.id)]
            lines = [{"order": oid, "position": p, "description": "line", "quantity": 1}
                     for oid in ids for p in range(3)]
            for start in range(0, len(lines), 1000):
                OrderLine.insert_many(lines[start:start + 1000]).execute()
    started = time.perf_counter()
    result = merging.merge_customers(actor, pair[0].id, [pair[1].id])
    merged = time.perf_counter() - started
    moved = Order.select().where(Order.customer == pair[0].id).count()
    started = time.perf_counter()
    undo.undo_merge(actor, result.merge_ids[0])
    undone = time.perf_counter() - started
    print(f"merge on {label}: two customers with {orders:,} orders each ({moved:,} after the "
          f"merge): merge {merged * 1000:.0f} ms, undo {undone * 1000:.0f} ms")
    dbmod.database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, metavar="URL")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--source", metavar="FILE", help="a seeded SQLite demo database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.source:
            source = f"sqlite:///{Path(args.source).resolve()}"
        else:
            source = f"sqlite:///{Path(folder) / 'demo.db'}"
            print(f"seeding {args.customers:,} customers …", flush=True)
            print(f"seeded in {seed(source, args.customers):.1f} s", flush=True)
        name = f"tradium_bench_{uuid.uuid4().hex[:8]}"
        conn = dbmod.pg_server_connection(args.pg)
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        target = urlparse(args.pg)._replace(path=f"/{name}").geturl()
        try:
            bench_copy(source, target)
            bench_merge(source, "SQLite", args.orders)
            bench_merge(target, "PostgreSQL", args.orders)
        finally:
            conn = dbmod.pg_server_connection(args.pg)
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
