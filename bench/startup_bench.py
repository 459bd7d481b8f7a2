"""Start-up time: from starting ``tradium-tui`` until header and tabs are on the terminal.

    .venv/bin/python bench/startup_bench.py [--runs N] [--sizes 120x40,80x24] [--customers N]

Starts the real program in tmux, the way a person would, and measures the time from the
moment it is started until the terminal has received a frame that holds both the tab row
("Contacts") and the header's credit line ("Limit"), in the language of ``--language``
(default English, as the figures in bench/README.md).  Three cases, each N times per size:

- ``tradium-tui --demo``, first start: an empty data folder each time, so the demo
  database is created and seeded (1,000 customers) during the start;
- ``tradium-tui --demo``, later starts: the demo database is there;
- ``tradium-tui --db FILE``: a database seeded beforehand with ``--customers`` customers,
  alternated run by run with ``bench/bare_app.py`` — a bare Textual app of the same shape
  (header block, seven tabs with a table, Footer) — so the ratio of the two medians, which
  the bench prints, is measured in one sitting under the same load.

Each start gets its own data folder (``XDG_DATA_HOME``) under a temporary directory, so
the user's own demo database is never touched.  The terminal output is read through
``tmux pipe-pane`` by a small reader that blocks on the pipe: nothing polls the screen, so
the measurement does not take CPU from the program it measures (on a 2-CPU machine a
polling loop around ``capture-pane`` added ~0.3 s).  The program is started only after
the reader is attached (a tmux wait channel).  Prints each run and min / median / max.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / ".venv" / "bin" / "tradium-tui"
BARE_APP = ROOT / "bench" / "bare_app.py"
BARE_WORDS = ["Contacts", "Limit"]

# Reads the pane's output until the frame with header and tabs has arrived (the words
# after the file name, UTF-8); writes the wall-clock time of that moment to that file.
READER = r"""
import os, sys, time
wanted = tuple(word.encode() for word in sys.argv[2:])
seen = b""
while True:
    chunk = os.read(0, 65536)
    if not chunk:
        break
    seen += chunk
    if all(word in seen for word in wanted):
        with open(sys.argv[1], "w") as out:
            out.write(repr(time.time()))
        break
while os.read(0, 65536):
    pass
"""


def tmux(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", *args], check=check, capture_output=True, text=True)


def wanted_words(language: str, size: str) -> list[str]:
    """The tab row's first label and the header's credit-limit label, as the program
    shows them in ``language`` at ``size`` (the header condenses on small terminals)."""
    sys.path.insert(0, str(ROOT))
    from tradium_tui import i18n
    from tradium_tui.widgets.header import COMPACT_HEIGHT, COMPACT_WIDTH

    width, height = (int(x) for x in size.split("x"))
    compact = width < COMPACT_WIDTH or height < COMPACT_HEIGHT
    i18n.set_language(language)
    words = [i18n._("Contacts"),
             i18n.pgettext("header, condensed" if compact else "header", "Limit")]
    i18n.set_language("en")
    return words


LANGUAGE = "en"


def one_start(arguments: list[str], size: str, work: Path, data_home: Path,
              program: list[str] | None = None, words: list[str] | None = None) -> float:
    """Seconds from the start of ``program`` (default tradium-tui) with ``arguments`` until
    the terminal holds ``words`` (default: this language's tab and credit-limit words)."""
    width, height = size.split("x")
    name = f"startup-{uuid.uuid4().hex[:8]}"
    channel = f"{name}-go"
    started = work / f"{name}.started"
    shown = work / f"{name}.shown"
    reader = work / "reader.py"
    program = " ".join(shlex.quote(part) for part in [*(program or [str(PROGRAM)]), *arguments])
    command = (
        f"tmux wait-for {channel}; "
        f"{shlex.quote(sys.executable)} -c 'import time; print(repr(time.time()))' > {shlex.quote(str(started))}; "
        f"XDG_DATA_HOME={shlex.quote(str(data_home))} TRADIUM_LANGUAGE={LANGUAGE} "
        f"exec {program}"
    )
    made = tmux("new-session", "-d", "-s", name, "-x", width, "-y", height, command, check=False)
    if made.returncode != 0:
        raise SystemExit(f"tmux could not start a session: {made.stderr.strip()}")
    try:
        words = " ".join(shlex.quote(word) for word in (words or wanted_words(LANGUAGE, size)))
        tmux("pipe-pane", "-t", name,
             f"exec {shlex.quote(sys.executable)} {shlex.quote(str(reader))} "
             f"{shlex.quote(str(shown))} {words}")
        tmux("wait-for", "-S", channel)
        deadline = time.monotonic() + 30
        while not shown.exists() and time.monotonic() < deadline:
            time.sleep(0.25)  # the bench waits; the reader does the timing
        if not shown.exists():
            screen = tmux("capture-pane", "-p", "-t", name, check=False).stdout
            raise SystemExit(f"header and tabs did not appear within 30 s:\n{screen}")
        return float(shown.read_text()) - float(started.read_text())
    finally:
        tmux("kill-session", "-t", name, check=False)


def report(label: str, times: list[float]) -> None:
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label}: header and tabs after {shown} s; min {min(times):.2f} / "
          f"median {statistics.median(times):.2f} / max {max(times):.2f} s", flush=True)


