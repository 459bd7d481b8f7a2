"""The main screen's tabs: a :class:`~textual.widgets.Tabs` row over a
:class:`~textual.widgets.ContentSwitcher`, so the order of the tab labels can change
without touching the panes (their rows, cursor and scroll position stay as they are).
:meth:`TabPanes.apply_tab_order` is the one place that builds or reorders them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from textual import work
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Tab, Tabs

from tradium_tui.i18n import _
from tradium_tui.services.access import (
    TABS,
)
from tradium_tui.widgets.tabs import has_tab_widget, tab_widget
from tradium_tui.widgets.tabs.base import TabView

TAB_PREFIX = "tab-"
PANE_PREFIX = "pane-"
# Work held back until the first frame is drawn starts after this many seconds anyway.
FIRST_FRAME_AT_THE_LATEST = 1.0


@dataclass
class PanesReady(Message):
    """The modules of these tabs are imported: their panes can be mounted."""

    tabs: list[str]


class TabPanes:
    """The tab row and its panes, for :class:`~.screen.MainScreen`."""

    def _fit_tab_row(self) -> None:
        """Size the tab row to its labels so the ⚙ marker sits right of the last tab."""
        labels = sum(cell_len(_(TABS[tab])) + 2 for tab in self.tab_order)
        room = max(10, self.app.size.width - 3)
        self.tabs.styles.width = max(1, min(labels, room))

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

    def action_tab_order(self) -> None:
        from tradium_tui.screens.tab_order import TabOrderScreen  # lazy: start-up

        async def chosen(order: list[str] | None) -> None:
            if order:
                await self.apply_tab_order(order)

        self.app.push_screen(TabOrderScreen(self.actor), chosen)
