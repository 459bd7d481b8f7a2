"""Benchmark of the customer list at a million customers: first page, scrolling, sort, filter.

Seeds N customers (default 1,000,000) with the search benchmark's fast loader
(``search_bench.seed``: contacts, orders, invoices), then gives them regions, account
managers and mailing codes with set-based updates, and measures through
``customer_list.paging.page`` and as the raw SQL of the same statement (``page_query``) on the
bare driver connection:

* the first page (100 rows, sorted by number);
* scrolling 1,000 rows (10 keyset pages of 100 after the previous page's last key);
* sorted by city: the first page, and 1,000 rows scrolled;
* sorted by open balance, last order, account manager and group, both ways (the sort keys
  of schema step 13);
* filtered by region: the first page, and 1,000 rows scrolled;
* counting the filtered rows (the status line's "of N", read in its own worker).

Usage::

    python bench/list_bench.py                            # SQLite, 1,000,000 customers
    python bench/list_bench.py --customers 50000          # small and quick
    python bench/list_bench.py --pg postgresql://postgres@127.0.0.1:55432/postgres
    python bench/list_bench.py --sqlite-file F --reuse    # an existing seeded file

With ``--reuse`` an existing file / database holding N customers is measured as it is
(the list's indexes come with the product's migrations when it is opened).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import search_bench  # noqa: E402

from tradium_tui import db as dbmod  # noqa: E402
from tradium_tui.db import schema  # noqa: E402
from tradium_tui.db.sql import list_key_fill_sql  # noqa: E402
from tradium_tui.models import Customer, Role, User  # noqa: E402
from tradium_tui.services.access import actor_for  # noqa: E402
from tradium_tui.services.customer_list import listing, paging  # noqa: E402

REGIONS = ("Noord", "Oost", "Zuid", "West", "Midden")
MANAGERS = 12
ROUNDS = 5


def enrich(log) -> None:
    """Regions, account managers and mailing codes for the seeded customers (idempotent)."""
    if Customer.select().where(Customer.region != "").exists():
        return
    t0 = time.perf_counter()
    role = Role.get(Role.name == "account_manager")
    for i in range(MANAGERS):
        User.get_or_create(username=f"am{i:02d}", defaults={"role": role, "display_name": f"AM {i}"})
    ids = [u.id for u in User.select(User.id).where(User.username.startswith("am")).order_by(User.id)]
    database = dbmod.database.obj
    saved: list[str] = []
    if dbmod.is_sqlite(database):
        # The search index's update trigger would re-index every row; these columns are not
        # searched, so it is left out for the load and put back unchanged.
        # So would the list's sort key trigger: the keys are filled once afterwards.
        saved = [sql for (sql,) in database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('customer_fts_au', 'customer_list_key_au')")]
        database.execute_sql("DROP TRIGGER IF EXISTS customer_fts_au")
        database.execute_sql("DROP TRIGGER IF EXISTS customer_list_key_au")
    else:
        database.execute_sql("ALTER TABLE customer DISABLE TRIGGER customer_list_key_change")
    mod = "%" if dbmod.is_sqlite(database) else "%%"  # the driver's placeholder escape
    with database.atomic():
        cases = " ".join(f"WHEN {k} THEN '{r}'" for k, r in enumerate(REGIONS))
        database.execute_sql(f"UPDATE customer SET region = CASE id {mod} {len(REGIONS)} {cases} END")
        cases = " ".join(f"WHEN {k} THEN {uid}" for k, uid in enumerate(ids))
        database.execute_sql(
            f"UPDATE customer SET account_manager_id = CASE (id / 7) {mod} {len(ids) + 1} {cases} "
            f"ELSE NULL END, mailing_code = CASE WHEN id {mod} 10 = 0 THEN id {mod} 7 ELSE NULL END")
        database.execute_sql(list_key_fill_sql("true"))
    for sql in saved:
        database.execute_sql(sql)
    if not dbmod.is_sqlite(database):
        database.execute_sql("ALTER TABLE customer ENABLE TRIGGER customer_list_key_change")
    database.execute_sql("ANALYZE")
    log(f"  regions, account managers, mailing codes: {time.perf_counter() - t0:.1f} s")


def _raw(statement) -> list:
    sql, params = statement.sql()
    database = dbmod.database.obj
    cursor = database.cursor()
    cursor.execute(sql if dbmod.is_sqlite(database) else sql.replace("?", "%s"), params)
    return cursor.fetchall()


def measure(actor, label: str, query: listing.ListQuery, log) -> dict[str, float]:
    out: dict[str, float] = {}
    for how in ("service", "raw"):
        firsts, scrolls, pages = [], [], []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            if how == "service":
                rows = paging.page(actor, query, limit=100)
                key = rows[-1].key
            else:
                raw = _raw(paging.page_query(actor, query, limit=100))
                key = (raw[-1][12], raw[-1][0])
            firsts.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            for _ in range(10):
                t2 = time.perf_counter()
                if how == "service":
                    rows = paging.page(actor, query, after=key, limit=100)
                    if not rows:
                        break
                    key = rows[-1].key
                else:
                    raw = _raw(paging.page_query(actor, query, after=key, limit=100))
                    if not raw:
                        break
                    key = (raw[-1][12], raw[-1][0])
                pages.append(time.perf_counter() - t2)
            scrolls.append(time.perf_counter() - t1)
        out[f"{how}_first"] = sorted(firsts)[len(firsts) // 2] * 1000
        out[f"{how}_page_max"] = max(pages) * 1000
        out[f"{how}_scroll"] = sorted(scrolls)[len(scrolls) // 2] * 1000
    log(f"  {label:<38} first page {out['service_first']:7.1f} / {out['raw_first']:7.1f} ms   "
        f"1,000 rows {out['service_scroll']:7.1f} / {out['raw_scroll']:7.1f} ms   "
        f"slowest page {out['service_page_max']:6.1f} / {out['raw_page_max']:6.1f} ms")
    return out


def run_backend(url: str, n: int, args, log) -> None:
    count = search_bench._seeded_count(url) if args.reuse else None
    if count != n:
        log(f"seeding {n:,} customers into {dbmod.describe_url(url)} ...")
        search_bench.seed(url, n, log=log)
        dbmod.database.close()
    t0 = time.perf_counter()
    schema.init(url)
    log(f"  open (with the list's migration when new): {time.perf_counter() - t0:.1f} s")
    enrich(log)
    User.get_or_create(username="bench", defaults={"role": Role.get(Role.name == "admin")})
    actor = actor_for("bench")
    backend = "PostgreSQL" if dbmod.is_postgres(dbmod.database.obj) else "SQLite"
    log(f"{backend}, {n:,} customers — median of {ROUNDS}, service / raw SQL:")
    measure(actor, "sorted by number", listing.ListQuery(), log)
    measure(actor, "sorted by city", listing.ListQuery(sort="city"), log)
    measure(actor, "sorted by city, descending", listing.ListQuery(sort="city", descending=True), log)
    measure(actor, "filtered by region Zuid", listing.ListQuery(filters={"region": "Zuid"}), log)
    measure(actor, "region Zuid, sorted by name",
            listing.ListQuery(filters={"region": "Zuid"}, sort="name"), log)
    for column in ("open_balance", "last_order", "account_manager", "group"):
        for descending in (False, True):
            label = f"sorted by {column.replace('_', ' ')}{', descending' if descending else ''}"
            measure(actor, label, listing.ListQuery(sort=column, descending=descending), log)
    t0 = time.perf_counter()
    total = paging.count(actor, listing.ListQuery(filters={"region": "Zuid"}))
    log(f"  count of region Zuid ({total:,}): {(time.perf_counter() - t0) * 1000:.0f} ms")
    dbmod.database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sqlite-file", type=Path, default=None)
    parser.add_argument("--pg", metavar="SERVER_URL", help="PostgreSQL server URL (also measure it)")
    parser.add_argument("--pg-db", default="tradium_list_bench")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--reuse", action="store_true", help="measure an existing seeded database")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args(argv)
    n = args.customers

    def log(text: str) -> None:
        print(text, flush=True)

    if args.only != "postgresql":
        path = args.sqlite_file or Path(tempfile.gettempdir()) / f"tradium_list_bench_{n}.db"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        run_backend(f"sqlite:///{path}", n, args, log)
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    if args.pg and args.only != "sqlite":
        name = args.pg_db
        admin = dbmod.pg_server_connection(args.pg)
        with admin.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            exists = cur.fetchone() is not None
            if exists and not args.reuse:
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                cur.execute(f'CREATE DATABASE "{name}"')
        url = urlparse(args.pg)._replace(path=f"/{name}").geturl()
        try:
            run_backend(url, n, args, log)
        finally:
            if dbmod.database.obj is not None:
                dbmod.database.close()
            if not args.keep:
                with admin.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
