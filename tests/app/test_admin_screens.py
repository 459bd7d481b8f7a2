"""The admin screen and the tab order dialog, in a tiny app, against a real database."""

from __future__ import annotations

from support.app import Host
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, OptionList, Select, Static, TextArea

from tradium_tui.models import AuditRecord, Role, TabPermission, User
from tradium_tui.screens.admin import AdminScreen
from tradium_tui.screens.admin.fields import FieldsPane
from tradium_tui.screens.admin.roles import PermissionGrid, RolesPane
from tradium_tui.screens.admin.users import UsersPane
from tradium_tui.screens.tab_order import TabOrderScreen
from tradium_tui.services import custom_fields, tab_order, users
from tradium_tui.services.access import TABS, actor_for
from tradium_tui.widgets.form import RecordForm


async def settle(pilot) -> None:
    """Let workers finish and their messages be handled (no fixed sleeps)."""
    for _ in range(5):
        running = [w for w in pilot.app.workers if not w.is_cancelled]
        await pilot.app.workers.wait_for_complete(running)
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            break


def footer_keys(screen: Screen) -> dict[str, str]:
    """Shown bindings of the focused chain: binding id → key."""
    return {
        b.id: b.key
        for _, b, enabled, _ in screen.active_bindings.values()
        if b.show and b.id
    }


def row_keys(table: DataTable) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


async def move_to(pilot, table: DataTable, key: str) -> None:
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


# --------------------------------------------------------------------------- tab order


async def test_plain_tab_order_dialog_moves_resets_and_returns():
    order = ["contacts", "actions", "quotes", "notes"]
    app = Host(lambda: TabOrderScreen(order=order, default=order))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, TabOrderScreen)
        assert set(footer_keys(screen)) >= {
            "tab_order_up", "tab_order_down", "tab_order_reset", "tab_order_save",
            "tab_order_cancel",
        }
        await pilot.press("down", "shift+down", "d")  # actions to the end
        assert screen.order == ["contacts", "quotes", "notes", "actions"]
        await pilot.press("shift+up")
        assert screen.order == ["contacts", "quotes", "actions", "notes"]
        await pilot.press("up", "up", "u")  # already at the top: nothing moves
        assert screen.order[0] == "contacts"
        await pilot.press("r")
        assert screen.order == order
        await pilot.press("shift+down", "s")
        await pilot.pause()
    assert app.results == [["actions", "contacts", "quotes", "notes"]]


async def test_tab_order_dialog_cancel_returns_none():
    app = Host(lambda: TabOrderScreen(order=["notes", "contacts"]))
    async with app.run_test() as pilot:
        await pilot.press("shift+down", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_user_tab_order_is_saved_and_per_user(alice):
    users.grant(alice, "sales", "invoices", "hidden")
    sam = actor_for("sam")
    app = Host(lambda: TabOrderScreen(sam))
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.order == tab_order.visible_tabs(sam)
        assert "invoices" not in screen.order
        options = screen.query_one(OptionList)
        assert options.option_count == len(TABS) - 1
        options.highlighted = screen.order.index("notes")
        for _ in range(screen.order.index("notes")):
            await pilot.press("shift+up")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results and app.results[0][0] == "notes"
    # A new session of sam finds the order; sue's stays the role default.
    assert tab_order.visible_tabs(actor_for("sam"))[0] == "notes"
    assert tab_order.visible_tabs(actor_for("sue")) == tab_order.role_default_tabs(actor_for("sue"))


async def test_user_reset_follows_the_role_default_again(alice):
    sam = actor_for("sam")
    tab_order.set_user_tab_order(sam, ["graph", "notes"])
    app = Host(lambda: TabOrderScreen(sam))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.screen.order[:2] == ["graph", "notes"]
        await pilot.press("r", "s")
        await settle(pilot)
    assert app.results == [list(TABS)]
    assert User.get(User.username == "sam").tab_order == ""


# --------------------------------------------------------------------------- admin screen


def test_every_binding_has_an_id_and_a_description():
    classes = [AdminScreen, UsersPane, RolesPane,
               FieldsPane, PermissionGrid, TabOrderScreen]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding) and binding.id and binding.description, (
                cls.__name__, binding
            )
            assert binding.show, (cls.__name__, binding.id)


async def test_non_admin_sees_a_refusal(alice):
    sam = actor_for("sam")
    app = Host(lambda: AdminScreen(sam))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert not app.screen.query(DataTable)
        text = str(app.screen.query_one("#admin-refused", Static).content)
        assert "may not manage users" in text
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_users_pane_add_set_role_deactivate(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#users-table", DataTable)
        assert row_keys(table) == ["alice", "sam", "sue"]
        assert {"admin_user_add", "admin_user_role", "admin_user_deactivate", "admin_close"} <= set(
            footer_keys(screen)
        )
        assert "admin_user_activate" not in footer_keys(screen)  # alice is active

        # Add a user through the form.
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        form.query_one("#field-username", Input).value = "tom"
        form.query_one("#field-display_name", Input).value = "Tom Tester"
        form.query_one("#field-role", Select).value = "account_manager"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        tom = User.get(User.username == "tom")
        assert tom.role.name == "account_manager" and tom.display_name == "Tom Tester"
        assert "tom" in row_keys(table)

        # A bad name keeps the form open with the message at its field.
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-username", Input).value = "two words"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "not a valid login name" in str(form.query_one("#row-username .field-message",
                                                             Static).content)
        # Typed but not saved: Escape asks before discarding.
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard changes?" in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen

        # Set role and deactivate sam.
        await move_to(pilot, table, "sam")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#field-role", Select).value = "account_manager"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert actor_for("sam").role.name == "account_manager"
        await move_to(pilot, table, "sam")
        await pilot.press("d")
        await settle(pilot)
        assert not User.get(User.username == "sam").active
        await move_to(pilot, table, "sam")
        assert "admin_user_activate" in footer_keys(screen)
        assert "admin_user_deactivate" not in footer_keys(screen)
        await pilot.press("v")
        await settle(pilot)
        assert User.get(User.username == "sam").active


