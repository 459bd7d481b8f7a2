"""The Quotes tab: header and lines, totals excl./incl. VAT, status; an accepted quote
converts into an order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.models import QUOTE_STATUSES
from tradium_tui.services import orders as orders_service
from tradium_tui.services import quotes as quotes_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.tabs.base import cell, count_text, detail_lines, record_bindings, right
from tradium_tui.widgets.tabs.documents import (
    DocumentTab,
    lines_block,
    totals_text,
    vat_note_block,
)
from tradium_tui.widgets.tabs.orders import ask_credit_override


def status_label(status: str) -> str:
    return {
        "draft": pgettext("quote status", "draft"),
        "sent": pgettext("quote status", "sent"),
        "accepted": pgettext("quote status", "accepted"),
        "rejected": pgettext("quote status", "rejected"),
        "expired": pgettext("quote status", "expired"),
    }.get(status, status)


class QuotesTab(DocumentTab):
    TAB = "quotes"
    TITLE = N_("Quotes")
    RECORD = "quote"
    EMPTY = N_("No quotes for this customer yet.")
    COLUMNS = ((N_("Number"), 14), (N_("Date"), 10), (N_("Valid until"), 11),
               (N_("Status"), 9), (N_("Reference"), None), (N_("Excl. VAT"), 13),
               (N_("Incl. VAT"), 13))
    TEXTS = {"new": N_("New quote"), "edit": N_("Edit quote"),
             "saved": N_("Quote saved."), "deleted": N_("Quote deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"convert"})
    EDIT_FETCH = True
    BINDINGS = record_bindings(
        "quotes", N_("New quote"),
        extra=[
            Binding("i", "lines", N_("Lines"), id="quotes_lines",
                    tooltip=N_("Show or edit the lines of the selected quote.")),
            Binding("c", "convert", N_("To order"), id="quotes_convert",
                    tooltip=N_("Convert the accepted quote into an order.")),
        ],
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lines":
            return True if self.selected is not None else None
        allowed = super().check_action(action, parameters)
        if action == "convert" and allowed:
            if not self.actor.can("orders", "edit"):
                return False
            row = self.selected
            return True if row is not None and row.status == "accepted" else None
        return allowed

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return quotes_service.list_quotes(self.actor, customer_id)

    def lines_of(self, row: Any) -> list[Any]:
        return quotes_service.quote_lines(self.actor, row.id)

    def save_lines(self, row: Any, lines: list[dict[str, str]], version: int) -> Any:
        return quotes_service.set_quote_lines(self.actor, row.id, lines, version)

    def lines_editable(self, row: Any) -> bool:
        return self.editable and row.status in quotes_service.EDITABLE_STATUSES

    def status_text(self, row: Any) -> str:
        return _("expired?") if row.expired_by_date else status_label(row.status)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = {
            "accepted": palette["success"], "rejected": "dim", "expired": "dim",
        }.get(row.status, "")
        if row.expired_by_date:
            style = palette["warning"]
        return (
            cell(row.number, "bold"),
            cell(fmt.date_short(row.quote_date)),
            cell(fmt.date_short(row.valid_until), palette["warning"] if row.expired_by_date else ""),
            cell(self.status_text(row), style),
            cell(row.reference),
            right(fmt.money(row.total_excl)),
            right(fmt.money(row.total_incl), "bold"),
        )

    def summary(self) -> Content:
        if not self.rows:
            return Content("")
        open_rows = [r for r in self.rows if r.status in ("draft", "sent")]
        total = sum((r.total_excl for r in open_rows), start=0)
        return Content(_("{quotes}  ·  {open} open, {amount} excl. VAT").format(
            quotes=count_text(len(self.rows), "{count} quote", "{count} quotes"),
            open=fmt.number(len(open_rows)), amount=fmt.money(total)))

    def detail(self, row: Any) -> Content:
        return detail_lines([
            (_("Quote"), f"{row.number}  ({self.status_text(row)})"),
            (_("Date"), fmt.date_medium(row.quote_date)),
            (_("Valid until"), fmt.date_medium(row.valid_until)),
            (_("Reference"), row.reference),
            (_("Totals"), totals_text(row.total_excl, row.total_vat, row.total_incl)),
            (_("By"), row.username),
        ])

    def detail_more(self, row: Any, data: Any) -> Content:
        return Content.assemble(self.detail(row), vat_note_block(self.extra), "\n\n",
                                lines_block(data or []))

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        if row is None:
            statuses = ["draft"]
        else:
            statuses = [row.status] + quotes_service.allowed_statuses(row.status)
        return [
            FieldSpec("quote_date", _("Quote date"), placeholder=_("empty: today")),
            FieldSpec("valid_until", _("Valid until"),
                      placeholder=_("empty: 30 days after the date")),
            FieldSpec("status", _("Status"), kind="select", allow_blank=False,
                      choices=[(status_label(s), s) for s in QUOTE_STATUSES if s in statuses]),
            FieldSpec("reference", _("Reference"), max_length=80),
            FieldSpec("remarks", _("Remarks"), kind="textarea"),
        ]

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"status": "draft"}
        return {
            "quote_date": row.quote_date.strftime("%d-%m-%Y"),  # as the list shows it
            "valid_until": row.valid_until.strftime("%d-%m-%Y") if row.valid_until else "",
            "status": row.status, "reference": row.reference,
            "remarks": self.editing_full.remarks if self.editing_full is not None else "",
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if k != "status"}
        return quotes_service.create_quote(self.actor, self.customer_id, values)

    def load_for_edit(self, row: Any) -> Any:
        return quotes_service.get_quote(self.actor, row.id)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return quotes_service.update_quote(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        quotes_service.delete_quote(self.actor, row.id, row.version)

    def lines_title(self, number: str, editable: bool) -> str:
        if editable:
            return _("Lines of quote {number}").format(number=number)
        return _("Lines of quote {number} (read only)").format(number=number)

    def delete_question(self, row: Any) -> str:
        return _("Delete the quote {number}?").format(number=row.number)

    def _convert(self, quote_id: int) -> Any:
        """Runs in a worker.  Over the credit limit (as the order form checks it), a role
        that may override is asked with the figures before converting anyway; others are
        refused with the figures."""
        try:
            return quotes_service.convert_quote_to_order(self.actor, quote_id)
        except orders_service.CreditLimitExceeded as exc:
            if not exc.may_override or not ask_credit_override(self.app, exc.check,
                                                               converting=True):
                raise
            return quotes_service.convert_quote_to_order(self.actor, quote_id,
                                                         override_credit_limit=True)

    def action_convert(self) -> None:
        row = self.selected
        if row is None or row.status != "accepted":
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write(
                    _("Converting the quote"),
                    lambda: self._convert(row.id),
                    _("Quote {number} is now an order.").format(number=row.number),
                )

        self.app.push_screen(
            ConfirmDialog(_("Convert quote {number} into an order?").format(number=row.number),
                          _("The order gets the quote's lines; the quote converts only once."),
                          yes=_("Convert"), no=_("Cancel")),
            confirmed,
        )


WIDGET = QuotesTab
