"""Deleted customers: the list to restore one from, most recently deleted first.

Shows number, name, city, when and by whom each was deleted (from the audit trail).
``r`` or Enter restores the selected customer (through the same service as the command
line's ``customers restore``: permission, optimistic lock, audit) and dismisses with its
id, so the main screen opens it.  Someone restoring it meanwhile gives the usual message
and a fresh list.  Needs the base-data right, like deleting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from tradium_tui import formatting as fmt
from tradium_tui.keymap import key_for
from tradium_tui.screens.list_dialog import ListDialog
from tradium_tui.services import customers
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard


class DeletedCustomersScreen(ListDialog):
    PREFIX = "deleted"
    WHAT = "Deleted customers"
    COLUMNS = (("Number", "number", 8), ("Name", "name", None), ("City", "city", None),
               ("Deleted", "deleted", 16), ("By", "by", None))
    BINDINGS = [
        Binding("r", "restore", "Restore", id="deleted_restore",
                tooltip="Restore the selected customer and open it."),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, id="deleted-customers")
        self.restoring = False

    def title_text(self) -> str:
        return "Deleted customers"

    def fetch(self) -> list[Any]:
        return customers.deleted_customers(self.actor)

    def cells(self, row: Any) -> Sequence[Any]:
        return (
            Text(str(row.number), justify="right"),
            Text(row.name),
            Text(row.city or ""),
            Text(fmt.datetime_short(row.deleted_at)),
            Text(row.deleted_by or "—"),
        )

    def status_text(self, rows: list[Any]) -> str:
        if not rows:
            return "No deleted customers."
        count = len(rows)
        return (f"{count:,} deleted customer{'s' if count != 1 else ''}, newest first — "
                f"{key_for(self, 'deleted_restore')} or Enter restores one.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return True if self.selected is not None and not self.restoring else None
        return True

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_restore()

    def action_restore(self) -> None:
        row = self.selected
        if row is None or self.restoring:
            return
        self.restoring = True
        self.refresh_bindings()
        self._restore(row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="deleted-write")
    def _restore(self, row: Any) -> None:
        guard = db_guard(self, "Restoring the customer")
        ok = False
        try:
            with guard:
                customers.restore_customer(self.actor, row.id, row.version)
            ok = not guard.failed
        finally:  # also when the database could not even be reached
            self.app.call_from_thread(self._restored, row, ok)

    def _restored(self, row: Any, ok: bool) -> None:
        self.restoring = False
        if not ok:  # the message is shown; the list may be out of date
            self.refresh_bindings()
            self.action_reload()
            return
        self.notify(f"{row.name} ({row.number}) restored.", title="Customer restored")
        self.dismiss(row.id)
