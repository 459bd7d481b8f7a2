"""My open actions: the logged-in user's open actions across all customers.

Overdue ones first and in the error colour.  Enter opens the customer; ``x`` marks the
action done.  Dismisses with the customer id to open (or ``None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from tradium_tui import formatting as fmt
from tradium_tui.screens.list_dialog import ListDialog
from tradium_tui.services import actions
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard


class MyActionsScreen(ListDialog):
    PREFIX = "my-actions"
    WHAT = "My open actions"
    COLUMNS = (("Follow-up", "follow", 10), ("Customer", "customer", None),
               ("Type", "type", 11), ("Subject", "subject", None))
    BINDINGS = [
        Binding("x", "complete", "Done", id="my_actions_done",
                tooltip="Mark the selected action done."),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, id="my-actions")

    def title_text(self) -> str:
        return f"Open actions of {self.actor.username}"

    def fetch(self) -> list[Any]:
        return actions.my_open_actions(self.actor)

    def cells(self, row: Any) -> Sequence[Any]:
        variables = self.app.get_css_variables()
        style = f"bold {variables.get('text-error', 'red')}" if row.overdue else ""
        return (
            Text(fmt.date_short(row.follow_up_on) or "—", style=style),
            Text(f"{row.customer_name} ({row.customer_number})"),
            Text(row.type),
            Text(row.subject, style=style),
        )

    def status_text(self, rows: list[Any]) -> str:
        if not rows:
            return "No open actions — nice."
        overdue = sum(1 for r in rows if r.overdue)
        return f"{len(rows)} open" + (f", {overdue} overdue" if overdue else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "complete":
            if not self.actor.can("actions", "edit"):
                return False
            return True if self.selected is not None else None
        return True

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
        guard = db_guard(self, "Completing the action")
        with guard:
            actions.complete_action(self.actor, row.id, row.version)
        if not guard.failed:
            self.app.call_from_thread(self.notify, f"Done: {row.subject}", timeout=3)
            self._load()
