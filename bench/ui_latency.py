"""UI latency: from a key to the screen showing its answer, in a real terminal.

    .venv/bin/python bench/ui_latency.py [--runs N] [--size 120x40] [--customers N]
                                         [--db URL] [--texts N]

Runs ``tradium-tui`` and a bare Textual app side by side in tmux and, alternating between
the two, sends keys with ``tmux send-keys`` and times when the terminal shows the answer:

- ``ctrl+e``: the customer editor is on screen (its title), and filled (the customer number
  stands in its field);
- ``ctrl+n``: the kind question is on screen; then ``b``: the new-company form is on screen
  and filled (the home country stands in its field);
- ``l``: the log-contact form (a small form) is on screen;
- ``]`` / ``[``: a tab switch, until the tab shows its loaded rows (or says it has none);
- opening a customer: the finder, its number typed, Enter, until the header shows it and
  the first tab (contacts) its loaded rows;
- ``f``: the finder is on screen, and its recent customers are listed;
- a keystroke in the finder: the box shows the typed text and the status line and first row
  show that text's results (what ``services.search`` answers for it, asked beforehand).

The bare app (written below, about 60 lines) has a header block, a table and a Footer; ``m``
opens a modal with a title and one input (what any Textual dialog costs at least), ``e`` a
modal form of 40 label + input rows written the plain way, ``f`` a finder that filters
1,000 names in memory on every keystroke.  Its figures stand beside ours as ratios.

How it measures: ``tmux pipe-pane`` hands every byte the program writes to the terminal to
a small reader that only appends it, with the time it arrived, to a log; nothing polls the
screen while the program works (on a 2-CPU machine a ``capture-pane`` loop takes CPU from
the program it measures).  The bench feeds the log through a terminal emulator (pyte) and
finds the first moment at which the screen shows the answer, so a frame that Textual draws
in pieces counts when its last needed piece arrived.  The clock starts just before
``tmux send-keys`` runs, so each figure includes tmux delivering the key (a few ms).
Prints each case's p50 / p95 / max in ms and the ratio to the bare app's matching case.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / ".venv" / "bin" / "tradium-tui"

# Appends every chunk of terminal output to the log as (time, length, bytes).
READER = r"""
import os, struct, sys, time
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
while True:
    chunk = os.read(0, 65536)
    if not chunk:
        break
    os.write(out, struct.pack("<dI", time.time(), len(chunk)) + chunk)
"""

BARE_APP = r'''
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static, TabbedContent, TabPane

NAMES = [f"Customer {n:04d} {'Tilburg Breda Utrecht Zwolle'.split()[n % 4]}" for n in range(1000)]
CSS = """
.dialog { width: 84; max-width: 98%; height: auto; max-height: 90%; border: thick $primary;
          background: $surface; padding: 0 2; }
