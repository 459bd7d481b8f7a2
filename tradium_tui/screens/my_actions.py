"""My open actions: the logged-in user's open actions across all customers.

Overdue ones first and in the error colour.  Enter opens the customer; ``x`` marks the
action done.  Dismisses with the customer id to open (or ``None``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tradium_tui import formatting as fmt
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.messages import TabLoaded


class MyActionsScreen(ModalScreen[int | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="my_actions_close"),
        Binding("x", "complete", "Done", id="my_actions_done",
                tooltip="Mark the selected action done."),
        Binding("f5", "reload", "Refresh", id="my_actions_refresh"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(id="my-actions")
        self.actor = actor
        self.rows: list[Any] = []
        self.load_count = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-dialog"):
            yield Static(f"Open actions of {self.actor.username}", classes="dialog-title",
                         markup=False)
            yield Static("Loading…", id="my-actions-status", markup=False)
            yield DataTable(id="my-actions-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Follow-up", width=10, key="follow")
        table.add_column("Customer", key="customer")
        table.add_column("Type", width=11, key="type")
        table.add_column("Subject", key="subject")
        table.focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "complete":
            if not self.actor.can("actions", "edit"):
                return False
            return True if self.selected is not None else None
        return True

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="my-actions")
    def _load(self) -> None:
        from tradium_tui.services import actions

        with db_guard(self, "My open actions"):
            rows = actions.my_open_actions(self.actor)
            self.post_message(TabLoaded("my_actions", 0, list(rows)))

    def on_tab_loaded(self, message: TabLoaded) -> None:
        message.stop()
        self.rows = message.rows
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        variables = self.app.get_css_variables()
        overdue_style = f"bold {variables.get('text-error', 'red')}"
        for row in self.rows:
            style = overdue_style if row.overdue else ""
            table.add_row(
                Text(fmt.date_short(row.follow_up_on) or "—", style=style),
                Text(f"{row.customer_name} ({row.customer_number})"),
                Text(row.type),
                Text(row.subject, style=style),
                key=str(row.id),
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1), animate=False)
        overdue = sum(1 for r in self.rows if r.overdue)
        status = f"{len(self.rows)} open" + (f", {overdue} overdue" if overdue else "")
        if not self.rows:
            status = "No open actions — nice."
        self.query_one("#my-actions-status", Static).update(status)
        self.load_count += 1
        self.refresh_bindings()

    @property
    def selected(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.id) == key), None)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected
        if row is not None:
            self.dismiss(row.customer_id)

    def action_complete(self) -> None:
        row = self.selected
        if row is None or not self.actor.can("actions", "edit"):
            return
        self._complete(row)

    @work(thread=True, exclusive=False, exit_on_error=False, group="my-actions-write")
    def _complete(self, row: Any) -> None:
        from tradium_tui.services import actions

        guard = db_guard(self, "Completing the action")
        with guard:
            actions.complete_action(self.actor, row.id, row.version)
        if not guard.failed:
            self.app.call_from_thread(self.notify, f"Done: {row.subject}", timeout=3)
            self._load()

    def action_close(self) -> None:
        self.dismiss(None)
