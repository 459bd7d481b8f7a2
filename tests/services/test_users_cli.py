"""``tradium-tui users …`` and ``roles …`` from the command line."""

from __future__ import annotations

import pytest

from tradium_tui.models import AuditRecord, Role, TabPermission, User
from tradium_tui.services import identity


@pytest.fixture
def run(cli_runner):
    return cli_runner


def test_first_command_bootstraps_and_says_so(run):
    code, out, err = run("users", "list")
    assert code == 0
    assert "'founder' is now its first user with role 'admin'" in err
    assert "founder" in out and "admin" in out
    code, out, err = run("users", "list")
    assert code == 0 and err == ""


def test_users_add_list_set_role_deactivate_activate(run):
    assert run("users", "add", "bob", "--role", "sales", "--name", "Bob Bakker")[0] == 0
    code, out, _ = run("users", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["USER", "ROLE", "ACTIVE", "LANGUAGE", "NAME"]
    assert lines[1].split() == ["bob", "sales", "yes", "-", "Bob", "Bakker"]
    code, out, _ = run("users", "set-role", "bob", "account_manager")
    assert code == 0 and "role account_manager" in out
    code, out, _ = run("users", "deactivate", "bob")
    assert code == 0 and "deactivated" in out
    assert not User.get(User.username == "bob").active
    assert run("users", "activate", "bob")[0] == 0
    assert User.get(User.username == "bob").active
    rows = AuditRecord.select().where(AuditRecord.table == "user").count()
    assert rows >= 7  # bootstrap (3) + add (4) + updates


@pytest.mark.parametrize(
    "argv, message",
    [
        (("users", "add", "bob", "--role", "chief"), "no role 'chief'"),
        (("users", "add", "bad name", "--role", "sales"), "not a valid login name"),
        (("users", "set-role", "nobody", "sales"), "no user 'nobody'"),
        (("users", "deactivate", "nobody"), "no user 'nobody'"),
        (("users", "deactivate", "founder"), "no active user who can manage"),
        (("roles", "grant", "chief", "quotes", "edit"), "no role 'chief'"),
        (("roles", "grant", "sales", "kitchen", "edit"), "no tab 'kitchen'"),
        (("roles", "grant", "sales", "quotes", "write"), "'write' is not a level"),
        (("roles", "set", "sales", "fly", "on"), "no right 'fly'"),
        (("roles", "set", "sales", "base-edit", "maybe"), "'maybe' is not on or off"),
        (("roles", "rename", "chief", "boss"), "no role 'chief'"),
        (("roles", "add", "sales"), "already a role 'sales'"),
        (("roles", "order", "sales", "notes,kitchen"), "no tab 'kitchen'"),
    ],
)
def test_unknown_names_and_levels_exit_2(run, argv, message):
    run("users", "list")  # bootstrap first
    before = (
        list(User.select().tuples()),
        list(Role.select().tuples()),
        list(TabPermission.select().tuples()),
    )
    code, out, err = run(*argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1  # one sentence
    after = (
        list(User.select().tuples()),
        list(Role.select().tuples()),
        list(TabPermission.select().tuples()),
    )
    assert after == before


def test_roles_grant_set_list_add_rename_order(run):
    run("users", "list")
    assert run("roles", "grant", "sales", "quotes", "edit")[1] == (
        "Role sales: quotes is now edit.\n"
    )
    assert run("roles", "set", "sales", "import-export", "on")[0] == 0
    code, out, _ = run("roles", "add", "depot", "--label", "Depot staff", "--like", "sales")
    assert code == 0 and "Added role depot (Depot staff)" in out
    assert run("roles", "rename", "depot", "warehouse")[0] == 0
    assert run("roles", "order", "warehouse", "notes", "quotes")[0] == 0
    code, out, _ = run("roles", "list")
    assert code == 0
    block = out.split("warehouse (Depot staff)")[1]
    assert block.startswith(": import-export; 0 users")
    assert "edit:   contacts, actions, quotes, notes" in block
    assert "order:  notes, quotes, contacts" in block


def test_management_needs_the_right(run):
    run("users", "add", "bob", "--role", "sales")
    code, out, err = run("users", "add", "eve", "--role", "admin", "--user", "bob")
    assert code == 2 and "may not manage users and roles" in err
    code, out, err = run("roles", "grant", "sales", "quotes", "edit", "--user", "bob")
    assert code == 2
    assert not User.select().where(User.username == "eve").exists()


def test_override_refused_over_ssh(run, monkeypatch):
    run("users", "add", "bob", "--role", "sales")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.9 51000 10.0.0.1 22")
    monkeypatch.setattr(identity, "account_login", lambda: "bob")
    code, out, err = run("users", "add", "eve", "--role", "admin", "--user", "founder")
    assert code == 2 and "over SSH as 'bob'" in err
    monkeypatch.setenv("TRADIUM_USER", "founder")
    code, out, err = run("users", "list")
    assert code == 2 and "TRADIUM_USER" in err


def test_unknown_acting_user_exit_2(run):
    run("users", "list")
    code, out, err = run("users", "list", "--user", "ghost")
    assert code == 2 and "tradium-tui users add ghost --role" in err
