"""Pick an article from the catalogue: type any part of its code or description."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.services.articles import search_articles
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import plain


class ArticlePicker(ModalScreen[str | None]):
    """Dismisses with the chosen article code (or ``None``)."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="picker_close"),
        Binding("enter", "pick", N_("Pick"), id="picker_pick", priority=True),
        Binding("down", "to_list", N_("To the list"), id="picker_list"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text
        self.codes: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-dialog"):
            yield Static(_("Pick an article"), classes="dialog-title")
            yield Input(self.text, placeholder=_("code or description"), id="picker-search",
                        compact=True)
            yield OptionList(id="picker-list", compact=True)
            yield Static("", id="picker-status", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#picker-search", Input).focus()
        self._search(self.text)

    @on(Input.Changed, "#picker-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker-search")
    def _search(self, text: str) -> None:
        guard = db_guard(self, _("Searching articles"))
        with guard:
            rows = search_articles(text)
        if not guard.failed:
            self.app.call_from_thread(self._show, text, rows)

    def _show(self, text: str, rows) -> None:
        if text != self.query_one("#picker-search", Input).value:
            return  # an older search
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        self.codes = [row.code for row in rows]
        options.add_options([
            Option(plain(f"{row.code:<16} {row.description[:40]:<40} "
                         f"{fmt.amount(row.sales_price):>10}"))
            for row in rows
        ])
        if rows:
            options.highlighted = 0
        self.query_one("#picker-status", Static).update(
            ngettext("{count} article", "{count} articles", len(rows)).format(count=len(rows))
            if rows else _("No article found."))

    def action_pick(self) -> None:
        """Enter: the highlighted article (the search field and the list also take it)."""
        options = self.query_one("#picker-list", OptionList)
        if self.codes:
            self.dismiss(self.codes[options.highlighted or 0])

    def action_to_list(self) -> None:
        self.query_one("#picker-list", OptionList).focus()

    @on(Input.Submitted, "#picker-search")
    def _submitted(self) -> None:
        options = self.query_one("#picker-list", OptionList)
        if self.codes:
            self.dismiss(self.codes[options.highlighted or 0])

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.codes[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
