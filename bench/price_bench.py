"""Price determination speed: an order of 200 lines for a customer with 500 conditions.

    .venv/bin/python bench/price_bench.py [--lines N] [--conditions N] [--articles N]
        [--backend sqlite|postgresql|both] [--pg postgresql://postgres@127.0.0.1:55432/postgres]
        [--repeat N]

Builds a catalogue of ``--articles`` articles in 12 groups, a price list holding a price
for every other article (some from a minimum quantity), and one customer in a group with
an own discount, the price list and ``--conditions`` conditions (net prices, article
discounts, article-group discounts; a quarter expired or not yet valid, some from a
minimum quantity).  Then it prices an order of ``--lines`` lines with
``pricing.price_lines`` — what saving an order does — and reports the first call and the
median and worst of ``--repeat`` calls, plus the queries one call runs.
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
from tradium_tui.models import (  # noqa: E402
    Article,
    Condition,
    Customer,
    CustomerGroup,
    PriceList,
    PriceListItem,
)
from tradium_tui.services import pricing  # noqa: E402

TODAY = date(2026, 6, 15)


def build(articles: int, conditions: int, rng: random.Random) -> int:
    groups = [f"GRP{g:02d}" for g in range(12)]
    Article.insert_many([
        {"code": f"ART-{i:05d}", "description": f"Article {i}", "article_group": groups[i % 12],
         "sales_price": Decimal(rng.randint(100, 50000)) / 100,
         "cost_price": Decimal(rng.randint(50, 20000)) / 100,
         "vat_class": "reduced" if i % 9 == 0 else "standard"}
        for i in range(articles)
    ]).execute()
    ids = dict(Article.select(Article.code, Article.id).tuples())
    price_list = PriceList.create(name="Wholesale")
    items = []
    for i in range(0, articles, 2):
        code = f"ART-{i:05d}"
        items.append({"price_list": price_list.id, "article": ids[code],
                      "price": Decimal(rng.randint(100, 40000)) / 100})
        if i % 10 == 0:
            items.append({"price_list": price_list.id, "article": ids[code],
                          "price": Decimal(rng.randint(80, 30000)) / 100,
                          "min_quantity": Decimal(10)})
    for start in range(0, len(items), 500):
        PriceListItem.insert_many(items[start:start + 500]).execute()
    group = CustomerGroup.create(name="Installers", discount_percent=Decimal("7.5"))
    customer = Customer.create(number=1, name="Bench BV", customer_group=group,
                               discount_percent=Decimal("2"), price_list=price_list)
    rows = []
    for n in range(conditions):
        kind = rng.choice(("price", "discount", "discount"))
        code = f"ART-{rng.randrange(articles):05d}"
        start = until = None
        if n % 4 == 0:
            until = TODAY - timedelta(days=rng.randint(1, 300))
        elif n % 4 == 1:
            start = TODAY - timedelta(days=rng.randint(0, 300))
            until = TODAY + timedelta(days=rng.randint(0, 300))
        elif n % 8 == 2:
            start = TODAY + timedelta(days=rng.randint(1, 300))
        on_group = kind == "discount" and n % 5 == 0
        rows.append({
            "customer": customer.id, "kind": kind,
            "article": "" if on_group else code,
            "article_group": groups[n % 12] if on_group else "",
            "price": Decimal(rng.randint(100, 30000)) / 100 if kind == "price" else None,
            "discount_percent": Decimal(rng.randint(1, 40)) if kind == "discount" else None,
            "min_quantity": Decimal(rng.choice((5, 10, 25))) if n % 6 == 0 else None,
            "valid_from": start, "valid_until": until,
        })
    for start in range(0, len(rows), 250):
        Condition.insert_many(rows[start:start + 250]).execute()
    return customer.id


def measure(url: str, args, label: str) -> None:
    database = schema.init(url)
    rng = random.Random(42)
    customer_id = build(args.articles, args.conditions, rng)
    lines = [{"article": f"ART-{rng.randrange(args.articles):05d}",
              "quantity": str(rng.choice((1, 2, 5, 10, 12, 30)))} for _ in range(args.lines)]
    count = [0]
    original = type(database).execute_sql

    def counting(self, sql, *a, **k):
        count[0] += 1
        return original(self, sql, *a, **k)

    type(database).execute_sql = counting
    try:
        started = time.perf_counter()
        priced = pricing.price_lines(customer_id, lines, TODAY, with_cost=True)
        first = (time.perf_counter() - started) * 1000
        queries = count[0]
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            pricing.price_lines(customer_id, lines, TODAY, with_cost=True)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        type(database).execute_sql = original
    with_discount = sum(1 for line in priced if line["discount_percent"])
    print(f"{label}: {args.lines} lines, {args.conditions} conditions, {args.articles} articles: "
          f"first {first:.1f} ms, median {statistics.median(times):.1f} ms, "
          f"worst {max(times):.1f} ms over {args.repeat} runs; {queries} queries per order; "
          f"{with_discount} lines with a discount")
    database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--conditions", type=int, default=500)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg", default=os.environ.get("TRADIUM_TEST_PG_URL", ""),
                        help="PostgreSQL server URL")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            measure(f"sqlite:///{Path(tmp) / 'bench.db'}", args, "SQLite")
    if args.backend in ("postgresql", "both"):
        if not args.pg:
            print("PostgreSQL skipped: give --pg URL (or TRADIUM_TEST_PG_URL).")
            return 0
        name = f"tradium_price_bench_{uuid.uuid4().hex[:8]}"
        conn = dbmod.pg_server_connection(args.pg)
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        try:
            measure(urlparse(args.pg)._replace(path=f"/{name}").geturl(), args, "PostgreSQL")
        finally:
            conn = dbmod.pg_server_connection(args.pg)
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
