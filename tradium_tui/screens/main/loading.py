"""Opening a customer on the main screen: the start-up worker, loading and reloading
in thread workers, showing the result in header, status bar and tabs, and reading
again after a change or when the database is back."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widgets import DataTable
from textual.worker import get_current_worker

from tradium_tui.i18n import _
from tradium_tui.screens.main.startup import Started, start_tabs, start_view
from tradium_tui.services import customer_view
from tradium_tui.services.search import recent
from tradium_tui.widgets.db_status import DatabaseStatus
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.header import CustomerHeader
from tradium_tui.widgets.messages import (
    CustomerLoaded,
    CustomerLoadFailed,
    DataChanged,
    OpenCustomer,
)
from tradium_tui.widgets.status_bar import StatusBar


class CustomerLoading:
    """Opening and showing customers, for :class:`~.screen.MainScreen`."""

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

    def _show_no_customer(self) -> None:
        self.view = None
        self.customer_id = None
        self.query_one(CustomerHeader).view = None
        self.query_one(StatusBar).view = None
        for pane in self.panes():
            pane.set_customer(None)

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
