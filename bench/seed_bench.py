"""Demo seed speed: 100,000 customers (and everything around them) on SQLite and PostgreSQL.

    .venv/bin/python bench/seed_bench.py [--customers N] [--seed S]
        [--pg postgresql://postgres@127.0.0.1:55432/postgres] [--keep]

Seeds a fresh SQLite file in a temporary folder, and, when ``--pg`` names a server, a
fresh database created on that server (dropped afterwards unless ``--keep``).  Prints
the wall-clock time of the seed, the CPU time of the writing process and of the child
process that generates the rows (big seeds run the two side by side, so on an otherwise
idle machine with two or more cores the wall-clock time is about the larger of the two),
the rows written and rows per second, and the load average, which says how far the
wall-clock time is from that.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def run(url: str, label: str, customers: int, seed: int) -> None:
    started = time.perf_counter()
    schema.init(url)
    schema_seconds = time.perf_counter() - started
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last[0] > 5:
            print(f"  {label}: {done:,}/{total:,} customers ({now - started:.1f} s)", flush=True)
            last[0] = now

    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = seed_demo(customers=customers, seed=seed, progress=progress)
    cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    print(f"{label}: schema {schema_seconds:.2f} s; seed {report.seconds:.2f} s wall; CPU {cpu:.2f} s "
          f"writing (this process) + {child_cpu:.2f} s generating (child process); "
          f"{report.rows:,} rows ({report.rows / report.seconds:,.0f} rows/s)")
    print(f"  {report.summary()}")
    print(f"  quote lines {report.quote_lines:,}, order lines {report.order_lines:,}, "
          f"tag links {report.tag_links:,}, marks {report.marks:,}, audit rows {report.audit_rows:,}")
    print(f"  per country: {dict(sorted(report.by_country.items()))}")
    from tradium_tui.models import Customer

    count = Customer.select().count()
    print(f"  customers in the database: {count:,}")
    dbmod.database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("TRADIUM_TEST_PG_URL", ""),
                        help="PostgreSQL server URL (default: $TRADIUM_TEST_PG_URL)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.customers:,} customers, seed {args.seed}, {os.cpu_count()} CPUs, "
          f"load average {load:.1f}")
    if not args.no_sqlite:
        folder = Path(tempfile.mkdtemp(prefix="seed-bench-"))
        path = folder / "demo.db"
        run(f"sqlite:///{path}", "SQLite", args.customers, args.seed)
        size = sum(f.stat().st_size for f in folder.iterdir())
        print(f"  file size {size / 1e6:.0f} MB ({path})")
        if not args.keep:
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
    if args.pg:
        name = f"tradium_seed_{uuid.uuid4().hex[:8]}"
        conn = dbmod.pg_server_connection(args.pg)
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        url = urlparse(args.pg)._replace(path=f"/{name}").geturl()
        try:
            run(url, "PostgreSQL", args.customers, args.seed)
        finally:
            if not args.keep:
                with conn.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                print(f"  kept {url}")
            conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
