"""Helpers of the end-to-end tests: the skipping rule, polling, a PostgreSQL server of our
own, terminals in tmux, and the description of a team server."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
BACKEND = os.environ.get("TRADIUM_TEST_BACKEND", "sqlite")
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

# Figures measured along the way, printed at the end of the run.
MEASUREMENTS: dict[str, str] = {}

def postgresql_pass_only() -> None:
    if BACKEND != "postgresql":
        pytest.skip("runs in the PostgreSQL pass")


def cannot_run(reason: str) -> None:
    """Skip when this machine truly cannot run the test; in CI that is a failure."""
    if IN_CI:
        pytest.fail(f"end-to-end test cannot run in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], timeout: float = 600, env: dict | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(
            f"{shlex.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def wait_until(predicate: Callable[[], object], timeout: float, what: str,
               every: float = 0.1):
    """Poll ``predicate`` every ``every`` seconds until it is truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class PgServer:
    """A throw-away PostgreSQL server of our own (scripts/pg.sh), which tests may stop."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        run(["bash", str(SCRIPTS / "pg.sh"), "start", str(self.directory), str(self.port)],
            timeout=300)

    def stop(self) -> None:
        run(["bash", str(SCRIPTS / "pg.sh"), "stop", str(self.directory)], timeout=120)

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg2

        conn = psycopg2.connect(self.url, connect_timeout=10)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()


# --------------------------------------------------------------------------- terminals


class Terminals:
    """tmux on a socket of its own; each session a terminal running one command.

    Panes stay after their command ends (``remain-on-exit``).
    """

    def __init__(self) -> None:
        self.socket = f"e2e-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.conf = Path(tempfile.mkdtemp(prefix="e2e-tmux-")) / "tmux.conf"
        self.conf.write_text("set -g remain-on-exit on\nset -g history-limit 2000\n"
                             "set -g default-terminal screen-256color\n")
        self.sessions: list[str] = []

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(["tmux", "-L", self.socket, "-f", str(self.conf), *args], timeout=30,
                   check=check)

    def open(self, name: str, command: str, width: int = 120, height: int = 36) -> None:
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        self.sessions.append(name)

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name).stdout

    def send(self, name: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", name, *keys)

    def type(self, name: str, text: str) -> None:
        self.tmux("send-keys", "-t", name, "-l", text)

    def pane(self, name: str, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", name, fmt).stdout.strip()

    def dead(self, name: str) -> bool:
        return self.pane(name, "#{pane_dead}") == "1"

    def wait_for(self, name: str, check: str | Callable[[str], object], timeout: float = 30,
                 what: str = "") -> str:
        """Poll the screen every 0.1 s until ``check`` (text or predicate) holds."""
        test = (lambda s: check in s) if isinstance(check, str) else check
        last = {"screen": ""}

        def probe():
            last["screen"] = self.screen(name)
            return test(last["screen"])

        try:
            wait_until(probe, timeout, what or repr(check))
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen of {name} was:\n{last['screen']}") from None
        return last["screen"]

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        shutil.rmtree(self.conf.parent, ignore_errors=True)


# --------------------------------------------------------------------------- team server


@dataclass
class Team:
    prefix: Path
    config: Path
    ssh_port: int
    db_url: str
    logins: dict[str, str]  # login -> CRM role
    group: str
    pg: PgServer
    setup_seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def venv(self) -> Path:
        return self.prefix / "venv"

    def key(self, login: str) -> Path:
        return self.prefix / "keys" / login

    def ssh_command(self, login: str, remote: str = "", tty: bool = True) -> list[str]:
        cmd = ["ssh"]
        if tty:
            cmd.append("-tt")
        cmd += ["-i", str(self.key(login)), "-p", str(self.ssh_port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                f"{login}@127.0.0.1"]
        if remote:
            cmd.append(remote)
        return cmd

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run the installed program as root with the team config (an admin command)."""
        return run([str(self.venv / "bin" / "tradium-tui"), *args],
                   env={"TRADIUM_CONFIG": str(self.config)}, check=check, timeout=120)


def team_requirements() -> None:
    if os.geteuid() != 0:
        cannot_run("the team server test needs root (it creates OS users and runs sshd)")
    if shutil.which("apt-get") is None and not (
        Path("/usr/sbin/sshd").exists() and shutil.which("ssh") and shutil.which("tmux")
    ):
        cannot_run("OpenSSH server, client and tmux are missing and apt-get is not available")
    if not Path("/usr/bin/python3").exists():
        cannot_run("/usr/bin/python3 is missing (the team venv is made from it)")

