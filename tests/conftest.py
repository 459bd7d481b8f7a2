"""Shared fixtures: a clean database per test on the backend chosen for this run.

``TRADIUM_TEST_BACKEND`` is ``sqlite`` (default) or ``postgresql``; for PostgreSQL,
``TRADIUM_TEST_PG_URL`` names a server URL (``scripts/pg.sh start`` prints one).  Each
run gets its own database on that server, emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from urllib.parse import urlparse

import peewee
import pytest

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import ALL_MODELS

BACKEND = os.environ.get("TRADIUM_TEST_BACKEND", "sqlite")
# The tests read the program's English (its source language); tests of the other languages
# switch on purpose.  Programs the tests start (the command line, tmux) inherit this.
os.environ["TRADIUM_LANGUAGE"] = "en"
PG_SERVER_URL = os.environ.get("TRADIUM_TEST_PG_URL", "")


def pytest_report_header(config):
    return f"tradium-tui test backend: {BACKEND}"


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English with Dutch number formatting (the source language;
    the tests of other languages switch themselves) and leaves it so for the next."""
    from tradium_tui import i18n

    i18n.use("en", "nl_NL")
    yield
    i18n.use("en", "nl_NL")


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test run (dropped afterwards)."""
    if BACKEND != "postgresql":
        pytest.skip("this run tests SQLite")
    if not PG_SERVER_URL:
        if os.environ.get("CI"):
            pytest.fail("TRADIUM_TEST_PG_URL is not set in CI: PostgreSQL must be started.")
        pytest.skip("no PostgreSQL server: start one with scripts/pg.sh and set TRADIUM_TEST_PG_URL")
    name = f"tradium_test_{uuid.uuid4().hex[:10]}"
    conn = dbmod.pg_server_connection(PG_SERVER_URL)
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    parsed = urlparse(PG_SERVER_URL)
    url = parsed._replace(path=f"/{name}").geturl()
    yield url
    conn = dbmod.pg_server_connection(PG_SERVER_URL)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _empty_postgres(database: peewee.Database) -> None:
    """Delete every row, children first, with triggers on (so tables they keep stay right),
    then restart the id sequences.  Much faster than TRUNCATE for small tables."""
    with database.atomic():
        for model in reversed(peewee.sort_models(ALL_MODELS)):
            if model._meta.table_name != "schema_version":
                model.delete().execute()
        sequences = database.execute_sql(
            "SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = current_schema()"
        ).fetchall()
        for schema, name in sequences:
            database.execute_sql("SELECT setval(%s, 1, false)", (f'"{schema}"."{name}"',))
    from tradium_tui.services.access import ensure_default_roles

    ensure_default_roles()


@pytest.fixture
def db_url(request, tmp_path):
    """URL of an empty, schema-less database on this run's backend."""
    if BACKEND == "postgresql":
        base = request.getfixturevalue("pg_database_url")
        name = f"tradium_t_{uuid.uuid4().hex[:10]}"
        conn = dbmod.pg_server_connection(PG_SERVER_URL)
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        url = urlparse(base)._replace(path=f"/{name}").geturl()
        yield url
        if dbmod.database.obj is not None:
            try:
                dbmod.database.close()
            except Exception:
                pass
        conn = dbmod.pg_server_connection(PG_SERVER_URL)
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
    else:
        yield f"sqlite:///{tmp_path / 'test.db'}"


_pg_schema_ready: dict[str, bool] = {}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file with the current schema, built once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = schema.init(f"sqlite:///{path}")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def database(request, tmp_path):
    """A connected database with the current schema and default roles, empty otherwise."""
    if BACKEND == "postgresql":
        url = request.getfixturevalue("pg_database_url")
        db = dbmod.connect(url)
        if not _pg_schema_ready.get(url):
            schema.ensure_schema()
            _pg_schema_ready[url] = True
        _empty_postgres(db)
    else:
        target = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
        db = schema.init(url)
    db.test_url = url  # type: ignore[attr-defined]
    yield db
    if not db.is_closed():
        db.close()


@pytest.fixture
def cli_runner(database, monkeypatch, tmp_path, capsys):
    """``run(*argv)`` runs the command line on the test database as the local login
    ``founder`` (no SSH, no system config, no TRADIUM_USER); returns (code, stdout, stderr)."""
    from tradium_tui import cli, config
    from tradium_tui.services import identity

    monkeypatch.setattr(identity, "SYSTEM_CONFIG_FILE", tmp_path / "none.toml")
    monkeypatch.setattr(identity, "os_login", lambda: "founder")
    monkeypatch.delenv("TRADIUM_USER", raising=False)
    for name in identity.SSH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "_settings", config.Settings(language="en"))
    url = database.test_url

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main([*argv, "--db", url])
        out, err = capsys.readouterr()
        return code, out, err

    return run


# People and a customer, made straight in the tables (no audit rows of their own): one
# user per default role, named as the tests have always named them.


@pytest.fixture
def user_of(database):
    """``user_of(username, role)`` adds a user with a default role and returns their actor."""
    from tradium_tui.models import Role, User
    from tradium_tui.services.access import actor_for

    def make(username: str, role: str):
        User.create(username=username, role=Role.get(Role.name == role))
        return actor_for(username)

    return make


@pytest.fixture
def admin(user_of):
    """``anna``, an administrator (every tab, users, import/export)."""
    return user_of("anna", "admin")


@pytest.fixture
def account_manager(user_of):
    """``bob``, an account manager (edits every tab and the base data, no user admin)."""
    return user_of("bob", "account_manager")


@pytest.fixture
def sales(user_of):
    """``sam``, in sales (edits contacts, actions and notes; the rest read-only)."""
    return user_of("sam", "sales")


@pytest.fixture
def customer(database):
    """Customer 1001, a Dutch bakery with nothing else filled in."""
    from tradium_tui.models import Customer

    return Customer.create(number=1001, name="Bakkerij De Korenschoof")


@pytest.fixture
def alice(database):
    """``alice``, the first administrator (made as the app makes them, audited), with
    ``sam`` and ``sue`` in sales; returns alice's actor."""
    from tradium_tui.services import users
    from tradium_tui.services.access import actor_for

    users.bootstrap_first_admin("alice")
    alice = actor_for("alice")
    users.add_user(alice, "sam", "sales")
    users.add_user(alice, "sue", "sales")
    return alice


@pytest.fixture
def team(database):
    """The first administrator ``admin`` (made as the app makes them, audited) and a
    ``sales`` user, through the services; ``{"admin": actor, "sales": actor}``."""
    from support.app import make_team

    return make_team()


# Hypothesis: the default profile keeps hypothesis' own numbers (the hostile-input
# properties ask for at least 1,000 examples themselves); ``--hypothesis-profile=long``
# explores far more, for a nightly-style run.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("long", max_examples=20_000, deadline=None)
