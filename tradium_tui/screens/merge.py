"""The merge dialog: the customers side by side, field by field, differences highlighted.

The survivor is the first column, every customer merged into it a column of its own (two or
more customers: from the main screen's ``M``, the customer list's marked customers or the
duplicate warning).  For the field under the cursor ``←``/``→`` take the value one column
to the left / right — by default the survivor's, an empty field filled from the first
customer that has it; ``s`` lets the next customer survive instead; ``ctrl+s`` merges all
of them in one transaction (after which the survivor is shown and ``U`` on the main screen
undoes the whole merge), ``escape`` closes without changing anything.  The plan and the
merge are read and written in thread workers through services/merge/.
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

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.keymap import key_for
from tradium_tui.services.access import Actor
from tradium_tui.services.merge import merging, planning
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import SafeDataTable, safe_cell

# More customers than this at once is refused: a merge is for duplicates, not for a
# selection made with "mark all" by mistake (and every customer needs a readable column).
MAX_CUSTOMERS = 5


@dataclass
class PlanLoaded(Message):
    plan: Any


class MergeDialog(ModalScreen[int | None]):
    """Dismisses with the survivor's id after a merge, ``None`` when closed."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="merge_close",
                tooltip=N_("Close; nothing is merged.")),
        Binding("left", "step(-1)", N_("◀ Take left"), id="merge_left", priority=True,
                tooltip=N_("This field takes the value one column to the left "
                           "(the first column is the survivor's).")),
        Binding("right", "step(1)", N_("Take right ▶"), id="merge_right", priority=True,
                tooltip=N_("This field takes the value one column to the right.")),
        Binding("s", "swap", N_("Swap survivor"), id="merge_swap",
                tooltip=N_("Let the next customer survive instead.")),
        Binding("ctrl+s", "merge", N_("Merge"), id="merge_do",
                tooltip=N_("Merge: everything moves to the surviving customer (U undoes it).")),
    ]

    def __init__(self, actor: Actor, keep_id: int, other_ids: int | list[int]) -> None:
        super().__init__(id="merge-dialog")
        self.actor = actor
        self.keep_id = keep_id
        others = [other_ids] if isinstance(other_ids, int) else list(other_ids)
        self.other_ids: list[int] = [i for i in dict.fromkeys(others) if i != keep_id]
        self.plan: Any = None
        self.choices: dict[str, int] = {}
        self.merging = False
        self.load_count = 0

    @property
    def other_id(self) -> int:
        """The (first) customer merged away."""
        return self.other_ids[0]

    @property
    def customer_ids(self) -> list[int]:
        return [self.keep_id, *self.other_ids]

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-dialog"):
            yield Static(_("Merge customers"), id="merge-title", classes="dialog-title",
                         markup=False)
            yield Static(_("Loading…"), id="merge-status", classes="list-status", markup=False)
            yield SafeDataTable(id="merge-table", cursor_type="row", zebra_stripes=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-plan")
    def _load(self) -> None:
        with db_guard(self, _("Reading the customers to merge")):
            self.post_message(PlanLoaded(planning.plan_merge(self.keep_id, self.other_ids)))

    def on_plan_loaded(self, message: PlanLoaded) -> None:
        message.stop()
        self.plan = message.plan
        self.choices = {f.name: f.chosen for f in self.plan.fields}
        keep, others = self.plan.keep, self.plan.others
        if len(others) == 1:
            title = _("Merge {other} ({other_number}) into {name} ({number})").format(
                other=others[0].name, other_number=others[0].number,
                name=keep.name, number=keep.number)
        else:
            title = ngettext("Merge {count} customer into {name} ({number})",
                             "Merge {count} customers into {name} ({number})",
                             len(others)).format(count=len(others), name=keep.name,
                                                 number=keep.number)
        self.query_one("#merge-title", Static).update(shown(title))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # Every value fits beside the others at any width (long ones are cut, not hidden):
        # the dialog's border and padding, the scrollbar and each cell's padding go first.
        columns = len(self.plan.customers)
        room = min(self.app.size.width, 110) - 8 - 2 * (columns + 1)
        label_width = 24 if (room - 24) // columns >= 30 else 16
        if (room - label_width) // columns < 14:
            label_width = 12
        value_width = max(8, (room - label_width) // columns)
        table.add_column(_("Field"), key="field", width=label_width)
        table.add_column(_("{number} survives").format(number=keep.number), key="c0",
                         width=value_width)
        for index, other in enumerate(others, start=1):
            table.add_column(_("{number} merged away").format(number=other.number),
                             key=f"c{index}", width=value_width)
        for f in self.rows():
            table.add_row(*self._cells(f), key=f.name)
        moves = ", ".join(
            _("{what}: {count}").format(what=_(label), count=fmt.number(n))
            for label, n in self.plan.moves.items()) or _("nothing")
        differ = sum(1 for f in self.rows() if f.differs)
        self.query_one("#merge-status", Static).update(
            ngettext("{count} field differs (highlighted); moves to the survivor: {moves}.",
                     "{count} fields differ (highlighted); moves to the survivor: {moves}.",
                     differ).format(count=differ, moves=moves))
        self.load_count += 1
        self.refresh_bindings()

    def rows(self) -> list[Any]:
        return [f for f in self.plan.fields if any(f.texts)] if self.plan else []

    def _cells(self, f: Any) -> tuple[Text, ...]:
        chosen = self.choices.get(f.name, 0)
        label = Text(f.label, style="bold" if f.differs else "")
        cells = []
        for index, text in enumerate(f.texts):
            mark = "● " if index == chosen else "  "
            value = text.replace("\n", " ⏎ ") or "—"
            style = ""
            if f.differs:
                style = "bold reverse" if index == chosen else "yellow"
            elif index != chosen:
                style = "dim"
            cells.append(safe_cell(Text(mark + value, style=style)))
        return (label, *cells)

    @property
    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        rows = self.rows()
        if not rows or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((f for f in rows if f.name == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("step", "swap", "merge"):
            return True if self.plan is not None and not self.merging else None
        return True

    def action_choose(self, index: int) -> None:
        """This field takes the value of the customer in column ``index`` (0: the survivor)."""
        f = self.current
        if f is None or not 0 <= index < len(f.values):
            return
        self.choices[f.name] = index
        table = self.query_one(DataTable)
        keys = ["field", *(f"c{i}" for i in range(len(f.values)))]
        for column, cell in zip(keys, self._cells(f), strict=True):
            table.update_cell(f.name, column, cell)

    def action_step(self, step: int) -> None:
        f = self.current
        if f is None:
            return
        self.action_choose(max(0, min(len(f.values) - 1, self.choices.get(f.name, 0) + step)))

    def action_swap(self) -> None:
        if self.plan is None:
            return
        # The next customer survives; the one surviving so far goes to the end.
        self.keep_id, self.other_ids = self.other_ids[0], [*self.other_ids[1:], self.keep_id]
        self.plan = None
        self.query_one("#merge-status", Static).update(_("Loading…"))
        self.refresh_bindings()
        self._load()

    def action_merge(self) -> None:
        if self.plan is None or self.merging:
            return
        self.merging = True
        self.refresh_bindings()
        self.query_one("#merge-status", Static).update(_("Merging…"))
        self._merge(self.keep_id, list(self.other_ids), dict(self.choices))

    @work(thread=True, exclusive=True, exit_on_error=False, group="merge-write")
    def _merge(self, keep_id: int, other_ids: list[int], choices: dict[str, int]) -> None:
        guard = db_guard(self, _("Merging"))
        result = None
        with guard:
            result = merging.merge_customers(self.actor, keep_id, other_ids, choices)
        self.app.call_from_thread(self._merged, keep_id, result, not guard.failed)

    def _merged(self, keep_id: int, result: Any, ok: bool) -> None:
        self.merging = False
        if not ok or result is None:
            self.refresh_bindings()
            self._load()  # the message is shown; the customers may have changed
            return
        keep, others = result.plan.keep, result.plan.others
        names = shown(", ".join(f"{c.name} ({c.number})" for c in others))
        self.notify(
            ngettext("{names} merged into {name} ({number}); {key} on the customer undoes it.",
                     "{names} merged into {name} ({number}); {key} on the customer undoes it.",
                     len(others)).format(names=names, name=keep.name, number=keep.number,
                                         key=key_for(self, "undo_merge")),
            title=_("Customers merged"), timeout=8, markup=False)
        self.dismiss(keep_id)

    def action_close(self) -> None:
        self.dismiss(None)
