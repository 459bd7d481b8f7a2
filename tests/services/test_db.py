from tradium_tui.db import schema
from tradium_tui.models import Role


def test_schema_current_and_default_roles(database):
    assert schema.current_version() == schema.latest_version()
    assert {r.name for r in Role.select()} >= {"admin", "account_manager", "sales"}
