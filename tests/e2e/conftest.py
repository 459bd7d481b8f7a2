"""End-to-end fixtures: a PostgreSQL server of our own, a team server made by
``scripts/team-setup.sh`` (venv, config, OS logins, keys, sshd with ForceCommand), and
terminals driven through tmux.

The end-to-end tests need PostgreSQL whatever the backend of the run, so they run in the
PostgreSQL pass only.  They need root (OS users, sshd), tmux and OpenSSH; the set-up
script installs what is missing.  Outside CI a missing piece skips them with the reason;
in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from .support import (
    MEASUREMENTS,
    SCRIPTS,
    PgServer,
    Team,
    Terminals,
    cannot_run,
    free_port,
    postgresql_pass_only,
    run,
    team_requirements,
)


def pytest_terminal_summary(terminalreporter):
    if MEASUREMENTS:
        terminalreporter.section("end-to-end measurements")
        for name, value in MEASUREMENTS.items():
            terminalreporter.write_line(f"{name}: {value}")

@pytest.fixture(scope="session")
def e2e_pg():
    postgresql_pass_only()
    if os.geteuid() != 0 and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        cannot_run("PostgreSQL server programs are missing and we are not root to install them")
    base = Path(tempfile.mkdtemp(prefix="e2e-pg-"))
    base.chmod(0o755)  # the server runs as the 'postgres' user when we are root
    server = PgServer(base / "pg", free_port())
    try:
        server.start()
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def terminals():
    if shutil.which("tmux") is None:
        cannot_run("tmux is not installed")
    terms = Terminals()
    yield terms
    terms.close()


@pytest.fixture(scope="session")
def team(e2e_pg):
    """A team server: logins A (account_manager) and B (role 'desk': like sales, may edit
    the base data, does not see invoices), each with an SSH key, behind our own sshd."""
    team_requirements()
    tag = uuid.uuid4().hex[:6]
    keep = os.environ.get("TRADIUM_E2E_PREFIX")  # a kept prefix makes reruns faster
    prefix = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="e2e-team-"))
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    a, b = f"e2ea{tag}", f"e2eb{tag}"
    logins = {a: "account_manager", b: "desk"}
    config = prefix / "etc" / "config.toml"
    port = free_port()
    group = f"e2e{tag}"
    script = ["bash", str(SCRIPTS / "team-setup.sh")]
    # The tree to install (default: this checkout).
    source = os.environ.get("TRADIUM_E2E_SOURCE") or str(SCRIPTS.parent)
    started = time.monotonic()
    result = run(script + [
        "install", "--prefix", str(prefix), "--config", str(config), "--group", group,
        "--source", source,
        "--ssh-port", str(port), "--pg-admin-url", e2e_pg.url,
        "--db-name", f"e2e_team_{tag}", "--db-role", f"e2e_team_{tag}",
        "--strict-modes", "no",
        "--crm", "roles add desk --like sales --label 'Sales desk'",
        "--crm", "roles set desk base-edit on",
        "--crm", "roles grant desk invoices hidden",
        "--user", f"{a}:account_manager", "--user", f"{b}:desk",
    ], timeout=900, check=False)
    setup_seconds = time.monotonic() - started
    if result.returncode != 0:
        run(script + ["remove", "--prefix", str(prefix)] + (["--keep-venv"] if keep else []),
            check=False)
        raise AssertionError(f"team-setup.sh install failed:\n{result.stdout}\n{result.stderr}")
    # The logins read the program's English, as the other tests do (the default would be
    # the language of the locale, Dutch).
    with config.open("a", encoding="utf-8") as fileobj:
        fileobj.write('\nlanguage = "en"\n')
    team = None
    try:
        run(script + ["start-sshd", "--prefix", str(prefix)], timeout=60)
        db_url = ""
        for line in config.read_text().splitlines():
            if line.startswith("db_url"):
                db_url = line.split("=", 1)[1].strip().strip('"')
        team = Team(prefix=prefix, config=config, ssh_port=port, db_url=db_url,
                    logins=logins, group=group, pg=e2e_pg, setup_seconds=setup_seconds)
        MEASUREMENTS["team-setup.sh install"] = f"{setup_seconds:.1f} s"
        yield team
    finally:
        remove = script + ["remove", "--prefix", str(prefix)]
        if keep:
            remove.append("--keep-venv")
        run(remove, check=False, timeout=300)
