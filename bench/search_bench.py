"""Benchmark of the customer finder and of opening a customer, at a million customers.

Seeds N customers (default 1,000,000) with contacts, orders and invoices — fast, with the
driver itself: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, on the real schema (the
secondary indexes, the search index and the revenue table are built after the load by
the same migration steps the product runs) — then reports:

* search per keystroke: several realistic texts (names, cities, postcodes, e-mail parts,
  phone numbers, customer numbers, references, texts matching nothing) typed one
  character at a time, through ``search.customers.search_customers`` and as the raw SQL of the same
  statements (``search.plans.plan``) on the bare driver connection;
* opening a customer: ``customer_view.load_customer_view`` plus the first tab's rows
  (``contacts.list_contacts``), and the raw SQL of the same statements.

Usage::

    python bench/search_bench.py                       # SQLite, 1,000,000 customers
    python bench/search_bench.py --customers 20000     # small and quick
    python bench/search_bench.py --pg postgresql://postgres@127.0.0.1:55432/postgres
    python bench/search_bench.py --pg URL --only postgresql --keep   # keep the database

SQLite goes to a file in the temporary folder (``--sqlite-file``); with ``--reuse`` an
existing file or database holding the same number of customers is measured as it is.
PostgreSQL gets its own database on the server (``--pg-db``, default ``tradium_bench``),
dropped afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import peewee

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.db.migrations import (  # noqa: E402
    v04_revenue_ranking,
    v13_list_sort_keys,
    v14_search_identifiers,
)
from tradium_tui.models import Contact, Customer, Invoice, Order, Role, User

FIRST_NAMES = (
    "Jan Piet Kees Anna Sanne Lotte Daan Sem Emma Julia Thomas Lucas Sophie Marie Louis "
    "Camille Léa Hugo Chloé Jules Élodie María José Carmen Javier Lucía Pablo Sofía Álvaro "
    "Noor Bram Fleur Ruben Iris Maarten Joris Hélène Søren Zoë"
).split()
LAST_NAMES = (
    "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|"
    "Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|Martin|Bernard|"
    "Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Lefèvre|Garnier|García|"
    "Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Ruiz|Müller|Schmidt|"
    "Schneider|Fischer|Weber|Öztürk|Çelik|O'Brien"
).split("|")
TRADES = (
    "Bouw|Installatietechniek|Handel|Transport|Bakkerij|Keukens|Tegelhandel|Schilders|"
    "Elektro|Metaal|Hout|Groothandel|Logistiek|Techniek|Boulangerie|Menuiserie|"
    "Construcciones|Ferretería|Distribución|Services|Import-Export|Autoservice"
).split("|")
LEGAL = ("B.V.", "V.O.F.", "N.V.", "SARL", "SAS", "S.L.", "S.A.", "GmbH", "BV", "")
# (country, city, postcode pattern, phone prefix)
PLACES = [
    ("NL", "Amsterdam", "10## @@", "+31 20"),
    ("NL", "Rotterdam", "30## @@", "+31 10"),
    ("NL", "Den Haag", "25## @@", "+31 70"),
    ("NL", "Utrecht", "35## @@", "+31 30"),
    ("NL", "Eindhoven", "56## @@", "+31 40"),
    ("NL", "Groningen", "97## @@", "+31 50"),
    ("NL", "Zwolle", "80## @@", "+31 38"),
    ("NL", "Apeldoorn", "73## @@", "+31 55"),
    ("NL", "Haarlem", "20## @@", "+31 23"),
    ("NL", "'s-Hertogenbosch", "52## @@", "+31 73"),
    ("NL", "Leeuwarden", "89## @@", "+31 58"),
    ("NL", "Maastricht", "62## @@", "+31 43"),
    ("NL", "Enschede", "75## @@", "+31 53"),
    ("NL", "Alkmaar", "18## @@", "+31 72"),
    ("NL", "Breda", "48## @@", "+31 76"),
    ("NL", "Nijmegen", "65## @@", "+31 24"),
    ("NL", "Amersfoort", "38## @@", "+31 33"),
    ("NL", "Delft", "26## @@", "+31 15"),
    ("BE", "Antwerpen", "2###", "+32 3"),
    ("BE", "Gent", "9###", "+32 9"),
    ("BE", "Bruxelles", "1###", "+32 2"),
    ("BE", "Liège", "4###", "+32 4"),
    ("DE", "Düsseldorf", "40###", "+49 211"),
    ("DE", "Köln", "50###", "+49 221"),
    ("DE", "München", "80###", "+49 89"),
    ("FR", "Paris", "75###", "+33 1"),
    ("FR", "Lyon", "69###", "+33 4"),
    ("FR", "Lille", "59###", "+33 3"),
    ("FR", "Besançon", "25###", "+33 3"),
    ("ES", "Madrid", "28###", "+34 91"),
    ("ES", "Barcelona", "08###", "+34 93"),
    ("ES", "Sevilla", "41###", "+34 95"),
    ("ES", "A Coruña", "15###", "+34 981"),
    ("GB", "London", "EC# #@@", "+44 20"),
    ("CH", "Zürich", "80##", "+41 44"),
]
STREETS = (
    "Hoofdstraat|Kerkstraat|Dorpsstraat|Stationsweg|Industrieweg|Molenweg|Nieuwstraat|"
    "Rue de la Paix|Avenue Jean Jaurès|Calle Mayor|Gran Vía|Hauptstraße|Bahnhofstraße|"
    "Marktplein|Havenkade|Energieweg|Handelsweg"
).split("|")
DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "orange.fr", "telefonica.es")
VAT_PREFIX = {"NL": "NL", "BE": "BE", "DE": "DE", "FR": "FR", "ES": "ES", "GB": "GB", "CH": "CHE"}

NUMBER_BASE = 10_000
TODAY = dt.date.today()


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    keep = [c.lower() for c in ascii_text if c.isalnum()]
    return "".join(keep)[:20] or "info"


def _postcode_maker(pattern: str):
    """A function rng -> postcode for a pattern of '#' (digit) and '@' (letter)."""
    digits = pattern.count("#")
    letters = pattern.count("@")
    template = pattern.replace("#", "{}").replace("@", "{}")
    order = [ch for ch in pattern if ch in "#@"]

    def make(rng: random.Random) -> str:
        d = iter(f"{rng.randrange(10**digits):0{digits}d}") if digits else iter(())
        a = iter(rng.choices(ASCII_UPPER, k=letters)) if letters else iter(())
        return template.format(*(next(d) if ch == "#" else next(a) for ch in order))

    return make


ASCII_UPPER = "ABCDEFGHIJKLMNOPRSTVWXZ"


def customer_columns() -> list[tuple[str, object]]:
    """(column, default) of every customer column but the id, for raw inserts."""
    now = "2026-01-01 00:00:00"
    out = []
    for field in Customer._meta.sorted_fields:
        if field.name == "id":
            continue
        default = field.default
        if callable(default):
            default = now
        elif isinstance(default, bool):
            default = int(default)
        elif isinstance(default, Decimal | int) and not isinstance(default, bool):
            default = str(default) if isinstance(default, Decimal) else default
        out.append((field.column_name, default))
    return out


def generate_customers(n: int, seed: int = 42) -> Iterator[list[object]]:
    """Rows (id first, then the columns of :func:`customer_columns`) of ``n`` customers."""
    rng = random.Random(seed)
    columns = customer_columns()
    template = [None] + [default for _, default in columns]
    at = {name: i + 1 for i, (name, _) in enumerate(columns)}
    places = [(c, city, _postcode_maker(p), phone) for c, city, p, phone in PLACES]
    first_slug = {f: _slug(f) for f in FIRST_NAMES}
    last_slug = {name: _slug(name) for name in LAST_NAMES}
    trade_slug = {t: _slug(t) for t in TRADES}
    limits = ("0", "1000", "2500", "5000", "10000")
    rand, randrange, choice = rng.random, rng.randrange, rng.choice
    i_number, i_kind, i_first, i_last, i_name = (
        at["number"], at["kind"], at["first_name"], at["last_name"], at["name"]
    )
    i_street, i_house, i_pc, i_city, i_country = (
        at["visit_street"], at["visit_house_number"], at["visit_postcode"], at["visit_city"],
        at["visit_country"],
    )
    i_email, i_phone, i_mobile, i_vat, i_vat_status = (
        at["email"], at["phone"], at["mobile"], at["vat_number"], at["vat_status"]
    )
    i_credit, i_ref, i_deleted = at["credit_limit"], at["reference"], at["deleted_at"]
    i_coc, i_iban = at["coc_number"], at["iban"]
    for i in range(1, n + 1):
        country, city, postcode, phone_prefix = choice(places)
        first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
        row = template.copy()
        row[0] = i
        if rand() < 0.35:
            row[i_kind] = "consumer"
            row[i_first] = first
            row[i_last] = last
            row[i_name] = f"{first} {last}"
            row[i_email] = f"{first_slug[first]}.{last_slug[last]}{randrange(100)}@{choice(DOMAINS)}"
        else:
            trade = choice(TRADES)
            row[i_kind] = "company"
            row[i_name] = f"{last} {trade} {choice(LEGAL)}".rstrip()
            row[i_email] = f"info@{last_slug[last]}{trade_slug[trade]}{randrange(1000)}.{country.lower()}"
            row[i_vat] = f"{VAT_PREFIX[country]}{randrange(10**8, 10**9)}B{randrange(1, 99):02d}"
            row[i_vat_status] = "unchecked"
        row[i_number] = NUMBER_BASE + i
        row[i_street] = choice(STREETS)
        row[i_house] = str(randrange(1, 300))
        row[i_pc] = postcode(rng)
        row[i_city] = city
        row[i_country] = country
        row[i_phone] = f"{phone_prefix} {randrange(100, 999)} {randrange(1000, 9999)}"
        if rand() < 0.5:
            row[i_mobile] = f"+31 6 {randrange(10**7, 10**8)}"
        row[i_credit] = choice(limits)
        if rand() < 0.6:
            row[i_iban] = nl_iban(randrange(10**9, 10**10))
        if row[i_kind] == "company" and country == "NL":
            row[i_coc] = f"{randrange(10**7, 10**8)}"
        if rand() < 0.3:
            row[i_ref] = f"871{i:010d}"
        if rand() < 0.01:
            row[i_deleted] = "2025-06-01 00:00:00"
        yield row


def nl_iban(account: int) -> str:
    """A Dutch IBAN with correct check digits for a ten-digit account number."""
    bban = f"INGB{account:010d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def generate_children(n: int, seed: int = 43):
    """Contacts, orders and invoices for customers with ids 1..n: yields (table, row)."""
    rng = random.Random(seed)
    rand, randrange, choice = rng.random, rng.randrange, rng.choice
    now = "2026-01-01 00:00:00"
    days = [(TODAY - dt.timedelta(days=k)) for k in range(0, 800)]
    day_text = [d.isoformat() for d in days]
    functions = ("", "inkoop", "directeur", "administratie")
    statuses = ("delivered", "delivered", "delivered", "open", "cancelled")
    order_no = 0
    invoice_no = 0
    for cid in range(1, n + 1):
        for k in range(choice((0, 1, 1, 1, 2, 3))):
            first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
            email = f"{_slug(first)}.{_slug(last)}{randrange(100)}@{choice(DOMAINS)}" if rand() < 0.7 else ""
            mobile = f"+31 6 {randrange(10**7, 10**8)}" if rand() < 0.5 else ""
            phone = f"+31 {randrange(10, 99)} {randrange(100, 999)} {randrange(1000, 9999)}" if rand() < 0.3 else ""
            yield "contact", (
                cid, "person", f"{first} {last}", choice(functions),
                email, phone, mobile, "", "", "", "", "", 1 if k == 0 else 0, "", 1, now, now,
            )
        for _ in range(choice((0, 0, 0, 0, 1, 1, 1, 2, 3, 6))):
            order_no += 1
            cents = randrange(1000, 500000)
            vat = (cents * 21 + 50) // 100
            status = choice(statuses)
            d = randrange(30, 720)
            yield "order", (
                cid, f"O{order_no:09d}", day_text[d], status, "manual", "", "", "", "", "",
                _cents(cents), _cents(vat), _cents(cents + vat), 1, now, now,
            )
            if status == "delivered":
                invoice_no += 1
                paid = rand() < 0.85
                due = d - 30
                paid_day = min(max(0, due - randrange(-20, 40)), len(days) - 1)
                yield "invoice", (
                    cid, f"F{invoice_no:09d}", day_text[d], day_text[due], _cents(cents),
                    _cents(vat), _cents(cents + vat), _cents(cents + vat) if paid else "0.00",
                    day_text[paid_day] if paid else None, "paid" if paid else "open",
                    NUMBER_BASE + cid, "", "", "", 1, now, now,
                )


CHILD_COLUMNS = {
    "contact": (
        "customer_id", "kind", "name", "function", "email", "phone", "mobile", "street",
        "house_number", "postcode", "city", "country", "is_primary", "remarks", "version",
        "created_at", "updated_at",
    ),
    "order": (
        "customer_id", "number", "order_date", "status", "source", "external_ref", "reference",
        "remarks", "delivery_address", "invoice_address", "total_excl", "total_vat",
        "total_incl", "version", "created_at", "updated_at",
    ),
    "invoice": (
        "customer_id", "number", "invoice_date", "due_date", "amount_excl", "vat_amount",
        "amount_incl", "paid_amount", "paid_on", "status", "customer_number", "customer_name",
        "customer_address", "customer_vat_number", "version", "created_at", "updated_at",
    ),
}
TABLES = {"contact": Contact, "order": Order, "invoice": Invoice}


def _sqlite_schema_objects(conn, tables: list[str]) -> list[tuple[str, str, str]]:
    """(type, name, sql) of the explicit indexes and triggers on ``tables``."""
    marks = ",".join("?" * len(tables))
    return conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()


def _rebuild_derived(database) -> None:
    """Re-run the schema steps that build the derived data the current schema has: the
    revenue ranking, the (wider) search index and the list's sort keys.  The first search index step is not
    re-run: the wider one replaced its table, and its insert no longer fits."""
    with database.atomic():
        v04_revenue_ranking.apply(database)
        v14_search_identifiers.apply(database)
        v13_list_sort_keys.apply(database)


def seed(url: str, n: int, batch: int = 50_000, log=print) -> dict[str, float]:
    """Create the schema at ``url`` and load ``n`` customers with contacts, orders, invoices."""
    timings: dict[str, float] = {}
    database = schema.init(url)
    columns = [name for name, _ in customer_columns()]
    customer_sql_columns = ", ".join(["id", *columns])
    tables = ["customer", *CHILD_COLUMNS]
    t0 = time.perf_counter()
    if dbmod.is_sqlite(database):
        conn = database.connection()
        saved = _sqlite_schema_objects(conn, tables)
        for kind, name, _ in saved:
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        conn.execute("BEGIN")
        sql = f"INSERT INTO customer ({customer_sql_columns}) VALUES ({', '.join('?' * (len(columns) + 1))})"
        rows: list = []
        for row in generate_customers(n):
            rows.append(row)
            if len(rows) >= batch:
                conn.executemany(sql, rows)
                rows.clear()
        conn.executemany(sql, rows)
        statements = {
            t: f'INSERT INTO "{t}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
            for t, cols in CHILD_COLUMNS.items()
        }
        buffers: dict[str, list] = {t: [] for t in CHILD_COLUMNS}
        for table, row in generate_children(n):
            buf = buffers[table]
            buf.append(row)
            if len(buf) >= batch:
                conn.executemany(statements[table], buf)
                buf.clear()
        for table, buf in buffers.items():
            conn.executemany(statements[table], buf)
        conn.execute("COMMIT")
        timings["rows"] = time.perf_counter() - t0
        log(f"  rows: {timings['rows']:.1f} s")
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        for kind, _, sql in saved:
            if kind == "index":
                conn.execute(sql)
        conn.execute("COMMIT")
        timings["indexes"] = time.perf_counter() - t0
        log(f"  indexes: {timings['indexes']:.1f} s")
        t0 = time.perf_counter()
        _rebuild_derived(database)
        existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for kind, name, sql in saved:
            if kind == "trigger" and name not in existing:
                conn.execute(sql)
        conn.execute("ANALYZE")
        conn.execute("PRAGMA synchronous = NORMAL")
        timings["derived"] = time.perf_counter() - t0
        log(f"  search index, revenue cache, analyze: {timings['derived']:.1f} s")
    else:
        conn = database.connection()
        with conn.cursor() as cur:
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT LIKE %s",
                (tables, "%_pkey"),
            )
            indexes = cur.fetchall()
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            for table in tables:
                cur.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            cur.execute("SET synchronous_commit TO off")
            _copy(cur, "customer", ["id", *columns], generate_customers(n))
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('customer', 'id'), (SELECT max(id) FROM customer))"
            )
            streams = {t: _CopyStream() for t in CHILD_COLUMNS}
            for table, row in generate_children(n):
                stream = streams[table]
                stream.add(row)
                if len(stream.parts) >= 100_000:
                    _copy_flush(cur, table, CHILD_COLUMNS[table], stream)
            for table, stream in streams.items():
                _copy_flush(cur, table, CHILD_COLUMNS[table], stream)
        conn.commit()
        timings["rows"] = time.perf_counter() - t0
        log(f"  rows: {timings['rows']:.1f} s")
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute("SET maintenance_work_mem TO '512MB'")
            for _, sql in indexes:
                cur.execute(sql)
        conn.commit()
        timings["indexes"] = time.perf_counter() - t0
        log(f"  indexes (with the search index): {timings['indexes']:.1f} s")
        t0 = time.perf_counter()
        _rebuild_derived(database)
        with conn.cursor() as cur:
            for table in tables:
                cur.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        conn.commit()
        old = conn.autocommit
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        conn.autocommit = old
        timings["derived"] = time.perf_counter() - t0
        log(f"  revenue cache, vacuum analyze: {timings['derived']:.1f} s")
    return timings


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value) if not isinstance(value, dt.datetime) else value.isoformat(sep=" ")
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _CopyStream:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, row) -> None:
        self.parts.append("\t".join(_copy_text(v) for v in row))

    def buffer(self) -> io.StringIO:
        return io.StringIO("\n".join(self.parts) + ("\n" if self.parts else ""))


def _copy_flush(cur, table: str, columns, stream: _CopyStream) -> None:
    if stream.parts:
        cur.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', stream.buffer())
        stream.parts.clear()


def _copy(cur, table: str, columns: list[str], rows, chunk: int = 100_000) -> None:
    stream = _CopyStream()
    for row in rows:
        stream.add(row)
        if len(stream.parts) >= chunk:
            _copy_flush(cur, table, columns, stream)
    _copy_flush(cur, table, columns, stream)


# --------------------------------------------------------------------------- measuring


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def typing_texts(rng: random.Random, samples: list[tuple]) -> list[tuple[str, str]]:
    """(kind, text) pairs to type: taken from real rows, plus fixed ones and misses."""
    texts: list[tuple[str, str]] = [
        ("name", "de vries"),
        ("name", "bakker bouw"),
        ("name", "Öztürk"),
        ("name", "garcía"),
        ("city", "amsterdam"),
        ("city", "düsseldorf"),
        ("email", "info@"),
        ("email", "gmail.com"),
        ("miss", "xqzvw"),
        ("miss", "zzzzzz"),
        ("miss", "qwerty uiop"),
        ("miss", "@@@###"),
    ]
    for number, name, city, postcode, email, phone, reference, *more in samples:
        words = [w for w in name.split() if len(w) > 3]
        texts.append(("name", rng.choice(words) if words else name))
        texts.append(("name", name[: rng.randrange(6, 14)]))
        texts.append(("city", city))
        texts.append(("postcode", postcode.lower()))
        texts.append(("email", email.split("@")[0][-8:]))
        digits = "".join(ch for ch in phone if ch.isdigit())
        texts.append(("phone", f"{digits[-7:-4]} {digits[-4:]}"))
        texts.append(("number", str(number)))
        if reference:
            texts.append(("reference", reference))
        coc, iban, street, house, contact = more or ("", "", "", "", "")
        if phone.startswith("+31 "):  # as a Dutch user types it: national notation
            national = "0" + "".join(ch for ch in phone[4:] if ch.isdigit())
            texts.append(("phone national", f"{national[:3]} {national[3:6]} {national[6:]}"))
        if coc:
            texts.append(("kvk / iban", coc))
        if iban:
            texts.append(("kvk / iban", " ".join(iban[k:k + 4] for k in range(0, len(iban), 4))))
        if street:
            texts.append(("street", f"{street} {house}"))
        if contact:
            texts.append(("contact", contact))
    return texts


def _raw_runner(connection, postgres: bool):
    """run(sql, params, force_index=False) on the bare driver connection."""
    if postgres:
        def run(sql: str, params, force_index: bool = False) -> list:
            with connection.cursor() as cur:
                if force_index:
                    cur.execute("BEGIN")
                    cur.execute("SET LOCAL enable_seqscan = off")
                cur.execute(sql, params)
                rows = cur.fetchall()
                if force_index:
                    cur.execute("COMMIT")
                return rows
    else:
        def run(sql: str, params, force_index: bool = False) -> list:
            return connection.execute(sql, params).fetchall()
    return run


def bench_search(texts, limit: int, log) -> dict:
    from tradium_tui.services.search import customers as search
    from tradium_tui.services.search import plans

    postgres = dbmod.is_postgres()
    run = _raw_runner(dbmod.database.connection(), postgres)

    def raw(text: str) -> None:
        seen: set[int] = set()
        for query in plans.plan(text, limit, postgres):
            if len(seen) >= limit:
                break
            seen.update(row[0] for row in run(query.sql, query.params, query.force_index))

    for _kind, text in texts[:5]:  # warm caches and code paths
        search.search_customers(text, limit)
        raw(text)
    rows: list[dict] = []
    for kind, text in texts:
        for end in range(1, len(text) + 1):
            typed = text[:end]
            service = _timed(lambda t=typed: search.search_customers(t, limit))
            bare = _timed(lambda t=typed: raw(t))
            hits = len(search.search_customers(typed, limit))
            rows.append({"kind": kind, "text": typed, "service": service, "raw": bare, "hits": hits})
    return {"keystrokes": rows}


def bench_open(ids: list[int], log) -> dict:
    from tradium_tui.services import contacts, customer_view
    from tradium_tui.services.access import actor_for
    from tradium_tui.services.search import recent

    postgres = dbmod.is_postgres()
    run = _raw_runner(dbmod.database.connection(), postgres)
    role = Role.get(Role.name == "account_manager")
    user, _ = User.get_or_create(username="bench", defaults={"role": role})
    actor = actor_for("bench")
    today = dt.date.today()
    param = "%s" if postgres else "?"
    contact_sql = (
        Contact.select()
        .where(Contact.customer == 0)
        .order_by(Contact.is_primary.desc(), Contact.kind, Contact.name, Contact.id)
        .sql()[0]
    )

    def service(cid: int) -> None:
        customer_view.load_customer_view(cid, user.id)
        contacts.list_contacts(actor, cid)

    def raw(cid: int) -> None:
        for sql, params in customer_view.view_statements(cid, user.id, today, param).values():
            run(sql, params)
        run("SELECT slot, label, kind, choices, active FROM custom_field_def", ())
        run(contact_sql, (cid,))

    for cid in ids[:5]:
        service(cid)
        raw(cid)
    rows = []
    for cid in ids:
        rows.append({"id": cid, "service": _timed(lambda c=cid: service(c)), "raw": _timed(lambda c=cid: raw(c))})
    start_id = recent.last_opened(user.id)
    rows_start = _timed(lambda: recent.last_opened(user.id))
    return {"opens": rows, "last_opened_ms": rows_start, "start_customer": start_id}


def summarise(label: str, values: list[float]) -> str:
    return (
        f"{label:<34} n={len(values):>5}  p50 {percentile(values, 0.50):7.2f} ms  "
        f"p95 {percentile(values, 0.95):7.2f} ms  max {max(values) if values else float('nan'):7.2f} ms"
    )


def report(backend: str, n: int, seeding: dict, searched: dict, opened: dict, log) -> dict:
    keys = searched["keystrokes"]
    log(f"\n== {backend}, {n:,} customers ==")
    if seeding:
        log("seeding: " + ", ".join(f"{k} {v:.1f} s" for k, v in seeding.items()))
    groups = {
        "search, every keystroke": keys,
        "  1-2 characters": [k for k in keys if len(k["text"]) < 3],
        "  3+ characters": [k for k in keys if len(k["text"]) >= 3],
        "  texts matching nothing": [k for k in keys if k["kind"] == "miss"],
    }
    for kind in sorted({k["kind"] for k in keys} - {"miss"}):
        groups[f"  {kind}"] = [k for k in keys if k["kind"] == kind]
    summary: dict = {"backend": backend, "customers": n, "seeding_s": seeding}
    for label, subset in groups.items():
        log(summarise(label + " (service)", [k["service"] for k in subset]))
        log(summarise(label + " (raw SQL)", [k["raw"] for k in subset]))
        summary[label.strip()] = {
            "service_p50": percentile([k["service"] for k in subset], 0.5),
            "service_p95": percentile([k["service"] for k in subset], 0.95),
            "raw_p50": percentile([k["raw"] for k in subset], 0.5),
            "raw_p95": percentile([k["raw"] for k in subset], 0.95),
        }
    slowest = sorted(keys, key=lambda k: -k["service"])[:8]
    log("slowest keystrokes: " + ", ".join(f"{k['text']!r} {k['service']:.1f} ms ({k['hits']})" for k in slowest))
    opens = opened["opens"]
    log(summarise("open customer: view + contacts (service)", [o["service"] for o in opens]))
    log(summarise("open customer: view + contacts (raw SQL)", [o["raw"] for o in opens]))
    log(f"start: last_opened {opened['last_opened_ms']:.2f} ms")
    summary["open"] = {
        "service_p50": percentile([o["service"] for o in opens], 0.5),
        "service_p95": percentile([o["service"] for o in opens], 0.95),
        "raw_p50": percentile([o["raw"] for o in opens], 0.5),
        "raw_p95": percentile([o["raw"] for o in opens], 0.95),
    }
    return summary


def _seeded_count(url: str) -> int | None:
    try:
        database = dbmod.connect(url)
    except dbmod.DatabaseUnavailable:
        return None
    try:
        if not database.table_exists("customer"):
            return None
        return Customer.select().count()
    finally:
        database.close()


def run_backend(url: str, n: int, args, log) -> dict:
    seeding: dict = {}
    if not (args.reuse and _seeded_count(url) == n):
        log(f"seeding {n:,} customers into {dbmod.describe_url(url)} ...")
        seeding = seed(url, n, log=log)
        dbmod.database.close()
    database = schema.init(url)
    rng = random.Random(7)
    top = Customer.select(Customer.id).order_by(Customer.id.desc()).limit(1).scalar() or 0
    picks = sorted({rng.randrange(1, top + 1) for _ in range(args.texts)})
    samples = list(
        Customer.select(
            Customer.number, Customer.name, Customer.visit_city, Customer.visit_postcode,
            Customer.email, Customer.phone, Customer.reference, Customer.coc_number,
            Customer.iban, Customer.visit_street, Customer.visit_house_number,
            Contact.select(peewee.fn.MIN(Contact.name)).where(Contact.customer == Customer.id),
        )
        .where(Customer.id.in_(picks) & Customer.deleted_at.is_null())
        .tuples()
    )
    texts = typing_texts(rng, samples)
    log(f"typing {len(texts)} texts, {sum(len(t) for _, t in texts)} keystrokes ...")
    searched = bench_search(texts, args.limit, log)
    ids = [
        cid for (cid,) in Customer.select(Customer.id)
        .where(Customer.id.in_(sorted({rng.randrange(1, top + 1) for _ in range(args.opens)})))
        .where(Customer.deleted_at.is_null())
        .tuples()
    ]
    rng.shuffle(ids)
    log(f"opening {len(ids)} customers ...")
    opened = bench_open(ids, log)
    backend = "PostgreSQL" if dbmod.is_postgres(database) else "SQLite"
    summary = report(backend, n, seeding, searched, opened, log)
    database.close()
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sqlite-file", type=Path, default=None)
    parser.add_argument("--pg", metavar="SERVER_URL", help="PostgreSQL server URL (also benchmark it)")
    parser.add_argument("--pg-db", default="tradium_bench")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--reuse", action="store_true", help="measure an existing seeded database")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--texts", type=int, default=25, help="customers to take typing texts from")
    parser.add_argument("--opens", type=int, default=300, help="customers to open")
    parser.add_argument("--limit", type=int, default=50, help="hits per search")
    parser.add_argument("--json", type=Path, help="write the summary here")
    args = parser.parse_args(argv)
    n = args.customers

    def log(text: str) -> None:
        print(text, flush=True)

    summaries = []
    if args.only != "postgresql":
        path = args.sqlite_file or Path(tempfile.gettempdir()) / f"tradium_bench_{n}.db"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        summaries.append(run_backend(f"sqlite:///{path}", n, args, log))
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
            summaries.append(run_backend(url, n, args, log))
        finally:
            if dbmod.database.obj is not None:
                dbmod.database.close()
            if not args.keep:
                with admin.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
