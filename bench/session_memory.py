"""Memory of one session: peak RSS of one app process on a 100,000-customer database.

    .venv/bin/python bench/session_memory.py [--pg URL] [--customers N] [--keep]

A team server runs one app process per SSH login, so its memory per session is the
resident memory of one ``tradium-tui`` process.  This script seeds a PostgreSQL database
with N demo customers (and everything around them) — or reuses one a previous ``--keep``
run left — and runs the real program in a real terminal (tmux, 120x40) the way a person
would: start (until the customer header shows), find a customer by name, open it, and
visit every tab.  After each step it reads the process's ``VmRSS`` and ``VmHWM`` (peak
RSS) from /proc.  The same walk on a database with 10 customers shows how much of the
figure comes from the data.  Beside it, the same walk (start, every tab) of
``bench/bare_app.py`` — a bare Textual app with a header block, seven tabs with a table
and a Footer — gives the peer figure, and the bench prints the ratio.

Besides the peak RSS it prints each process's private memory (``Private_Clean`` +
``Private_Dirty`` of ``/proc/PID/smaps_rollup``): the pages only that session uses.  The
rest of its RSS is shared library code (Python, the PostgreSQL driver's libpq and OpenSSL,
SQLite) that every session on a team server maps once, so N logins need about
N × private + one RSS, not N × RSS.

The PostgreSQL server is ``--pg`` (default ``$TRADIUM_TEST_PG_URL``), else a throw-away
one started with scripts/pg.sh.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import socket
import subprocess
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

USER = "bench"


def prepare(server: str, name: str, customers: int) -> str:
    """A database ``name`` on ``server`` with at least ``customers`` customers and the user."""
    conn = dbmod.pg_server_connection(server)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    url = urlparse(server)._replace(path=f"/{name}").geturl()
    schema.init(url)
    from tradium_tui.demo.seed import seed_demo
    from tradium_tui.models import Customer, User
    from tradium_tui.services.access import system_actor
    from tradium_tui.services.users import add_user

    have = Customer.select().count()
    if have < customers:
        started = time.perf_counter()
        print(f"seeding {customers - have:,} demo customers into {name}…", flush=True)
        seed_demo(customers=customers - have)
        print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)
    if not User.select().where(User.username == USER).exists():
        add_user(system_actor("bench"), USER, "admin", "Benchmark")
    count = Customer.select().count()
    dbmod.database.close()
    print(f"{name}: {count:,} customers")
    return url


def proc_memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def private_memory(pid: int) -> int:
    """Private_Clean + Private_Dirty in KiB: what this process alone keeps resident."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Private_Clean", "Private_Dirty"):
            total += int(rest.split()[0])
    return total


class Terminal:
    def __init__(self) -> None:
        self.socket = f"e2e-mem-{os.getpid()}"
        self.name = "e2e-mem"

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, check=True).stdout

    def start(self, command: str) -> int:
        self.tmux("new-session", "-d", "-s", self.name, "-x", "120", "-y", "40",
                  f"exec {command}")
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def wait(self, check, timeout: float = 60.0, what: str = "") -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}:\n{screen}")
            time.sleep(0.1)

    def settle(self, timeout: float = 30.0) -> str:
        """Wait until the screen stops changing (two equal captures 0.5 s apart)."""
        deadline = time.monotonic() + timeout
        last = self.screen()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.screen()
            if now == last:
                return now
            last = now
        return last

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def header_name(screen: str) -> bool:
    first = screen.splitlines()[0] if screen.strip() else ""
    return "(" in first and ")" in first


