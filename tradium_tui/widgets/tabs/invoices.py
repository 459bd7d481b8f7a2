"""The Invoices tab: dates, due date, amount, paid, open; overdue ones in the warning
colour; the open balance total; registering payments; crediting.

An invoice is never deleted (there is no delete key): it is credited (a credit note).
The detail shows the payment term, the totals per VAT rate as stored, and the lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, NP_, _, ngettext, pgettext
from tradium_tui.services import credit_notes, vat
from tradium_tui.services import invoices as invoices_service
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.tabs.base import (
    TabView,
    cell,
    count_text,
    detail_lines,
    right,
)
from tradium_tui.widgets.tabs.documents import lines_block, totals_text


def status_label(status: str) -> str:
    return {
        "open": pgettext("invoice status", "open"),
        "partly_paid": pgettext("invoice status", "partly paid"),
        "paid": pgettext("invoice status", "paid"),
        "cancelled": pgettext("invoice status", "cancelled"),
    }.get(status, status)


class InvoicesTab(TabView):
    TAB = "invoices"
    TITLE = N_("Invoices")
    RECORD = "invoice"
    EMPTY = N_("No invoices for this customer yet.")
    COLUMNS = ((N_("Number"), 14), (N_("Date"), 10), (N_("Due"), 10), (N_("Status"), 12),
               (N_("Amount"), 13), (N_("Paid"), 13), (NP_("amount", "Open"), 13),
               (N_("Order"), None))
    TEXTS = {"new": N_("New invoice"), "edit": N_("Edit invoice"),
             "saved": N_("Invoice saved."), "deleted": N_("Invoice deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"payment", "cancel_invoice", "credit"})
    DETAIL_FETCH = True
    # No delete: an issued invoice is undone by a credit note.
    BINDINGS = [
        Binding("n", "create", N_("New invoice"), id="invoices_new",
                tooltip=N_("A new invoice typed as an amount (invoice an order from the Orders tab).")),
        Binding("e", "edit", N_("Edit"), id="invoices_edit",
                tooltip=N_("Edit the selected invoice.")),
        Binding("p", "payment", N_("Payment"), id="invoices_payment",
                tooltip=N_("Register a payment on the selected invoice.")),
        Binding("c", "credit", N_("Credit"), id="invoices_credit",
                tooltip=N_("Credit the selected invoice: a credit note undoes it (asks first).")),
        Binding("x", "cancel_invoice", N_("Cancel invoice"), id="invoices_cancel",
                tooltip=N_("Cancel the selected invoice (only when nothing was paid).")),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        row = self.selected
        if allowed and action == "credit":
            return True if row is not None and _creditable(row) else None
        if allowed and action == "payment":
            return True if row is not None and row.status in ("open", "partly_paid") else None
        if allowed and action == "cancel_invoice":
            return True if row is not None and row.status == "open" and not row.paid_amount \
                and not row.is_credit_note and not row.credit_note_number else None
        return allowed

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return invoices_service.list_invoices(self.actor, customer_id)

    def fetch_extra(self, customer_id: int) -> Any:
        return (invoices_service.open_balance(customer_id),
                invoices_service.overdue_balance(customer_id))

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        warn = f"bold {palette['warning']}" if row.overdue else ""
        status = status_label(row.status)
        if row.is_credit_note and row.status != "cancelled":
            status = _("credit note") if row.status == "paid" else _("refund due")
        if row.overdue:
            # TRANSLATORS: the status column (12 cells): days overdue, e.g. "overdue 12d"
            status = _("overdue {days}d").format(days=row.days_overdue)
        muted = "dim" if row.status == "cancelled" else ""
        return (
            cell(row.number, "bold"),
            cell(fmt.date_short(row.invoice_date), muted),
            cell(fmt.date_short(row.due_date), warn or muted),
            cell(status, warn or (palette["success"] if row.status == "paid" else muted)),
            right(fmt.money(row.amount_incl), muted),
            right(fmt.money(row.paid_amount) if row.paid_amount else "", muted),
            right(fmt.money(row.open_amount) if row.open_amount else "", warn or "bold"),
            cell(row.order_number, muted),
        )

    def summary(self) -> Content:
        if self.extra is None:
            return Content("")
        balance, overdue = self.extra
        parts = [Content.assemble(Content.styled(_("Open balance") + " ", "$text-muted"),
                                  (fmt.money(balance), "bold"))]
        if overdue:
            parts.append(Content.styled(_("overdue {amount}").format(amount=fmt.money(overdue)),
                                        "bold $text-warning"))
        parts.append(Content.styled(
            count_text(len(self.rows), "{count} invoice", "{count} invoices"), "$text-muted"))
        return Content("  ·  ").join(parts)

    def detail(self, row: Any, data: Any = None) -> Content:
        term = data.payment_term_days if data is not None else row.payment_term_days
        per_rate = [
            (_("VAT {rate} %").format(rate=fmt.number(r.rate)),
             _("{vat} on {base}").format(vat=fmt.money(r.vat), base=fmt.money(r.base)))
            for r in (data.vat_rows if data is not None else [])
        ]
        due = fmt.date_medium(row.due_date)
        if row.overdue:
            due = ngettext("{date}  — {count} day overdue", "{date}  — {count} days overdue",
                           row.days_overdue).format(date=due, count=fmt.number(row.days_overdue))
        paid = fmt.money(row.paid_amount)
        if row.paid_on:
            paid = _("{amount} on {date}").format(amount=paid, date=fmt.date_medium(row.paid_on))
        settled = row.credit_note_number or row.credited_number
        if settled:
            paid = _("{paid} (settled with {number})").format(paid=paid, number=settled)
        return detail_lines([
            (_("Credit note") if row.is_credit_note else pgettext("noun", "Invoice"),
             f"{row.number}  ({status_label(row.status)})"),
            (_("Credits"), row.credited_number),
            (_("Credited by"), row.credit_note_number),
            (_("Date"), fmt.date_medium(row.invoice_date)),
            (_("Due"), due),
            (_("Payment term"), count_text(term, "{count} day", "{count} days") if term else ""),
            (_("Amount"), totals_text(row.amount_excl, row.vat_amount, row.amount_incl)),
            *per_rate,
            (_("Paid"), paid),
            (pgettext("amount", "Open"), fmt.money(row.open_amount)),
            (_("Order"), row.order_number),
        ])

    def fetch_detail(self, row: Any) -> Any:
        return invoices_service.invoice_detail(self.actor, row.id)

    def detail_more(self, row: Any, data: Any) -> Content:
        parts = [self.detail(row, data)]
        if data.vat_note:
            parts.append(Content.styled(
                data.vat_note, "$text-warning" if data.vat_note.startswith("Warning") else "$text-accent"))
        if data.lines:
            parts.append(lines_block(data.lines))
        return Content("\n\n").join(parts)

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        fields = [
            FieldSpec("invoice_date", _("Invoice date"), placeholder=_("empty: today")),
            FieldSpec("due_date", _("Due date"), placeholder=_("empty: date + payment term")),
            FieldSpec("amount_excl", _("Amount excl. VAT"),
                      placeholder=_("e.g. 1.250,00 (undo an invoice with Credit)")),
            FieldSpec("vat_rate", _("VAT %"),
                      placeholder=_("{rates}; empty: the customer's rate").format(
                          rates=vat.rate_choices_text())),
        ]
        if row is None:
            fields.append(FieldSpec("order", _("Order"), placeholder=_("order number (optional)"),
                                    help=_("With an order: what is not invoiced yet of its "
                                           "lines (leave the amounts empty).")))
        return fields

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {}
        return {
            "invoice_date": row.invoice_date.strftime("%d-%m-%Y"),
            "due_date": row.due_date.strftime("%d-%m-%Y"),
            "amount_excl": fmt.amount(row.amount_excl),
            "vat_rate": "",
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if v not in ("", None)}
        return invoices_service.create_invoice(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return invoices_service.update_invoice(self.actor, row.id, values, version)

    def delete_question(self, row: Any) -> str:
        return _("Delete the invoice {number}?").format(number=row.number)

    def action_payment(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return

        def save(values: dict[str, Any], version: int | None) -> Any:
            return invoices_service.register_payment(
                self.actor, row.id, values.get("amount"), values.get("paid_on"), version
            )

        form = RecordForm(
            _("Payment on invoice {number}").format(number=row.number),
            [
                FieldSpec("amount", _("Amount"), required=True,
                          placeholder=_("open: {amount}").format(
                              amount=fmt.amount(row.open_amount))),
                FieldSpec("paid_on", _("Paid on"), placeholder=_("empty: today")),
            ],
            {"amount": fmt.amount(row.open_amount) if row.open_amount != Decimal(0) else ""},
            save=save,
            version=row.version,
            intro=_("Open amount {open} of {amount}.").format(
                open=fmt.money(row.open_amount), amount=fmt.money(row.amount_incl)),
            save_label=_("Register"),
            only_changes=False,
        )
        self.app.push_screen(form, self._after_save)

    def action_credit(self) -> None:
        row = self.selected
        if row is None or not self.editable or not _creditable(row):
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write(
                    _("Crediting the invoice"),
                    lambda: credit_notes.credit_invoice(self.actor, row.id, row.version),
                    _("Invoice {number} credited.").format(number=row.number),
                )

        settles = min(row.open_amount, row.amount_incl)
        sentences = [_("A credit note of {amount} with the next invoice number undoes it.")
                     .format(amount=fmt.money(-row.amount_incl))]
        if settles:
            sentences.append(_("It settles the open {amount}.").format(amount=fmt.money(settles)))
        if row.paid_amount:
            sentences.append(_("{amount} paid is owed back.").format(
                amount=fmt.money(row.paid_amount)))
        if row.order_number:
            sentences.append(_("Order {number} can be invoiced again.").format(
                number=row.order_number))
        self.app.push_screen(ConfirmDialog(
            _("Credit invoice {number}?").format(number=row.number), " ".join(sentences),
            yes=_("Credit invoice"), no=_("Keep"), danger=True), confirmed)

    def action_cancel_invoice(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write(
                    _("Cancelling the invoice"),
                    lambda: invoices_service.cancel_invoice(self.actor, row.id, row.version),
                    _("Invoice {number} cancelled.").format(number=row.number),
                )

        self.app.push_screen(ConfirmDialog(
            _("Cancel invoice {number}?").format(number=row.number),
            yes=_("Cancel invoice"), no=_("Keep"), danger=True), confirmed)


def _creditable(row: Any) -> bool:
    return not row.is_credit_note and not row.credit_note_number and row.status != "cancelled"


WIDGET = InvoicesTab
