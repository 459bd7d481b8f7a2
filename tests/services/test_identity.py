"""Who is acting: the OS/SSH login, overrides only where they gain nothing, bootstrap."""

from __future__ import annotations

import pytest

from tradium_tui.config import Settings
from tradium_tui.models import AuditRecord, User
from tradium_tui.services import identity, users
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import UnknownUser

LOCAL: dict[str, str] = {}
SSH = {"SSH_CONNECTION": "10.0.0.9 51000 10.0.0.1 22"}


@pytest.fixture(autouse=True)
def no_system_config(tmp_path, monkeypatch):
    """Point the system-wide config at a file of this test (absent unless written)."""
    monkeypatch.setattr(identity, "SYSTEM_CONFIG_FILE", tmp_path / "system.toml")
    monkeypatch.delenv("TRADIUM_USER", raising=False)
    for name in identity.SSH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "system.toml"


@pytest.fixture
def team(database):
    users.bootstrap_first_admin("admin")
    admin = actor_for("admin")
    users.add_user(admin, "sales", "sales")
    users.add_user(admin, "anna", "account_manager")
    return database


def login(requested=None, environ=LOCAL, os_name="sales", locked=False):
    return identity.resolve_login(
        Settings(lock_identity=locked), requested, environ=environ, login=os_name
    )


def test_the_login_is_the_user(team):
    result = login()
    assert result.actor.username == "sales" and not result.overridden
    assert result.bootstrapped is False and result.notice is None


def test_local_override_is_allowed(team):
    result = login("admin")
    assert result.actor.username == "admin" and result.actor.is_admin
    assert result.overridden and result.login == "sales"


@pytest.mark.parametrize("variable", identity.SSH_VARIABLES)
def test_ssh_override_is_refused(team, variable):
    with pytest.raises(identity.IdentityRefused, match="over SSH as 'sales'.*'admin'"):
        login("admin", environ={variable: "x"})


def test_ssh_override_with_the_own_name_is_fine(team):
    assert login("sales", environ=SSH).actor.username == "sales"


def test_tradium_user_variable_counts_like_the_flag(team):
    assert login(environ={"TRADIUM_USER": "anna"}).actor.username == "anna"
    with pytest.raises(identity.IdentityRefused, match="TRADIUM_USER"):
        login(environ={**SSH, "TRADIUM_USER": "admin"})
    # --user wins over the variable.
    assert login("admin", environ={"TRADIUM_USER": "anna"}).actor.username == "admin"


def test_tradium_user_is_read_from_the_environment(team, monkeypatch):
    monkeypatch.setenv("TRADIUM_USER", "anna")
    result = identity.resolve_login(Settings(), None, login="sales")
    assert result.actor.username == "anna"


def test_locked_identity_refuses_locally(team):
    with pytest.raises(identity.IdentityRefused, match="locks the identity"):
        login("admin", locked=True)
    assert login("sales", locked=True).actor.username == "sales"


def test_system_config_locks_whatever_config_is_loaded(team, no_system_config):
    no_system_config.write_text("lock_identity = true\n", encoding="utf-8")
    with pytest.raises(identity.IdentityRefused):
        login("admin", locked=False)
    no_system_config.write_text("lock_identity = false\n", encoding="utf-8")
    assert login("admin").actor.username == "admin"
    no_system_config.write_text("lock_identity = [broken\n", encoding="utf-8")
    assert identity.system_lock() is False


def test_fixed_identity_reads_the_account_not_the_environment(team, monkeypatch):
    """Over SSH the login comes from the uid's account, so LOGNAME cannot change it."""
    monkeypatch.setenv("LOGNAME", "admin")
    monkeypatch.setenv("USER", "admin")
    monkeypatch.setattr(identity, "account_login", lambda: "sales")
    result = identity.resolve_login(Settings(), None, environ=SSH)
    assert result.actor.username == "sales"


def test_unknown_user_is_one_sentence_and_writes_nothing(team):
    before = (User.select().count(), AuditRecord.select().count())
    with pytest.raises(UnknownUser) as info:
        login(os_name="zoe")
    text = str(info.value)
    assert "tradium-tui users add zoe --role" in text and "\n" not in text
    assert (User.select().count(), AuditRecord.select().count()) == before


def test_deactivated_user_is_told_how_to_come_back(team):
    users.deactivate_user(actor_for("admin"), "sales")
    with pytest.raises(UnknownUser, match="users activate sales"):
        login()


def test_first_login_of_an_empty_database_becomes_admin(database):
    result = login(os_name="founder")
    assert result.bootstrapped and result.actor.is_admin
    assert result.actor.role.name == "admin"
    assert "'founder' is now its first user" in result.notice
    again = login(os_name="founder")
    assert not again.bootstrapped and again.notice is None
    with pytest.raises(UnknownUser):
        login(os_name="second")
    assert [u.username for u in User.select()] == ["founder"]


def test_refused_override_does_not_bootstrap(database):
    with pytest.raises(identity.IdentityRefused):
        login("boss", environ=SSH, os_name="guest")
    assert User.select().count() == 0


def test_resolve_actor_keeps_its_signature(team, monkeypatch):
    monkeypatch.setattr(identity, "os_login", lambda: "anna")
    assert identity.resolve_actor(Settings(), None).username == "anna"
    assert identity.resolve_actor(Settings(), "sales").username == "sales"
