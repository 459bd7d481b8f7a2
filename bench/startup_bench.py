"""Start-up time: from starting ``tradium-tui`` until header and tabs are on the terminal.

    .venv/bin/python bench/startup_bench.py [--runs N] [--sizes 120x40,80x24] [--customers N]

Starts the real program in tmux, the way a person would, and measures the time from the
moment it is started until the terminal has received a frame that holds both the tab row
("Contacts") and the header's credit line ("Limit").  Three cases, each N times per size:

- ``tradium-tui --demo``, first start: an empty data folder each time, so the demo
  database is created and seeded (1,000 customers) during the start;
- ``tradium-tui --demo``, later starts: the demo database is there;
- ``tradium-tui --db FILE``: a database seeded beforehand with ``--customers`` customers.

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

# Reads the pane's output until the frame with header and tabs has arrived; writes the
# wall-clock time of that moment to the file named by its argument.
READER = r"""
import os, sys, time
wanted = (b"Contacts", b"Limit")
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


def one_start(arguments: list[str], size: str, work: Path, data_home: Path) -> float:
    width, height = size.split("x")
    name = f"startup-{uuid.uuid4().hex[:8]}"
    channel = f"{name}-go"
    started = work / f"{name}.started"
    shown = work / f"{name}.shown"
    reader = work / "reader.py"
    program = " ".join(shlex.quote(part) for part in [str(PROGRAM), *arguments])
    command = (
        f"tmux wait-for {channel}; "
        f"{shlex.quote(sys.executable)} -c 'import time; print(repr(time.time()))' > {shlex.quote(str(started))}; "
        f"XDG_DATA_HOME={shlex.quote(str(data_home))} exec {program}"
    )
    made = tmux("new-session", "-d", "-s", name, "-x", width, "-y", height, command, check=False)
    if made.returncode != 0:
        raise SystemExit(f"tmux could not start a session: {made.stderr.strip()}")
    try:
        tmux("pipe-pane", "-t", name,
             f"exec {shlex.quote(sys.executable)} {shlex.quote(str(reader))} {shlex.quote(str(shown))}")
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

    for size in sizes:
        report(f"{size} --demo, first start (seeds the demo database)",
               [one_start(["--demo"], size, work, new_home()) for _ in range(args.runs)])
    home = new_home()
    one_start(["--demo"], "120x40", work, home)  # seeds it, not counted
    for size in sizes:
        report(f"{size} --demo, later start",
               [one_start(["--demo"], size, work, home) for _ in range(args.runs)])
    db_url = f"sqlite:///{work / 'startup.db'}"
    env = dict(os.environ, TRADIUM_USER="admin")
    subprocess.run([str(PROGRAM), "demo", "--db", db_url, "--customers", str(args.customers),
                    "--quiet"], check=True, env=env)
    arguments = ["--db", db_url, "--user", "admin"]
    one_start(arguments, "120x40", work, home)  # warms the file cache, not counted
    for size in sizes:
        report(f"{size} --db ({args.customers:,} customers)",
               [one_start(arguments, size, work, home) for _ in range(args.runs)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="120x40,80x24")
    parser.add_argument("--customers", type=int, default=1000)
    args = parser.parse_args()
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
