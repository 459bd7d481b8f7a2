"""Administration (users who may manage users and roles): users, roles, tab levels,
rights, default tab order per role and the variable customer fields.

Every read and write goes through the services (``services.users``, ``tab_order``,
``custom_fields``) in thread workers that post messages back; the services check the
right again and write the audit trail.  Each pane carries its own key bindings, so the
Footer shows what can be done where the focus is.
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
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tradium_tui.i18n import LANGUAGES, N_, NP_, _, language_name
from tradium_tui.screens.tab_order import TabOrderScreen
from tradium_tui.services import custom_fields, users
from tradium_tui.services.access import LEVELS, TABS, Actor
from tradium_tui.services.users import RIGHT_LABELS
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.safe_text import SafeDataTable

LEVEL_STYLE = {"edit": "bold green", "view": "yellow", "hidden": "dim"}
# A tab's level as the grid shows it (the stored names are edit, view and hidden).
LEVEL_NAMES = {"edit": N_("edit"), "view": N_("view"), "hidden": N_("hidden")}
# TRANSLATORS: a variable field's type: a number (not a customer number), text or a choice.
FIELD_KINDS = {"number": NP_("field type", "Number"), "text": N_("Text"), "choice": N_("Choice")}


# --------------------------------------------------------------------------- messages


@dataclass
class UsersLoaded(Message):
    users: list[Any]  # services.users.UserInfo
    roles: list[str]


@dataclass
class RolesLoaded(Message):
    roles: list[Any]  # services.users.RoleInfo


@dataclass
class RoleChanged(Message):
    """A role's levels or rights changed (the service's fresh RoleInfo)."""

    role: Any


@dataclass
class FieldsLoaded(Message):
    fields: list[Any]  # services.custom_fields.FieldDef


@dataclass
class AdminDataChanged(Message):
    """Something was saved: reload ``what`` (users | roles | fields) and say ``text``."""

    what: str
    text: str = ""


# --------------------------------------------------------------------------- helpers


def _level_text(level: str) -> Text:
    return Text(_(LEVEL_NAMES[level]) if level in LEVEL_NAMES else level,
                style=LEVEL_STYLE.get(level, ""))


def _yes_no(on: bool) -> Text:
    return Text(_("yes"), style="bold green") if on else Text(_("no"), style="dim")


def _row_key(table: DataTable) -> str | None:
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except Exception:  # no cursor yet
        return None
    return key.value if key is not None else None


def _restore_cursor(table: DataTable, key: str | None) -> None:
    if key is None or table.row_count == 0:
        return
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:  # the row is gone
        pass


# --------------------------------------------------------------------------- users


class UsersPane(Vertical):
    """All users; add one, change a role, deactivate or activate."""

    BINDINGS = [
        Binding("a", "add_user", N_("Add user"), id="admin_user_add",
                tooltip=N_("Add a user by their login name.")),
        Binding("r", "set_role", N_("Set role"), id="admin_user_role",
                tooltip=N_("Give the highlighted user another role.")),
        Binding("d", "deactivate", N_("Deactivate"), id="admin_user_deactivate",
                tooltip=N_("Stop the highlighted user from logging in.")),
        Binding("v", "activate", N_("Activate"), id="admin_user_activate",
                tooltip=N_("Let the highlighted user log in again.")),
        Binding("l", "set_language", N_("Language"), id="admin_user_language",
                tooltip=N_("The highlighted user's interface language.")),
    ]

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.users: dict[str, Any] = {}
        self.roles: list[str] = []

    def compose(self) -> ComposeResult:
        table = SafeDataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("User"), _("Name"), _("Role"), _("Active"), _("Language"))
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#users-table", DataTable)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-users-load")
    def load(self) -> None:
        with db_guard(self, _("Loading users")):
            self.post_message(UsersLoaded(users.list_users(self.actor), users.role_names()))

    def on_users_loaded(self, message: UsersLoaded) -> None:
        message.stop()
        table = self.table
        keep = _row_key(table)
        table.clear()
        self.users = {u.username: u for u in message.users}
        self.roles = list(message.roles)
        for user in message.users:
            table.add_row(
                user.username,
                user.display_name,
                user.role,
                _yes_no(user.active),
                language_name(user.language) if user.language else _("(configured)"),
                key=user.username,
            )
        _restore_cursor(table, keep)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#users-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    @property
    def selected(self) -> Any | None:
        key = _row_key(self.table)
        return self.users.get(key) if key else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        user = self.selected
        if action in ("set_role", "deactivate", "activate", "set_language") and user is None:
            return None
        if action == "deactivate":
            return bool(user.active)
        if action == "activate":
            return not user.active
        return True

    # ----------------------------------------------------------------- actions

    def action_add_user(self) -> None:
        actor = self.actor

        def save(values: dict[str, Any], version: int | None) -> Any:
            return users.add_user(actor, values["username"], values["role"] or "",
                                  values["display_name"])

        form = RecordForm(
            _("Add user"),
            [
                FieldSpec("username", _("Login name"), required=True,
                          help=_("The user's operating-system (SSH) login."), max_length=64),
                FieldSpec("display_name", _("Full name"), max_length=120),
                FieldSpec("role", _("Role"), kind="select", allow_blank=False,
                          choices=[(name, name) for name in self.roles]),
            ],
            {"role": "sales" if "sales" in self.roles else None},
            save=save,
        )
        self.app.push_screen(form, self._saved(N_("Added {user} ({role}).")))

    def action_set_role(self) -> None:
        user = self.selected
        if user is None:
            return
        actor = self.actor

        def save(values: dict[str, Any], version: int | None) -> Any:
            return users.set_user_role(actor, user.username, values["role"] or "")

        form = RecordForm(
            _("Role of {user}").format(user=user.username),
            [FieldSpec("role", _("Role"), kind="select", allow_blank=False,
                       choices=[(name, name) for name in self.roles])],
            {"role": user.role},
            save=save,
        )
        self.app.push_screen(form, self._saved(N_("Changed {user} ({role}).")))

    def action_set_language(self) -> None:
        user = self.selected
        if user is None:
            return
        actor = self.actor

        def save(values: dict[str, Any], version: int | None) -> Any:
            return users.set_user_language(actor, user.username, values["language"] or "")

        choices = [(_("The configured language"), "default")] + [
            (name, code) for code, name in LANGUAGES.items()]
        form = RecordForm(
            _("Language of {user}").format(user=user.username),
            [FieldSpec("language", _("Language"), kind="select", allow_blank=False,
                       choices=choices,
                       help=_("Used from the user's next login; the config's language "
                              "otherwise."))],
            {"language": user.language or "default"},
            save=save,
        )
        self.app.push_screen(form, self._language_saved)

    def _language_saved(self, result: Any) -> None:
        if result is None:
            return
        info = result.record
        language = language_name(info.language) if info.language else _("the configured language")
        self.post_message(AdminDataChanged("users", _("Language of {user}: {language}.").format(
            user=info.username, language=language)))

    def _saved(self, said: str):
        def done(result: Any) -> None:
            if result is None:
                return
            info = result.record
            self.post_message(AdminDataChanged("users", _(said).format(user=info.username,
                                                                       role=info.role)))

        return done

    def action_deactivate(self) -> None:
        user = self.selected
        if user is not None:
            self._set_active(user.username, False)

    def action_activate(self) -> None:
        user = self.selected
        if user is not None:
            self._set_active(user.username, True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-users-write")
    def _set_active(self, username: str, active: bool) -> None:
        with db_guard(self, _("Activate user") if active else _("Deactivate user")):
            if active:
                info = users.activate_user(self.actor, username)
            else:
                info = users.deactivate_user(self.actor, username)
            if info.active:
                text = _("Activated {user}.").format(user=info.username)
            else:
                text = _("Deactivated {user}.").format(user=info.username)
            self.post_message(AdminDataChanged("users", text))


# --------------------------------------------------------------------------- roles


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
        keep = _row_key(self)
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
            self.add_row(_(label), _yes_no(on_), key=f"right:{attr}")
        _restore_cursor(self, keep)
        self.refresh_bindings()

    @property
    def current(self) -> str | None:
        return _row_key(self)

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
        key = _row_key(self.table)
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
        keep = _row_key(table)
        table.clear()
        self.roles = {r.name: r for r in message.roles}
        for role in message.roles:
            table.add_row(role.name, role.label, str(role.members), key=role.name)
        _restore_cursor(table, keep)
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


# --------------------------------------------------------------------------- custom fields


class FieldsPane(Vertical):
    """The seven variable customer fields: label, type, choices, shown or not."""

    BINDINGS = [
        Binding("e,enter", "edit_field", N_("Edit field"), id="admin_field_edit",
                tooltip=N_("Label, type and choices of the highlighted field.")),
        Binding("t", "toggle_field", N_("Show/hide"), id="admin_field_toggle",
                tooltip=N_("Show or hide the highlighted field on customers.")),
    ]

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.fields: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        table = SafeDataTable(id="fields-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Field"), _("Label"), _("Type"), _("Choices"), _("Shown"))
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#fields-table", DataTable)

    @property
    def selected(self) -> Any | None:
        key = _row_key(self.table)
        return self.fields.get(key) if key else None

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-fields-load")
    def load(self) -> None:
        with db_guard(self, _("Loading custom fields")):
            self.post_message(FieldsLoaded(custom_fields.list_definitions()))

    def on_fields_loaded(self, message: FieldsLoaded) -> None:
        message.stop()
        table = self.table
        keep = _row_key(table)
        table.clear()
        self.fields = {}
        for definition in message.fields:
            key = str(definition.slot)
            self.fields[key] = definition
            table.add_row(
                f"{definition.slot} ({definition.column})",
                definition.label or Text("—", style="dim"),
                _(FIELD_KINDS[definition.kind]) if definition.kind in FIELD_KINDS else definition.kind,
                ", ".join(definition.choices),
                _yes_no(definition.defined),
                key=key,
            )
        _restore_cursor(table, keep)
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#fields-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_field()

    @on(DataTable.RowHighlighted, "#fields-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        field_def = self.selected
        if action in ("edit_field", "toggle_field") and field_def is None:
            return None
        if action == "toggle_field":
            return bool(field_def.label)
        return True

    def action_edit_field(self) -> None:
        current = self.selected
        if current is None:
            return
        actor = self.actor
        slot = current.slot
        if slot == custom_fields.NUMERIC_SLOT:
            kinds = [(_(FIELD_KINDS["number"]), "number")]
        else:
            kinds = [(_("Text"), "text"), (_("Choice"), "choice")]

        def save(values: dict[str, Any], version: int | None) -> Any:
            choices = (values.get("choices") or "").splitlines()
            return custom_fields.define(actor, slot, values["label"], values["kind"] or None,
                                        choices, active=bool(values["active"]))

        specs = [
            FieldSpec("label", _("Label"), required=True, max_length=60),
            FieldSpec("kind", _("Type"), kind="select", allow_blank=False, choices=kinds),
        ]
        if slot != custom_fields.NUMERIC_SLOT:
            specs.append(FieldSpec("choices", _("Choices (one per line)"), kind="textarea",
                                   help=_("Only for the type Choice.")))
        specs.append(FieldSpec("active", _("Shown on customers"), kind="checkbox"))
        form = RecordForm(
            _("Variable field {slot} ({column})").format(slot=slot, column=current.column),
            specs,
            {
                "label": current.label,
                "kind": current.kind,
                "choices": "\n".join(current.choices),
                "active": current.active or not current.label,
            },
            save=save,
        )

        def done(result: Any) -> None:
            if result is not None:
                self.post_message(
                    AdminDataChanged("fields", _("Saved variable field {slot}.").format(slot=slot))
                )

        self.app.push_screen(form, done)

    def action_toggle_field(self) -> None:
        current = self.selected
        if current is not None and current.label:
            self._toggle(current.slot, not current.active)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-fields-write")
    def _toggle(self, slot: int, active: bool) -> None:
        with db_guard(self, _("Variable field {slot}").format(slot=slot)):
            custom_fields.set_active(self.actor, slot, active)
            if active:
                text = _("Variable field {slot} is shown.").format(slot=slot)
            else:
                text = _("Variable field {slot} is hidden.").format(slot=slot)
            self.post_message(AdminDataChanged("fields", text))


# --------------------------------------------------------------------------- screen


class AdminScreen(Screen[None]):
    """Users, roles and permissions, default tab order per role, variable fields."""

    DEFAULT_CSS = """
    AdminScreen #admin-title { text-style: bold; color: $text-primary; padding: 0 1; }
    AdminScreen #admin-refused { padding: 1 2; color: $text-error; }
    AdminScreen TabbedContent { height: 1fr; }
    AdminScreen DataTable { height: 1fr; }
    AdminScreen RolesPane > #roles-table { width: 2fr; }
    AdminScreen RolesPane > #role-detail { width: 3fr; padding: 0 0 0 2; }
    AdminScreen #role-title { height: auto; color: $text-muted; }
    """

    BINDINGS = [
        Binding("[", "switch_pane(-1)", N_("◀Pane"), id="admin_pane_previous",
                tooltip=N_("The previous pane (users, roles, variable fields).")),
        Binding("]", "switch_pane(1)", N_("Pane▶"), id="admin_pane_next",
                tooltip=N_("The next pane (users, roles, variable fields).")),
        Binding("escape", "close", N_("Close"), id="admin_close",
                tooltip=N_("Back to the customers.")),
        Binding("f5", "reload", N_("Reload"), id="admin_reload",
                tooltip=N_("Read users, roles and fields again.")),
    ]

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor

    def compose(self) -> ComposeResult:
        yield Static(_("Administration — {user}").format(user=self.actor.username), id="admin-title",
                     markup=False)
        if not self.actor.is_admin:
            yield Static(
                _("Your role '{name}' may not manage users and roles.").format(
                    name=self.actor.role.name),
                id="admin-refused", markup=False,
            )
        else:
            with TabbedContent(id="admin-tabs"):
                with TabPane(_("Users"), id="admin-users"):
                    yield UsersPane(self.actor, id="users-pane")
                with TabPane(_("Roles and permissions"), id="admin-roles"):
                    yield RolesPane(self.actor, id="roles-pane")
                with TabPane(_("Variable fields"), id="admin-fields"):
                    yield FieldsPane(self.actor, id="fields-pane")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.actor.is_admin:
            self.query_one("#users-table", DataTable).focus()

    @on(TabbedContent.TabActivated, "#admin-tabs")
    def _pane_shown(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        tables = list(pane.query(DataTable))
        if tables:
            tables[0].focus()

    def on_admin_data_changed(self, message: AdminDataChanged) -> None:
        message.stop()
        if message.text:
            self.notify(message.text, title=_("Administration"), timeout=4)
        self._reload(message.what)

    def _reload(self, what: str) -> None:
        panes = {"users": UsersPane, "roles": RolesPane, "fields": FieldsPane}
        for name, pane_class in panes.items():
            if what in (name, "all"):
                for pane in self.query(pane_class):
                    pane.load()
        if what == "roles":  # role names appear in the users list too
            for pane in self.query(UsersPane):
                pane.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_pane":
            return self.actor.is_admin
        return True

    def action_switch_pane(self, step: int) -> None:
        tabs = self.query_one("#admin-tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane)]
        if not panes:
            return
        index = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(index + step) % len(panes)]

    def action_reload(self) -> None:
        self._reload("all")

    def action_close(self) -> None:
        self.dismiss(None)