async def test_last_admin_is_kept_and_the_reason_shown(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#users-table", DataTable)
        await move_to(pilot, table, "alice")
        await pilot.press("d")
        await settle(pilot)
        assert User.get(User.username == "alice").active
        messages = app.notes
        assert any("no active user who can manage" in m for m in messages), messages


async def test_roles_pane_grid_changes_levels_and_rights(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#admin-tabs").active = "admin-roles"
        await settle(pilot)
        roles_table = screen.query_one("#roles-table", DataTable)
        assert row_keys(roles_table) == ["admin", "account_manager", "sales"]
        await move_to(pilot, roles_table, "sales")
        assert {"admin_role_add", "admin_role_rename", "admin_role_tab_order"} <= set(
            footer_keys(screen)
        )
        grid = screen.query_one(PermissionGrid)
        await move_to(pilot, grid, "tab:quotes")
        assert {"admin_grid_cycle", "admin_grid_edit", "admin_grid_view",
                "admin_grid_hidden"} <= set(footer_keys(screen))
        await pilot.press("e")
        await settle(pilot)
        assert actor_for("sam").level("quotes") == "edit"
        assert grid.values["tab:quotes"] == "edit"
        await pilot.press("space")  # edit → hidden
        await settle(pilot)
        assert actor_for("sam").level("quotes") == "hidden"
        await move_to(pilot, grid, "right:can_edit_base")
        assert "admin_grid_edit" not in footer_keys(screen)  # no levels on a right
        await pilot.press("space")
        await settle(pilot)
        assert Role.get(Role.name == "sales").can_edit_base
        fields = {r.field for r in AuditRecord.select().where(
            AuditRecord.table.in_(["tab_permission", "role"]))}
        assert {"sales.quotes", "can_edit_base"} <= fields


async def test_roles_pane_add_rename_and_default_tab_order(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#admin-tabs").active = "admin-roles"
        await settle(pilot)
        roles_table = screen.query_one("#roles-table", DataTable)
        roles_table.focus()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-role", Input).value = "depot"
        form.query_one("#field-like", Select).value = "sales"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "depot" in row_keys(roles_table)
        assert TabPermission.get(
            (TabPermission.role == Role.get(Role.name == "depot"))
            & (TabPermission.tab == "contacts")
        ).level == "edit"

        await move_to(pilot, roles_table, "depot")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-role", Input).value = "warehouse"
        form.query_one("#field-label", Input).value = "Warehouse"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Role.get(Role.name == "warehouse").label == "Warehouse"
        assert "warehouse" in row_keys(roles_table)

        await move_to(pilot, roles_table, "sales")
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TabOrderScreen) and dialog.role == "sales"
        assert dialog.order == list(TABS)
        dialog.query_one(OptionList).highlighted = dialog.order.index("notes")
        await pilot.press("shift+up", "shift+up", "s")
        await settle(pilot)
        assert app.screen is screen
        order = tab_order.parse_order(Role.get(Role.name == "sales").tab_order)
        assert order.index("notes") == list(TABS).index("notes") - 2
        assert tab_order.visible_tabs(actor_for("sue")) == [
            t for t in order if actor_for("sue").can(t)
        ]


async def test_fields_pane_defines_and_hides_a_field(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#admin-tabs").active = "admin-fields"
        await settle(pilot)
        table = screen.query_one("#fields-table", DataTable)
        assert row_keys(table) == [str(slot) for slot in range(7)]
        await move_to(pilot, table, "2")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-label", Input).value = "Branch"
        form.query_one("#field-kind", Select).value = "choice"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # a choice field without choices is refused
        assert "at least one choice" in str(
            form.query_one("#row-choices .field-message", Static).content
        )
        form.query_one("#field-choices", TextArea).text = "Retail\nHoreca\n"
        assert form.query_one("#field-active", Checkbox).value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        definition = custom_fields.list_definitions()[2]
        assert (definition.label, definition.kind, definition.choices, definition.active) == (
            "Branch", "choice", ["Retail", "Horeca"], True
        )
        await move_to(pilot, table, "2")
        await pilot.press("t")
        await settle(pilot)
        assert not custom_fields.list_definitions()[2].active


async def test_pane_keys_switch_panes_and_their_footer_keys(alice):
    app = Host(lambda: AdminScreen(alice))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        tabs = screen.query_one("#admin-tabs")
        assert "admin_user_add" in footer_keys(screen)
        await pilot.press("]")
        await settle(pilot)
        assert tabs.active == "admin-roles"
        assert screen.focused is screen.query_one("#roles-table")
        keys = footer_keys(screen)
        assert "admin_role_add" in keys and "admin_user_add" not in keys
        await pilot.press("]")
        await settle(pilot)
        assert tabs.active == "admin-fields" and "admin_field_edit" in footer_keys(screen)
        await pilot.press("]", "[", "[")
        await settle(pilot)
        assert tabs.active == "admin-roles"


async def test_tab_order_dialog_for_a_role_refused_without_the_right(alice):
    sam = actor_for("sam")
    app = Host(lambda: TabOrderScreen(sam, role="sales"))
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TabOrderScreen) and not screen.loaded
        messages = app.notes
        assert any("may not manage users and roles" in m for m in messages), messages
        await pilot.press("s")  # nothing to save: the dialog stays
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
    assert Role.get(Role.name == "sales").tab_order == ",".join(TABS)