.dialog VerticalScroll { height: auto; max-height: 1fr; }
.row { height: auto; }
.row Label { width: 22; }
.row Input { width: 1fr; }
#finder { width: 100; height: 90%; }
#finder DataTable { height: 1fr; }
ModalScreen > Footer { dock: bottom; }
"""

class Form(ModalScreen):
    BINDINGS = [("escape", "app.pop_screen", "Close")]
    def __init__(self, title, rows):
        super().__init__()
        self.form_title, self.rows = title, rows
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.form_title)
            with VerticalScroll():
                for n in range(self.rows):
                    with Horizontal(classes="row"):
                        yield Label(f"Field {n + 1}")
                        yield Input(f"value {n + 1}", compact=True)
        yield Footer()

class Finder(ModalScreen):
    BINDINGS = [("escape", "app.pop_screen", "Close")]
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="finder"):
            yield Static("Bare finder")
            yield Input(placeholder="Name or city", id="query")
            yield Static("All customers", id="status")
            yield DataTable(cursor_type="row")
        yield Footer()
    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Number", "Name")
        self.show("")
    def on_input_changed(self, event: Input.Changed) -> None:
        self.show(event.value)
    def show(self, text: str) -> None:
        hits = [name for name in NAMES if text.lower() in name.lower()][:50]
        table = self.query_one(DataTable)
        table.clear()
        for name in hits:
            table.add_row(name[9:13], name)
        self.query_one("#status", Static).update(f"{len(hits)} matches for '{text}'")

class Bare(App):
    CSS = CSS
    BINDINGS = [("m", "open('minimal')", "Minimal"), ("e", "open('form')", "Form"),
                ("f", "open('finder')", "Finder")]
    def compose(self) -> ComposeResult:
        yield Static("Bare Customer (1001)\nStreet 1, 1234 AB Town\nPhone  E-mail\n"
                     "Open 0,00  Limit 0,00", id="header")
        with TabbedContent():
            for name in ("Contacts", "Actions", "Quotes", "Orders", "Invoices", "Notes",
                         "History"):
                with TabPane(name):
                    yield DataTable()
        yield Footer()
    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_columns("Name", "Phone", "E-mail")
            table.add_rows([(f"Person {n}", f"+31 6 {n:08d}", f"p{n}@example.nl")
                            for n in range(20)])
    def action_open(self, what: str) -> None:
        if what == "finder":
            self.push_screen(Finder())
        else:
            self.push_screen(Form("Bare minimal" if what == "minimal" else "Bare form",
                                  1 if what == "minimal" else 40))

if __name__ == "__main__":
    Bare().run()
'''

Check = Callable[[list[str]], bool]


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", *args], check=check, capture_output=True, text=True)


def has(*words: str) -> Check:
    """A line of the screen holds every word."""
    return lambda lines: any(all(word in line for word in words) for line in lines)


def matches(pattern: str) -> Check:
    regex = re.compile(pattern)
    return lambda lines: any(regex.search(line) for line in lines)


def lacks(check: Check) -> Check:
    return lambda lines: not check(lines)


def both(*checks: Check) -> Check:
    return lambda lines: all(check(lines) for check in checks)


class Terminal:
    """One program in a tmux session; its output is read back from the reader's log."""

    def __init__(self, name: str, command: str, size: str, work: Path) -> None:
        import pyte

        width, height = (int(part) for part in size.split("x"))
        self.name = name
        self.log = work / f"{name}.log"
        self.offset = 0
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        channel = f"{name}-go"
        made = tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                    f"tmux wait-for {channel}; exec {command}", check=False)
        if made.returncode != 0:
            raise SystemExit(f"tmux could not start a session: {made.stderr.strip()}")
        reader = work / "reader.py"
        tmux("pipe-pane", "-t", name,
             f"exec {shlex.quote(sys.executable)} {shlex.quote(str(reader))} "
             f"{shlex.quote(str(self.log))}")
        tmux("wait-for", "-S", channel)

    def lines(self) -> list[str]:
        return self.screen.display

    def _chunks(self):
        if not self.log.exists():
            return
        with self.log.open("rb") as log:
            log.seek(self.offset)
            data = log.read()
        at = 0
        while at + 12 <= len(data):
            stamp, length = struct.unpack_from("<dI", data, at)
            if at + 12 + length > len(data):
                break
            yield stamp, data[at + 12: at + 12 + length]
            at += 12 + length
            self.offset += 12 + length

    def wait(self, checks: list[Check], since: float, timeout: float = 30.0,
             step: float = 0.25) -> list[float]:
        """The times (s after ``since``) at which the screen first passed each check, in
        order: check k is looked for only after check k-1 held."""
        found: list[float] = []
        deadline = time.monotonic() + timeout
        while True:
            for stamp, chunk in self._chunks():
                self.stream.feed(chunk)
                if stamp < since:
                    continue
                lines = None
                while len(found) < len(checks):
                    lines = lines or self.lines()
                    if not checks[len(found)](lines):
                        break
                    found.append(stamp - since)
            if len(found) == len(checks):
                return found
            if time.monotonic() > deadline:
                screen = "\n".join(self.lines())
                raise SystemExit(f"{self.name}: check {len(found) + 1} of {len(checks)} "
                                 f"not met within {timeout:.0f} s:\n{screen}")
            time.sleep(step)  # the bench waits; the reader does the timing

    def press(self, *keys: str, literal: bool = False) -> float:
        """Send keys; the moment just before they are sent."""
        started = time.time()
        tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)
        return started

    def settle(self, seconds: float = 0.4) -> None:
        time.sleep(seconds)
        for _stamp, chunk in self._chunks():
            self.stream.feed(chunk)

    def close(self) -> None:
        tmux("kill-session", "-t", self.name, check=False)


