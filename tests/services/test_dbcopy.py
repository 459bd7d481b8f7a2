"""db copy / backup / restore: a demo database copied SQLite → (PostgreSQL when this run has
one) → SQLite exports the same; a non-empty target is refused; failures leave it as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.demo.seed import seed_demo
from tradium_tui.models import Customer
from tradium_tui.services import dbcopy
from tradium_tui.services.access import system_actor
from tradium_tui.services.search import customers as search
from tradium_tui.services.transfer import exports


def _exports() -> tuple[str, list, list]:
    out = io.StringIO()
    actor = system_actor()
    exports.export_customers(actor, out, include_deleted=True)
    hits = [h.number for h in search.search_customers("amster", 20)]
    return out.getvalue(), exports.accounting_rows("1300"), hits


def _seeded_sqlite(path) -> str:
    url = f"sqlite:///{path}"
    schema.init(url)
    seed_demo(customers=120, seed=7, today=dt.date(2025, 6, 15), home_country="NL")
    dbmod.database.close()
    return url


def test_copy_there_and_back_gives_identical_exports(db_url, tmp_path, capsys):
    source = _seeded_sqlite(tmp_path / "source.db")
    schema.init(source)
    before = _exports()
    dbmod.database.close()
    seen = []
    first = dbcopy.copy_database(source, db_url, progress=lambda t, d, n: seen.append((t, d, n)))
    assert first.tables["customer"] == 120 and seen[-1][1] == seen[-1][2]
    back = f"sqlite:///{tmp_path / 'back.db'}"
    dbcopy.copy_database(db_url, back)
    for url in (db_url, back):
        schema.init(url)
        assert _exports() == before
        # Sequences and counters carry on after the copied rows.
        assert Customer.create(number=99_999_999, name="New after copy").id > 120
        dbmod.database.close()


def test_the_copy_indexes_every_customer_for_the_search(db_url, tmp_path):
    """Customers with and without contact persons are found after the copy, by a field only
    the search text holds; deleted ones stay out; no index of an older schema comes back."""
    source = _seeded_sqlite(tmp_path / "source.db")
    schema.init(source)
    Customer.create(number=88_888, name="Zonderkontakt Handel BV", visit_street="Kwartelkoning",
                    visit_house_number="7")
    Customer.create(number=88_889, name="Weg Handel BV", visit_street="Kwartelkoning",
                    visit_house_number="7", deleted_at=dt.datetime(2025, 1, 1))
    shown = Customer.select().where(Customer.deleted_at.is_null()).count()
    dbmod.database.close()
    dbcopy.copy_database(source, db_url)
    database = schema.init(db_url)
    try:
        assert [h.number for h in search.search_customers("rtelkoning 7")] == [88_888]
        if dbmod.is_postgres(database):
            indexed = database.execute_sql("SELECT COUNT(*) FROM customer_search").fetchone()[0]
            stale = database.execute_sql(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'customer_search_trgm'"
            ).fetchone()[0]
        else:
            indexed = database.execute_sql("SELECT COUNT(*) FROM customer_fts").fetchone()[0]
            stale = 0
        assert (indexed, stale) == (shown, 0)
    finally:
        dbmod.database.close()


def test_non_empty_target_is_refused_unless_replace(db_url, tmp_path):
    source = _seeded_sqlite(tmp_path / "source.db")
    dbcopy.copy_database(source, db_url)
    with pytest.raises(dbcopy.CopyError, match="not empty"):
        dbcopy.copy_database(source, db_url)
    assert dbcopy.copy_database(source, db_url, replace=True).tables["customer"] == 120


def test_a_target_with_only_a_new_schema_counts_as_empty(db_url, tmp_path):
    source = _seeded_sqlite(tmp_path / "source.db")
    schema.init(db_url)  # what `db upgrade` on the new server leaves: schema and default roles
    dbmod.database.close()
    assert dbcopy.copy_database(source, db_url).tables["customer"] == 120


def test_a_failed_copy_leaves_the_target_empty(db_url, tmp_path, monkeypatch):
    source = _seeded_sqlite(tmp_path / "source.db")
    real = dbcopy.table_checksum

    def wrong(database, model):
        count, digest = real(database, model)
        return (count, digest if database.database.endswith("source.db") or model._meta.table_name != "order" else "x")

    monkeypatch.setattr(dbcopy, "table_checksum", wrong)
    with pytest.raises(dbcopy.CopyError, match="table order does not match"):
        dbcopy.copy_database(source, db_url)
    target = dbmod.open_database(db_url)
    target.connect()
    assert not dbcopy._has_rows(target) and "customer" not in target.get_tables()
    target.close()


def test_cli_copy_backup_restore(cli_runner, database, tmp_path, capsys):
    from tradium_tui import cli

    def direct(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    source = _seeded_sqlite(tmp_path / "source.db")
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    code, out, err = cli_runner("db", "copy", source, target)
    assert code == 0, err
    assert "checksums match" in out and "rows" in err
    code, out, err = cli_runner("db", "copy", source, target)
    assert code == 2 and "not empty" in err and err.count("\n") == 1
    code, out, err = direct("db", "backup", str(tmp_path / "backup.db"), "--db", source)
    assert code == 0, err
    code, out, err = direct("db", "restore", str(tmp_path / "backup.db"), "--db",
                                f"sqlite:///{tmp_path / 'restored.db'}")
    assert code == 0, err
    code, out, err = direct("db", "restore", str(tmp_path / "nothing.db"), "--db", target)
    assert code == 2 and "cannot be read" in err


def test_postgresql_backup_with_pg_dump_restores_the_same(db_url, tmp_path):
    import os
    import shutil
    import uuid
    from urllib.parse import urlparse

    if os.environ.get("TRADIUM_TEST_BACKEND", "sqlite") != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL: runs in the PostgreSQL test run")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed")
    source = _seeded_sqlite(tmp_path / "source.db")
    schema.init(source)
    before = _exports()
    dbmod.database.close()
    dbcopy.copy_database(source, db_url)
    file = tmp_path / "team.backup"
    assert dbcopy.backup(db_url, file) == "pg_dump (custom format)"
    assert file.read_bytes().startswith(b"PGDMP")
    name = f"tradium_r_{uuid.uuid4().hex[:10]}"
    server = os.environ["TRADIUM_TEST_PG_URL"]
    conn = dbmod.pg_server_connection(server)
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    restored = urlparse(db_url)._replace(path=f"/{name}").geturl()
    try:
        assert dbcopy.restore(file, restored) == "restored with pg_restore"
        with pytest.raises(dbcopy.CopyError, match="not empty"):
            dbcopy.restore(file, restored)
        schema.init(restored)
        assert _exports() == before
        assert Customer.create(number=99_999_998, name="New after restore").id > 120
        dbmod.database.close()
    finally:
        conn = dbmod.pg_server_connection(server)
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