def measure(args: argparse.Namespace, work: Path) -> None:
    sizes = args.sizes.split(",")
    fresh = iter(range(10_000))

    def new_home() -> Path:
        home = work / f"data-{next(fresh)}"
        home.mkdir()
        return home

    home = new_home()
    if not args.only_db:
        for size in sizes:
            report(f"{size} --demo, first start (seeds the demo database)",
                   [one_start(["--demo"], size, work, new_home()) for _ in range(args.runs)])
        one_start(["--demo"], "120x40", work, home)  # seeds it, not counted
        for size in sizes:
            report(f"{size} --demo, later start",
                   [one_start(["--demo"], size, work, home) for _ in range(args.runs)])
    db_url = f"sqlite:///{work / 'startup.db'}"
    env = dict(os.environ, TRADIUM_USER="admin")
    subprocess.run([str(PROGRAM), "demo", "--db", db_url, "--customers", str(args.customers),
                    "--quiet"], check=True, env=env)
    arguments = ["--db", db_url, "--user", "admin"]
    bare = [sys.executable, str(BARE_APP)]
    one_start(arguments, "120x40", work, home)  # warm the file cache, not counted
    one_start([], "120x40", work, home, bare, BARE_WORDS)
    for size in sizes:
        ours: list[float] = []
        peer: list[float] = []
        for _ in range(args.runs):  # alternated, so both see the same machine
            ours.append(one_start(arguments, size, work, home))
            peer.append(one_start([], size, work, home, bare, BARE_WORDS))
        report(f"{size} --db ({args.customers:,} customers)", ours)
        report(f"{size} bare Textual app (bench/bare_app.py)", peer)
        print(f"{size} ratio of the medians: "
              f"{statistics.median(ours) / statistics.median(peer):.2f}x the bare app", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="120x40,80x24")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--language", default="en", choices=("en", "nl", "fr", "es"),
                        help="the interface language the program starts in")
    parser.add_argument("--only-db", action="store_true",
                        help="only the --db case beside the bare app (skips the --demo cases)")
    args = parser.parse_args()
    global LANGUAGE
    LANGUAGE = args.language
    if shutil.which("tmux") is None:
        print("tmux is needed (scripts/test.sh installs it).", file=sys.stderr)
        return 2
    if not PROGRAM.exists():
        print("Run scripts/setup-venv.sh first.", file=sys.stderr)
        return 2
    # A session that outlives the measured ones keeps the tmux server running between them.
    keeper = f"startup-keep-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", keeper, "sleep 3600", check=False)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "reader.py").write_text(READER)
            measure(args, work)
    finally:
        tmux("kill-session", "-t", keeper, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
