"""``tradium-tui customers delete | deleted | restore`` from the command line."""

from __future__ import annotations

import pytest

from tradium_tui.models import AuditRecord, Customer
from tradium_tui.services import customers, users
from tradium_tui.services.access import actor_for
from tradium_tui.services.search.customers import search_customers


@pytest.fixture
def run(cli_runner):
    users.bootstrap_first_admin("founder")
    return cli_runner


def make(name: str, number: int) -> Customer:
    return customers.create_customer(
        actor_for("founder"), {"name": name, "number": number, "visit_city": "Zwolle"},
        check_online=False,
    ).customer


def test_delete_list_and_restore(run):
    make("Bakkerij Lens", 501)
    make("Garage Oost", 502)
    code, out, _ = run("customers", "deleted")
    assert (code, out.strip()) == (0, "No deleted customers.")

    code, out, _ = run("customers", "delete", "501")
    assert code == 0 and "Deleted Bakkerij Lens (501)" in out
    assert search_customers("Lens") == []
    code, out, _ = run("customers", "deleted")
    lines = out.splitlines()
    assert lines[0].split() == ["NUMBER", "NAME", "CITY", "DELETED", "BY"]
    assert lines[1].split()[:4] == ["501", "Bakkerij", "Lens", "Zwolle"]
    assert lines[1].split()[-1] == "founder" and len(lines) == 2

    code, out, _ = run("customers", "restore", "501")
    assert code == 0 and out.strip() == "Restored Bakkerij Lens (501)."
    assert [h.number for h in search_customers("Lens")] == [501]
    actions = [r.action for r in AuditRecord.select().where(
        (AuditRecord.table == "customer") & (AuditRecord.action.in_(["delete", "restore"]))
    ).order_by(AuditRecord.id)]
    assert actions == ["delete", "restore"]


def test_mistakes_get_one_sentence_and_change_nothing(run, capsys):
    make("Bakkerij Lens", 501)
    for argv, words in (
        (("customers", "restore", "501"), "is not deleted"),
        (("customers", "delete", "999"), "no customer with number 999"),
        (("customers", "restore", "999"), "no customer with number 999"),
    ):
        code, out, err = run(*argv)
        assert code == 2 and words in err and "Traceback" not in err, argv
        assert len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as info:
        run("customers", "delete", "abc")
    assert info.value.code == 2
    assert "'abc' is not a customer number" in capsys.readouterr().err
    assert Customer.get(Customer.number == 501).deleted_at is None


def test_without_the_base_data_right_nothing_is_deleted(run, monkeypatch):
    make("Bakkerij Lens", 501)
    users.add_user(actor_for("founder"), "sam", "sales", "Sam")
    code, _, err = run("customers", "delete", "501", "--user", "sam")
    assert code == 2 and "Traceback" not in err and err.strip()
    assert Customer.get(Customer.number == 501).deleted_at is None
    code, _, err = run("customers", "deleted", "--user", "sam")
    assert code == 2 and err.strip()
