"""The roles pane: roles, each one's level per tab and its rights, and its default tab
order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tradium_tui.i18n import N_, _
from tradium_tui.screens.admin.common import AdminDataChanged, restore_cursor, row_key, yes_no
from tradium_tui.screens.tab_order import TabOrderScreen
from tradium_tui.services import users
from tradium_tui.services.access import LEVELS, TABS, Actor
from tradium_tui.services.users import RIGHT_LABELS
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.safe_text import SafeDataTable

LEVEL_STYLE = {"edit": "bold green", "view": "yellow", "hidden": "dim"}
# A tab's level as the grid shows it (the stored names are edit, view and hidden).
LEVEL_NAMES = {"edit": N_("edit"), "view": N_("view"), "hidden": N_("hidden")}


@dataclass
class RolesLoaded(Message):
    roles: list[Any]  # services.users.RoleInfo


@dataclass
class RoleChanged(Message):
    """A role's levels or rights changed (the service's fresh RoleInfo)."""

    role: Any


def _level_text(level: str) -> Text:
    return Text(_(LEVEL_NAMES[level]) if level in LEVEL_NAMES else level,
                style=LEVEL_STYLE.get(level, ""))


class PermissionGrid(SafeDataTable):
    """One role's level per tab and its three rights."""

    BINDINGS = [
        Binding("space", "cycle", N_("Change"), id="admin_grid_cycle",
                tooltip=N_("Next level (hidden → view → edit) or switch the right on/off.")),
        Binding("h", "level('hidden')", N_("Hidden"), id="admin_grid_hidden",
                tooltip=N_("The role does not see this tab.")),
        Binding("v", "level('view')", N_("View"), id="admin_grid_view",
                tooltip=N_("The role sees this tab but cannot change it.")),
        Binding("e", "level('edit')", N_("Edit"), id="admin_grid_edit",
                tooltip=N_("The role may change this tab.")),
    ]

    @dataclass
    class Change(Message):
        key: str  # "tab:<id>" or "right:<field>"
        value: str | bool

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.values: dict[str, str | bool] = {}

    def show_role(self, role: Any) -> None:
        keep = row_key(self)
        self.clear(columns=not self.columns)
        if not self.columns:
            self.add_columns(_("Tab / right"), _("Level"))
        self.values = {}
        for tab in TABS:
            level = role.levels.get(tab, "hidden")
            self.values[f"tab:{tab}"] = level
            self.add_row(_(TABS[tab]), _level_text(level), key=f"tab:{tab}")
        for attr, label in RIGHT_LABELS.items():
            on_ = bool(getattr(role, attr))
            self.values[f"right:{attr}"] = on_
            self.add_row(_(label), yes_no(on_), key=f"right:{attr}")
        restore_cursor(self, keep)
        self.refresh_bindings()

    @property
    def current(self) -> str | None:
        return row_key(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        key = self.current
        if action == "level":
            return bool(key and key.startswith("tab:"))
        if action == "cycle":
            return key is not None
        return True

    def action_cycle(self) -> None:
        key = self.current
        if key is None:
            return
        value = self.values.get(key)
        if key.startswith("tab:"):
            level = value if value in LEVELS else "hidden"
            self.post_message(self.Change(key, LEVELS[(LEVELS.index(level) + 1) % len(LEVELS)]))
        else:
            self.post_message(self.Change(key, not bool(value)))

    def action_level(self, level: str) -> None:
        key = self.current
        if key and key.startswith("tab:") and self.values.get(key) != level:
            self.post_message(self.Change(key, level))

    def _on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()


class RolesPane(Horizontal):
    """Roles on the left, the highlighted role's tab levels and rights on the right."""

    BINDINGS = [
        Binding("a", "add_role", N_("Add role"), id="admin_role_add",
                tooltip=N_("Add a role (empty, or a copy of another role).")),
        Binding("n", "rename_role", N_("Rename"), id="admin_role_rename",
                tooltip=N_("Rename the highlighted role or change its label.")),
        Binding("o", "role_tab_order", N_("Tab order"), id="admin_role_tab_order",
                tooltip=N_("The default tab order of the highlighted role.")),
    ]

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.roles: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        table = SafeDataTable(id="roles-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Role"), _("Label"), _("Users"))
        yield table
        with Vertical(id="role-detail"):
            yield Static("", id="role-title", markup=False)
            yield PermissionGrid(id="permission-grid")

    @property
    def table(self) -> DataTable:
        return self.query_one("#roles-table", DataTable)

    @property
    def grid(self) -> PermissionGrid:
        return self.query_one("#permission-grid", PermissionGrid)

    @property
    def selected(self) -> Any | None:
        key = row_key(self.table)
        return self.roles.get(key) if key else None

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-roles-load")
    def load(self) -> None:
        with db_guard(self, _("Loading roles")):
            self.post_message(RolesLoaded(users.list_roles(self.actor)))

    def on_roles_loaded(self, message: RolesLoaded) -> None:
        message.stop()
        table = self.table
        keep = row_key(table)
        table.clear()
        self.roles = {r.name: r for r in message.roles}
        for role in message.roles:
            table.add_row(role.name, role.label, str(role.members), key=role.name)
        restore_cursor(table, keep)
        self._show_selected()

    def on_role_changed(self, message: RoleChanged) -> None:
        message.stop()
        role = message.role
        self.roles[role.name] = role
        if self.selected is not None and self.selected.name == role.name:
            self._show_selected()

    @on(DataTable.RowHighlighted, "#roles-table")
    def _role_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        role = self.selected
        title = self.query_one("#role-title", Static)
        if role is None:
            title.update("")
            self.grid.clear()
            return
        title.update(_("{label} ({role}) — space changes, h / v / e set a level").format(
            label=role.label, role=role.name))
        self.grid.show_role(role)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename_role", "role_tab_order") and self.selected is None:
            return None
        return True

    # ----------------------------------------------------------------- grid changes

    @on(PermissionGrid.Change)
    def _grid_change(self, event: PermissionGrid.Change) -> None:
        event.stop()
        role = self.selected
        if role is not None:
            self._apply(role.name, event.key, event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-roles-write")
    def _apply(self, role: str, key: str, value: str | bool) -> None:
        kind, _sep, name = key.partition(":")
        with db_guard(self, _("Role {role}").format(role=role)):
            if kind == "tab":
                info = users.grant(self.actor, role, name, str(value))
            else:
                info = users.set_right(self.actor, role, name, bool(value))
            self.post_message(RoleChanged(info))

    # ----------------------------------------------------------------- dialogs

    def action_add_role(self) -> None:
        actor = self.actor

        def save(values: dict[str, Any], version: int | None) -> Any:
            return users.add_role(actor, values["role"], values["label"],
                                  like=values["like"] or None)

        form = RecordForm(
            _("Add role"),
            [
                FieldSpec("role", _("Name"), required=True, max_length=40,
                          help=_("Lower case, e.g. warehouse.")),
                FieldSpec("label", _("Label"), max_length=80),
                FieldSpec("like", _("Copy levels and rights from"), kind="select",
                          choices=[(name, name) for name in self.roles],
                          help=_("Leave empty for a role that sees nothing until granted.")),
            ],
            {},
            save=save,
        )
        self.app.push_screen(form, self._role_saved(N_("Added role {role}.")))

    def action_rename_role(self) -> None:
        role = self.selected
        if role is None:
            return
        actor = self.actor

        def save(values: dict[str, Any], version: int | None) -> Any:
            renamed = users.rename_role(actor, role.name, values["role"])
            label = (values["label"] or "").strip()
            if label and label != renamed.label:
                renamed = users.set_role_label(actor, renamed.name, label)
            return renamed

        form = RecordForm(
            _("Rename role {role}").format(role=role.name),
            [
                FieldSpec("role", _("Name"), required=True, max_length=40),
                FieldSpec("label", _("Label"), max_length=80),
            ],
            {"role": role.name, "label": role.label},
            save=save,
        )
        self.app.push_screen(form, self._role_saved(N_("Saved role {role}.")))

    def _role_saved(self, said: str):
        def done(result: Any) -> None:
            if result is not None:
                self.post_message(AdminDataChanged("roles", _(said).format(role=result.record.name)))

        return done

    def action_role_tab_order(self) -> None:
        role = self.selected
        if role is None:
            return

        def done(order: list[str] | None) -> None:
            if order:
                self.post_message(
                    AdminDataChanged("roles", _("Saved the default tab order of {role}.").format(
                        role=role.name))
                )

        self.app.push_screen(TabOrderScreen(self.actor, role=role.name), done)
