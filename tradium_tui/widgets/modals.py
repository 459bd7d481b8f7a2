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

from tradium_tui.i18n import N_, _
from tradium_tui.services.errors import ConflictError
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import SafeDataTable


class ConfirmDialog(ModalScreen[bool]):
    """Yes / no. Dismisses with ``True`` for yes."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("No"), id="confirm_no"),
        Binding("y", "answer(True)", N_("Yes"), id="confirm_yes"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str | None = None,
                 no: str | None = None, danger: bool = False) -> None:
        super().__init__()
        # The question often quotes a stored name: shown as it reads, controls visible.
        self.question = shown(question, multiline=True)
        self.detail = shown(detail, multiline=True)
        self.yes = yes or _("Yes")
        self.no = no or _("Cancel")
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
        Binding("escape,n", "answer(False)", N_("Keep editing"), id="confirm_no"),
        Binding("y", "answer(True)", N_("Discard"), id="confirm_yes"),
    ]

    def __init__(self) -> None:
        super().__init__(_("Discard changes?"), _("What you typed in this form is not saved."),
                         yes=_("Discard"), no=_("Keep editing"), danger=True)


class ConflictDialog(ModalScreen[str | None]):
    """Someone saved the record in between: show both values per field.

    Dismisses with ``"mine"`` (save what I typed over theirs), ``"theirs"`` (put their
    values in my form to review) or ``None`` (back to the form, nothing changed).
    What the user typed stays in the form in every case.
    """

    BINDINGS = [
        Binding("escape", "choose(None)", N_("Back to form"), id="conflict_back"),
        Binding("m", "choose('mine')", N_("Keep mine"), id="conflict_mine"),
        Binding("t", "choose('theirs')", N_("Take theirs"), id="conflict_theirs"),
    ]

    def __init__(self, error: ConflictError, labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.error = error
        self.labels = labels or {}

    def compose(self) -> ComposeResult:
        error = self.error
        who = sorted({shown(c.by) for c in error.conflicts + error.other_changes}) or [
            _("someone else")]
        with Vertical(classes="conflict-dialog"):
            yield Static(_("Changed by someone else"), classes="dialog-title", markup=False)
            yield Static(
                _("{who} saved this record after you opened it (version {expected} → "
                  "{current}). Nothing was saved yet; your values are still in the form.").format(
                    who=", ".join(who), expected=error.expected_version,
                    current=error.current_version),
                classes="dialog-intro", markup=False,
            )
            table: DataTable = SafeDataTable(id="conflict-table", cursor_type="row",
                                         zebra_stripes=True)
            yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Keep mine"), id="conflict-mine", variant="warning", compact=True)
                yield Button(_("Take theirs"), id="conflict-theirs", variant="primary",
                             compact=True)
                yield Button(_("Back to form"), id="conflict-back", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#conflict-table", DataTable)
        table.add_column(_("Field"), key="field")
        table.add_column(_("Theirs (saved)"), key="theirs")
        table.add_column(_("Yours (typed)"), key="yours")
        table.add_column(_("By / when"), key="by")
        for index, conflict in enumerate(self.error.conflicts):
            table.add_row(
                Text(self.labels.get(conflict.field, conflict.field), style="bold"),
                Text(conflict.theirs or "—"), Text(conflict.yours or "—"),
                Text(f"{conflict.by} {conflict.at}"), key=f"c{index}",
            )
        for index, change in enumerate(self.error.other_changes):
            table.add_row(
                Text(self.labels.get(change.field, change.field)),
                Text(change.theirs or "—"), Text(_("(not changed by you)"), style="dim"),
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

    BINDINGS = [Binding("escape,enter,q", "close", N_("Close"), id="info_close")]

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
                yield Button(_("Close"), id="info-close", variant="primary", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#info-close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#info-close")
    def _pressed(self) -> None:
        self.dismiss(None)
