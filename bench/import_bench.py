"""Customer import speed: 100,000 rows with full validation, on SQLite and PostgreSQL.

    .venv/bin/python bench/import_bench.py [--rows N] [--pg postgresql://postgres@127.0.0.1:55432/postgres]
                                           [--backend sqlite|postgresql|both] [--workers N]

Writes a realistic semicolon-separated file with Dutch headers (number, company or
consumer, address, e-mail, phone, VAT, chamber of commerce, IBAN, credit limit, tags;
one row in ten without a customer number, so numbering and the duplicate guard work
too), imports it into an empty database, then imports it again (every row a duplicate
that changes nothing), and prints the time of each phase and the CPU time used by the
import and its validation processes (on a busy machine the wall-clock time says more
about the neighbours than about the import).  For PostgreSQL it creates
its own database on the server and drops it afterwards.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from schwifty import IBAN

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradium_tui import db as dbmod  # noqa: E402
from tradium_tui.db import schema  # noqa: E402
from tradium_tui.models import AuditRecord, Customer, Role, User  # noqa: E402
from tradium_tui.services.access import actor_for  # noqa: E402
from tradium_tui.services.transfer import customer_import  # noqa: E402
from tradium_tui.services.transfer.reports import ImportReport  # noqa: E402

CITIES = [
    ("Amsterdam", "10", "20"), ("Rotterdam", "30", "10"), ("Utrecht", "35", "30"),
    ("Den Haag", "25", "70"), ("Eindhoven", "56", "40"), ("Groningen", "97", "50"),
    ("Zwolle", "80", "38"), ("Breda", "48", "76"), ("Delft", "26", "15"),
    ("Nijmegen", "65", "24"), ("Maastricht", "62", "43"), ("Haarlem", "20", "23"),
]
STREETS = ["Hoofdstraat", "Kerkstraat", "Dorpsstraat", "Stationsweg", "Industrieweg",
           "Molenweg", "Havenkade", "Marktplein", "Energieweg", "Handelsweg"]
FIRST = ["Jan", "Anna", "Sanne", "Daan", "Émile", "Jürgen", "Iñigo", "Noor", "Bram", "Zoë"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Müller",
        "Peña", "Dijkstra"]
TRADES = ["Bouw", "Handel", "Transport", "Bakkerij", "Keukens", "Techniek", "Logistiek"]
BANKS = ["ABNA", "INGB", "RABO", "TRIO"]
LETTERS = "ABCEGHJKLMNPRTVWXZ"
HEADER = ("Klantnummer;Soort;Naam;Voornaam;Achternaam;Straat;Huisnummer;Postcode;Plaats;Land;"
          "E-mail;Telefoon;Mobiel;BTW-nummer;KvK-nummer;IBAN;Kredietlimiet;Mailingcode;Tags")


def nl_vat(rng: random.Random) -> str:
    """A valid Dutch VAT number (the 9 digits pass the 11-test)."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        if digits[0] == 0:
            continue
        check = sum((9 - i) * d for i, d in enumerate(digits)) % 11
        if check < 10:
            return "NL" + "".join(map(str, digits)) + str(check) + f"B{rng.randrange(1, 99):02d}"


def write_file(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(rows):
            city, pc, area = rng.choice(CITIES)
            postcode = f"{pc}{rng.randrange(10, 99)} {rng.choice(LETTERS)}{rng.choice(LETTERS)}"
            number = "" if i % 10 == 9 else str(100000 + i)
            iban = str(IBAN.generate("NL", bank_code=rng.choice(BANKS),
                                     account_code=f"{rng.randrange(10**9, 10**10)}"))
            phone = f"0{area} {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}"
            mobile = f"06 {rng.randrange(1, 6)}{rng.randrange(10**6, 10**7)}" if rng.random() < 0.5 else ""
            tags = rng.choice(["", "", "vip", "beurs", "vip, nieuwsbrief"])
            if rng.random() < 0.35:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                fields = ["consumer", "", first, last]
                email = f"{first.lower()}.{i}@example.nl"
                vat = coc = ""
            else:
                name = f"{rng.choice(LAST)} {rng.choice(TRADES)} B.V."
                fields = ["company", name, "", ""]
                email = f"info{i}@bedrijf{i % 997}.nl"
                vat = nl_vat(rng)
                coc = f"{rng.randrange(10**7, 10**8)}"
            cells = [number, *fields, rng.choice(STREETS), str(rng.randrange(1, 300)), postcode,
                     city, "NL", email, phone, mobile, vat, coc, iban,
                     f"{rng.choice([0, 500, 1000, 2500])},00", str(rng.randrange(1, 5)), tags]
            out.write(";".join(f'"{c}"' if "," in c else c for c in cells) + "\r\n")


class Phases:
    def __init__(self):
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.marks.setdefault(phase, time.perf_counter() - self.started)

    def text(self, total: float) -> str:
        names = list(self.marks)
        parts = [f"CPU {self.cpu:.1f} s"] if hasattr(self, "cpu") else []
        for i, name in enumerate(names):
            end = self.marks[names[i + 1]] if i + 1 < len(names) else total
            parts.append(f"{name} {end - self.marks[name]:.1f} s")
        return ", ".join(parts)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the validation workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_once(actor, path: Path, workers: int | None) -> tuple[float, ImportReport, Phases]:
    phases = Phases()
    started = time.perf_counter()
    cpu = cpu_seconds()
    report = customer_import.import_customers(actor, path, progress=phases, workers=workers)
    phases.cpu = cpu_seconds() - cpu
    return time.perf_counter() - started, report, phases


def bench(url: str, label: str, path: Path, rows: int, workers: int | None) -> None:
    schema.init(url)
    User.create(username="bench", role=Role.get(Role.name == "admin"))
    actor = actor_for("bench")
    seconds, report, phases = run_once(actor, path, workers)
    assert report.rejected == 0 and report.created == rows, report.detail_lines()[:10]
    audits = AuditRecord.select().count()
    print(f"{label}: first import of {rows:,} rows: {seconds:.1f} s "
          f"({phases.text(seconds)}); {Customer.select().count():,} customers, "
          f"{audits:,} audit rows, {report.rows_with_warnings:,} rows with warnings")
    seconds, report, phases = run_once(actor, path, workers)
    assert report.unchanged == rows - rows // 10 and report.created == rows // 10
    print(f"{label}: same file again: {seconds:.1f} s ({phases.text(seconds)}); "
          f"{report.unchanged:,} unchanged, {report.created:,} new (rows without a number)")
    dbmod.database.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:55432/postgres")
    parser.add_argument("--workers", type=int, default=None,
                        help="validation processes (default: one per CPU)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "customers.csv"
        started = time.perf_counter()
        write_file(path, args.rows)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s")
        if args.backend in ("sqlite", "both"):
            bench(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", path, args.rows, args.workers)
        if args.backend in ("postgresql", "both"):
            server = urlparse(args.pg)
            name = f"tradium_import_bench_{uuid.uuid4().hex[:8]}"
            admin = dbmod.pg_server_connection(args.pg)
            admin.cursor().execute(f'CREATE DATABASE "{name}"')
            try:
                bench(server._replace(path=f"/{name}").geturl(), "PostgreSQL", path, args.rows,
                      args.workers)
            finally:
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
