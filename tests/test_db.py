from tradium_tui import db as dbmod
from tradium_tui.models import Role


def test_schema_current_and_default_roles(database):
    assert dbmod.current_version() == dbmod.latest_version()
    assert {r.name for r in Role.select()} >= {"admin", "account_manager", "sales"}
