"""Administration (users who may manage users and roles): users, roles, tab levels,
rights, default tab order per role and the variable customer fields.

Every read and write goes through the services (``services.users``, ``tab_order``,
``custom_fields``) in thread workers that post messages back; the services check the
right again and write the audit trail.  Each pane carries its own key bindings, so the
Footer shows what can be done where the focus is.  The screen is here; each pane has its
module (``users``, ``roles`` with the tab levels, rights and tab order per role, ``fields``)
and ``common`` holds what they share.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tradium_tui.i18n import N_, _
from tradium_tui.screens.admin.common import AdminDataChanged
from tradium_tui.screens.admin.fields import FieldsPane
from tradium_tui.screens.admin.roles import RolesPane
from tradium_tui.screens.admin.users import UsersPane
from tradium_tui.services.access import Actor
from tradium_tui.widgets.footer import AppFooter


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