def walk(url: str, label: str) -> dict[str, float]:
    """Run the program through one session; return the measurements (MiB, seconds)."""
    term = Terminal()
    # English: the steps below wait for its words.
    env = (f"TRADIUM_DB={shlex.quote(url)} TRADIUM_USER={USER} TRADIUM_CONFIG=/dev/null "
           "TRADIUM_LANGUAGE=en")
    command = f"env {env} {shlex.quote(sys.executable)} -m tradium_tui"
    out: dict[str, float] = {}
    try:
        started = time.monotonic()
        pid = term.start(command)
        screen = term.wait(header_name, 120, "the customer header")
        out["start_s"] = time.monotonic() - started
        term.settle()
        out["rss_start"], _ = proc_memory(pid)
        # Search for the first word of the open customer's name: at least one match.
        word = screen.splitlines()[0].split()[0].lower()
        term.send("f")
        term.wait(lambda s: "Find customer" in s, 30, "the finder")
        term.type(word)
        term.wait(lambda s: " match" in s and "No customer matches" not in s, 60,
                  "search results")
        term.send("Enter")
        term.wait(lambda s: "Find customer" not in s, 60, "the customer to open")
        term.settle()
        out["rss_search"], _ = proc_memory(pid)
        for _ in range(12):  # every tab once, and back to the first
            term.send("]")
            term.settle()
        out["rss_tabs"], out["peak"] = proc_memory(pid)
        out["private"] = private_memory(pid)
        term.send("C-q")
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        term.close()
    for key in ("rss_start", "rss_search", "rss_tabs", "peak", "private"):
        out[key] = out[key] / 1024
    print(f"{label}: start until the header {out['start_s']:.2f} s; RSS after start "
          f"{out['rss_start']:.0f} MiB, after a search {out['rss_search']:.0f} MiB, after "
          f"every tab {out['rss_tabs']:.0f} MiB; peak RSS {out['peak']:.0f} MiB, private "
          f"{out['private']:.0f} MiB", flush=True)
    return out


def walk_bare() -> dict[str, float]:
    """The peer: bench/bare_app.py started and walked through its tabs the same way."""
    term = Terminal()
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'bench' / 'bare_app.py'))}"
    out: dict[str, float] = {}
    try:
        started = time.monotonic()
        pid = term.start(command)
        term.wait(lambda s: "Contacts" in s and "Limit" in s, 60, "the bare app")
        out["start_s"] = time.monotonic() - started
        term.settle()
        out["rss_start"], _ = proc_memory(pid)
        for _ in range(8):
            term.send("]")
            term.settle()
        out["rss_tabs"], out["peak"] = proc_memory(pid)
        out["private"] = private_memory(pid)
        term.send("C-q")
    finally:
        term.close()
    for key in ("rss_start", "rss_tabs", "peak", "private"):
        out[key] = out[key] / 1024
    print(f"bare Textual app: RSS after start {out['rss_start']:.0f} MiB, after every tab "
          f"{out['rss_tabs']:.0f} MiB; peak RSS {out['peak']:.0f} MiB, private "
          f"{out['private']:.0f} MiB", flush=True)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("TRADIUM_TEST_PG_URL", ""),
                        help="PostgreSQL server URL (default: $TRADIUM_TEST_PG_URL)")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true",
                        help="keep the seeded database for the next run")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed (apt-get install tmux).", file=sys.stderr)
        return 2
    own = None
    server = args.pg
    if not server:
        own = Path(tempfile.mkdtemp(prefix="mem-bench-"))
        own.chmod(0o755)
        server = subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(own / "pg"), str(free_port())],
            capture_output=True, text=True, check=True).stdout.strip()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.1f}, Python {sys.version.split()[0]}")
    big = f"tradium_mem_{args.customers}"
    small = f"tradium_mem_small_{uuid.uuid4().hex[:6]}"
    try:
        big_url = prepare(server, big, args.customers)
        small_url = prepare(server, small, 10)
        walk(small_url, "10 customers")
        result = walk(big_url, f"{args.customers:,} customers")
        bare = walk_bare()
        print(f"peak RSS per session on {args.customers:,} customers: {result['peak']:.0f} MiB "
              f"= {result['peak'] / bare['peak']:.2f}x the bare app's {bare['peak']:.0f} MiB; "
              f"private {result['private']:.0f} MiB = {result['private'] / bare['private']:.2f}x "
              f"its {bare['private']:.0f} MiB")
    finally:
        conn = dbmod.pg_server_connection(server)
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{small}" WITH (FORCE)')
            if not args.keep:
                cur.execute(f'DROP DATABASE IF EXISTS "{big}" WITH (FORCE)')
        conn.close()
        if own is not None:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(own / "pg")],
                           capture_output=True)
            shutil.rmtree(own, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
