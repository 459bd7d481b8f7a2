"""The History tab: the audit trail of this customer (who, when, field, old → new)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.services import history as history_service
from tradium_tui.widgets.tabs.base import TabView, cell, detail_lines

HISTORY_LIMIT = 500


def _short(value: str | None, width: int = 40) -> str:
    if value is None or value == "":
        return "—"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class HistoryTab(TabView):
    TAB = "history"
    TITLE = N_("History")
    RECORD = "change"
    EMPTY = N_("No changes recorded for this customer.")
    COLUMNS = ((N_("When"), 16), (N_("Who"), 10), (N_("Record"), 16), (N_("Action"), 9),
               (N_("Field"), 18), (N_("Old → new"), None))
    BINDINGS: list = []  # read-only by nature: no create/edit/delete

    @property
    def editable(self) -> bool:
        return False

    def row_id(self, row: Any) -> Any:
        return f"{row.table}-{row.record_id}-{row.field_name}-{row.at.isoformat()}-{id(row)}"

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return history_service.customer_history(self.actor, customer_id, HISTORY_LIMIT)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        change = f"{_short(row.old, 30)} → {_short(row.new, 30)}" if row.field else ""
        return (
            cell(fmt.datetime_short(row.at)),
            cell(row.who),
            cell(row.record),
            cell(row.action),
            cell(row.field),
            cell(change),
        )

    def summary(self) -> Content:
        if not self.rows:
            return Content("")
        count = len(self.rows)
        if count >= HISTORY_LIMIT:
            text = _("{count} changes (the newest)")
        else:
            text = ngettext("{count} change", "{count} changes", count)
        return Content(text.format(count=fmt.number(count)))

    def detail(self, row: Any) -> Content:
        return detail_lines([
            (_("When"), fmt.datetime_short(row.at)),
            (_("Who"), row.who),
            (_("Record"), row.record),
            (_("Action"), row.action),
            (_("Field"), row.field),
            (_("Old"), row.old if row.old not in (None, "") else "—"),
            (_("New"), row.new if row.new not in (None, "") else "—"),
        ])


WIDGET = HistoryTab
