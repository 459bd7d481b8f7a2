"""A dialog listing rows read in a worker: title, a status line, a table, the cursor kept.

Subclasses say what to read (:meth:`ListDialog.fetch`, run in a thread), how a row looks
(:meth:`ListDialog.cells`) and what the status line says; the dialog reads again on
``f5``, keeps the cursor where it was, and dismisses with a customer id to open (or
``None`` on ``escape``).  "My open actions" and "Deleted customers" are such dialogs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.messages import TabLoaded
from tradium_tui.widgets.safe_text import SafeDataTable, safe_cells


class ListDialog(ModalScreen[int | None]):
    """Rows of :meth:`fetch` in a table; ``load_count`` counts the loads shown."""

    PREFIX = "list"  # ids: the screen, "<PREFIX>-status", "<PREFIX>-table"
    WHAT = "Reading the list"  # the title of an error notification
    COLUMNS: Sequence[tuple[str, str, int | None]] = ()  # (label, key, width)

    BINDINGS = [
        Binding("escape", "close", "Close", id="list_close"),
        Binding("f5", "reload", "Refresh", id="list_refresh"),
    ]

    def __init__(self, actor: Actor, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actor = actor
        self.rows: list[Any] = []
        self.load_count = 0

    # ----------------------------------------------------------------- to fill in

    def title_text(self) -> str:
        raise NotImplementedError

    def fetch(self) -> list[Any]:
        """The rows (in a worker thread, on its own connection)."""
        raise NotImplementedError

    def cells(self, row: Any) -> Sequence[Any]:
        raise NotImplementedError

    def status_text(self, rows: list[Any]) -> str:
        raise NotImplementedError

    # ----------------------------------------------------------------- the dialog

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-dialog"):
            yield Static(self.title_text(), classes="dialog-title", markup=False)
            yield Static("Loading…", id=f"{self.PREFIX}-status", classes="list-status",
                         markup=False)
            yield SafeDataTable(id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in self.COLUMNS:
            table.add_column(label, width=width, key=key)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="list-dialog")
    def _load(self) -> None:
        with db_guard(self, self.WHAT):
            self.post_message(TabLoaded(self.PREFIX, 0, list(self.fetch())))

    def on_tab_loaded(self, message: TabLoaded) -> None:
        message.stop()
        self.rows = message.rows
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            table.add_row(*safe_cells(self.cells(row)), key=str(row.id))
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1), animate=False)
        self.query_one(f"#{self.PREFIX}-status", Static).update(self.status_text(self.rows))
        self.load_count += 1
        self.refresh_bindings()

    @property
    def selected(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.id) == key), None)

    def action_close(self) -> None:
        self.dismiss(None)