@dataclass
class Figures:
    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, label: str, seconds: float) -> None:
        self.times.setdefault(label, []).append(seconds * 1000)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def expected_results(url: str, texts: list[str]) -> dict[str, tuple[str, str]]:
    """What the finder must show for every prefix: (status text, first row's number)."""
    from tradium_tui import db as dbmod
    from tradium_tui import formatting as fmt
    from tradium_tui.db import schema
    from tradium_tui.screens.finder import SEARCH_LIMIT
    from tradium_tui.services import search

    schema.init(url, upgrade=False)
    wanted: dict[str, tuple[str, str]] = {}
    for text in texts:
        for end in range(1, len(text) + 1):
            prefix = text[:end]
            hits = search.search_customers(prefix, SEARCH_LIMIT)
            count = len(hits)
            if count >= SEARCH_LIMIT:
                status = f"First {fmt.number(count)} matches"
            elif count:
                status = f"{fmt.number(count)} match{'es' if count != 1 else ''}"
            else:
                status = "No customer matches"
            wanted[prefix] = (status, str(hits[0].number) if hits else "")
    dbmod.database.close()
    return wanted


def pick_texts(url: str, count: int) -> list[str]:
    """Texts a person types into the finder: customers' names, cities and postcodes."""
    from tradium_tui import db as dbmod
    from tradium_tui.db import schema
    from tradium_tui.models import Customer

    schema.init(url, upgrade=False)
    texts: list[str] = []
    rows = (Customer.select().where(Customer.deleted_at.is_null()).order_by(Customer.id)
            .limit(40))
    for customer in rows:
        for text in (customer.name.split()[0], customer.visit_city or "",
                     (customer.visit_postcode or "")[:4]):
            if len(text) >= 3 and text not in texts:
                texts.append(text)
    dbmod.database.close()
    picked = texts[::max(1, len(texts) // max(1, count))][:count]
    return picked


CONTACTS_LOADED = matches(r"\d+ contacts?(  ·|$| )|No contacts for this customer")


def header_shows(number: str) -> Check:
    return lambda lines: bool(re.match(rf"\s*.+ \({number}\)", lines[0]))


def header_customer(lines: list[str]) -> tuple[str, str]:
    found = re.match(r"\s*(.+?) \((\d+)\)", lines[0])
    if not found:
        raise SystemExit("The header line shows no customer:\n" + "\n".join(lines))
    return found.group(1), found.group(2)


def measure_app(app: Terminal, figures: Figures, texts: list[str],
                wanted: dict[str, tuple[str, str]], name: str, number: str) -> None:
    # The main screen again: its tab keys in the Footer, no dialog's Escape key.
    main_back = both(has("◀Tab"), lacks(matches(r"esc (Cancel|Close)")))
    # The customer editor.
    since = app.press("C-e")
    shown, filled = app.wait([has(f"Edit {name} ({number})"),
                              matches(rf"Customer number\s+{number}\b")], since)
    figures.add("ctrl+e editor on screen", shown)
    figures.add("ctrl+e editor filled", filled)
    app.settle()
    app.wait([main_back], app.press("Escape"))
    app.settle()
    # A new company: the kind question, then the form.
    since = app.press("C-n")
    figures.add("ctrl+n kind question on screen", app.wait([has("natural person")], since)[0])
    app.settle()
    since = app.press("b")
    shown, filled = app.wait([has("New company"), matches(r"Country \*\s+[A-Z]{2}\s")], since)
    figures.add("b new-company form on screen", shown)
    figures.add("b new-company form filled", filled)
    app.settle()
    app.wait([main_back], app.press("Escape"))
    app.settle()
    # A small form.
    since = app.press("l")
    figures.add("l log-contact form on screen",
                app.wait([both(has("Log contact moment"), has("Subject"))], since)[0])
    app.settle()
    app.wait([main_back], app.press("Escape"))
    app.settle()
    # Tab switches: Contacts -> Actions -> Quotes -> Orders and back, each until the tab's
    # table is there and (where the tab says how many) its loaded rows are counted.
    loaded = {
        "Actions": has("Follow-up"),
        "Quotes": has("Valid until"),
        "Orders": matches(r"\d+ orders?  ·|No orders for this customer"),
        "Contacts": CONTACTS_LOADED,
    }
    for key, tab in (("]", "Actions"), ("]", "Quotes"), ("]", "Orders"), ("[", "Quotes"),
                     ("[", "Actions"), ("[", "Contacts")):
        since = app.press(key)
        figures.add("tab switch to rows rendered", app.wait([loaded[tab]], since)[0])
        app.settle(0.3)
    # Opening a customer from the finder: the next customer, then back to the first.
    for target in (str(int(number) + 1), number):
        app.wait([has("Find customer")], app.press("f"))
        app.settle(0.2)
        app.press(target, literal=True)
        app.wait([matches(rf"\s{target}\s")], time.time() - 0.001)
        app.settle(0.4)
        since = app.press("Enter")
        figures.add("open a customer: header and first tab",
                    app.wait([both(header_shows(target), CONTACTS_LOADED)], since)[0])
        app.settle()
    # The finder, and typing in it.
    for text in texts:
        since = app.press("f")
        shown, listed = app.wait(
            [has("Find customer"), matches(rf"█\s+{number}\s+{re.escape(name)}")], since)
        figures.add("f finder on screen", shown)
        figures.add("f finder recent customers listed", listed)
        app.settle()
        for end in range(1, len(text) + 1):
            prefix = text[:end]
            status, first = wanted[prefix]
            # The box (between its side borders) holds the text; status and first row fit.
            checks = [matches(rf"▊\s+{re.escape(prefix)}\s+▎"), has(status)]
            if first:
                checks.append(matches(rf"█\s+{first}\s\s"))
            since = app.press(prefix[-1], literal=True)
            figures.add("finder keystroke to result rows", app.wait([both(*checks)], since)[0])
            app.settle(0.15)
        app.wait([main_back], app.press("Escape"))
        app.settle()


def measure_bare(bare: Terminal, figures: Figures, texts: list[str]) -> None:
    main_back = has("Minimal")
    since = bare.press("m")
    figures.add("bare: minimal modal on screen", bare.wait([has("Bare minimal")], since)[0])
    bare.settle()
    bare.wait([main_back], bare.press("Escape"))
    bare.settle()
    since = bare.press("e")
    figures.add("bare: 40-row form on screen",
                bare.wait([both(has("Bare form"), has("value 1 "))], since)[0])
    bare.settle()
    bare.wait([main_back], bare.press("Escape"))
    bare.settle()
    for text in texts[:1]:
        since = bare.press("f")
        figures.add("bare: finder on screen",
                    bare.wait([has("matches for ''")], since)[0])
        bare.settle()
        for end in range(1, len(text) + 1):
            prefix = text[:end].lower()
            since = bare.press(prefix[-1], literal=True)
            figures.add("bare: finder keystroke to result rows",
                        bare.wait([has(f"matches for '{prefix}'")], since)[0])
            bare.settle(0.15)
        bare.wait([main_back], bare.press("Escape"))
        bare.settle()


PEERS = {
    "ctrl+e editor on screen": "bare: minimal modal on screen",
    "ctrl+e editor filled": "bare: 40-row form on screen",
    "ctrl+n kind question on screen": "bare: minimal modal on screen",
    "b new-company form on screen": "bare: minimal modal on screen",
    "b new-company form filled": "bare: 40-row form on screen",
    "l log-contact form on screen": "bare: minimal modal on screen",
    "f finder on screen": "bare: finder on screen",
    "finder keystroke to result rows": "bare: finder keystroke to result rows",
}


def report(figures: Figures, before: Figures | None = None) -> None:
    if before is not None:
        print("Before (--compare) and after, alternated round by round; p50 / p95 in ms")
        print(f"{'case':<40} {'before p50':>10} {'p95':>7} {'after p50':>10} {'p95':>7}  after/before")
        for label, values in figures.times.items():
            old = before.times.get(label)
            if not old:
                continue
            print(f"{label:<40} {statistics.median(old):>10.0f} {p95(old):>7.0f} "
                  f"{statistics.median(values):>10.0f} {p95(values):>7.0f}  "
                  f"{statistics.median(values) / statistics.median(old):.2f}×", flush=True)
        print()
    print(f"{'case':<40} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}   (ms)  ratio p50 to the bare app")
    for label, values in figures.times.items():
        line = (f"{label:<40} {len(values):>4} {statistics.median(values):>7.0f} "
                f"{p95(values):>7.0f} {max(values):>7.0f}")
        peer = figures.times.get(PEERS.get(label, ""))
        if peer:
            line += (f"   {statistics.median(values) / statistics.median(peer):.2f}× "
                     f"({PEERS[label][6:]})")
        print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--customers", type=int, default=1000,
                        help="customers in the seeded demo database (default 1,000)")
    parser.add_argument("--db", help="measure on this database instead of seeding one")
    parser.add_argument("--program", default=str(PROGRAM),
                        help="the command that starts tradium-tui (default: this checkout's)")
    parser.add_argument("--compare", metavar="PROGRAM",
                        help="another build's tradium-tui (e.g. main's checkout), measured "
                             "in the same rounds, alternating with this one")
    parser.add_argument("--texts", type=int, default=2,
                        help="texts typed into the finder per round (default 2)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed (scripts/test.sh installs it).", file=sys.stderr)
        return 2
    if not PROGRAM.exists():
        print("Run scripts/setup-venv.sh --test first.", file=sys.stderr)
        return 2
    try:
        import pyte  # noqa: F401
    except ImportError:
        print("pyte is needed: scripts/setup-venv.sh --test installs it.", file=sys.stderr)
        return 2
    keeper = f"ui-keep-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", keeper, "sleep 3600", check=False)
    terminals: list[Terminal] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "reader.py").write_text(READER)
            (work / "bare.py").write_text(BARE_APP)
            url = args.db or f"sqlite:///{work / 'ui.db'}"
            env = dict(os.environ, TRADIUM_USER="admin")
            if not args.db:
                subprocess.run([str(PROGRAM), "demo", "--db", url, "--customers",
                                str(args.customers), "--quiet"], check=True, env=env)
            texts = pick_texts(url, args.texts)
            wanted = expected_results(url, texts)
            home = work / "data"
            home.mkdir()
            app_command = (f"env XDG_DATA_HOME={shlex.quote(str(home))} TRADIUM_USER=admin "
                           "TRADIUM_LANGUAGE=en "
                           f"{args.program} --db {shlex.quote(url)} --user admin")
            app = Terminal(f"ui-app-{uuid.uuid4().hex[:6]}", app_command, args.size, work)
            terminals.append(app)
            old = None
            if args.compare:
                old_command = app_command.replace(args.program, shlex.quote(args.compare), 1)
                old = Terminal(f"ui-old-{uuid.uuid4().hex[:6]}", old_command, args.size, work)
                terminals.append(old)
            bare = Terminal(f"ui-bare-{uuid.uuid4().hex[:6]}",
                            f"{shlex.quote(sys.executable)} {shlex.quote(str(work / 'bare.py'))}",
                            args.size, work)
            terminals.append(bare)
            app.wait([both(has("Contacts"), has("Limit"))], 0.0, timeout=60)
            bare.wait([has("Bare Customer")], 0.0, timeout=60)
            if old is not None:
                old.wait([both(has("Contacts"), has("Limit"))], 0.0, timeout=60)
                old.settle(1.0)
            app.settle(1.0)
            name, number = header_customer(app.lines())
            print(f"tradium-tui on {url.split('?')[0]} at {args.size}; customer {name} "
                  f"({number}); finder texts {texts}", flush=True)
            figures = Figures()
            before = Figures() if old is not None else None
            for round_ in range(args.runs):
                if old is not None and before is not None:
                    measure_app(old, before, texts, wanted, name, number)
                measure_app(app, figures, texts, wanted, name, number)
                measure_bare(bare, figures, texts)
                print(f"round {round_ + 1}: " + ", ".join(
                    f"{label} {values[-1]:.0f}" for label, values in figures.times.items()
                    if not label.startswith("finder keystroke")), flush=True)
            report(figures, before)
    finally:
        for terminal in terminals:
            terminal.close()
        tmux("kill-session", "-t", keeper, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
