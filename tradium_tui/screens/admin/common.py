"""What the administration panes share: the message that something was saved, and
keeping a table's cursor on its row across a reload.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from tradium_tui.i18n import _


@dataclass
class AdminDataChanged(Message):
    """Something was saved: reload ``what`` (users | roles | fields) and say ``text``."""

    what: str
    text: str = ""


def yes_no(on: bool) -> Text:
    return Text(_("yes"), style="bold green") if on else Text(_("no"), style="dim")


def row_key(table: DataTable) -> str | None:
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except Exception:  # no cursor yet
        return None
    return key.value if key is not None else None


def restore_cursor(table: DataTable, key: str | None) -> None:
    if key is None or table.row_count == 0:
        return
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:  # the row is gone
        pass
