"""The main screen: customer header, the tabs in the user's order, status bar, Footer;
its keys, which of them are enabled, its palette commands and the language switch.

The behaviour is in the concept modules beside this one (see the package's
docstring); the ``@on`` handlers stay here because Textual collects them from the
screen's own class."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static, Tab, Tabs

from tradium_tui.i18n import N_, _
from tradium_tui.keymap import key_for
from tradium_tui.screens.main.customer_actions import CustomerActions
from tradium_tui.screens.main.loading import CustomerLoading
from tradium_tui.screens.main.navigation import Navigation
from tradium_tui.screens.main.rights import RightsWatch
from tradium_tui.screens.main.startup import Started
from tradium_tui.screens.main.tabs import TAB_PREFIX, TabPanes
from tradium_tui.services.access import (
    TABS,
    Actor,
    stamp_of,
)
from tradium_tui.widgets.db_status import DatabaseStatus
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.header import COMPACT_HEIGHT, COMPACT_WIDTH, CustomerHeader
from tradium_tui.widgets.status_bar import StatusBar


class MainScreen(CustomerLoading, TabPanes, CustomerActions, Navigation, RightsWatch, Screen):
    """Customer header, tabs, status bar."""

    BINDINGS = [
        Binding("f,slash", "find", N_("Find"), id="find_customer",
                tooltip=N_("Find a customer by name, number, city, e-mail, phone, VAT or reference.")),
        Binding("r", "recent", N_("Recent"), id="recent_customers",
                tooltip=N_("The customers you opened last.")),
        Binding("l", "log_contact", N_("Log contact"), id="log_contact",
                tooltip=N_("Log a contact moment (call, e-mail, visit…) with this customer.")),
        Binding("c", "customer_list", N_("List"), id="customer_list",
                tooltip=N_("All customers as a list: filter, sort, mark, change in bulk.")),
        Binding("escape", "back_to_list", N_("Back to list"), id="back_to_list",
                tooltip=N_("Back to the customer list where you left it.")),
        Binding("o", "my_actions", N_("My actions"), id="my_actions",
                tooltip=N_("Your open actions across all customers.")),
        Binding("left_square_bracket", "previous_tab", N_("◀Tab"), id="previous_tab",
                tooltip=N_("Show the tab to the left.")),
        Binding("right_square_bracket", "next_tab", N_("Tab▶"), id="next_tab",
                tooltip=N_("Show the tab to the right.")),
        Binding("m", "toggle_mark", N_("Mark"), id="toggle_mark",
                tooltip=N_("Mark or unmark this customer (your own marks).")),
        Binding("a", "address_details", N_("Address"), id="address_details",
                tooltip=N_("The full visiting and postal address.")),
        Binding("b", "bank_details", N_("Bank"), id="bank_details",
                tooltip=N_("IBAN, BIC and bank name.")),
        Binding("f5", "refresh", N_("Refresh"), id="refresh",
                tooltip=N_("Read this customer and the shown tab again.")),
        Binding("ctrl+e", "edit_customer", N_("Edit customer"), id="edit_customer",
                tooltip=N_("Edit this customer's base data.")),
        Binding("ctrl+n", "new_customer", N_("New customer"), id="new_customer",
                tooltip=N_("Create a consumer or a company.")),
        Binding("ctrl+d", "delete_customer", N_("Delete customer"), id="delete_customer",
                tooltip=N_("Delete this customer (it leaves search and lists; it can be restored).")),
        Binding("ctrl+z", "restore_customer", N_("Undo delete"), id="restore_customer",
                tooltip=N_("Restore the customer you deleted last.")),
        Binding("ctrl+u", "deleted_customers", N_("Deleted"), id="deleted_customers",
                tooltip=N_("Deleted customers: restore one.")),
        Binding("M", "merge_with", N_("Merge with…"), id="merge_with",
                tooltip=N_("Merge a duplicate into this customer: pick it, choose per field.")),
        Binding("U", "undo_merge", N_("Undo merge"), id="undo_merge",
                tooltip=N_("Undo the last merge into this customer (while nothing happened since).")),
        Binding("ctrl+t", "tab_order", N_("Tab order"), id="tab_order",
                tooltip=N_("Reorder your tabs.")),
        Binding("ctrl+g", "import_export", N_("Import/export"), id="import_export",
                tooltip=N_("Import or export customers in bulk.")),
        Binding("ctrl+a", "admin", N_("Admin"), id="admin",
                tooltip=N_("Users, roles, permissions, custom fields.")),
        Binding("ctrl+r", "retry_database", N_("Retry database"), id="retry_database",
                tooltip=N_("Check the database connection now.")),
    ]

    def __init__(
        self, actor: Actor, start_customer: int | None = None, start: Started | None = None
    ) -> None:
        super().__init__(id="main")
        self.actor = actor
        self.start_customer = start_customer
        self._start = start  # what load_start read before the app ran, if it did
        self.view: Any | None = None
        self.customer_id: int | None = None
        self.tab_order: list[str] = []
        self.started = False
        self._mounting: set[str] = set()  # tabs whose panes are being mounted
        self._pending_show: str | None = None  # a tab asked for before its pane was ready
        self._binding_state: tuple | None = None
        # The customer this user deleted last: (id, version after the delete, label).
        self._last_deleted: tuple[int, int, str] | None = None
        self._rights_stamp: tuple | None = None

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield CustomerHeader(id="header")
        with Horizontal(id="tab-row"):
            tabs = Tabs(id="customer-tabs")
            tabs.can_focus = False  # keys go to the tab contents; [ and ] switch tabs
            yield tabs
            yield Static("⚙", id="tab-order-marker", markup=False)
        yield ContentSwitcher(id="tab-panes")
        yield DatabaseStatus(id="db-status", retry_key=key_for(self, "retry_database"))
        yield StatusBar(user=self.actor.username, id="status-bar")
        yield AppFooter(id="footer")

    async def on_mount(self) -> None:
        self.query_one("#tab-order-marker", Static).tooltip = _("Reorder your tabs (ctrl+t)")
        self._condense()
        if self.actor.user is not None and self.actor.user.id is not None:
            self._rights_stamp = stamp_of(self.actor)
            self.set_interval(self.RIGHTS_POLL_SECONDS, self.check_rights)
        start, self._start = self._start, None
        if start is None:
            self._startup()
            return
        # Read before the app started: header and tabs are in the very first frame.
        if start.view is not None:
            self._show_customer(start.view)
        await self.on_started(start)
        if start.view is not None:
            self._remember_opened_later(start.view)

    def on_resize(self) -> None:
        self._condense()

    def _condense(self) -> None:
        if self.is_mounted:
            self._fit_tab_row()
        size = self.app.size
        compact = size.width < COMPACT_WIDTH or size.height < COMPACT_HEIGHT
        self.query_one(CustomerHeader).compact = compact
        self.query_one(AppFooter).compact = compact
        self.set_class(compact, "-compact")

    @on(Tabs.TabActivated, "#customer-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab = (event.tab.id or "")[len(TAB_PREFIX):]
        self.show_tab(tab)

    @on(Tabs.Cleared, "#customer-tabs")
    def _tabs_cleared(self, event: Tabs.Cleared) -> None:
        event.stop()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.actor
        has_customer = self.view is not None
        if action == "log_contact":
            if not actor.can("actions", "edit"):
                return False
            return True if has_customer else None
        if action == "my_actions":
            return actor.can("actions", "view")
        if action == "back_to_list":
            return bool(getattr(self, "_list_open", False))
        if action in ("toggle_mark", "address_details", "refresh"):
            return True if has_customer else None
        if action == "bank_details":
            return True if has_customer and bool(self.view.iban) else None
        if action == "edit_customer":
            if not actor.role.can_edit_base:
                return False
            return True if has_customer else None
        if action in ("new_customer", "deleted_customers"):
            return bool(actor.role.can_edit_base)
        if action in ("merge_with", "undo_merge"):
            if not actor.role.can_edit_base:
                return False
            return True if has_customer else None
        if action == "delete_customer":
            if not actor.role.can_edit_base:
                return False
            return True if has_customer else None
        if action == "restore_customer":
            return bool(actor.role.can_edit_base) and self._last_deleted is not None
        if action == "retry_database":
            return self.query_one(DatabaseStatus).down
        if action in ("previous_tab", "next_tab"):
            return len(self.tab_order) > 1
        # The screens these open are imported when first opened, not to draw the Footer.
        if action == "admin":
            return actor.is_admin
        if action == "import_export":
            return bool(actor.role.can_import_export)
        return True

    # ----------------------------------------------------------------- palette

    def palette_commands(self):
        """Commands of this screen for the command palette (only the allowed ones), in the
        interface language."""
        view = self.view
        name = view.name if view is not None else ""
        yield SystemCommand(_("Find customer"), _("Search by name, number, city, VAT…"),
                            self.action_find)
        yield SystemCommand(_("Recent customers"), _("The customers you opened last"),
                            self.action_recent)
        yield SystemCommand(_("Customer list"),
                            _("All customers: filter, sort, mark, bulk actions"),
                            self.action_customer_list)
        if self.actor.can("actions", "view"):
            yield SystemCommand(_("My open actions"), _("Your open actions across customers"),
                                self.action_my_actions)
        if view is not None and self.actor.can("actions", "edit"):
            yield SystemCommand(_("Log contact moment"), _("With {name}").format(name=name),
                                self.action_log_contact)
        if self.actor.role.can_edit_base:
            yield SystemCommand(_("New consumer"), _("Create a natural person"),
                                partial(self.action_new_customer, "consumer"))
            yield SystemCommand(_("New company"), _("Create a legal entity"),
                                partial(self.action_new_customer, "company"))
            if view is not None:
                yield SystemCommand(_("Edit customer"), _("Edit {name}").format(name=name),
                                    self.action_edit_customer)
                yield SystemCommand(_("Delete customer"),
                                    _("Delete {name} (can be undone)").format(name=name),
                                    self.action_delete_customer)
                yield SystemCommand(_("Merge with…"),
                                    _("Merge a duplicate into {name}").format(name=name),
                                    self.action_merge_with)
                yield SystemCommand(_("Undo merge"),
                                    _("Undo the last merge into {name}").format(name=name),
                                    self.action_undo_merge)
                yield SystemCommand(_("Personal data export (GDPR)"),
                                    _("Everything held about {name}, JSON and text").format(
                                        name=name),
                                    self.action_gdpr_export)
                if getattr(view, "kind", "") == "consumer":
                    yield SystemCommand(_("Anonymise customer (GDPR)"),
                                        _("Erase the personal data of {name} for good").format(
                                            name=name),
                                        self.action_anonymise)
            if self._last_deleted is not None:
                yield SystemCommand(_("Undo delete"),
                                    _("Restore {name}").format(name=self._last_deleted[2]),
                                    self.action_restore_customer)
            yield SystemCommand(_("Deleted customers"), _("List deleted customers; restore one"),
                                self.action_deleted_customers)
        if view is not None:
            yield SystemCommand(_("Toggle mark"), _("Mark or unmark this customer"),
                                self.action_toggle_mark)
            yield SystemCommand(_("Address details"), _("Visiting and postal address"),
                                self.action_address_details)
            if view.iban:
                yield SystemCommand(_("Bank details"), _("IBAN, BIC, bank"),
                                    self.action_bank_details)
        for tab in self.tab_order:
            title = _(TABS[tab])
            yield SystemCommand(_("Show {tab}").format(tab=title),
                                _("Switch to the {tab} tab").format(tab=title),
                                partial(self.show_tab, tab))

    # ----------------------------------------------------------------- language

    def retranslate(self) -> None:
        """The interface language changed: draw header, tabs, status bar, Footer and the
        panes again in it (the customer is read again for its country names)."""
        for tab in self.tab_order:
            for label in self.tabs.query(f"#{TAB_PREFIX}{tab}").results(Tab):
                label.label = _(TABS[tab])
        self.query_one("#tab-order-marker", Static).tooltip = _("Reorder your tabs (ctrl+t)")
        self._fit_tab_row()
        self.query_one(CustomerHeader).view = self.view
        self.query_one(StatusBar).view = self.view
        for pane in self.panes():
            pane.retranslate()
        self.refresh_bindings()
        self.reload_customer()
