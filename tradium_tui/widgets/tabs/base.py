"""What every customer tab shares: a list, a detail view, create / edit / delete.

A tab is mounted only when the user may see it, and loads its rows the first time it is
shown (and again when its data changed).  Loading runs in a thread worker; the rows come
back as a :class:`~tradium_tui.widgets.messages.TabLoaded` message.  Writes go through
the service functions in a :class:`~tradium_tui.widgets.form.RecordForm` (per-field
messages, conflict dialog), after which the tab reloads and tells the screen
(:class:`~tradium_tui.widgets.messages.DataChanged`) so the header and other tabs follow.

View-only tabs answer ``False`` from :meth:`check_action` for the write actions, so their
keys do not appear in the Footer at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext, source_text
from tradium_tui.keymap import key_for
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.form import FieldSpec, FormResult, RecordForm
from tradium_tui.widgets.messages import DataChanged, DetailLoaded, TabLoaded
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.safe_text import SafeDataTable, safe_cell, safe_cells

# Actions that change data: hidden from the Footer when the tab is view-only.
WRITE_ACTIONS = frozenset({"create", "edit", "delete"})


def record_bindings(tab: str, new: str = N_("New"), extra: Sequence[Binding] = ()) -> list[Binding]:
    """The create / edit / delete keys of a tab, with ids unique per tab.  ``new`` is the
    English description of the create key, marked with ``N_`` (the Footer translates)."""
    return [
        Binding("n", "create", new, id=f"{tab}_new", tooltip=new),
        Binding("e", "edit", N_("Edit"), id=f"{tab}_edit", tooltip=N_("Edit the selected row.")),
        Binding("d,delete", "delete", N_("Delete"), id=f"{tab}_delete",
                tooltip=N_("Delete the selected row (asks first).")),
        *extra,
    ]


def count_text(count: int, singular: str, plural: str) -> str:
    """``ngettext(singular, plural, count)`` with its ``{count}`` grouped for the locale:
    ``count_text(n, "{count} quote", "{count} quotes")``.  The extraction knows this name
    (i18n_tools.KEYWORDS), so both texts must be written out at the call."""
    return ngettext(singular, plural, count).format(count=fmt.number(count))


def cell(value: Any, style: str = "") -> Text:
    """A table cell: plain text (user data is never read as markup)."""
    return Text("" if value is None else str(value), style=style, no_wrap=True, overflow="ellipsis")


def right(value: Any, style: str = "") -> Text:
    text = cell(value, style)
    text.justify = "right"
    return text


def detail_lines(pairs: Sequence[tuple[str, Any]]) -> Content:
    """The detail view: "Label  value" lines, empty values left out."""
    shown = [(label, value) for label, value in pairs if value not in (None, "")]
    if not shown:
        return Content("")
    width = max(len(label) for label, _ in shown) + 2
    lines: list[Content] = []
    for label, value in shown:
        value_content = safe_cell(value if isinstance(value, Content) else Content(str(value)))
        lines.append(
            Content.assemble(Content.styled(label.ljust(width), "$text-muted"), value_content)
        )
    return Content("\n").join(lines)


class TabView(Vertical):
    """Base of the customer tabs. Subclasses fill in the class attributes and hooks."""

    TAB: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    RECORD: ClassVar[str] = "record"  # "contact", "action"… (an id, not shown)
    # (label, width or None); labels are English, marked N_, translated when shown.  A
    # translation must fit the width (tests/test_i18n.py checks it).
    COLUMNS: ClassVar[Sequence[tuple[str, int | None]]] = ()
    EMPTY: ClassVar[str] = N_("Nothing here yet.")
    # What the tab says about its records, each a whole sentence (marked N_ in the tab):
    # the form titles, the notices after a save or delete.
    TEXTS: ClassVar[dict[str, str]] = {
        "new": N_("New record"),
        "edit": N_("Edit record"),
        "saved": N_("Saved."),
        "deleted": N_("Deleted."),
    }
    # Actions beyond create/edit/delete that change data (hidden when view-only).
    EXTRA_WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    # True when the detail view needs more data per row (``fetch_detail``), e.g. lines.
    DETAIL_FETCH: ClassVar[bool] = False
    # True when the edit form needs the full record (``load_for_edit``), not just the row.
    EDIT_FETCH: ClassVar[bool] = False

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.customer_id: int | None = None
        self.rows: list[Any] = []
        self.extra: Any = None
        self.stale = True
        self.active = False
        self.loading_for: int | None = None
        self.load_count = 0  # how many loads finished (tests wait on it)
        self._select_after_load: Any = None
        self.detail_data: Any = None
        self.editing_full: Any = None
        self._binding_state: tuple | None = None

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static("", classes="tab-summary", markup=False)
        table: DataTable = SafeDataTable(
            id=f"{self.TAB}-table", cursor_type="row", zebra_stripes=True, classes="tab-table"
        )
        yield table
        with VerticalScroll(classes="tab-detail"):
            yield Static("", classes="tab-detail-body", markup=False)

    def on_mount(self) -> None:
        tables = self.query(DataTable)
        if not tables:
            return  # already taken down again (the app closed while this tab was mounting)
        table = tables.first()
        self._add_columns(table)
        # Row colours come from the theme: repaint the rows when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _add_columns(self, table: DataTable) -> None:
        for label, width in self.COLUMNS:
            table.add_column(_(label) if label else "", width=width, key=source_text(label))

    def retranslate(self) -> None:
        """The interface language changed: headings, rows, summary and detail again."""
        if not self.query(DataTable):
            return
        table = self.table
        selected = self.selected
        if selected is not None:
            self._select_after_load = self.row_id(selected)
        table.clear(columns=True)
        self._add_columns(table)
        self._fill()

    def text(self, key: str) -> str:
        """One of this tab's :attr:`TEXTS`, translated."""
        return _(self.TEXTS.get(key) or TabView.TEXTS[key])

    def _theme_changed(self, _theme: Any) -> None:
        if self.rows:
            self._fill()

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    @property
    def editable(self) -> bool:
        return self.actor.can(self.TAB, "edit")

    # ----------------------------------------------------------------- loading

    def set_customer(self, customer_id: int | None) -> None:
        """A (maybe other) customer is open: forget rows; load now if this tab is shown."""
        changed = customer_id != self.customer_id
        self.customer_id = customer_id
        self.stale = True
        if not self.query(DataTable):
            return  # not composed (yet, or any more): it loads when shown
        if changed:
            self.rows = []
            self.extra = None
            self.table.clear()
            self._show_detail(None)
            self._set_summary(Content(""))
        if self.active:
            self.reload()

    def activate(self) -> None:
        """The tab became the visible one."""
        self.active = True
        if self.stale:
            self.reload()

    def deactivate(self) -> None:
        self.active = False

    def mark_stale(self) -> None:
        """Data changed elsewhere: reload now when shown, else on next view."""
        self.stale = True
        if self.active:
            self.reload()

    def reload(self) -> None:
        if self.customer_id is None:
            return
        self.stale = False
        self.loading_for = self.customer_id
        self._load(self.customer_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-load")
    def _load(self, customer_id: int) -> None:
        worker = get_current_worker()
        with db_guard(self, _("Loading {tab}").format(tab=_(self.TITLE))):
            rows = list(self.fetch(customer_id))
            extra = self.fetch_extra(customer_id)
            if not worker.is_cancelled:
                self.post_message(TabLoaded(self.TAB, customer_id, rows, extra))

    def on_tab_loaded(self, message: TabLoaded) -> None:
        message.stop()
        if message.customer_id != self.customer_id:
            return  # an older customer's rows
        self.rows = message.rows
        self.extra = message.extra
        self._fill()
        self.load_count += 1

    def _fill(self) -> None:
        table = self.table
        selected = self.selected
        selected_key = str(self.row_id(selected)) if selected is not None else None
        if self._select_after_load is not None:
            selected_key = str(self._select_after_load)
            self._select_after_load = None
        scroll_y = table.scroll_y
        table.clear()
        palette = self.palette()
        for row in self.rows:
            table.add_row(*safe_cells(self.cells(row, palette)), key=str(self.row_id(row)))
        if selected_key is not None:
            try:
                table.move_cursor(row=table.get_row_index(selected_key), animate=False)
            except Exception:  # the row is gone
                pass
        table.scroll_y = min(scroll_y, table.max_scroll_y)
        self._set_summary(self.summary())
        if not self.rows:
            self._show_detail(None)
            empty = _(self.EMPTY)
            new_key = self._add_key()
            if new_key:
                empty = _("{empty}  Press {key} to add one.").format(empty=empty, key=new_key)
            self.query_one(".tab-detail-body", Static).update(
                Content.styled(empty, "$text-muted")
            )
        else:
            self._show_detail(self.selected)
        self.refresh_bindings_if_changed()

    def _add_key(self) -> str:
        """The key of this tab's New, for "Press n to add one." (none when read-only)."""
        new = next((binding.id for binding in self.BINDINGS
                    if isinstance(binding, Binding) and binding.action == "create"), None)
        if not self.editable or new is None:
            return ""
        return key_for(self, new)

    def refresh_bindings_if_changed(self) -> None:
        """Redraw the Footer only when one of this tab's keys changed state.

        A refresh makes the screen recompute the bindings of the whole focus chain and
        the Footer redraw; a cursor move rarely changes them.
        """
        state = tuple(
            self.check_action(binding.action.partition("(")[0], ())
            for binding in self.BINDINGS
            if isinstance(binding, Binding)
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def palette(self) -> dict[str, str]:
        """Theme colours for table cells (Rich text cannot read CSS variables)."""
        variables = self.app.get_css_variables()
        return {
            "warning": variables.get("text-warning", "yellow"),
            "error": variables.get("text-error", "red"),
            "success": variables.get("text-success", "green"),
            "muted": "dim",
            "accent": variables.get("text-accent", "cyan"),
        }

    # ----------------------------------------------------------------- selection

    @property
    def selected(self) -> Any | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None
        for row in self.rows:
            if str(self.row_id(row)) == key:
                return row
        return None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail(self.selected)
        self.refresh_bindings_if_changed()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.editable and self.selected is not None:
            self.action_edit()

    def _show_detail(self, row: Any | None) -> None:
        body = self.query_one(".tab-detail-body", Static)
        body.update(safe_cell(self.detail(row)) if row is not None else Content(""))
        if row is not None and self.DETAIL_FETCH:
            self._load_detail(row)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-detail")
    def _load_detail(self, row: Any) -> None:
        worker = get_current_worker()
        with db_guard(self, _("Loading the details")):
            data = self.fetch_detail(row)
            if not worker.is_cancelled:
                self.post_message(DetailLoaded(self.TAB, str(self.row_id(row)), data))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        message.stop()
        row = self.selected
        if row is None or str(self.row_id(row)) != message.row_key:
            return
        self.detail_data = message.data
        self.query_one(".tab-detail-body", Static).update(
            safe_cell(self.detail_more(row, message.data)))

    def _set_summary(self, content: Content) -> None:
        summary = self.query_one(".tab-summary", Static)
        content = safe_cell(content)
        summary.update(content)
        summary.display = bool(content.plain)

    # ----------------------------------------------------------------- hooks

    def fetch(self, customer_id: int) -> Sequence[Any]:
        raise NotImplementedError

    def fetch_extra(self, customer_id: int) -> Any:
        return None

    def row_id(self, row: Any) -> Any:
        return row.id

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        raise NotImplementedError

    def detail(self, row: Any) -> Content:
        return Content("")

    def fetch_detail(self, row: Any) -> Any:
        """Runs in a worker when DETAIL_FETCH is set."""
        return None

    def detail_more(self, row: Any, data: Any) -> Content:
        """The detail view once ``fetch_detail`` answered."""
        return self.detail(row)

    def summary(self) -> Content:
        return Content("")

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        raise NotImplementedError

    def form_values(self, row: Any | None) -> dict[str, Any]:
        return {}

    def create_record(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        raise NotImplementedError

    def delete_record(self, row: Any) -> None:
        raise NotImplementedError

    def delete_question(self, row: Any) -> str:
        """The question before deleting ``row`` (a whole sentence per tab)."""
        return _("Delete this row?")

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITE_ACTIONS or action in self.EXTRA_WRITE_ACTIONS:
            if not self.editable:
                return False  # view-only: the key is not in the Footer at all
            if action != "create" and self.selected is None:
                return None  # shown, greyed out: nothing selected
            if self.customer_id is None:
                return None
        return True

    def action_create(self) -> None:
        if not self.editable or self.customer_id is None:
            return
        self.open_form(self.text("new"), None,
                       lambda values, _version: self.create_record(values))

    def load_for_edit(self, row: Any) -> Any:
        """Runs in a worker before the edit form opens when EDIT_FETCH is set (full record)."""
        return None

    def action_edit(self) -> None:
        row = self.selected
        if not self.editable or row is None:
            return
        if self.EDIT_FETCH:
            self._fetch_for_edit(row)
        else:
            self._open_edit(row, None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-edit")
    def _fetch_for_edit(self, row: Any) -> None:
        guard = db_guard(self, _("Opening for editing"))
        with guard:
            full = self.load_for_edit(row)
        if not guard.failed:
            self.app.call_from_thread(self._open_edit, row, full)

    def _open_edit(self, row: Any, full: Any) -> None:
        self.editing_full = full
        self.open_form(
            self.text("edit"),
            row,
            lambda values, version: self.update_record(row, values, version),
            version=getattr(full if full is not None else row, "version", None),
        )

    def open_form(
        self,
        title: str,
        row: Any | None,
        save: Callable[[dict[str, Any], int | None], Any],
        version: int | None = None,
        intro: str = "",
    ) -> None:
        form = RecordForm(
            title, self.form_fields(row), self.form_values(row), save=save, version=version,
            intro=intro,
        )
        self.app.push_screen(form, self._after_save)

    def _after_save(self, result: FormResult | None) -> None:
        if result is None:
            return
        record = result.record
        if record is not None and getattr(record, "id", None) is not None:
            self._select_after_load = record.id
        self.changed()
        self.notify(self.text("saved"), timeout=3)

    def changed(self) -> None:
        """This tab wrote data: reload it and tell the screen."""
        self.reload()
        self.post_message(DataChanged(self.customer_id, self.TAB))

    def action_delete(self) -> None:
        row = self.selected
        if not self.editable or row is None:
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        self.app.push_screen(
            ConfirmDialog(self.delete_question(row), _("This cannot be undone."),
                          yes=_("Delete"), no=_("Cancel"), danger=True),
            confirmed,
        )

    @work(thread=True, exclusive=False, exit_on_error=False, group="tab-write")
    def _delete(self, row: Any) -> None:
        guard = db_guard(self, _("Deleting"))
        with guard:
            self.delete_record(row)
        if not guard.failed:
            self.app.call_from_thread(self._deleted)

    def _deleted(self) -> None:
        self.notify(self.text("deleted"), timeout=3)
        self.changed()

    def run_write(self, what: str, fn: Callable[[], Any], done: str = "") -> None:
        """Run a one-shot write (complete an action, pin a note…) in a worker."""
        self._write(what, fn, done)

    @work(thread=True, exclusive=False, exit_on_error=False, group="tab-write")
    def _write(self, what: str, fn: Callable[[], Any], done: str) -> None:
        guard = db_guard(self, what)
        with guard:
            fn()
        if not guard.failed:
            self.app.call_from_thread(self._written, done)

    def _written(self, done: str) -> None:
        if done:
            self.notify(done, timeout=3)
        self.changed()
