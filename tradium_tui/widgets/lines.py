"""Editing the lines of a quote or an order: a grid, a small form per line, live totals.

Lines are checked as they are entered (the services' pure ``clean_lines``), totals are
recomputed with Decimal (``compute_totals``), and the whole set is saved in one call
(``set_quote_lines`` / ``set_order_lines``) from a thread worker.  Errors come back per
line and field; a conflict keeps the typed lines and offers to save them over the newer
version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.services import pricing
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.document_lines import (
    ORDER_LINE_FIELDS,
    QUOTE_LINE_FIELDS,
    clean_lines,
)
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError
from tradium_tui.services.money import compute_totals, line_net
from tradium_tui.widgets.article_picker import ArticlePicker
from tradium_tui.widgets.dbwork import db_guard, error_text
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.messages import SaveFailed, SaveSucceeded
from tradium_tui.widgets.modals import ConfirmDialog, ConflictDialog
from tradium_tui.widgets.safe_text import SafeDataTable


def price_text(value: Decimal) -> str:
    """A price as typed: two decimals, or four where it has them."""
    return fmt.amount(value, 2) if value == value.quantize(Decimal("0.01")) else fmt.number(value)


def line_to_text(line: Any, fields: Sequence[str]) -> dict[str, str]:
    """A stored line (model row or dict) as the text a person would type."""
    get = line.get if isinstance(line, dict) else (lambda name: getattr(line, name, ""))
    out: dict[str, str] = {}
    for name in fields:
        value = get(name)
        if isinstance(value, Decimal):
            if name in ("unit_price", "cost_price"):
                value = fmt.amount(value, 2) if value == value.quantize(Decimal("0.01")) \
                    else fmt.number(value)
            else:
                value = fmt.number(value)
        out[name] = "" if value is None else str(value)
    return out


# The line form's labels (the services name the same fields in their English messages).
LINE_FORM_LABELS = {
    "article": N_("Article"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "delivered_quantity": N_("Delivered"),
    "unit_price": N_("Unit price"),
    "cost_price": N_("Cost price"),
    "discount_percent": N_("Discount %"),
    "vat_rate": N_("VAT %"),
}


def line_specs(fields: Sequence[str]) -> list[FieldSpec]:
    hints = {
        "quantity": _("e.g. 2 or 1,5"), "unit_price": _("e.g. 12,50"), "discount_percent": _("e.g. 5"),
        "vat_rate": vat_rules.rate_choices_text(), "delivered_quantity": _("0 … quantity"),
        "cost_price": _("e.g. 7,25"),
    }
    return [
        FieldSpec(name, _(LINE_FORM_LABELS[name]) if name in LINE_FORM_LABELS else name,
                  placeholder=hints.get(name, ""), required=name == "quantity")
        for name in fields
    ]


class LineForm(RecordForm):
    """One line; checked locally (no database) before it goes back to the grid.

    Typing or picking (f2) an article code fills the line by the customer's price rule
    (services/pricing.py) and says where its price and discount come from.
    """

    BINDINGS = [
        Binding("f2", "pick_article", N_("Pick article"), id="line_pick_article",
                tooltip=N_("Search the catalogue by code or description.")),
    ]

    def __init__(self, title: str, fields: Sequence[str], values: dict[str, str],
                 with_delivery: bool, customer_id: int | None = None) -> None:
        self.line_fields = tuple(fields)
        self.with_delivery = with_delivery
        self.customer_id = customer_id
        self.initial_article = values.get("article", "")
        super().__init__(title, line_specs(fields), values, save=self._check, save_label="OK")

    def action_pick_article(self) -> None:
        row = self.row("article")
        typed = row.value() if row is not None else ""

        def picked(code: str | None) -> None:
            if code and row is not None:
                row.set_value(code)  # Input.Changed looks it up
                self.row("quantity").focus_input()

        self.app.push_screen(ArticlePicker(typed), picked)

    @on(Input.Changed, "#field-article")
    def _article_typed(self, event: Input.Changed) -> None:
        code = event.value.strip()
        if code == self.initial_article.strip() or self.customer_id is None:
            return
        if not code:
            self.row("article").show_message("")
            return
        quantity = self.row("quantity").value() if self.row("quantity") else "1"
        self._look_up(code, quantity)

    @work(thread=True, exclusive=True, exit_on_error=False, group="line-article")
    def _look_up(self, code: str, quantity: str) -> None:
        guard = db_guard(self, _("Looking up the article"))
        with guard:
            try:
                found = pricing.PriceContext(self.customer_id).price(
                    code, pricing._quantity(quantity))
            except NotFound:
                found = None
        if not guard.failed:
            self.app.call_from_thread(self._fill_from_article, code, found)

    def _fill_from_article(self, code: str, found: Any) -> None:
        row = self.row("article")
        if row is None or row.value().strip() != code:
            return  # typed on since
        if found is None:
            row.show_message(_("Not in the catalogue: a free-text line."), warning=True)
            return
        values = {
            "description": found.description,
            "unit_price": price_text(found.unit_price),
            "discount_percent": fmt.number(found.discount_percent),
            "vat_rate": fmt.number(found.vat_rate),
            "cost_price": price_text(found.cost_price),
        }
        for name, value in values.items():
            target = self.row(name)
            if target is not None:
                target.set_value(value)
        row.show_message(_("{article}: price {price}; discount {discount}; VAT {vat}").format(
            article=found.article, price=found.price_source, discount=found.discount_source,
            vat=found.vat_source), warning=True)

    def _check(self, values: dict[str, Any], _version: int | None) -> dict[str, Any]:
        try:
            clean_lines([values], with_delivery=self.with_delivery)
        except ValidationError as exc:
            errors = {key.rsplit(".", 1)[-1]: msg.split(": ", 1)[-1] for key, msg in exc.errors.items()}
            raise ValidationError(errors, exc.warnings) from None
        return values

    def action_save(self) -> None:
        # Pure checks: no worker needed.
        self.clear_messages()
        values = self.collect()
        try:
            self._check(values, None)
        except ValidationError as exc:
            self.show_validation(exc)
            return
        self.post_message(SaveSucceeded(values))


class LinesEditor(ModalScreen[Any | None]):
    """All lines of one document; dismisses with the saved document (or ``None``)."""

    BINDINGS = [
        Binding("n,insert", "add_line", N_("Add line"), id="lines_add"),
        Binding("e", "edit_line", N_("Edit line"), id="lines_edit"),
        Binding("d,delete", "delete_line", N_("Delete line"), id="lines_delete"),
        Binding("ctrl+s", "save", N_("Save lines"), id="lines_save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="lines_cancel"),
    ]

    def __init__(
        self,
        title: str,
        lines: Sequence[Any],
        save: Callable[[list[dict[str, str]], int], Any],
        version: int,
        with_delivery: bool = False,
        editable: bool = True,
        customer_id: int | None = None,
        vat_note: str = "",
        default_vat_rate: Decimal | None = None,
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.vat_note = vat_note
        self.default_vat_rate = (vat_rules.standard_rate() if default_vat_rate is None
                                 else default_vat_rate)
        self.sources: list[str] = []
        self.title_text = title
        self.fields = ORDER_LINE_FIELDS if with_delivery else QUOTE_LINE_FIELDS
        self.with_delivery = with_delivery
        self.lines: list[dict[str, str]] = [line_to_text(line, self.fields) for line in lines]
        self.save_fn = save
        self.version = version
        self.editable = editable
        self.dirty = False
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="lines-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.vat_note:
                yield Static(self.vat_note, id="lines-vat-note", markup=False)
            yield SafeDataTable(id="lines-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="lines-source", markup=False)
            yield Static("", id="lines-totals", markup=False)
            yield Static("", id="lines-message", classes="form-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.editable:
                    yield Button(_("Save lines"), id="lines-save", variant="primary",
                                 compact=True)
                yield Button(_("Close") if not self.editable else _("Cancel"), id="lines-cancel",
                             compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#lines-table", DataTable)
        table.add_column("#", width=3, key="pos")
        table.add_column(_("Article"), width=10, key="article")
        # Headings fit their widths (short forms, translated with the context "lines column").
        table.add_column(_("Description"), width=20 if self.with_delivery else 28,
                         key="description")
        table.add_column(pgettext("lines column", "Qty"), width=8, key="quantity")
        if self.with_delivery:
            table.add_column(pgettext("lines column", "Deliv."), width=8, key="delivered")
            table.add_column(pgettext("lines column", "Back"), width=7, key="back")
        table.add_column(pgettext("lines column", "Price"), width=11, key="unit_price")
        table.add_column(pgettext("lines column", "Disc%"), width=6, key="discount")
        table.add_column(pgettext("lines column", "VAT%"), width=5, key="vat")
        table.add_column(pgettext("lines column", "Net"), width=12, key="net")
        table.add_column(pgettext("lines column", "Price from"), width=22, key="source")
        self._refresh_table()
        table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_line", "edit_line", "delete_line", "save"):
            if not self.editable:
                return False
            if action in ("edit_line", "delete_line") and not self.lines:
                return None
        return True

    # ----------------------------------------------------------------- grid

    def _refresh_table(self, select: int | None = None) -> None:
        table = self.query_one("#lines-table", DataTable)
        keep = table.cursor_row if select is None else select
        table.clear()
        for index, line in enumerate(self.lines):
            net = self._net(line)
            cells: list[Any] = [
                Text(str(index + 1)), Text(line.get("article", "")),
                Text(line.get("description", "")), Text(line.get("quantity", ""), justify="right"),
            ]
            if self.with_delivery:
                back = self._backorder(line)
                cells += [Text(line.get("delivered_quantity", ""), justify="right"),
                          Text(back, justify="right", style="bold" if back not in ("", "0") else "")]
            cells += [
                Text(line.get("unit_price", ""), justify="right"),
                Text(line.get("discount_percent", ""), justify="right"),
                Text(line.get("vat_rate", ""), justify="right"),
                Text(fmt.amount(net) if net is not None else "?", justify="right"),
                Text(self._source(index), style="italic"),
            ]
            table.add_row(*cells, key=str(index))
        if self.lines:
            table.move_cursor(row=max(0, min(keep, len(self.lines) - 1)), animate=False)
        self._show_totals()
        self._show_source()
        self.refresh_bindings()
        if self.customer_id is not None:
            self._find_sources([dict(line) for line in self.lines])

    def _source(self, index: int) -> str:
        return self.sources[index] if index < len(self.sources) else ""

    @work(thread=True, exclusive=True, exit_on_error=False, group="lines-sources")
    def _find_sources(self, lines: list[dict[str, str]]) -> None:
        guard = db_guard(self, _("Finding the price sources"))
        with guard:
            sources = price_sources(self.customer_id, lines, self.with_delivery)
        if not guard.failed:
            self.app.call_from_thread(self._show_sources, lines, sources)

    def _show_sources(self, lines: list[dict[str, str]], sources: list[str]) -> None:
        if lines != self.lines:
            return  # changed since; a newer look-up follows
        self.sources = sources
        table = self.query_one("#lines-table", DataTable)
        for index, text in enumerate(sources):
            try:
                table.update_cell(str(index), "source", Text(text, style="italic"))
            except Exception:  # the row is gone
                pass
        self._show_source()

    @on(DataTable.RowHighlighted, "#lines-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_source()

    def _show_source(self) -> None:
        index = self.cursor
        text = ""
        if index is not None and index < len(self.sources) and self.sources[index]:
            text = _("Line {number}: {source}").format(number=index + 1,
                                                       source=self.sources[index])
        self.query_one("#lines-source", Static).update(text)

    def _parsed(self) -> list[dict[str, Any]] | None:
        try:
            return clean_lines(self.lines, with_delivery=self.with_delivery)
        except ValidationError:
            return None

    def _net(self, line: dict[str, str]) -> Decimal | None:
        try:
            parsed = clean_lines([line], with_delivery=self.with_delivery)
        except ValidationError:
            return None
        if not parsed:
            return Decimal("0")
        row = parsed[0]
        return line_net(row["quantity"], row["unit_price"], row["discount_percent"])

    def _backorder(self, line: dict[str, str]) -> str:
        try:
            parsed = clean_lines([line], with_delivery=True)
        except ValidationError:
            return ""
        return fmt.number(parsed[0]["backorder_quantity"]) if parsed else ""

    def _show_totals(self) -> None:
        parsed = self._parsed()
        totals_widget = self.query_one("#lines-totals", Static)
        if parsed is None:
            totals_widget.update(Content.styled(_("Totals: a line is not valid yet."), "$text-error"))
            return
        totals = compute_totals(parsed)
        parts = [
            Content.assemble(Content.styled(_("Excl. VAT") + " ", "$text-muted"),
                             fmt.money(totals.excl)),
        ]
        for bucket in totals.by_rate:
            parts.append(Content.assemble(
                Content.styled(_("VAT {rate}%").format(rate=fmt.number(bucket.rate)) + " ",
                               "$text-muted"),
                fmt.money(bucket.vat)))
        parts.append(Content.assemble(Content.styled(_("Incl. VAT") + " ", "$text-muted"),
                                      (fmt.money(totals.incl), "bold")))
        totals_widget.update(Content("   ").join(parts))

    @property
    def cursor(self) -> int | None:
        table = self.query_one("#lines-table", DataTable)
        if not self.lines:
            return None
        return table.cursor_row

    # ----------------------------------------------------------------- line actions

    def action_add_line(self) -> None:
        if not self.editable:
            return
        blank = {name: "" for name in self.fields}
        blank.update({"quantity": "1", "vat_rate": fmt.number(self.default_vat_rate)})

        def added(result) -> None:
            if result is not None:
                self.lines.append({k: str(v) for k, v in result.record.items()})
                self.dirty = True
                self._refresh_table(select=len(self.lines) - 1)

        self.app.push_screen(LineForm(_("New line"), self.fields, blank, self.with_delivery,
                                      self.customer_id), added)

    def action_edit_line(self) -> None:
        index = self.cursor
        if index is None or not self.editable:
            return

        def edited(result) -> None:
            if result is not None:
                self.lines[index] = {k: str(v) for k, v in result.record.items()}
                self.dirty = True
                self._refresh_table(select=index)

        self.app.push_screen(
            LineForm(_("Line {number}").format(number=index + 1), self.fields, dict(self.lines[index]), self.with_delivery,
                     self.customer_id),
            edited,
        )

    @on(DataTable.RowSelected, "#lines-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_line()

    def action_delete_line(self) -> None:
        index = self.cursor
        if index is None or not self.editable:
            return
        del self.lines[index]
        self.dirty = True
        self._refresh_table(select=index)

    # ----------------------------------------------------------------- save / cancel

    def _message(self, text: str, warning: bool = False) -> None:
        message = self.query_one("#lines-message", Static)
        message.update(text)
        message.set_class(bool(text), "-shown")
        message.set_class(warning, "-warning")

    def action_save(self) -> None:
        if not self.editable or self.saving:
            return
        self.saving = True
        self._message(_("Saving…"), warning=True)
        self._save([dict(line) for line in self.lines], self.version)

    @on(Button.Pressed, "#lines-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, exit_on_error=False, group="lines-save")
    def _save(self, lines: list[dict[str, str]], version: int) -> None:
        try:
            with db_guard(self, _("Saving lines"), raise_=(Exception,)):
                document = self.save_fn(lines, version)
        except Exception as exc:
            self.post_message(SaveFailed(exc))
            return
        self.post_message(SaveSucceeded(document))

    def on_save_succeeded(self, message: SaveSucceeded) -> None:
        message.stop()
        self._finish(message.record)

    def _finish(self, document: Any) -> None:
        if self.app.screen is not self:
            self.call_after_refresh(self._finish, document)
            return
        self.saving = False
        self.dismiss(document)

    def on_save_failed(self, message: SaveFailed) -> None:
        message.stop()
        self.saving = False
        error = message.error
        if isinstance(error, ValidationError):
            texts = list(error.errors.values())
            self._message(_("Not saved: {errors}").format(errors=" ".join(texts)))
            first = next((k for k in error.errors if k.startswith("lines.")), None)
            if first is not None:
                try:
                    row = int(first.split(".")[1])
                    self.query_one("#lines-table", DataTable).move_cursor(row=row)
                except (ValueError, IndexError):
                    pass
        elif isinstance(error, ConflictError):
            def decided(choice: str | None) -> None:
                if choice == "mine":
                    self.version = error.current_version
                    self.call_after_refresh(self.action_save)
                elif choice == "theirs":
                    self.call_after_refresh(self._finish, None)
                    self.notify(_("The lines were not saved; the newer version is shown."),
                                severity="warning")
                else:
                    self._message(_("Not saved: someone else changed this document. "
                                    "Your lines are still here."), warning=True)

            self.app.push_screen(ConflictDialog(error, {"lines": _("Lines")}), decided)
        else:
            self._message(error_text(error))

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(_("Discard the changed lines?"), _("The lines you changed are not saved."),
                          yes=_("Discard"), danger=True),
            answered,
        )

    @on(Button.Pressed, "#lines-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def price_sources(customer_id: int, lines: list[dict[str, str]], with_delivery: bool) -> list[str]:
    """Per line where its price and discount come from, or that they were overridden
    (runs in a worker: the pricing service reads the catalogue and the conditions)."""
    context = pricing.PriceContext(customer_id)
    context.load_articles(line.get("article", "") for line in lines)
    out = []
    for line in lines:
        code = (line.get("article") or "").strip()
        if not code:
            out.append(_("free text"))
            continue
        try:
            row = clean_lines([line], with_delivery=with_delivery)[0]
        except (ValidationError, IndexError):
            out.append("")
            continue
        if context.article(code) is None:
            out.append(_("not in the catalogue"))
            continue
        found = context.price(code, row["quantity"])
        if row["unit_price"] == found.unit_price and row["discount_percent"] == found.discount_percent:
            out.append(found.source)
        else:
            rule = price_text(found.unit_price)
            if found.discount_percent:
                rule += f" −{fmt.percent(found.discount_percent)}"
            out.append(_("override (rule: {rule}, {source})").format(rule=rule, source=found.source))
    return out
