"""The customer finder: search as you type, Enter opens, a scanned code opens directly.

Every keystroke starts an exclusive thread worker, so typing never waits for the
database; results for text that is no longer in the box are dropped.  Enter first asks
for an exact reference/number match (a barcode scanner types the code and Enter); if
there is none, it opens the highlighted hit.  With an empty box the recent customers
are listed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext, pgettext
from tradium_tui.services.access import Actor
from tradium_tui.services.search.customers import lookup_code, search_customers
from tradium_tui.services.search.recent import recent_customers
from tradium_tui.services.search.terms import highlight_terms
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.messages import CodeMatched, SearchResults
from tradium_tui.widgets.safe_text import SafeDataTable

SEARCH_LIMIT = 50
MARK_STYLE = "bold underline"  # the typed text inside a shown value
MATCH_NOTE_STYLE = "italic"  # "via contact …", "KvK …": where a hit matched


def marked(value: str, needles: list[str]) -> Text:
    """``value`` with every occurrence of a needle marked (case ignored; digits also across
    the spaces and signs of a phone number)."""
    text = Text(value)
    low = value.lower()
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    digit_text = "".join(value[i] for i in digits)
    for needle in needles:
        if not needle:
            continue
        at = low.find(needle)
        while at >= 0:
            text.stylize(MARK_STYLE, at, at + len(needle))
            at = low.find(needle, at + 1)
        if needle.isdigit() and digit_text:
            at = digit_text.find(needle)
            while at >= 0:
                for k in range(at, at + len(needle)):
                    text.stylize(MARK_STYLE, digits[k], digits[k] + 1)
                at = digit_text.find(needle, at + 1)
    return text


class FinderInput(Input):
    """The search box: Down moves into the results."""

    BINDINGS = [
        Binding("down", "app.focus_next", N_("Results"), id="finder_to_results", show=False),
    ]


class FinderResults(SafeDataTable):
    """The hits: Up on the first row goes back to the search box."""

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.screen.query_one("#finder-input", Input).focus()
            return
        super().action_cursor_up()


class FinderScreen(ModalScreen[int | None]):
    """Find a customer; dismisses with the customer id (or ``None``)."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="finder_close",
                tooltip=N_("Close the finder.")),
        Binding("ctrl+r", "show_recent", N_("Recent"), id="finder_recent",
                tooltip=N_("Clear the search and show your recent customers.")),
    ]

    def __init__(self, actor: Actor, recent: bool = False, query: str = "") -> None:
        super().__init__(id="finder")
        self.actor = actor
        self.start_recent = recent
        # Focused as soon as the screen shows, so the first typed (or scanned) key counts.
        self.AUTO_FOCUS = "#finder-results" if recent else "#finder-input"
        self.initial_query = query
        self.hits: list[Any] = []
        self.hits_query: str | None = None  # the text the shown hits belong to
        self.open_when_results: str | None = None  # Enter pressed before results arrived
        self.search_count = 0  # finished searches (tests wait on this)

    def compose(self) -> ComposeResult:
        with Vertical(classes="finder-dialog"):
            yield Static(_("Find customer"), classes="dialog-title", markup=False)
            yield FinderInput(
                self.initial_query,
                placeholder=_("Name, number, postcode, phone, e-mail, contact, KvK, IBAN, "
                              "street…"),
                id="finder-input",
            )
            yield Static("", id="finder-status", markup=False)
            yield FinderResults(id="finder-results", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#finder-results", DataTable)
        # The widths are those at 120 columns; at 80 _fit_name_column narrows them (city 12,
        # postcode 8, country 3 cells) and a longer heading is cut there.
        table.add_column(_("Number"), width=9, key="number")
        table.add_column(_("Name"), key="name")
        table.add_column(_("City"), width=18, key="city")
        # TRANSLATORS: the postcode column of the finder (8 cells at 80×24)
        table.add_column(pgettext("finder column", "Postcode"), width=9, key="postcode")
        # TRANSLATORS: the country column of the finder (the ISO code: 3 cells at 80×24)
        table.add_column(pgettext("finder column", "Country"), width=7, key="country")
        self._search(self.initial_query)
        if self.start_recent:
            table.focus()
        else:
            self.query_one("#finder-input", Input).focus()

    @property
    def text(self) -> str:
        return self.query_one("#finder-input", Input).value

    # ----------------------------------------------------------------- searching

    @on(Input.Changed, "#finder-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.open_when_results = None
        self._search(event.value)

    def _search(self, text: str) -> None:
        status = self.query_one("#finder-status", Static)
        status.update(_("Searching…") if text.strip() else _("Recent customers"))
        self._run_search(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="finder-search")
    def _run_search(self, text: str) -> None:
        worker = get_current_worker()
        with db_guard(self, _("Customer search")):
            if text.strip():
                hits = search_customers(text, SEARCH_LIMIT)
                recent = False
            else:
                hits = recent_customers(self.actor.user.id) if self.actor.user.id else []
                recent = True
            if not worker.is_cancelled:
                self.post_message(SearchResults(text, list(hits), recent))

    def _fit_name_column(self, table: DataTable) -> None:
        """The name column takes the room the fixed columns leave (at least 12 cells)."""
        column = table.columns.get("name")
        if column is None or not table.size.width:
            return
        narrow = table.size.width < 100  # 80 columns: room for "via contact …" beside the name
        for key, wide, small in (("city", 18, 12), ("postcode", 9, 8), ("country", 7, 3)):
            other = table.columns.get(key)
            if other is not None:
                other.auto_width = False
                other.width = small if narrow else wide
        fixed = sum(c.width + 2 * table.cell_padding for k, c in table.columns.items() if k != "name")
        column.auto_width = False
        column.width = max(12, table.size.width - fixed - 2 * table.cell_padding - 2)

    def on_search_results(self, message: SearchResults) -> None:
        message.stop()
        if message.query != self.text:
            return  # the user typed on meanwhile
        self.hits = message.hits
        self.hits_query = message.query
        table = self.query_one("#finder-results", DataTable)
        table.clear()
        self._fit_name_column(table)
        needles = [] if message.recent else highlight_terms(message.query)
        for hit in self.hits:
            name = marked(hit.name, needles)
            if getattr(hit, "matched", ""):
                name.append(" · ")
                name.append_text(marked(hit.matched, needles).copy())
                name.stylize(MATCH_NOTE_STYLE, len(hit.name) + 3)
            table.add_row(
                marked(str(hit.number), needles), name, marked(hit.city or "", needles),
                marked(hit.postcode or "", needles), Text(hit.country or ""), key=str(hit.id),
            )
        status = self.query_one("#finder-status", Static)
        count = len(self.hits)
        if message.recent:
            status.update(_("Recent customers") if count else _("No recent customers yet"))
        elif count >= SEARCH_LIMIT:
            status.update(_("First {count} matches — type more to narrow down").format(
                count=fmt.number(count)))
        else:
            status.update(ngettext("{count} match", "{count} matches", count).format(
                count=fmt.number(count)) if count else _("No customer matches"))
        self.search_count += 1
        if self.open_when_results is not None and self.open_when_results == message.query:
            self.open_when_results = None
            if self.hits:
                self.dismiss(self.hits[0].id)

    # ----------------------------------------------------------------- opening

    @on(Input.Submitted, "#finder-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._open_highlighted()
            return
        self._lookup(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="finder-code")
    def _lookup(self, text: str) -> None:
        with db_guard(self, _("Customer search")):
            customer_id = lookup_code(text.strip())
            self.post_message(CodeMatched(text, customer_id))

    def on_code_matched(self, message: CodeMatched) -> None:
        message.stop()
        if message.customer_id is not None:
            self.dismiss(message.customer_id)
            return
        if message.query != self.text:
            return
        if self.hits_query == message.query:
            self._open_highlighted()
        else:
            self.open_when_results = message.query  # open the first hit when it arrives

    def _open_highlighted(self) -> None:
        table = self.query_one("#finder-results", DataTable)
        if not self.hits or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.dismiss(int(key))

    @on(DataTable.RowSelected, "#finder-results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.dismiss(int(event.row_key.value))

    def action_show_recent(self) -> None:
        self.query_one("#finder-input", Input).value = ""
        self.query_one("#finder-results", DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
