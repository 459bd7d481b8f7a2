"""Generic modal dialogs any screen or widget can open: yes / no, discard changes, an edit
conflict, read-only details.

They know nothing about customers; the customer dialogs built on them live in
:mod:`tradium_tui.screens.dialogs`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from tradium_tui.services.errors import ConflictError
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import SafeDataTable


class ConfirmDialog(ModalScreen[bool]):
    """Yes / no. Dismisses with ``True`` for yes."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm_no"),
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "Cancel",
                 danger: bool = False) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="small-dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-intro", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="confirm-yes",
                             variant="error" if self.danger else "primary", compact=True)
                yield Button(self.no, id="confirm-no", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class DiscardDialog(ConfirmDialog):
    """"Discard changes?" of a form: the Footer names the keys as the buttons do."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Keep editing", id="confirm_no"),
        Binding("y", "answer(True)", "Discard", id="confirm_yes"),
    ]

    def __init__(self) -> None:
        super().__init__("Discard changes?", "What you typed in this form is not saved.",
                         yes="Discard", no="Keep editing", danger=True)


class ConflictDialog(ModalScreen[str | None]):
    """Someone saved the record in between: show both values per field.

    Dismisses with ``"mine"`` (save what I typed over theirs), ``"theirs"`` (put their
    values in my form to review) or ``None`` (back to the form, nothing changed).
    What the user typed stays in the form in every case.
    """

    BINDINGS = [
        Binding("escape", "choose(None)", "Back to form", id="conflict_back"),
        Binding("m", "choose('mine')", "Keep mine", id="conflict_mine"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflict_theirs"),
    ]

    def __init__(self, error: ConflictError, labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.error = error
        self.labels = labels or {}

    def compose(self) -> ComposeResult:
        error = self.error
        who = sorted({c.by for c in error.conflicts + error.other_changes}) or ["someone else"]
        with Vertical(classes="conflict-dialog"):
            yield Static("Changed by someone else", classes="dialog-title", markup=False)
            yield Static(
                f"{', '.join(who)} saved this record after you opened it "
                f"(version {error.expected_version} → {error.current_version}). "
                "Nothing was saved yet; your values are still in the form.",
                classes="dialog-intro", markup=False,
            )
            table: DataTable = SafeDataTable(id="conflict-table", cursor_type="row",
                                         zebra_stripes=True)
            yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine", id="conflict-mine", variant="warning", compact=True)
                yield Button("Take theirs", id="conflict-theirs", variant="primary", compact=True)
                yield Button("Back to form", id="conflict-back", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#conflict-table", DataTable)
        table.add_column("Field", key="field")
        table.add_column("Theirs (saved)", key="theirs")
        table.add_column("Yours (typed)", key="yours")
        table.add_column("By / when", key="by")
        for index, conflict in enumerate(self.error.conflicts):
            table.add_row(
                Text(self.labels.get(conflict.field, conflict.field), style="bold"),
                Text(conflict.theirs or "—"), Text(conflict.yours or "—"),
                Text(f"{conflict.by} {conflict.at}"), key=f"c{index}",
            )
        for index, change in enumerate(self.error.other_changes):
            table.add_row(
                Text(self.labels.get(change.field, change.field)),
                Text(change.theirs or "—"), Text("(not changed by you)", style="dim"),
                Text(f"{change.by} {change.at}"), key=f"o{index}",
            )
        self.query_one("#conflict-back", Button).focus()

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = {"conflict-mine": "mine", "conflict-theirs": "theirs"}.get(event.button.id or "")
        self.dismiss(choice)


class InfoDialog(ModalScreen[None]):
    """Read-only details; Escape or Enter closes."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="info_close")]

    def __init__(self, title: str, body: Content) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="small-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="info-body"):
                yield Static(self.body, markup=False, id="info-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="info-close", variant="primary", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#info-close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#info-close")
    def _pressed(self) -> None:
        self.dismiss(None)
