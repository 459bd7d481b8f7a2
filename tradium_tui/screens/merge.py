"""The merge dialog: two customers side by side, field by field, differences highlighted.

The survivor is on the left.  For the field under the cursor ``←``/``→`` (or ``1``/``2``)
choose whose value survives — by default the survivor's, an empty field filled from the
other; ``s`` swaps which customer survives; ``ctrl+s`` merges (after which the main screen
shows the survivor and ``U`` undoes it), ``escape`` closes without changing anything.
The plan and the merge are read and written in thread workers through services/merge.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tradium_tui.services import merge
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import SafeDataTable, safe_cell


@dataclass
class PlanLoaded(Message):
    plan: Any


class MergeDialog(ModalScreen[int | None]):
    """Dismisses with the survivor's id after a merge, ``None`` when closed."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="merge_close", tooltip="Close; nothing is merged."),
        Binding("left,1", "choose(0)", "◀ Keep left", id="merge_left", priority=True,
                tooltip="This field keeps the left (surviving) customer's value."),
        Binding("right,2", "choose(1)", "Take right ▶", id="merge_right", priority=True,
                tooltip="This field takes the right customer's value."),
        Binding("s", "swap", "Swap survivor", id="merge_swap",
                tooltip="Let the other customer survive instead."),
        Binding("ctrl+s", "merge", "Merge", id="merge_do",
                tooltip="Merge: everything moves to the left customer (U undoes it)."),
    ]

    def __init__(self, actor: Actor, keep_id: int, other_id: int) -> None:
        super().__init__(id="merge-dialog")
        self.actor = actor
        self.keep_id = keep_id
        self.other_id = other_id
        self.plan: Any = None
        self.choices: dict[str, int] = {}
        self.merging = False
        self.load_count = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-dialog"):
            yield Static("Merge customers", id="merge-title", classes="dialog-title", markup=False)
            yield Static("Loading…", id="merge-status", classes="list-status", markup=False)
            yield SafeDataTable(id="merge-table", cursor_type="row", zebra_stripes=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-plan")
    def _load(self) -> None:
        with db_guard(self, "Reading the customers to merge"):
            self.post_message(PlanLoaded(merge.plan_merge(self.keep_id, [self.other_id])))

    def on_plan_loaded(self, message: PlanLoaded) -> None:
        message.stop()
        self.plan = message.plan
        self.choices = {f.name: f.chosen for f in self.plan.fields}
        keep, other = self.plan.keep, self.plan.others[0]
        self.query_one("#merge-title", Static).update(
            safe_cell(f"Merge {other.name} ({other.number}) into {keep.name} ({keep.number})"))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # Both values fit beside each other at any width (long ones are cut, not hidden).
        room = min(self.app.size.width, 110) - 10
        label_width = 24 if room >= 90 else 16
        value_width = max(12, (room - label_width) // 2)
        table.add_column("Field", key="field", width=label_width)
        table.add_column(f"{keep.number} survives", key="keep", width=value_width)
        table.add_column(f"{other.number} merged away", key="other", width=value_width)
        for f in self.rows():
            table.add_row(*self._cells(f), key=f.name)
        moves = ", ".join(f"{n} {label}" for label, n in self.plan.moves.items()) or "nothing"
        differ = sum(1 for f in self.rows() if f.differs)
        self.query_one("#merge-status", Static).update(
            f"{differ} fields differ (highlighted); moves to the survivor: {moves}.")
        self.load_count += 1
        self.refresh_bindings()

    def rows(self) -> list[Any]:
        return [f for f in self.plan.fields if any(f.texts)] if self.plan else []

    def _cells(self, f: Any) -> tuple[Text, Text, Text]:
        chosen = self.choices.get(f.name, 0)
        label = Text(f.label, style="bold" if f.differs else "")
        cells = []
        for index, text in enumerate(f.texts[:2]):
            mark = "● " if index == chosen else "  "
            value = text.replace("\n", " ⏎ ") or "—"
            style = ""
            if f.differs:
                style = "bold reverse" if index == chosen else "yellow"
            elif index != chosen:
                style = "dim"
            cells.append(Text(mark + value, style=style))
        return label, cells[0], cells[1]

    @property
    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        rows = self.rows()
        if not rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((f for f in rows if f.name == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "swap", "merge"):
            return True if self.plan is not None and not self.merging else None
        return True

    def action_choose(self, index: int) -> None:
        f = self.current
        if f is None:
            return
        self.choices[f.name] = index
        table = self.query_one(DataTable)
        for column, cell in zip(("field", "keep", "other"), self._cells(f), strict=True):
            table.update_cell(f.name, column, cell)

    def action_swap(self) -> None:
        if self.plan is None:
            return
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self.plan = None
        self.query_one("#merge-status", Static).update("Loading…")
        self.refresh_bindings()
        self._load()

    def action_merge(self) -> None:
        if self.plan is None or self.merging:
            return
        self.merging = True
        self.refresh_bindings()
        self.query_one("#merge-status", Static).update("Merging…")
        self._merge(self.keep_id, self.other_id, dict(self.choices))

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-write")
    def _merge(self, keep_id: int, other_id: int, choices: dict[str, int]) -> None:
        guard = db_guard(self, "Merging")
        summary = ""
        with guard:
            summary = merge.merge_customers(self.actor, keep_id, [other_id], choices).summary()
        self.app.call_from_thread(self._merged, keep_id, summary, not guard.failed)

    def _merged(self, keep_id: int, summary: str, ok: bool) -> None:
        self.merging = False
        if not ok:
            self.refresh_bindings()
            self._load()  # the message is shown; the customers may have changed
            return
        self.notify(f"{summary} U undoes it.", title="Customers merged")
        self.dismiss(keep_id)

    def action_close(self) -> None:
        self.dismiss(None)
