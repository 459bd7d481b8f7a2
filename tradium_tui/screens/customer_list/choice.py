"""Small dialogs of the customer list: choosing one of a list (sort column, saved
view, the customer that survives a merge) and typing a name (saving a view)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static

from tradium_tui.i18n import N_
from tradium_tui.widgets.footer import AppFooter


class ChoiceDialog(ModalScreen[str | None]):
    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="choice_cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], name: str) -> None:
        super().__init__(id=f"choice-{name}")
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="list-dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            # Plain text: the labels may hold stored names ("[b]" is no markup here).
            yield OptionList(*[label for _key, label in self.choices], id="choice-options",
                             markup=False)
        yield AppFooter()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen[str | None]):
    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="text_cancel")]

    def __init__(self, title: str, prompt: str, value: str, name: str) -> None:
        super().__init__(id=f"text-{name}")
        self.title_text, self.prompt, self.value = title, prompt, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="list-dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.prompt)
            yield Input(self.value, id="text-value")
        yield AppFooter()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
