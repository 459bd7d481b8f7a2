"""Users, roles, tab levels and rights: the services, their audit rows and their guards."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal

import pytest

from tradium_tui.models import AuditRecord, CustomerGroup, Role, TabPermission, User
from tradium_tui.services import custom_fields, records, users
from tradium_tui.services.access import DEFAULT_ROLES, LEVELS, TABS, actor_for, system_actor
from tradium_tui.services.errors import (
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationError,
)


@pytest.fixture
def admin(database):
    users.bootstrap_first_admin("alice")
    return actor_for("alice")


def audit_rows(table: str, **where) -> list[AuditRecord]:
    query = AuditRecord.select().where(AuditRecord.table == table)
    for name, value in where.items():
        query = query.where(getattr(AuditRecord, name) == value)
    return list(query.order_by(AuditRecord.id))


# --------------------------------------------------------------------------- defaults


def test_default_roles_match_the_issue(database):
    roles = {r.name: r for r in users.list_roles(system_actor())}
    assert set(roles) == {"admin", "account_manager", "sales"}
    assert all(level == "edit" for level in roles["admin"].levels.values())
    assert roles["admin"].rights == ["base-edit", "manage-users", "import-export"]
    assert all(level == "edit" for level in roles["account_manager"].levels.values())
    assert "manage-users" not in roles["account_manager"].rights
    sales = roles["sales"].levels
    assert {t for t, lv in sales.items() if lv == "edit"} == {"contacts", "actions", "notes"}
    for tab in ("quotes", "orders", "invoices", "conditions"):
        assert sales[tab] == "view"
    assert roles["sales"].rights == []


# --------------------------------------------------------------------------- users


def test_add_list_and_audit_user(admin):
    info = users.add_user(admin, "bob", "sales", "Bob Bakker")
    assert (info.username, info.role, info.active, info.display_name) == (
        "bob", "sales", True, "Bob Bakker"
    )
    assert [u.username for u in users.list_users(admin)] == ["alice", "bob"]
    rows = audit_rows("user", record_id=info.id)
    assert {r.field: r.new_value for r in rows} == {
        "username": "bob", "display_name": "Bob Bakker", "role": "sales", "active": "yes"
    }
    assert {r.username for r in rows} == {"alice"}


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "required"),
        ("with space", "not a valid login"),
        ("-dash", "not a valid login"),
        ("x" * 65, "not a valid login"),
        ("ALICE", "already a user 'alice'"),
    ],
)
def test_add_user_refuses_bad_names(admin, name, message):
    with pytest.raises(ValidationError) as info:
        users.add_user(admin, name, "sales")
    assert message in str(info.value)
    assert User.select().count() == 1


def test_add_user_unknown_role_lists_roles(admin):
    with pytest.raises(NotFound, match="no role 'boss'.*admin, sales"):
        users.add_user(admin, "bob", "boss")
    assert not User.select().where(User.username == "bob").exists()


def test_set_role_deactivate_activate_are_audited(admin):
    bob = users.add_user(admin, "bob", "sales")
    assert users.set_user_role(admin, "bob", "account_manager").role == "account_manager"
    assert users.deactivate_user(admin, "bob").active is False
    assert users.activate_user(admin, "bob").active is True
    changes = [(r.field, r.old_value, r.new_value) for r in audit_rows("user", action="update")]
    assert changes == [
        ("role", "sales", "account_manager"),
        ("active", "yes", "no"),
        ("active", "no", "yes"),
    ]
    assert User.get_by_id(bob.id).version == 4


def test_unchanged_values_write_nothing(admin):
    users.add_user(admin, "bob", "sales")
    before = AuditRecord.select().count()
    users.set_user_role(admin, "bob", "sales")
    users.activate_user(admin, "bob")
    users.grant(admin, "sales", "contacts", "edit")
    users.set_right(admin, "sales", "base-edit", False)
    assert AuditRecord.select().count() == before


def test_last_admin_cannot_be_removed(admin):
    users.add_user(admin, "bob", "sales")
    with pytest.raises(users.LastAdminError, match="no active user who can manage"):
        users.deactivate_user(admin, "alice")
    with pytest.raises(users.LastAdminError):
        users.set_user_role(admin, "alice", "sales")
    with pytest.raises(users.LastAdminError):
        users.set_right(admin, "admin", "manage-users", False)
    alice = User.get(User.username == "alice")
    assert alice.active and alice.role.name == "admin" and alice.version == 1
    assert Role.get(Role.name == "admin").can_manage_users
    assert not audit_rows("user", action="update") and not audit_rows("role", action="update")
    # With a second admin the first may step down.
    users.set_user_role(admin, "bob", "admin")
    assert users.deactivate_user(admin, "alice").active is False


def test_concurrent_demotions_keep_one_admin(database):
    """Two admins demoting each other at the same moment: one of them must fail."""
    users.bootstrap_first_admin("alice")
    users.add_user(actor_for("alice"), "bob", "admin")
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def demote(me: str, other: str) -> None:
        from tradium_tui import db as dbmod

        with dbmod.database.connection_context():
            actor = actor_for(me)
            barrier.wait()
            try:
                users.set_user_role(actor, other, "sales")
                results[me] = "ok"
            except ServiceError as exc:
                results[me] = exc

    threads = [threading.Thread(target=demote, args=p) for p in (("alice", "bob"), ("bob", "alice"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(type(v).__name__ for v in results.values()) in (
        ["LastAdminError", "str"],
        ["PermissionDenied", "str"],
    ), results
    assert users._active_admin_count() == 1


def test_non_admin_cannot_manage(admin):
    users.add_user(admin, "bob", "account_manager")
    bob = actor_for("bob")
    calls = [
        lambda: users.list_users(bob),
        lambda: users.add_user(bob, "eve", "admin"),
        lambda: users.set_user_role(bob, "bob", "admin"),
        lambda: users.deactivate_user(bob, "alice"),
        lambda: users.add_role(bob, "boss"),
        lambda: users.rename_role(bob, "sales", "seller"),
        lambda: users.grant(bob, "sales", "quotes", "edit"),
        lambda: users.set_right(bob, "account_manager", "manage-users", True),
        lambda: custom_fields.define(bob, 1, "Branch"),
    ]
    before = AuditRecord.select().count()
    for call in calls:
        with pytest.raises(PermissionDenied, match="may not manage users"):
            call()
    assert AuditRecord.select().count() == before
    assert User.get(User.username == "bob").role.name == "account_manager"


def test_right_taken_away_counts_in_an_open_session(admin):
    users.add_user(admin, "bob", "admin")
    bob = actor_for("bob")  # a session opened while bob was admin
    users.set_user_role(admin, "bob", "sales")
    with pytest.raises(PermissionDenied, match="no longer manage"):
        users.add_user(bob, "eve", "admin")
    users.set_user_role(admin, "bob", "admin")
    users.deactivate_user(admin, "bob")
    with pytest.raises(PermissionDenied, match="no longer active"):
        users.add_user(bob, "eve", "admin")
    assert not User.select().where(User.username == "eve").exists()


def test_bootstrap_only_on_an_empty_database(database):
    assert users.bootstrap_first_admin("alice") is not None
    assert users.bootstrap_first_admin("mallory") is None
    assert [u.username for u in User.select()] == ["alice"]
    row = audit_rows("user", action="bootstrap")
    assert {r.field: r.new_value for r in row} == {
        "username": "alice", "role": "admin", "active": "yes"
    }


# --------------------------------------------------------------------------- roles


def test_add_role_sees_nothing_until_granted(admin):
    role = users.add_role(admin, "Warehouse", "Warehouse staff")
    assert role.name == "warehouse" and role.label == "Warehouse staff"
    assert set(role.levels.values()) == {"hidden"} and role.rights == []
    users.add_user(admin, "wim", "warehouse")
    wim = actor_for("wim")
    assert not any(wim.can(tab) for tab in TABS)
    created = audit_rows("tab_permission", action="create")
    assert {r.field for r in created} == {f"warehouse.{tab}" for tab in TABS}


def test_add_role_like_copies_levels_rights_and_order(admin):
    from tradium_tui.services import tab_order

    tab_order.set_role_tab_order(admin, "sales", ["notes", "contacts"])
    role = users.add_role(admin, "junior", like="sales")
    sales = users.get_role(admin, "sales")
    assert role.levels == sales.levels and role.rights == sales.rights
    assert role.tab_order[:2] == ["notes", "contacts"]
    assert audit_rows("role", record_id=role.id, field="copied_from")[0].new_value == "sales"


@pytest.mark.parametrize("name", ["", "9lives", "has space", "x" * 41, "sales"])
def test_add_role_refuses_bad_or_taken_names(admin, name):
    with pytest.raises(ValidationError):
        users.add_role(admin, name)
    assert Role.select().count() == 3


def test_rename_role_keeps_members_and_levels(admin):
    users.add_user(admin, "bob", "sales")
    levels = users.get_role(admin, "sales").levels
    renamed = users.rename_role(admin, "sales", "field_sales")
    assert renamed.name == "field_sales" and renamed.levels == levels and renamed.members == 1
    assert actor_for("bob").role.name == "field_sales"
    with pytest.raises(NotFound):
        users.get_role(admin, "sales")
    with pytest.raises(ValidationError, match="already a role"):
        users.rename_role(admin, "field_sales", "admin")
    row = audit_rows("role", field="name")[0]
    assert (row.old_value, row.new_value, row.username) == ("sales", "field_sales", "alice")
    users.set_role_label(admin, "field_sales", "Field sales")
    assert users.get_role(admin, "field_sales").label == "Field sales"


def test_grant_and_rights_are_audited(admin):
    users.grant(admin, "sales", "quotes", "edit")
    users.grant(admin, "sales", "history", "hidden")
    users.set_right(admin, "sales", "base-edit", True)
    users.set_right(admin, "sales", "can_import_export", True)
    rows = [(r.field, r.old_value, r.new_value) for r in audit_rows("tab_permission")]
    assert rows == [("sales.quotes", "view", "edit"), ("sales.history", "view", "hidden")]
    rights = [(r.field, r.old_value, r.new_value) for r in audit_rows("role", action="update")]
    assert rights == [("can_edit_base", "no", "yes"), ("can_import_export", "no", "yes")]
    sales = users.get_role(admin, "sales")
    assert sales.levels["quotes"] == "edit" and sales.levels["history"] == "hidden"
    assert sales.rights == ["base-edit", "import-export"]


def test_grant_creates_a_missing_permission_row(admin):
    """A tab added in a later version has no row yet: granting creates it."""
    role = Role.get(Role.name == "sales")
    TabPermission.delete().where(
        (TabPermission.role == role) & (TabPermission.tab == "graph")
    ).execute()
    assert users.get_role(admin, "sales").levels["graph"] == "hidden"
    users.grant(admin, "sales", "graph", "view")
    assert actor_for("alice") and users.get_role(admin, "sales").levels["graph"] == "view"
    assert audit_rows("tab_permission", action="create")[0].old_value == "hidden"


@pytest.mark.parametrize(
    "role, tab, level, error",
    [
        ("boss", "quotes", "edit", NotFound),
        ("sales", "kitchen", "edit", ValidationError),
        ("sales", "quotes", "write", ValidationError),
    ],
)
def test_grant_refuses_unknown_names(admin, role, tab, level, error):
    before = list(TabPermission.select().tuples())
    with pytest.raises(error):
        users.grant(admin, role, tab, level)
    assert list(TabPermission.select().tuples()) == before


def test_set_right_refuses_unknown_right(admin):
    with pytest.raises(ValidationError, match="no right 'fly'"):
        users.set_right(admin, "sales", "fly", True)


# --------------------------------------------------------------------------- enforcement


def _group_spec(tab: str | None) -> records.RecordSpec:
    def validate(values, stored):
        name = (values.get("name") or "").strip()
        if not name:
            raise ValidationError({"name": "A name is required."})
        return {"name": name, "discount_percent": Decimal(values.get("discount_percent", 0))}

    return records.RecordSpec(CustomerGroup, tab, "test record", validate, lambda rec: None)


@pytest.mark.parametrize("tab, level", list(itertools.product(TABS, LEVELS)))
def test_write_matrix_every_tab_every_level(admin, tab, level):
    """Each tab × level × write action, through the write path the services share."""
    users.add_role(admin, "probe")
    users.grant(admin, "probe", tab, level)
    users.add_user(admin, "pat", "probe")
    pat = actor_for("pat")
    spec = _group_spec(tab)
    existing = records.create(system_actor(), spec, {"name": "existing"})
    allowed = level == "edit"
    attempts = {
        "create": lambda: records.create(pat, spec, {"name": "new"}),
        "update": lambda: records.update(pat, spec, existing.id, {"name": "renamed"}, 1),
        "delete": lambda: records.delete(pat, spec, existing.id, 2 if allowed else 1),
    }
    for action, attempt in attempts.items():
        if allowed:
            attempt()
        else:
            with pytest.raises(PermissionDenied, match=TABS[tab]):
                attempt()
            assert CustomerGroup.get_by_id(existing.id).version == 1, action
    names = sorted(g.name for g in CustomerGroup.select())
    assert names == (["new"] if allowed else ["existing"]), (tab, level)
    # Other tabs stay hidden for this role: a write there is refused too.
    other = next(t for t in TABS if t != tab)
    with pytest.raises(PermissionDenied, match="no access"):
        records.create(pat, _group_spec(other), {"name": "elsewhere"})
    assert pat.can(tab, "view") is (level != "hidden")


@pytest.mark.parametrize("on", [True, False])
def test_base_edit_right_guards_base_data(admin, on):
    users.add_user(admin, "bob", "sales")
    users.set_right(admin, "sales", "base-edit", on)
    bob = actor_for("bob")
    if on:
        records.create(bob, _group_spec(None), {"name": "ok"})
    else:
        with pytest.raises(PermissionDenied, match="base data"):
            records.create(bob, _group_spec(None), {"name": "no"})
    assert CustomerGroup.select().count() == (1 if on else 0)


def test_default_roles_against_the_write_path(admin):
    """Sales edits contacts/actions/notes and only views quotes … conditions."""
    for role in DEFAULT_ROLES:
        users.add_user(admin, f"u_{role}", role)
    for role, spec in DEFAULT_ROLES.items():
        actor = actor_for(f"u_{role}")
        for tab, level in spec["levels"].items():
            if level == "edit":
                records.create(actor, _group_spec(tab), {"name": f"{role}-{tab}"})
            else:
                with pytest.raises(PermissionDenied):
                    records.create(actor, _group_spec(tab), {"name": f"{role}-{tab}"})
    names = {g.name for g in CustomerGroup.select()}
    assert "sales-contacts" in names and "sales-quotes" not in names
    assert "account_manager-invoices" in names


# --------------------------------------------------------------------------- custom fields


def test_custom_field_definitions(admin):
    defs = custom_fields.list_definitions()
    assert [d.slot for d in defs] == list(range(7)) and not any(d.defined for d in defs)
    assert defs[0].kind == "number" and defs[0].column == "custom_num"
    custom_fields.define(admin, 0, "Floor space m²")
    custom_fields.define(admin, 1, "Branch", "choice", [" Retail", "Horeca", ""])
    defs = custom_fields.list_definitions()
    assert defs[1].choices == ["Retail", "Horeca"] and defs[1].column == "custom_1"
    assert [d.slot for d in custom_fields.active_definitions()] == [0, 1]
    rows = audit_rows("custom_field_def", record_id=1)
    assert {r.field: r.new_value for r in rows}["choices"] == "Retail\nHoreca"
    custom_fields.define(admin, 1, "Branch", "text")
    update = audit_rows("custom_field_def", record_id=1, action="update")
    assert {r.field for r in update} == {"kind", "choices"}
    custom_fields.set_active(admin, 1, False)
    assert [d.slot for d in custom_fields.active_definitions()] == [0]
    assert custom_fields.list_definitions()[1].label == "Branch"


@pytest.mark.parametrize(
    "slot, label, kind, choices, field",
    [
        (7, "X", "text", None, "slot"),
        (1, "", "text", None, "label"),
        (0, "Size", "text", None, "kind"),
        (2, "Size", "number", None, "kind"),
        (2, "Size", "choice", [], "choices"),
        (2, "Size", "text", ["a"], "choices"),
        (2, "Size", "choice", ["a", "a"], "choices"),
    ],
)
def test_custom_field_definition_errors(admin, slot, label, kind, choices, field):
    with pytest.raises(ValidationError) as info:
        custom_fields.define(admin, slot, label, kind, choices)
    assert field in info.value.errors
    assert not audit_rows("custom_field_def")


def test_custom_field_values():
    number = custom_fields.FieldDef(0, "Size", "number", [], True)
    choice = custom_fields.FieldDef(2, "Branch", "choice", ["Retail", "Horeca"], True)
    assert custom_fields.clean_value(number, "1 234,5") == Decimal("1234.5000")
    assert custom_fields.clean_value(number, "") is None
    assert custom_fields.clean_value(choice, " Horeca ") == "Horeca"
    assert custom_fields.clean_value(choice, "") == ""
    with pytest.raises(ValidationError, match="not a number"):
        custom_fields.clean_value(number, "lots")
    with pytest.raises(ValidationError, match="not a number"):
        custom_fields.clean_value(number, "1e12")
    with pytest.raises(ValidationError, match="too large"):
        custom_fields.clean_value(number, "12345678901")
    with pytest.raises(ValidationError, match="at most 4 decimals"):
        custom_fields.clean_value(number, "0,00001")  # would be stored as 0 without a word
    with pytest.raises(ValidationError, match="choose one of Retail, Horeca"):
        custom_fields.clean_value(choice, "Garage")
