"""The command-line contract, as a separate process and through ``cli.main(argv)``.

Bad database URLs and bad arguments end in one sentence on stderr and exit code 2, with
no traceback and nothing written; global options work before and after the subcommand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradium_tui import cli
from tradium_tui import db as dbmod
from tradium_tui.models import Customer, User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An isolated user: own data folder, empty config, no TRADIUM_* settings but the
    tests' language (English: the assertions read it)."""
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    for name in list(os.environ):
        if name.startswith("TRADIUM_") and name not in (
            "TRADIUM_TEST_BACKEND", "TRADIUM_TEST_PG_URL", "TRADIUM_LANGUAGE"
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("TRADIUM_CONFIG", str(config))
    from tradium_tui import config as config_module

    monkeypatch.setattr(config_module, "_settings", None)
    return tmp_path


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tradium_tui", *args],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env or os.environ.copy(),
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def _one_sentence(err: str) -> str:
    err = err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("tradium-tui: ") and err.endswith((".", ")")), err
    return err


# --------------------------------------------------------------------------- help, usage


def test_help_in_a_process(home):
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tradium-tui")
    for word in ("--db", "--user", "--demo", "demo", "db"):
        assert word in result.stdout
    result = run("demo", "--help")
    assert result.returncode == 0 and "--customers" in result.stdout and "--seed" in result.stdout
    result = run("db", "upgrade", "--help")
    assert result.returncode == 0 and "--db" in result.stdout


def test_help_in_process(home, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    assert "usage: tradium-tui" in capsys.readouterr().out


@pytest.mark.parametrize("argv,expect", [
    (["frobnicate"], "invalid choice"),
    (["--frobnicate"], "unrecognized arguments"),
    (["demo", "--customers", "many"], "not a whole number"),
    (["demo", "--customers", "-5"], "must be 0 or more"),
    (["demo", "--seed"], "expected one argument"),
    (["db"], "required"),
    (["db", "downgrade"], "invalid choice"),
    (["--db"], "expected one argument"),
])
def test_wrong_arguments_give_usage_and_exit_2(home, capsys, argv, expect):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: tradium-tui") and expect in err and "Traceback" not in err


def test_wrong_arguments_in_a_process(home):
    result = run("demo", "--customers", "many")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: tradium-tui demo") and "Traceback" not in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- bad databases


def _bad_urls(tmp: Path) -> dict[str, tuple[str, str]]:
    not_db = tmp / "notes.db"
    not_db.write_text("These are my notes, not a database.\n" * 50, encoding="utf-8")
    blocker = tmp / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    return {
        "unknown scheme": ("mysql://user@localhost/crm", "not understood"),
        "server down": ("postgresql://postgres@127.0.0.1:1/x", "cannot be reached"),
        # The app and db commands refuse a missing file; demo would create it and cannot.
        "unwritable path": (f"sqlite:///{blocker}/sub/crm.db", "cannot be created|no database at"),
        "not a database": (f"sqlite:///{not_db}", "not a SQLite database"),
        "a folder": (f"sqlite:///{tmp}", "is a folder"),
    }


COMMANDS = [
    ["db", "upgrade"],
    ["db", "version"],
    ["demo", "--customers", "3"],
    [],  # the app itself
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "app")
def test_bad_urls_one_sentence_exit_2_nothing_written(home, capsys, command):
    work = home / "work"
    work.mkdir()
    urls = _bad_urls(work)
    before = _files(home)
    for label, (url, words) in urls.items():
        assert cli.main([*command, "--db", url] if command else ["--db", url]) == 2, label
        captured = capsys.readouterr()
        err = _one_sentence(captured.err)
        assert any(w in err for w in words.split("|")), (label, err)
        assert captured.out == "", label
    assert _files(home) == before


def test_bad_urls_in_a_process(home):
    work = home / "work"
    work.mkdir()
    urls = _bad_urls(work)
    before = _files(home)
    for label, (url, words) in urls.items():
        for argv in (["--db", url, "db", "upgrade"], ["demo", "--db", url]):
            result = run(*argv)
            assert result.returncode == 2, (label, argv, result.stderr)
            assert any(w in _one_sentence(result.stderr) for w in words.split("|")), (label, result.stderr)
            assert result.stdout == ""
    assert _files(home) == before


def test_tradium_db_environment_variable_is_used_and_checked(home, monkeypatch, capsys):
    monkeypatch.setenv("TRADIUM_DB", "mysql://nope/nope")
    assert cli.main(["db", "version"]) == 2
    assert "mysql://nope/nope" in capsys.readouterr().err
    # --db wins over the environment.
    url = f"sqlite:///{home / 'x.db'}"
    assert cli.main(["db", "init", "--db", url]) == 0
    assert "Created a new database" in capsys.readouterr().out


# --------------------------------------------------------------------------- global options


def test_global_options_before_and_after_the_subcommand(home, db_url, capsys):
    assert cli.main(["--db", db_url, "db", "init"]) == 0
    assert "Created a new database" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--db", db_url]) == 0
    assert "up to date" in capsys.readouterr().out
    assert cli.main(["db", "--db", db_url, "version"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert cli.main(["--user", "someone", "demo", "--db", db_url, "--customers", "4", "--quiet"]) == 0
    assert "Seeded 4 customers" in capsys.readouterr().out
    # The database now has users: appending is an admin's (the demo's own admin here).
    assert cli.main(["demo", "--customers", "2", "--user", "admin", "--db", db_url, "--append"]) == 0
    assert "Seeded 2 customers" in capsys.readouterr().out
    dbmod.connect(db_url)
    assert Customer.select().count() == 6
    dbmod.database.close()


# --------------------------------------------------------------------------- demo seeding


def test_demo_command_seeds_and_refuses_to_seed_twice(home, db_url, capsys):
    assert cli.main(["demo", "--db", db_url, "--customers", "40", "--seed", "5"]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    assert out.startswith("Seeded 40 customers (numbers 1001–1040)") and " s. Database: " in out
    dbmod.connect(db_url)
    assert Customer.select().count() == 40
    assert {u.username for u in User.select()} == {"admin", "manager", "sales"}
    dbmod.database.close()
    assert cli.main(["demo", "--db", db_url, "--customers", "40"]) == 2
    err = _one_sentence(capsys.readouterr().err)
    assert "already has 40 customers" in err and "--append" in err
    dbmod.connect(db_url)
    assert Customer.select().count() == 40
    dbmod.database.close()


def test_demo_append_needs_an_admin_and_is_audited_as_them(home, db_url, capsys):
    from tradium_tui.models import AuditRecord, Contact, Invoice, Order

    assert cli.main(["demo", "--db", db_url, "--customers", "5", "--quiet"]) == 0
    capsys.readouterr()
    dbmod.connect(db_url)
    before = (Customer.select().count(), AuditRecord.select().count(), Order.select().count())
    dbmod.database.close()
    for login in ("sales", "manager", "nobody"):
        assert cli.main(["demo", "--db", db_url, "--customers", "3", "--append",
                         "--user", login]) == 2, login
        err = _one_sentence(capsys.readouterr().err)
        assert "only an admin" in err or "no user 'nobody'" in err, err
    dbmod.connect(db_url)
    assert (Customer.select().count(), AuditRecord.select().count(),
            Order.select().count()) == before
    dbmod.database.close()

    assert cli.main(["demo", "--db", db_url, "--customers", "3", "--append", "--user", "admin",
                     "--quiet"]) == 0
    capsys.readouterr()
    dbmod.connect(db_url)
    new = list(Customer.select().order_by(Customer.id))[before[0]:]
    assert len(new) == 3
    ids = [c.id for c in new]
    rows = AuditRecord.select().where(AuditRecord.customer_id.in_(ids))
    by_table: dict[str, set[int]] = {}
    for row in rows:
        assert row.username == "admin" and row.action == "create", (row.table, row.username)
        by_table.setdefault(row.table, set()).add(row.record_id)
    assert by_table["customer"] == set(ids)
    for model in (Contact, Order, Invoice):
        records = {r.id for r in model.select(model.id).where(model.customer.in_(ids))}
        assert by_table.get(model._meta.table_name, set()) == records, model
    assert any(by_table.get(t) for t in ("contact", "order", "invoice"))
    dbmod.database.close()


def test_demo_in_a_process_uses_the_demo_database_by_default(home):
    env = os.environ.copy()
    user_db = home / "mine.db"
    env["TRADIUM_DB"] = f"sqlite:///{user_db}"
    result = run("demo", "--customers", "25", "--seed", "1", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Seeded 25 customers") and "Traceback" not in result.stderr
    demo_db = home / "data" / "tradium-tui" / "demo.db"
    assert demo_db.exists()
    assert not user_db.exists()  # the user's own database is never touched
    dbmod.connect(f"sqlite:///{demo_db}")
    assert Customer.select().count() == 25
    dbmod.database.close()


def test_demo_with_zero_customers(home, db_url, capsys):
    assert cli.main(["demo", "--db", db_url, "--customers", "0"]) == 0
    assert capsys.readouterr().out.startswith("Seeded 0 customers")
    dbmod.connect(db_url)
    assert User.select().count() == 3
    dbmod.database.close()


# --------------------------------------------------------------------------- --demo start


@pytest.fixture
def demo_start(home, monkeypatch):
    """``tradium-tui --demo`` up to the moment the app would run: what it would show."""
    from tradium_tui import config as config_module
    from tradium_tui.app import TradiumApp
    from tradium_tui.demo import database as demo_database
    from tradium_tui.services import identity

    for module in (config_module, identity):
        monkeypatch.setattr(module, "os_login", lambda: "demo-person")
    monkeypatch.setattr(identity, "SYSTEM_CONFIG_FILE", home / "none.toml")
    for name in identity.SSH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    shown: dict = {}

    def run(self, *args, **kwargs) -> None:
        shown["start"], shown["user"] = self.start, self.actor.username

    monkeypatch.setattr(TradiumApp, "run", run)
    real = demo_database.ensure_demo_database

    def ensure(*args, **kwargs):
        (home / "prepared-by").write_text(str(os.getpid()), encoding="utf-8")
        return real(*args, customers=30, **kwargs)

    monkeypatch.setattr(demo_database, "ensure_demo_database", ensure)
    return shown


def test_demo_start_prepares_the_database_beside_and_opens_the_first_customer(home, demo_start):
    assert cli.main(["--demo"]) == 0
    # Seeded in a child process while the interface loaded in this one.
    assert int((home / "prepared-by").read_text(encoding="utf-8")) != os.getpid()
    start = demo_start["start"]
    assert demo_start["user"] == "demo-person"  # made the demo's admin
    assert start.view is not None and start.view.number == 1001  # the lowest number
    assert start.order[0] == "contacts"
    dbmod.connect(f"sqlite:///{home / 'data' / 'tradium-tui' / 'demo.db'}")
    assert Customer.select().count() == 30
    dbmod.database.close()
    # The next start finds the data and seeds nothing more.
    assert cli.main(["--demo"]) == 0
    dbmod.connect(f"sqlite:///{home / 'data' / 'tradium-tui' / 'demo.db'}")
    assert Customer.select().count() == 30
    dbmod.database.close()


def test_demo_start_where_the_data_folder_cannot_be_made(home, demo_start, monkeypatch, capsys):
    blocker = home / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert cli.main(["--demo"]) == 2
    err = _one_sentence(capsys.readouterr().err)
    assert "cannot be created" in err
    assert "start" not in demo_start  # the app never ran
