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
from tradium_tui.services import invoices as invoices_service
from tradium_tui.services import vat
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.tabs.base import (
    TabView,
    cell,
    detail_lines,
    plural,
    right,
)
from tradium_tui.widgets.tabs.documents import lines_block

STATUS_LABELS = {"open": "open", "partly_paid": "partly paid", "paid": "paid",
                 "cancelled": "cancelled"}


class InvoicesTab(TabView):
    TAB = "invoices"
    TITLE = "Invoices"
    RECORD = "invoice"
    EMPTY = "No invoices for this customer yet."
    COLUMNS = (("Number", 14), ("Date", 10), ("Due", 10), ("Status", 12), ("Amount", 13),
               ("Paid", 13), ("Open", 13), ("Order", None))
    EXTRA_WRITE_ACTIONS = frozenset({"payment", "cancel_invoice", "credit"})
    DETAIL_FETCH = True
    # No delete: an issued invoice is undone by a credit note.
    BINDINGS = [
        Binding("n", "create", "New invoice", id="invoices_new",
                tooltip="A new invoice typed as an amount (invoice an order from the Orders tab)."),
        Binding("e", "edit", "Edit", id="invoices_edit", tooltip="Edit the selected invoice."),
        Binding("p", "payment", "Payment", id="invoices_payment",
                tooltip="Register a payment on the selected invoice."),
        Binding("c", "credit", "Credit", id="invoices_credit",
                tooltip="Credit the selected invoice: a credit note undoes it (asks first)."),
        Binding("x", "cancel_invoice", "Cancel invoice", id="invoices_cancel",
                tooltip="Cancel the selected invoice (only when nothing was paid)."),
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
        status = STATUS_LABELS.get(row.status, row.status)
        if row.is_credit_note and row.status != "cancelled":
            status = "credit note" if row.status == "paid" else "refund due"
        if row.overdue:
            status = f"overdue {row.days_overdue}d"
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
        parts = [Content.assemble(Content.styled("Open balance ", "$text-muted"),
                                  (fmt.money(balance), "bold"))]
        if overdue:
            parts.append(Content.styled(f"overdue {fmt.money(overdue)}", "bold $text-warning"))
        parts.append(Content.styled(plural(len(self.rows), "invoice"), "$text-muted"))
        return Content("  ·  ").join(parts)

    def detail(self, row: Any, data: Any = None) -> Content:
        term = data.payment_term_days if data is not None else row.payment_term_days
        per_rate = [
            (f"VAT {fmt.number(r.rate)} %", f"{fmt.money(r.vat)} on {fmt.money(r.base)}")
            for r in (data.vat_rows if data is not None else [])
        ]
        return detail_lines([
            ("Credit note" if row.is_credit_note else "Invoice",
             f"{row.number}  ({STATUS_LABELS.get(row.status, row.status)})"),
            ("Credits", row.credited_number),
            ("Credited by", row.credit_note_number),
            ("Date", fmt.date_medium(row.invoice_date)),
            ("Due", fmt.date_medium(row.due_date)
             + (f"  — {row.days_overdue} days overdue" if row.overdue else "")),
            ("Payment term", f"{term} days" if term else ""),
            ("Amount", f"{fmt.money(row.amount_excl)} excl. + {fmt.money(row.vat_amount)} VAT = "
                       f"{fmt.money(row.amount_incl)}"),
            *per_rate,
            ("Paid", fmt.money(row.paid_amount)
             + (f" on {fmt.date_medium(row.paid_on)}" if row.paid_on else "")
             + (f" (settled with {row.credit_note_number or row.credited_number})"
                if row.credit_note_number or row.credited_number else "")),
            ("Open", fmt.money(row.open_amount)),
            ("Order", row.order_number),
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
            FieldSpec("invoice_date", "Invoice date", placeholder="empty: today"),
            FieldSpec("due_date", "Due date", placeholder="empty: date + payment term"),
            FieldSpec("amount_excl", "Amount excl. VAT",
                      placeholder="e.g. 1.250,00 (undo an invoice with Credit)"),
            FieldSpec("vat_rate", "VAT %",
                      placeholder=f"{vat.rate_choices_text()}; empty: the customer's rate"),
        ]
        if row is None:
            fields.append(FieldSpec("order", "Order", placeholder="order number (optional)",
                                    help="With an order: what is not invoiced yet of its lines "
                                         "(leave the amounts empty)."))
        return fields

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {}
        return {
            "invoice_date": row.invoice_date.isoformat(),
            "due_date": row.due_date.isoformat(),
            "amount_excl": fmt.amount(row.amount_excl),
            "vat_rate": "",
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if v not in ("", None)}
        return invoices_service.create_invoice(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return invoices_service.update_invoice(self.actor, row.id, values, version)

    def describe(self, row: Any) -> str:
        return f"the invoice {row.number}"

    def action_payment(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return

        def save(values: dict[str, Any], version: int | None) -> Any:
            return invoices_service.register_payment(
                self.actor, row.id, values.get("amount"), values.get("paid_on"), version
            )

        form = RecordForm(
            f"Payment on invoice {row.number}",
            [
                FieldSpec("amount", "Amount", required=True,
                          placeholder=f"open: {fmt.amount(row.open_amount)}"),
                FieldSpec("paid_on", "Paid on", placeholder="empty: today"),
            ],
            {"amount": fmt.amount(row.open_amount) if row.open_amount != Decimal(0) else ""},
            save=save,
            version=row.version,
            intro=f"Open amount {fmt.money(row.open_amount)} of {fmt.money(row.amount_incl)}.",
            save_label="Register",
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
                    "Crediting the invoice",
                    lambda: invoices_service.credit_invoice(self.actor, row.id, row.version),
                    f"Invoice {row.number} credited.",
                )

        settles = min(row.open_amount, row.amount_incl)
        detail = (f"A credit note of {fmt.money(-row.amount_incl)} with the next invoice number "
                  f"undoes it" + (f"; it settles the open {fmt.money(settles)}" if settles else "")
                  + (f"; {fmt.money(row.paid_amount)} paid is owed back" if row.paid_amount else "")
                  + (f". Order {row.order_number} can be invoiced again." if row.order_number
                     else "."))
        self.app.push_screen(ConfirmDialog(f"Credit invoice {row.number}?", detail,
                                           yes="Credit invoice", no="Keep", danger=True),
                             confirmed)

    def action_cancel_invoice(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write(
                    "Cancelling the invoice",
                    lambda: invoices_service.cancel_invoice(self.actor, row.id, row.version),
                    f"Invoice {row.number} cancelled.",
                )

        self.app.push_screen(ConfirmDialog(f"Cancel invoice {row.number}?",
                                           yes="Cancel invoice", no="Keep", danger=True),
                             confirmed)


def _creditable(row: Any) -> bool:
    return not row.is_credit_note and not row.credit_note_number and row.status != "cancelled"


WIDGET = InvoicesTab
