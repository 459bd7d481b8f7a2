"""The users pane: all users; add one, change a role, deactivate or activate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable

from tradium_tui.i18n import LANGUAGES, N_, _, language_name
from tradium_tui.screens.admin.common import AdminDataChanged, restore_cursor, row_key, yes_no
from tradium_tui.services import users
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.safe_text import SafeDataTable


@dataclass
class UsersLoaded(Message):
    users: list[Any]  # services.users.UserInfo
    roles: list[str]


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
        keep = row_key(table)
        table.clear()
        self.users = {u.username: u for u in message.users}
        self.roles = list(message.roles)
        for user in message.users:
            table.add_row(
                user.username,
                user.display_name,
                user.role,
                yes_no(user.active),
                language_name(user.language) if user.language else _("(configured)"),
                key=user.username,
            )
        restore_cursor(table, keep)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#users-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    @property
    def selected(self) -> Any | None:
        key = row_key(self.table)
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
