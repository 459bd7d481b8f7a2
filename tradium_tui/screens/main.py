"""The main screen: customer header, the tabs in the user's order, status bar, Footer.

Nothing here reads the database on the event loop: the start-up, opening a customer and
every tab load run in thread workers that post typed messages back.

Imports marked ``# lazy: start-up`` load a screen or service the first time it is used,
so the first frame does not wait for it (bench/README.md has the start-up figures).

The tabs are a :class:`~textual.widgets.Tabs` row over a
:class:`~textual.widgets.ContentSwitcher`, so the order of the tab labels can change
without touching the panes (their rows, cursor and scroll position stay as they are).
:meth:`MainScreen.apply_tab_order` is the one place that builds or reorders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static, Tab, Tabs
from textual.worker import get_current_worker

from tradium_tui import db
from tradium_tui.i18n import N_, _
from tradium_tui.keymap import key_for
from tradium_tui.services import customer_view, tab_order
from tradium_tui.services.access import (
    TABS,
    Actor,
    actor_for,
    refresh_actor,
    rights_stamp,
    stamp_of,
)
from tradium_tui.services.errors import UnknownUser
from tradium_tui.services.search import recent
from tradium_tui.widgets.db_status import DatabaseStatus
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.header import COMPACT_HEIGHT, COMPACT_WIDTH, CustomerHeader
from tradium_tui.widgets.messages import (
    CustomerLoaded,
    CustomerLoadFailed,
    DataChanged,
    OpenCustomer,
)
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.status_bar import StatusBar
from tradium_tui.widgets.tabs import has_tab_widget, tab_widget
from tradium_tui.widgets.tabs.base import TabView

TAB_PREFIX = "tab-"
PANE_PREFIX = "pane-"
# Work held back until the first frame is drawn starts after this many seconds anyway.
FIRST_FRAME_AT_THE_LATEST = 1.0


@dataclass
class Started(Message):
    """The start-up worker found the tab order and the customer to open."""

    order: list[str]
    view: Any | None


@dataclass
class PanesReady(Message):
    """The modules of these tabs are imported: their panes can be mounted."""

    tabs: list[str]


def start_view(actor: Actor, start_customer: int | None = None) -> Any | None:
    """The customer to show first: the one asked for, else the one this user had open
    last, else the lowest number (``None`` on an empty database).  Database work."""
    user_id = actor.user.id if actor.user is not None else None
    customer_id = start_customer if start_customer is not None else recent.last_opened(user_id)
    if customer_id is None:
        return None
    return customer_view.load_customer_view(customer_id, user_id, actor=actor)


def start_tabs(actor: Actor) -> list[str]:
    """This user's visible tabs in their order; the first one's module is imported."""
    order = [tab for tab in tab_order.visible_tabs(actor) if has_tab_widget(tab)]
    if order:
        tab_widget(order[0])  # imported here (a worker or before the app), not on the event loop
    return order


def load_start(actor: Actor, start_customer: int | None = None) -> Started:
    """Everything the first frame shows, read before the app runs (the command line does
    this so header and tabs appear at once; without it the screen reads it in a worker)."""
    view = start_view(actor, start_customer)
    return Started(start_tabs(actor), view)


class RightsChanged(Message):
    """An admin changed this user's rights: the new actor and its visible tabs
    (``actor`` is ``None`` when the user was deactivated or removed)."""

    def __init__(self, actor: Actor | None, order: list[str], stamp: tuple | None,
                 reason: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.order = order
        self.stamp = stamp
        self.reason = reason


class MainScreen(Screen):
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

    # Seconds between two looks at this user's rights (a rights change made by an admin
    # reaches the session within this time).
    RIGHTS_POLL_SECONDS = 2.0

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

    def _fit_tab_row(self) -> None:
        """Size the tab row to its labels so the ⚙ marker sits right of the last tab."""
        labels = sum(cell_len(_(TABS[tab])) + 2 for tab in self.tab_order)
        room = max(10, self.app.size.width - 3)
        self.tabs.styles.width = max(1, min(labels, room))

    def _condense(self) -> None:
        if self.is_mounted:
            self._fit_tab_row()
        size = self.app.size
        compact = size.width < COMPACT_WIDTH or size.height < COMPACT_HEIGHT
        self.query_one(CustomerHeader).compact = compact
        self.query_one(AppFooter).compact = compact
        self.set_class(compact, "-compact")

    # ----------------------------------------------------------------- start-up

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _startup(self) -> None:
        with db_guard(self, _("Starting")):
            view = start_view(self.actor, self.start_customer)
            if view is not None:
                # The header first: it is drawn while the tabs are prepared.
                self.post_message(CustomerLoaded(view))
            self.post_message(Started(start_tabs(self.actor), view))
            self._remember_opened(view)

    def _remember_opened(self, view: Any | None) -> None:
        """Remembering the customer as recently opened is a write: after the tabs are shown."""
        if view is not None and self.actor.user is not None:
            recent.record_opened(self.actor.user.id, view.id)

    @work(thread=True, exit_on_error=False, group="recent")
    def _remember_opened_later(self, view: Any) -> None:
        with db_guard(self, _("Remembering the customer")):
            self._remember_opened(view)

    async def on_started(self, message: Started) -> None:
        if message.view is None:
            self._show_no_customer()
        await self.apply_tab_order(message.order, defer=True)
        self.started = True
        self.refresh_bindings()

    # ----------------------------------------------------------------- tabs

    @property
    def tabs(self) -> Tabs:
        return self.query_one("#customer-tabs", Tabs)

    @property
    def switcher(self) -> ContentSwitcher:
        return self.query_one("#tab-panes", ContentSwitcher)

    def pane(self, tab: str) -> TabView | None:
        """The mounted pane of ``tab`` (``None`` while it is still being mounted)."""
        try:
            pane = self.query_one(f"#{PANE_PREFIX}{tab}", TabView)
        except Exception:
            return None
        return pane if pane.is_mounted else None

    def panes(self) -> list[TabView]:
        return [pane for pane in self.switcher.query_children(TabView) if pane.is_mounted]

    @property
    def active_tab(self) -> str | None:
        active = self.tabs.active
        return active[len(TAB_PREFIX):] if active else None

    async def apply_tab_order(self, order: list[str], defer: bool = False) -> None:
        """Show exactly the tabs of ``order``, in that order.

        New tabs get a pane (mounted, not loaded); tabs no longer in ``order`` lose theirs;
        the panes of tabs that stay are never touched, so their rows, cursor and scroll
        position survive a reorder.  Only the tab labels move: all of them except the
        active one are removed and added again around it (public ``Tabs`` API only).
        """
        wanted = [tab for tab in order if tab in TABS and has_tab_widget(tab)]
        tabs = self.tabs
        switcher = self.switcher
        current = [tab.id[len(TAB_PREFIX):] for tab in tabs.query(Tab) if tab.id]
        # Panes: remove the ones no longer wanted, mount the new ones.
        for tab in current:
            if tab not in wanted:
                await tabs.remove_tab(f"{TAB_PREFIX}{tab}")
        for pane in self.panes():
            if pane.TAB not in wanted:
                await pane.remove()
        missing = [tab for tab in wanted if self.pane(tab) is None]
        if defer and missing and self.active_tab not in wanted:
            # Start-up: the first pane now, the others once the screen has been drawn.
            first, later = missing[:1], missing[1:]
            await self._mount_panes(first)
            if later:
                # Importing their modules in a thread while the first frame is drawn would
                # take the interpreter from drawing it: start once it is on the terminal.
                self._after_first_frame(lambda: self._prepare_later(later))
        else:
            await self._mount_panes(missing)
        # Labels: keep the active one in place, put the others around it.
        active = self.active_tab if self.active_tab in wanted else None
        for tab in [t.id[len(TAB_PREFIX):] for t in tabs.query(Tab) if t.id]:
            if tab != active:
                await tabs.remove_tab(f"{TAB_PREFIX}{tab}")
        if active is None:
            for tab in wanted:
                await tabs.add_tab(Tab(_(TABS[tab]), id=f"{TAB_PREFIX}{tab}"))
        else:
            index = wanted.index(active)
            before = wanted[:index]
            after = wanted[index + 1:]
            for tab in before:
                await tabs.add_tab(Tab(_(TABS[tab]), id=f"{TAB_PREFIX}{tab}"),
                                   before=f"{TAB_PREFIX}{active}")
            anchor = active
            for tab in after:
                await tabs.add_tab(Tab(_(TABS[tab]), id=f"{TAB_PREFIX}{tab}"),
                                   after=f"{TAB_PREFIX}{anchor}")
                anchor = tab
        self.tab_order = wanted
        self._fit_tab_row()
        if wanted and not tabs.active:
            tabs.active = f"{TAB_PREFIX}{wanted[0]}"
        if not wanted:
            switcher.current = None

    async def _mount_panes(self, tabs: list[str]) -> None:
        """Mount (not load) the panes of ``tabs``; they load when first shown."""
        new_panes = []
        for tab in tabs:
            if tab in self._mounting or self.switcher.query_children(f"#{PANE_PREFIX}{tab}"):
                continue
            widget_class = tab_widget(tab)
            assert widget_class is not None
            pane = widget_class(self.actor, id=f"{PANE_PREFIX}{tab}")
            pane.display = False  # the switcher shows the active one
            new_panes.append(pane)
        if not new_panes:
            return
        names = [pane.TAB for pane in new_panes]
        self._mounting.update(names)
        try:
            await self.switcher.mount_all(new_panes)
        finally:
            self._mounting.difference_update(names)
        for pane in new_panes:
            if self.customer_id is not None:
                pane.set_customer(self.customer_id)
        pending = self._pending_show
        if pending in names:
            self._pending_show = None
            self.show_tab(pending)

    def _after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the screen has been drawn (at the latest after a second).

        Textual drops an after-refresh callback whose screen stops being the current one,
        so a timer makes sure it runs anyway.
        """
        done = False

        def once() -> None:
            nonlocal done
            if not done:
                done = True
                callback()

        self.call_after_refresh(once)
        self.set_timer(FIRST_FRAME_AT_THE_LATEST, once)

    @work(thread=True, exit_on_error=False, group="tab-modules")
    def _prepare_later(self, tabs: list[str]) -> None:
        """Import the other tabs' modules in a thread, then mount their panes."""
        for tab in tabs:
            tab_widget(tab)
        self.post_message(PanesReady(tabs))

    async def on_panes_ready(self, message: PanesReady) -> None:
        message.stop()
        await self._mount_panes([tab for tab in message.tabs if tab in self.tab_order])

    @on(Tabs.TabActivated, "#customer-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab = (event.tab.id or "")[len(TAB_PREFIX):]
        self.show_tab(tab)

    @on(Tabs.Cleared, "#customer-tabs")
    def _tabs_cleared(self, event: Tabs.Cleared) -> None:
        event.stop()

    def show_tab(self, tab: str) -> None:
        """Make ``tab`` the visible one; it loads its data if it has not yet."""
        pane = self.pane(tab)
        if pane is None:
            if tab in self.tab_order:  # its pane is still being mounted: show it when ready
                self._pending_show = tab
                if self.tabs.active != f"{TAB_PREFIX}{tab}":
                    self.tabs.active = f"{TAB_PREFIX}{tab}"
                if tab not in self._mounting:
                    self.run_worker(self._mount_panes([tab]), group="mount-pane")
            return
        if self.tabs.active != f"{TAB_PREFIX}{tab}":
            self.tabs.active = f"{TAB_PREFIX}{tab}"
            return  # the TabActivated handler comes back here
        for other in self.panes():
            if other is not pane:
                other.deactivate()
        self.switcher.current = pane.id
        pane.activate()
        pane.query_one(DataTable).focus()
        self.refresh_bindings()

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_next_tab(self) -> None:
        self._step_tab(+1)

    def _step_tab(self, step: int) -> None:
        if not self.tab_order:
            return
        active = self.active_tab
        index = self.tab_order.index(active) if active in self.tab_order else 0
        self.show_tab(self.tab_order[(index + step) % len(self.tab_order)])

    def on_click(self, event) -> None:
        widget = event.widget
        if widget is not None and widget.id == "tab-order-marker":
            event.stop()
            self.action_tab_order()

    # ----------------------------------------------------------------- customer

    def open_customer(self, customer_id: int) -> None:
        """Load and show a customer: the header and the active tab load side by side."""
        if customer_id == self.customer_id:
            # Opening the open customer again refreshes its tabs too.
            for pane in self.panes():
                pane.mark_stale()
        self._load_customer(customer_id, record=True)
        if customer_id != self.customer_id and self.active_tab:
            # The shown tab loads side by side with the header; the others follow it.
            pane = self.pane(self.active_tab)
            if pane is not None:
                pane.set_customer(customer_id)

    def reload_customer(self) -> None:
        if self.customer_id is not None:
            self._load_customer(self.customer_id, record=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _load_customer(self, customer_id: int, record: bool) -> None:
        worker = get_current_worker()
        user_id = self.actor.user.id
        guard = db_guard(self, _("Opening the customer"))
        with guard:
            view = customer_view.load_customer_view(customer_id, user_id, actor=self.actor)
            if not worker.is_cancelled:
                self.post_message(CustomerLoaded(view))
            if record and user_id is not None:
                recent.record_opened(user_id, customer_id)
        if guard.failed and not worker.is_cancelled:
            self.post_message(CustomerLoadFailed(customer_id, ""))

    def on_customer_loaded(self, message: CustomerLoaded) -> None:
        message.stop()
        self._show_customer(message.view)

    def on_customer_load_failed(self, message: CustomerLoadFailed) -> None:
        """The customer could not be opened: the tabs go back to the one shown."""
        message.stop()
        for pane in self.panes():
            if pane.customer_id != self.customer_id:
                pane.set_customer(self.customer_id)

    def _show_customer(self, view: Any) -> None:
        changed = view.id != self.customer_id
        self.view = view
        self.customer_id = view.id
        self.query_one(CustomerHeader).view = view
        self.query_one(StatusBar).view = view
        if changed:
            for pane in self.panes():
                if pane.customer_id != view.id:
                    pane.set_customer(view.id)
            active = self.active_tab
            if active:
                pane = self.pane(active)
                if pane is not None:
                    pane.query_one(DataTable).focus()
        # The Footer is rebuilt only when a key's state can have changed.
        state = (view is not None, bool(view.iban) if view is not None else False)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def on_open_customer(self, message: OpenCustomer) -> None:
        message.stop()
        self.open_customer(message.customer_id)

    def on_data_changed(self, message: DataChanged) -> None:
        """Something was written: the header figures and other tabs may be out of date."""
        message.stop()
        if message.customer_id is not None and message.customer_id != self.customer_id:
            return
        for pane in self.panes():
            if pane.TAB != message.tab:
                pane.mark_stale()
        self.reload_customer()

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

    # ----------------------------------------------------------------- rights

    def check_rights(self) -> None:
        """Look (in a worker) whether an admin changed this user's rights."""
        if self.actor.user is None or self.actor.user.id is None:
            return
        self._check_rights(self.actor.user.id, self.actor.username, self._rights_stamp)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rights")
    def _check_rights(self, user_id: int, username: str, known: tuple | None) -> None:
        """One small query; only when it differs are the rights and tabs read again."""
        try:
            with db.database.connection_context():
                stamp = rights_stamp(user_id)
                if stamp == known:
                    return
                try:
                    fresh = actor_for(username)
                except UnknownUser as exc:
                    self.post_message(RightsChanged(None, [], stamp, reason=str(exc)))
                    return
                self.post_message(RightsChanged(fresh, start_tabs(fresh), stamp))
        except Exception:  # the database status widget reports an outage; look again later
            return

    async def on_rights_changed(self, message: RightsChanged) -> None:
        message.stop()
        self._rights_stamp = message.stamp
        if message.actor is None:
            self.app.exit(return_code=2, message=f"tradium-tui: {message.reason}")
            return
        refresh_actor(self.actor, message.actor)
        for screen in self.app.screen_stack:
            if screen is not self:
                screen.refresh_bindings()
        if message.order != self.tab_order:
            await self.apply_tab_order(message.order)
        for pane in self.panes():
            pane.refresh_bindings()
        self.refresh_bindings()
        self.reload_customer()
        self.notify(_("An admin changed your rights; the tabs and keys follow them now."),
                    title=_("Rights changed"), timeout=6)

    def action_refresh(self) -> None:
        """Others may have changed this customer: read everything shown again."""
        if self.customer_id is None:
            return
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_retry_database(self) -> None:
        self.query_one(DatabaseStatus).retry()

    def on_database_status_lost(self, message: DatabaseStatus.Lost) -> None:
        message.stop()
        self.refresh_bindings()

    def on_database_status_recovered(self, message: DatabaseStatus.Recovered) -> None:
        """The database is back: show fresh data (the start-up again if it failed)."""
        message.stop()
        self.refresh_bindings()
        if not self.started:
            self._startup()
            return
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_find(self) -> None:
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.app.push_screen(FinderScreen(self.actor), self._finder_closed)

    def action_recent(self) -> None:
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.app.push_screen(FinderScreen(self.actor, recent=True), self._finder_closed)

    def _finder_closed(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.open_customer(customer_id)

    def action_log_contact(self) -> None:
        if self.view is None or not self.actor.can("actions", "edit"):
            return
        from tradium_tui.screens.dialogs import LogContactDialog  # lazy: start-up

        def logged(result) -> None:
            if result is None:
                return
            self.notify(_("Contact moment logged for {name}.").format(name=self.view.name),
                        timeout=3)
            pane = self.pane("actions")
            if pane is not None:
                pane.mark_stale()
            self.post_message(DataChanged(self.customer_id, "log_contact"))

        self.app.push_screen(LogContactDialog(self.actor, self.view), logged)

    def action_customer_list(self, back: bool = False) -> None:
        from tradium_tui.screens.customer_list import (  # lazy: start-up
            CustomerListScreen,
            ListState,
        )

        state = getattr(self, "_list_state", None)
        if state is None or not back:
            state = state if state is not None and back else ListState()
        self._list_state = state
        self._list_open = False
        self.refresh_bindings()
        self.app.push_screen(CustomerListScreen(self.actor, state), self._list_closed)

    def action_back_to_list(self) -> None:
        if getattr(self, "_list_open", False):
            self.action_customer_list(back=True)

    def _list_closed(self, customer_id: int | None) -> None:
        state = getattr(self, "_list_state", None)
        merged = dict(state.merged) if state is not None else {}
        if state is not None:
            state.merged.clear()  # seen once: an undo later must not send us there again
        if customer_id is None:
            self._list_state = None
            # Merged in the list: the customer shown here may be gone or have changed.
            if self.customer_id in merged:
                self.open_customer(merged[self.customer_id])
            elif self.customer_id in merged.values():
                for pane in self.panes():
                    pane.mark_stale()
                self.reload_customer()
            return
        self._list_open = True
        self.refresh_bindings()
        self.open_customer(customer_id)

    def action_my_actions(self) -> None:
        from tradium_tui.screens.my_actions import MyActionsScreen  # lazy: start-up

        self.app.push_screen(MyActionsScreen(self.actor), self._finder_closed)

    def action_deleted_customers(self) -> None:
        if not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.deleted import DeletedCustomersScreen  # lazy: start-up

        self.app.push_screen(DeletedCustomersScreen(self.actor), self._deleted_closed)

    def _deleted_closed(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        if self._last_deleted is not None and self._last_deleted[0] == customer_id:
            self._last_deleted = None  # restored from the list: nothing left to undo
        self.open_customer(customer_id)
        self.refresh_bindings()

    def action_toggle_mark(self) -> None:
        if self.view is None:
            return
        self._toggle_mark(self.view.id, not self.view.marked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mark")
    def _toggle_mark(self, customer_id: int, mark: bool) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Marking"))
        with guard:
            if mark:
                customers.mark(self.actor, customer_id)
            else:
                customers.unmark(self.actor, customer_id)
        if not guard.failed:
            self.app.call_from_thread(
                self.notify, _("Marked.") if mark else _("Mark removed."), timeout=2
            )
            self._load_customer(customer_id, False)

    def action_delete_customer(self) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return
        label = f"{view.name} ({view.number})"

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_customer(view.id, view.version, label)

        self.app.push_screen(
            ConfirmDialog(
                _("Delete {customer}?").format(customer=label),
                _("The customer leaves search and lists; its orders and invoices stay, with "
                  "their copy of the customer's details. ctrl+z (Undo delete) restores it."),
                yes=_("Delete"), no=_("Cancel"), danger=True,
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _delete_customer(self, customer_id: int, version: int, label: str) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Deleting the customer"))
        with guard:
            deleted = customers.delete_customer(self.actor, customer_id, version)
            user_id = self.actor.user.id if self.actor.user is not None else None
            following = recent.last_opened(user_id)
        if guard.failed:
            return
        self.app.call_from_thread(
            self._customer_deleted, (customer_id, int(deleted.version), label), following
        )

    def _customer_deleted(self, deleted: tuple[int, int, str], following: int | None) -> None:
        self._last_deleted = deleted
        self.notify(_("{customer} deleted. ctrl+z restores it.").format(customer=deleted[2]),
                    title=_("Customer deleted"))
        if following is not None:
            self.open_customer(following)
        else:
            self._show_no_customer()
        self.refresh_bindings()

    def _show_no_customer(self) -> None:
        self.view = None
        self.customer_id = None
        self.query_one(CustomerHeader).view = None
        self.query_one(StatusBar).view = None
        for pane in self.panes():
            pane.set_customer(None)

    def action_restore_customer(self) -> None:
        if self._last_deleted is None or not self.actor.role.can_edit_base:
            return
        self._restore_customer(*self._last_deleted)

    @work(thread=True, exclusive=True, exit_on_error=False, group="customer")
    def _restore_customer(self, customer_id: int, version: int, label: str) -> None:
        from tradium_tui.services import customers  # lazy: start-up

        guard = db_guard(self, _("Restoring the customer"))
        with guard:
            customers.restore_customer(self.actor, customer_id, version)
        if guard.failed:
            return
        self.app.call_from_thread(self._customer_restored, customer_id, label)

    def _customer_restored(self, customer_id: int, label: str) -> None:
        self._last_deleted = None
        self.notify(_("{customer} restored.").format(customer=label),
                    title=_("Customer restored"))
        self.open_customer(customer_id)
        self.refresh_bindings()

    # ----------------------------------------------------------------- merge, privacy

    def action_merge_with(self, other_id: int | None = None) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return
        if other_id is not None:
            self._picked_for_merge(view.id, other_id)
            return
        from tradium_tui.screens.finder import FinderScreen  # lazy: start-up

        self.notify(_("Find the duplicate to merge into {name} ({number}).").format(
            name=view.name, number=view.number), timeout=4)
        self.app.push_screen(FinderScreen(self.actor),
                             partial(self._picked_for_merge, view.id))

    def _picked_for_merge(self, keep_id: int, other_id: int | None) -> None:
        if other_id is None:
            return
        if other_id == keep_id:
            self.notify(_("That is this customer itself; pick its duplicate."),
                        severity="warning")
            return
        from tradium_tui.screens.merge import MergeDialog  # lazy: start-up

        self.app.push_screen(MergeDialog(self.actor, keep_id, other_id), self._merge_closed)

    def _merge_closed(self, keep_id: int | None) -> None:
        if keep_id is None:
            return
        if keep_id == self.customer_id:
            for pane in self.panes():
                pane.mark_stale()
            self.reload_customer()
        else:
            self.open_customer(keep_id)

    def action_undo_merge(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        self._find_last_merge(self.view.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-undo")
    def _find_last_merge(self, customer_id: int) -> None:
        from tradium_tui.services import merge  # lazy: start-up

        guard = db_guard(self, _("Undoing the merge"))
        with guard:
            info = merge.last_merge(customer_id)
        if not guard.failed:
            self.app.call_from_thread(self._ask_undo_merge, info)

    def _ask_undo_merge(self, info: Any) -> None:
        if info is None:
            self.notify(_("Nothing was merged into this customer."), title=_("Undo merge"))
            return
        if info.blocked_by:
            self.notify(info.blocked_by, title=_("Undo merge"), severity="warning", timeout=10)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo_merge(info)

        if info.merged:  # several customers merged at once: undone together
            question = _("Undo the merge of {names}?").format(names=info.names)
            body = _("All {count} customers and everything that moved go back exactly as "
                     "they were before the merge.").format(count=len(info.merged) + 1)
        else:
            question = _("Undo the merge of {name} ({number})?").format(
                name=info.other_name, number=info.other_number)
            body = _("Both customers and everything that moved go back exactly as they were "
                     "before the merge.")
        self.app.push_screen(ConfirmDialog(question, body, yes=_("Undo merge"), no=_("Cancel")),
                             answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-undo")
    def _undo_merge(self, info: Any) -> None:
        from tradium_tui.services import merge  # lazy: start-up

        guard = db_guard(self, _("Undoing the merge"))
        with guard:
            merge.undo_merge(self.actor, info.id)
        if not guard.failed:
            self.app.call_from_thread(self._merge_undone, info)

    def _merge_undone(self, info: Any) -> None:
        if info.merged:
            text = _("{names} are customers of their own again.").format(names=info.names)
        else:
            text = _("{name} ({number}) is a customer of its own again.").format(
                name=info.other_name, number=info.other_number)
        self.notify(text, title=_("Merge undone"))
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_gdpr_export(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        self._gdpr_export(self.view.id, self.view.number)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gdpr")
    def _gdpr_export(self, customer_id: int, number: int) -> None:
        from tradium_tui.services import gdpr  # lazy: start-up

        guard = db_guard(self, _("Personal data export"))
        with guard:
            target = Path.home() / f"personal-data-{number}-{dt.date.today().isoformat()}.json"
            written = gdpr.export_person(self.actor, customer_id, target)
        if not guard.failed:
            self.app.call_from_thread(
                self.notify, _("Written: {files}").format(
                    files=", ".join(str(p) for p in written)),
                title=_("Personal data export"), timeout=10)

    def action_anonymise(self) -> None:
        view = self.view
        if view is None or not self.actor.role.can_edit_base:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._anonymise(view.id)

        self.app.push_screen(ConfirmDialog(
            _("Anonymise {name} ({number}) for good?").format(name=view.name, number=view.number),
            _("Personal fields are replaced, notes and action texts cleared and the history "
              "redacted; this cannot be undone. Invoices inside the legal retention keep their "
              "copy of name and address until the retention ends."),
            yes=_("Anonymise"), no=_("Cancel"), danger=True), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gdpr")
    def _anonymise(self, customer_id: int) -> None:
        from tradium_tui.services import gdpr  # lazy: start-up

        guard = db_guard(self, _("Anonymising"))
        with guard:
            result = gdpr.anonymise_customer(self.actor, customer_id)
        if not guard.failed:
            self.app.call_from_thread(self._anonymised, result.summary())

    def _anonymised(self, summary: str) -> None:
        self.notify(summary, title=_("Anonymised"), timeout=10)
        for pane in self.panes():
            pane.mark_stale()
        self.reload_customer()

    def action_address_details(self) -> None:
        if self.view is None:
            return
        from tradium_tui.screens.dialogs import AddressDialog  # lazy: start-up

        self.app.push_screen(AddressDialog(self.view))

    def action_bank_details(self) -> None:
        if self.view is None:
            return
        from tradium_tui.screens.dialogs import BankDialog  # lazy: start-up

        self.app.push_screen(BankDialog(self.view))

    def action_new_customer(self, kind: str | None = None) -> None:
        if not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.customer_form import new_customer  # lazy: start-up

        new_customer(self.app, self.actor, self._customer_saved, kind=kind)

    def action_edit_customer(self) -> None:
        if self.view is None or not self.actor.role.can_edit_base:
            return
        from tradium_tui.screens.customer_form import edit_customer  # lazy: start-up

        edit_customer(self.app, self.actor, self.view.id, self._customer_saved)

    def _customer_saved(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        if customer_id == self.customer_id:
            self.post_message(DataChanged(customer_id, "base"))
        else:
            self.open_customer(customer_id)

    def action_tab_order(self) -> None:
        from tradium_tui.screens.tab_order import TabOrderScreen  # lazy: start-up

        async def chosen(order: list[str] | None) -> None:
            if order:
                await self.apply_tab_order(order)

        self.app.push_screen(TabOrderScreen(self.actor), chosen)

    def action_admin(self) -> None:
        if self.actor.is_admin:
            from tradium_tui.screens.admin import AdminScreen  # lazy: start-up

            self.app.push_screen(AdminScreen(self.actor))

    def action_import_export(self) -> None:
        if self.actor.role.can_import_export:
            from tradium_tui.screens.transfer import TransferScreen  # lazy: start-up

            self.app.push_screen(TransferScreen(self.actor))

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
