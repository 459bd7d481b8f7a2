"""Shared parts of the Quotes and Orders tabs: lines in the detail view, the lines editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import work
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _
from tradium_tui.services import vat
from tradium_tui.services.money import line_net
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.lines import LinesEditor
from tradium_tui.widgets.tabs.base import TabView


def lines_block(lines: Sequence[Any], with_delivery: bool = False) -> Content:
    """The lines of a document as an aligned text block for the detail view."""
    if not lines:
        return Content.styled(_("No lines yet."), "$text-muted")
    rows: list[Content] = []
    # TRANSLATORS: headings of the lines block; each is cut to the width of its column
    # (Article 10, Description 28, Qty 8, Deliv. 8, Back 7, Price 11, Disc% 6, VAT% 5, Net 12)
    heads = {"article": _("Article"), "description": _("Description"), "qty": _("Qty"),
             "delivered": _("Deliv."), "back": _("Back"), "price": _("Price"),
             "discount": _("Disc%"), "vat": _("VAT%"), "net": _("Net")}
    header = (f"{'#':>2}  {heads['article'][:10]:<10} {heads['description'][:28]:<28} "
              f"{heads['qty'][:8]:>8}")
    if with_delivery:
        header += f" {heads['delivered'][:8]:>8} {heads['back'][:7]:>7}"
    header += (f" {heads['price'][:11]:>11} {heads['discount'][:6]:>6} {heads['vat'][:5]:>5}"
               f" {heads['net'][:12]:>12}")
    rows.append(Content.styled(header, "$text-muted"))
    for index, line in enumerate(lines, start=1):
        description = (line.description or "")[:28]
        text = f"{index:>2}  {(line.article or '')[:10]:<10} {description:<28} {fmt.number(line.quantity):>8}"
        if with_delivery:
            text += f" {fmt.number(line.delivered_quantity):>8} {fmt.number(line.backorder_quantity):>7}"
        net = line_net(line.quantity, line.unit_price, line.discount_percent)
        text += (f" {fmt.amount(line.unit_price):>11} {fmt.number(line.discount_percent):>6}"
                 f" {fmt.number(line.vat_rate):>5} {fmt.amount(net):>12}")
        rows.append(Content(text))
    return Content("\n").join(rows)


def totals_text(excl: Any, vat: Any, incl: Any) -> str:
    """``€ 100,00 excl. + € 21,00 VAT = € 121,00`` in the interface language."""
    return _("{excl} excl. + {vat} VAT = {incl}").format(
        excl=fmt.money(excl), vat=fmt.money(vat), incl=fmt.money(incl))


def vat_note_block(treatment: Any) -> Content:
    """The document's VAT note (reverse charge, export, warning) for the detail view."""
    if treatment is None or not treatment.text:
        return Content("")
    style = "$text-warning" if treatment.warning else "$text-accent"
    return Content.assemble("\n", Content.styled(treatment.text, style))


class DocumentTab(TabView):
    """A tab whose records have lines (quotes, orders)."""

    DETAIL_FETCH = True
    WITH_DELIVERY = False

    def lines_of(self, row: Any) -> list[Any]:
        raise NotImplementedError

    def save_lines(self, row: Any, lines: list[dict[str, str]], version: int) -> Any:
        raise NotImplementedError

    def lines_editable(self, row: Any) -> bool:
        return self.editable

    def fetch_detail(self, row: Any) -> Any:
        return self.lines_of(row)

    def fetch_extra(self, customer_id: int) -> Any:
        return vat.customer_treatment(customer_id)

    def open_lines(self, row: Any, then: Callable[[Any], None] | None = None) -> None:
        """Fetch the lines of ``row`` and open the lines editor."""
        self._fetch_lines_for_editor(row, then)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tab-lines")
    def _fetch_lines_for_editor(self, row: Any, then: Callable[[Any], None] | None) -> None:
        guard = db_guard(self, _("Loading lines"))
        with guard:
            lines = self.lines_of(row)
            treatment = vat.customer_treatment(self.customer_id)
        if not guard.failed:
            self.app.call_from_thread(self._open_editor, row, lines, then, treatment)

    def _open_editor(self, row: Any, lines: list[Any], then, treatment: Any = None) -> None:
        editable = self.lines_editable(row)

        def closed(document: Any | None) -> None:
            if document is not None:
                self.notify(_("Lines saved."), timeout=3)
                self.changed()
            if then is not None:
                then(document)

        self.app.push_screen(
            LinesEditor(
                self.lines_title(row.number, editable),
                lines,
                lambda typed, version: self.save_lines(row, typed, version),
                row.version,
                with_delivery=self.WITH_DELIVERY,
                editable=editable,
                customer_id=self.customer_id,
                vat_note=treatment.text if treatment is not None else "",
                default_vat_rate=treatment.rate() if treatment is not None else None,
            ),
            closed,
        )

    def lines_title(self, number: str, editable: bool) -> str:
        """The lines editor's title (a whole sentence per tab)."""
        if editable:
            return _("Lines of {number}").format(number=number)
        return _("Lines of {number} (read only)").format(number=number)

    def action_lines(self) -> None:
        row = self.selected
        if row is not None:
            self.open_lines(row)

    def _after_save(self, result) -> None:
        """A new document opens its lines editor right away."""
        created = result is not None and self._creating
        super()._after_save(result)
        self._creating = False
        if created and result.record is not None:
            record = result.record
            self.open_lines(_RowRef(record.id, record.version, record.number))

    _creating = False

    def action_create(self) -> None:
        self._creating = True
        super().action_create()


class _RowRef:
    """Enough of a row to open the lines editor for a document just created."""

    def __init__(self, record_id: int, version: int, number: str) -> None:
        self.id = record_id
        self.version = version
        self.number = number
        self.status = "draft"
