"""The customer list: every customer as a row, filtered, sorted, marked and changed in bulk.

Rows are read a page at a time by keyset (:mod:`tradium_tui.services.customer_list`) in a
worker as the cursor nears either end of the rows held; at most :data:`WINDOW` rows are
held, so scrolling through a million customers never loads them all.  Enter opens the
customer on the main screen; Esc there comes back here, where the list was left."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.keymap import key_for
from tradium_tui.screens.customer_list.bulk import BulkDialog
from tradium_tui.screens.customer_list.cells import COLUMN_NAMES, HEADERS, WIDTHS, cell
from tradium_tui.screens.customer_list.choice import ChoiceDialog, TextDialog
from tradium_tui.screens.customer_list.filters import (
    FilterDialog,
    describe_filters,
)
from tradium_tui.screens.customer_list.state import ListState
from tradium_tui.services import customers
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list import (
    listing,
    marking,
    paging,
    saved_views,
)
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.safe_text import SafeDataTable

PAGE = 100
WINDOW = 300
NEAR = 15


@dataclass
class PageLoaded(Message):
    generation: int
    direction: str  # "first" | "after" | "before"
    rows: list


@dataclass
class Counted(Message):
    generation: int
    total: int
    marked: int


class CustomerListScreen(Screen[int | None]):
    """All customers in a table; dismisses with a customer id to open."""

    AUTO_FOCUS = "#list-table"

    BINDINGS = [
        # "Close", not "Back": that word is the backorder column elsewhere.
        Binding("escape", "close", N_("Close"), id="list_back",
                tooltip=N_("Back to the customer.")),
        Binding("slash", "text_filter", N_("Text"), id="list_text",
                tooltip=N_("Filter by text (the customer search).")),
        Binding("f", "filters", N_("Filters"), id="list_filters",
                tooltip=N_("Filter by region, account manager, group, tag, overdue…")),
        Binding("s", "sort", N_("Sort"), id="list_sort", tooltip=N_("Sort by a column.")),
        Binding("o", "reverse", N_("Reverse"), id="list_reverse",
                tooltip=N_("Reverse the order.")),
        Binding("space", "toggle_mark", N_("Mark"), id="list_mark",
                tooltip=N_("Mark or unmark this customer (your own marks).")),
        Binding("a", "mark_all", N_("Mark all"), id="list_mark_all",
                tooltip=N_("Mark every customer matching the filter.")),
        Binding("u", "unmark_all", N_("Unmark all"), id="list_unmark_all",
                tooltip=N_("Remove all your marks.")),
        Binding("b", "bulk", N_("Bulk"), id="list_bulk",
                tooltip=N_("Change, tag, log or export the marked or filtered customers.")),
        Binding("M", "merge_marked", N_("Merge"), id="list_merge",
                tooltip=N_("Merge the marked customers into one: the one under the cursor "
                           "survives (if it is marked).")),
        Binding("v", "views", N_("Views"), id="list_views", tooltip=N_("Open a saved view.")),
        Binding("w", "save_view", N_("Save view"), id="list_save_view",
                tooltip=N_("Save columns, sort and filters as a view.")),
        Binding("f5", "reload", N_("Refresh"), id="list_refresh",
                tooltip=N_("Read the list again.")),
    ]

    def __init__(self, actor: Actor, state: ListState | None = None) -> None:
        super().__init__(id="customer-list")
        self.actor = actor
        self.state = state or ListState()
        self.generation = 0
        self.fetching: set[str] = set()
        self.marked = 0
        self.load_count = 0
        self.bulk_running = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Vertical(id="list-body"):
            yield Static("", id="list-title", markup=False)
            yield Input(placeholder=_("Text filter (name, number, city, e-mail, phone…); "
                                      "Enter applies"), id="list-text")
            yield SafeDataTable(id="list-table", cursor_type="row", zebra_stripes=True)
            yield Static(_("Loading…"), id="list-status", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        text = self.query_one("#list-text", Input)
        text.value = self.state.query.text
        text.can_focus = False  # "/" focuses it; the keys belong to the table
        self._columns()
        table = self.query_one(DataTable)
        table.focus()
        if self.state.loaded and self.state.rows:
            self._fill(keep_id=None, cursor=self.state.cursor)
            # Shown at once as it was left, then read again: the customers may have changed
            # meanwhile (edited, deleted, a merge undone).
            self._refresh_rows(keep_id=self._current_id())
        else:
            if not self.state.loaded:
                self._default_view()
            else:
                self.reload()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.columns = listing.visible_columns(self.actor, self.state.query.columns)
        for column in self.columns:
            title = _(HEADERS[column]) if column in HEADERS else listing.COLUMNS[column][0]
            if column == self.state.query.sort:
                title += " ↓" if self.state.query.descending else " ↑"
            table.add_column(title, key=column, width=WIDTHS[column])
        self._title()

    def _title(self) -> None:
        q = self.state.query
        if q.sort in COLUMN_NAMES:
            sort = f"{_(COLUMN_NAMES[q.sort])} {'↓' if q.descending else '↑'}"
        else:
            sort = listing.sort_label(q)
        if self.state.view_name:
            title = _("View {name} — Customers — {filters} — sorted by {sort}").format(
                name=self.state.view_name, filters=describe_filters(q), sort=sort)
        else:
            title = _("Customers — {filters} — sorted by {sort}").format(
                filters=describe_filters(q), sort=sort)
        self.query_one("#list-title", Static).update(shown(title))

    def _status(self) -> None:
        s = self.state
        total = "…" if s.total is None else fmt.number(s.total)
        position = s.offset + self.query_one(DataTable).cursor_row + 1 if s.rows else 0
        self.query_one("#list-status", Static).update(
            _("Row {position} of {total} — {marked} marked by you").format(
                position=fmt.number(position), total=total, marked=fmt.number(self.marked)))

    # ----------------------------------------------------------------- loading

    @work(thread=True, exit_on_error=False, group="list-default")
    def _default_view(self) -> None:
        with db_guard(self, _("Reading your default view")):
            view = saved_views.default_view(self.actor)
            if view is not None:
                self.app.call_from_thread(self.apply_query, view.query, view.name)
                return
        self.app.call_from_thread(self.reload)

    def apply_query(self, query: listing.ListQuery, view_name: str | None = None) -> None:
        self.state.query = query
        if view_name is not None:
            self.state.view_name = view_name
        self.query_one("#list-text", Input).value = query.text
        self._columns()
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        self.state.rows = []
        self.state.offset = 0
        self.state.at_start = True
        self.state.at_end = False
        self.state.total = None
        self.fetching = {"first"}
        self._page(self.generation, "first", None)
        self._count()

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exit_on_error=False, group="list-page")
    def _page(self, generation: int, direction: str, key: tuple | None) -> None:
        with db_guard(self, _("Reading the customer list")):
            query = self.state.query
            if direction == "before":
                rows = paging.page(self.actor, query, before=key, limit=PAGE)
            else:
                rows = paging.page(self.actor, query, after=key, limit=PAGE)
            self.post_message(PageLoaded(generation, direction, rows))
            return
        self.fetching.discard(direction)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list-count")
    def _count(self) -> None:
        generation = self.generation
        with db_guard(self, _("Counting the customers")):
            total = paging.count(self.actor, self.state.query)
            self.post_message(Counted(generation, total, marking.marked_count(self.actor)))

    def on_counted(self, message: Counted) -> None:
        if message.generation == self.generation:
            self.state.total = message.total
        self.marked = message.marked
        self._status()

    def on_page_loaded(self, message: PageLoaded) -> None:
        self.fetching.discard(message.direction)
        if message.generation != self.generation:
            return
        s = self.state
        table = self.query_one(DataTable)
        keep = self._current_id()
        rows = message.rows
        if message.direction == "first":
            s.rows = rows
            s.at_end = len(rows) < PAGE
            keep = None
        elif message.direction == "after":
            s.rows = s.rows + rows
            s.at_end = len(rows) < PAGE
            if len(s.rows) > WINDOW:
                drop = len(s.rows) - WINDOW
                s.rows = s.rows[drop:]
                s.offset += drop
                s.at_start = False
        else:
            s.rows = rows + s.rows
            s.offset = max(0, s.offset - len(rows))
            s.at_start = len(rows) < PAGE
            if s.at_start:
                s.offset = 0
            if len(s.rows) > WINDOW:
                s.rows = s.rows[:WINDOW]
                s.at_end = False
        s.loaded = True
        self._fill(keep_id=keep, cursor=0 if keep is None else table.cursor_row)
        self.load_count += 1

    def _fill(self, keep_id: int | None, cursor: int) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in self.state.rows:
            table.add_row(*(cell(c, row) for c in self.columns), key=str(row.id))
        if keep_id is not None:
            index = next((i for i, r in enumerate(self.state.rows) if r.id == keep_id), 0)
        else:
            index = min(cursor, max(0, len(self.state.rows) - 1))
        if self.state.rows:
            table.move_cursor(row=index, animate=False)
        self._status()

    def _current_id(self) -> int | None:
        row = self.selected
        return row.id if row is not None else None

    @property
    def selected(self) -> listing.ListRow | None:
        table = self.query_one(DataTable)
        rows = self.state.rows
        if not rows or not 0 <= table.cursor_row < len(rows):
            return None
        return rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        s = self.state
        index = event.cursor_row
        s.cursor = index
        if s.rows and index >= len(s.rows) - NEAR and not s.at_end and "after" not in self.fetching:
            self.fetching.add("after")
            self._page(self.generation, "after", s.rows[-1].key)
        if s.rows and index < NEAR and not s.at_start and "before" not in self.fetching:
            self.fetching.add("before")
            self._page(self.generation, "before", s.rows[0].key)
        self._status()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected
        if row is not None:
            self.state.cursor = self.query_one(DataTable).cursor_row
            self.dismiss(row.id)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    @on(Input.Submitted, "#list-text")
    def _text(self, event: Input.Submitted) -> None:
        self.state.query.text = event.value.strip()
        self._title()
        self.reload()
        self._leave_text()

    def _leave_text(self) -> None:
        self.query_one(DataTable).focus()
        self.query_one("#list-text", Input).can_focus = False

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "bulk":
            return not self.bulk_running
        if action == "merge_marked":
            # Dimmed for a role without the base-data right (the action says why too).
            return True if self.actor.role.can_edit_base and not self.bulk_running else None
        return True

    def action_close(self) -> None:
        if self.focused is self.query_one("#list-text", Input):
            self._leave_text()
            return
        self.dismiss(None)

    def action_text_filter(self) -> None:
        text = self.query_one("#list-text", Input)
        text.can_focus = True
        text.focus()

    def sort_by(self, column: str) -> None:
        q = self.state.query
        if column == q.sort:
            q.descending = not q.descending
        else:
            q.sort, q.descending = column, False
        self._columns()
        self.reload()

    def action_sort(self) -> None:
        choices = [(c, _(COLUMN_NAMES[c]) if c in COLUMN_NAMES else listing.COLUMNS[c][0])
                   for c in self.columns]
        self.app.push_screen(ChoiceDialog(_("Sort by"), choices, "sort"),
                             lambda c: c and self.sort_by(c))

    def action_reverse(self) -> None:
        self.sort_by(self.state.query.sort)

    def action_filters(self) -> None:
        def done(filters: dict | None) -> None:
            if filters is not None:
                self.state.query.filters = filters
                self._title()
                self.reload()

        self.app.push_screen(FilterDialog(self.actor, self.state.query.filters), done)

    def action_toggle_mark(self) -> None:
        row = self.selected
        if row is not None:
            self._toggle(row)

    @work(thread=True, exit_on_error=False, group="list-mark")
    def _toggle(self, row: listing.ListRow) -> None:
        with db_guard(self, _("Marking")):
            customers.toggle_mark(self.actor, row.id)
            self.app.call_from_thread(self._refresh_rows)

    def _refresh_rows(self, keep_id: int | None = None) -> None:
        """Read the held rows again (marks changed, customers merged away), keeping the
        cursor — on ``keep_id`` when it is among them."""
        s = self.state
        if not s.rows:
            self.reload()
            return
        self.generation += 1
        first = s.rows[0]
        self._reread(self.generation, first.key, len(s.rows), keep_id)

    @work(thread=True, exit_on_error=False, group="list-page")
    def _reread(self, generation: int, first_key: tuple, size: int,
                keep_id: int | None = None) -> None:
        with db_guard(self, _("Reading the customer list")):
            before = paging.page(self.actor, self.state.query, before=first_key, limit=1)
            after = before[-1].key if before else None
            rows = paging.page(self.actor, self.state.query, after=after, limit=size)
            self.app.call_from_thread(self._replace_rows, generation, rows, keep_id)
            self._count()

    def _replace_rows(self, generation: int, rows: list, keep_id: int | None = None) -> None:
        if generation != self.generation:
            return
        cursor = self.query_one(DataTable).cursor_row
        self.state.rows = rows
        if keep_id is not None and not any(r.id == keep_id for r in rows):
            keep_id = None
        self._fill(keep_id=keep_id, cursor=cursor)
        self.load_count += 1

    def action_mark_all(self) -> None:
        self._mark_all()

    @work(thread=True, exit_on_error=False, group="list-mark")
    def _mark_all(self) -> None:
        with db_guard(self, _("Marking all")):
            added = marking.mark_all(self.actor, self.state.query)
            self.app.call_from_thread(self.notify, ngettext(
                "Marked {count} more customer.", "Marked {count} more customers.",
                added).format(count=fmt.number(added)))
            self.app.call_from_thread(self._refresh_rows)

    def action_unmark_all(self) -> None:
        self._unmark_all()

    @work(thread=True, exit_on_error=False, group="list-mark")
    def _unmark_all(self) -> None:
        with db_guard(self, _("Unmarking")):
            removed = marking.unmark_all(self.actor)
            self.app.call_from_thread(self.notify, ngettext(
                "Unmarked {count} customer.", "Unmarked {count} customers.",
                removed).format(count=fmt.number(removed)))
            self.app.call_from_thread(self._refresh_rows)

    def action_bulk(self) -> None:
        def done(result: str | None) -> None:
            self.bulk_running = False
            self.refresh_bindings()
            if result:
                self.notify(result)
            self._refresh_rows()

        self.bulk_running = True
        self.app.push_screen(BulkDialog(self.actor, self.state.query), done)

    # ----------------------------------------------------------------- merge

    def action_merge_marked(self) -> None:
        if not self.actor.role.can_edit_base:
            self.notify(_("Merging customers needs the right to edit base data, which your "
                          "role does not have."), title=_("Merge"), severity="warning")
            return
        row = self.selected
        self._merge_candidates(row.id if row is not None else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list-merge")
    def _merge_candidates(self, cursor_id: int | None) -> None:
        from tradium_tui.services.merge import planning  # lazy: start-up

        with db_guard(self, _("Reading the marked customers")):
            marked = planning.describe_customers(customers.marked_customer_ids(self.actor))
            self.app.call_from_thread(self._start_merge, marked, cursor_id)

    def _start_merge(self, marked: list[tuple[int, int, str]], cursor_id: int | None) -> None:
        from tradium_tui.screens.merge import MAX_CUSTOMERS  # lazy: start-up

        count = len(marked)
        if count < 2:
            self.notify(
                ngettext("Mark at least two customers to merge ({key} marks the one under "
                         "the cursor); you have marked {count}.",
                         "Mark at least two customers to merge ({key} marks the one under "
                         "the cursor); you have marked {count}.", count).format(
                    key=key_for(self, "list_mark"), count=count),
                title=_("Merge"), severity="warning", markup=False)
            return
        if count > MAX_CUSTOMERS:
            self.notify(
                _("You have marked {count} customers; a merge takes at most {most} at a "
                  "time. {key} removes all your marks.").format(
                    count=fmt.number(count), most=MAX_CUSTOMERS,
                    key=key_for(self, "list_unmark_all", sentence=True)),
                title=_("Merge"), severity="warning", timeout=8, markup=False)
            return
        ids = [ident for ident, _number, _name in marked]
        if cursor_id in ids:
            self._open_merge(cursor_id, [i for i in ids if i != cursor_id])
            return
        choices = [(str(ident), shown(f"{name} ({number})")) for ident, number, name in marked]

        def chosen(key: str | None) -> None:
            if key:
                keep = int(key)
                self._open_merge(keep, [i for i in ids if i != keep])

        self.app.push_screen(ChoiceDialog(_("Which customer survives the merge?"), choices,
                                          "merge-survivor"), chosen)

    def _open_merge(self, keep_id: int, other_ids: list[int]) -> None:
        from tradium_tui.screens.merge import MergeDialog  # lazy: start-up

        def merged(survivor: int | None) -> None:
            if survivor is None:
                return
            for ident in [keep_id, *other_ids]:
                if ident != survivor:
                    self.state.merged[ident] = survivor
            # A customer merged into one merged away now (undone and merged again) follows.
            for gone, into in list(self.state.merged.items()):
                if into in self.state.merged:
                    self.state.merged[gone] = self.state.merged[into]
            self.state.merged.pop(survivor, None)
            self._refresh_rows(keep_id=survivor)

        self.app.push_screen(MergeDialog(self.actor, keep_id, other_ids), merged)

    def action_save_view(self) -> None:
        def done(name: str | None) -> None:
            if name:
                self._save(name)

        self.app.push_screen(TextDialog(_("Save view"),
                                        _("Name of the view (saved as your default)"),
                                        self.state.view_name, "save-view"), done)

    @work(thread=True, exit_on_error=False, group="list-view")
    def _save(self, name: str) -> None:
        with db_guard(self, _("Saving the view")):
            view = saved_views.save_view(self.actor, name, self.state.query, make_default=True)
            self.state.view_name = view.name
            self.app.call_from_thread(self._title)
            self.app.call_from_thread(
                self.notify, shown(_("View '{name}' saved as your default.").format(
                    name=view.name)), markup=False)

    def action_views(self) -> None:
        self._views()

    @work(thread=True, exit_on_error=False, group="list-view")
    def _views(self) -> None:
        with db_guard(self, _("Reading your views")):
            views = saved_views.list_views(self.actor)
            self.app.call_from_thread(self._choose_view, views)

    def _choose_view(self, views: list) -> None:
        if not views:
            self.notify(_("You have no saved views yet: {key} saves one.").format(
                key=key_for(self, "list_save_view")), markup=False)
            return
        by_id = {str(v.id): v for v in views}

        def label(view: Any) -> str:
            text = shown(view.name)
            if view.shared:
                text = _("{name} (role)").format(name=text)
            if view.is_default:
                text = _("{name} — default").format(name=text)
            return text

        choices = [(str(v.id), label(v)) for v in views]

        def chosen(key: str | None) -> None:
            if key:
                view = by_id[key]
                self.apply_query(listing.ListQuery.from_spec(view.query.to_spec()), view.name)

        self.app.push_screen(ChoiceDialog(_("Saved views"), choices, "views"), chosen)

