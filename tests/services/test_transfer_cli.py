"""The import / export commands: exit codes, summary lines, messages, stdout export."""

from __future__ import annotations

import json
import os

import pytest

from tradium_tui import cli
from tradium_tui.models import Customer, Order, Role, User
from tradium_tui.services import customers
from tradium_tui.services.access import actor_for

BAD_IBAN = "NL00ABNA0417164300"


@pytest.fixture
def env(database, monkeypatch):
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TRADIUM_USER"):
        monkeypatch.delenv(name, raising=False)
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    User.create(username="sam", role=Role.get(Role.name == "sales"))
    return database.test_url


def tradium(url: str, *args: str, user: str = "anna") -> int:
    return cli.main(["--db", url, "--user", user, *args])


def test_import_customers_ok(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("klantnummer;naam;plaats\n100;Een BV;Delft\n101;Twee BV;Gouda\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path)) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("c.csv: 2 rows: 2 created, 0 updated, 0 unchanged, 0 ignored, 0 rejected")
    assert Customer.select().count() == 2
    # Options after the subcommand work as well.
    assert cli.main(["import", "customers", str(path), "--db", env, "--user", "anna",
                     "--on-duplicate", "ignore"]) == 0
    assert "2 ignored" in capsys.readouterr().out


def test_import_customers_with_rejected_rows_exits_1(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text(f"naam,iban\nGoed BV,\nFout BV,{BAD_IBAN}\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path)) == 1
    out = capsys.readouterr().out
    assert f"row 3, column 'iban', value '{BAD_IBAN}': Invalid IBAN" in out
    assert "Nothing written: 1 row rejected" in out
    assert Customer.select().count() == 0

    assert tradium(env, "import", "customers", str(path), "--dry-run") == 1
    assert "Dry run: nothing written." in capsys.readouterr().out
    assert Customer.select().count() == 0

    assert tradium(env, "import", "customers", str(path), "--skip-invalid") == 1
    assert "1 created" in capsys.readouterr().out
    assert [c.name for c in Customer.select()] == ["Goed BV"]


def test_quiet_leaves_out_warnings_but_not_errors(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text(f"naam,btw,iban,onbekend\nA BV,NL123,,x\nB BV,,{BAD_IBAN},y\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path), "--quiet") == 1
    out = capsys.readouterr().out
    assert "Invalid IBAN" in out
    assert "warning:" not in out and "note:" not in out
    assert "1 with warnings" in out.splitlines()[-1]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a CSV text file"),
        (b"", "empty"),
        (b"stad;land\nDelft;NL\n", "no column for the customer's name"),
    ],
)
def test_unusable_files_exit_2(env, tmp_path, capsys, content, message):
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    assert tradium(env, "import", "customers", str(path)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_arguments_exit_2(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("naam\nA\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(tmp_path / "missing.csv")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert tradium(env, "import", "customers", str(path), "--delimiter", "ab") == 2
    assert "separator" in capsys.readouterr().err
    assert tradium(env, "import", "customers", str(path), "--encoding", "klingon") == 2
    assert "encoding" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        tradium(env, "import", "customers", str(path), "--on-duplicate", "merge")
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        tradium(env, "import", "things", str(path))
    assert exc.value.code == 2
    assert tradium(env, "export", "accounting", "-", "--from", "31-02-2026") == 2
    assert "--from" in capsys.readouterr().err
    assert tradium(env, "export", "accounting", "-", "--from", "2026-03-01", "--to", "2026-02-01") == 2
    assert tradium(env, "export", "mailing", "-", "--mailing-code", "abc") == 2
    assert "--mailing-code" in capsys.readouterr().err
    assert tradium(env, "export", "mailing", "-", "--tag", "nope") == 2
    assert "There is no tag 'nope'" in capsys.readouterr().err
    assert Customer.select().count() == 0


def test_import_and_export_need_the_right(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("naam\nA BV\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path), user="sam") == 2
    assert "may not import or export" in capsys.readouterr().err
    assert tradium(env, "export", "customers", "-", user="sam") == 2
    assert Customer.select().count() == 0


def test_export_customers_to_stdout_and_files(env, tmp_path, capsys):
    admin = actor_for("anna")
    customers.create_customer(admin, {"number": 7, "name": "Zeven BV", "email": "z@x.nl"},
                              check_online=False)
    assert tradium(env, "export", "customers", "-") == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("number,kind,name,email,phone,street,house_number,postcode,city")
    assert lines[1].startswith("7,company,Zeven BV,z@x.nl")
    assert "Exported 1 customer to standard output" in captured.err

    assert tradium(env, "export", "customers", str(tmp_path / "c.xlsx")) == 0
    assert (tmp_path / "c.xlsx").read_bytes()[:2] == b"PK"
    assert tradium(env, "export", "customers", str(tmp_path / "c.csv"), "--delimiter", ";") == 0
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").startswith("number;kind;name")
    assert "Exported 1 customer to" in capsys.readouterr().out
    assert tradium(env, "export", "customers", str(tmp_path / "no" / "such" / "dir.csv")) == 2
    assert "cannot be written" in capsys.readouterr().err


def test_round_trip_through_the_commands(env, tmp_path):
    admin = actor_for("anna")
    customers.create_customer(admin, {
        "number": 1, "name": "Café Ñandú", "remarks": "twee\nregels", "iban": "NL91ABNA0417164300",
        "visit_postcode": "1234AB", "visit_city": "Utrecht", "credit_limit": "99,95",
    }, check_online=False)
    customers.create_customer(admin, {"number": 2, "kind": "consumer", "first_name": "Zoë",
                                      "last_name": "Müller", "visit_country": "DE"},
                              check_online=False)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert tradium(env, "export", "customers", str(one)) == 0
    Customer.delete().execute()
    assert tradium(env, "import", "customers", str(one)) == 0
    assert tradium(env, "export", "customers", str(two)) == 0
    assert one.read_bytes() == two.read_bytes()


def test_accounting_and_mailing_exports(env, tmp_path, capsys):
    admin = actor_for("anna")
    customers.create_customer(admin, {"name": "Met Mail", "email": "a@x.nl", "mailing_code": "2"},
                              check_online=False)
    customers.create_customer(admin, {"name": "Zonder Mail", "mailing_code": "2"}, check_online=False)
    assert tradium(env, "export", "mailing", str(tmp_path / "m.csv"), "--mailing-code", "2") == 0
    assert "Exported 1 of 2 selected customers" in capsys.readouterr().out
    assert tradium(env, "export", "accounting", str(tmp_path / "a.csv"), "--from", "2026-01-01",
                   "--to", "31-12-2026") == 0
    assert "Exported 0 invoices" in capsys.readouterr().out


def test_import_orders_command(env, tmp_path, capsys):
    order = {"order_number": "WS-1", "email": "jan@example.nl", "name": "Jan de Vries",
             "lines": [{"description": "Thee", "quantity": 1, "unit_price": "4.00"}]}
    bad = {"order_number": "WS-2", "email": "x@", "lines": [{"description": "Thee"}]}
    path = tmp_path / "o.jsonl"
    path.write_text(json.dumps(order) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    assert tradium(env, "import", "orders", str(path)) == 1
    out = capsys.readouterr().out
    assert "row 2, column 'email'" in out and "Nothing written: 1 order rejected" in out
    assert tradium(env, "import", "orders", str(path), "--skip-invalid") == 1
    assert Order.select().count() == 1
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    assert tradium(env, "import", "orders", str(path)) == 0
    assert "1 already imported" in capsys.readouterr().out.splitlines()[-1]
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(os.urandom(500) + b"\x00")
    assert tradium(env, "import", "orders", str(binary)) == 2
