"""The Orders tab: lines with ordered / delivered / backorder quantities, status, totals."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.models.sales import ORDER_SOURCES
from tradium_tui.services import invoices as invoices_service
from tradium_tui.services import orders as orders_service
from tradium_tui.services.errors import ValidationError
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.tabs.base import cell, detail_lines, plural, record_bindings, right
from tradium_tui.widgets.tabs.documents import DocumentTab, lines_block, vat_note_block


def status_label(status: str) -> str:
    return orders_service.STATUS_LABELS.get(status, status)


def invoiced_text(lines: Sequence[Any]) -> str:
    """How much of the order invoices cover: nothing, everything, or per line."""
    if not lines:
        return ""
    if not any(line.invoiced_quantity for line in lines):
        return "nothing yet"
    if all(line.invoiced_quantity >= line.quantity for line in lines):
        return "everything"
    return ", ".join(
        f"line {index}: {fmt.number(line.invoiced_quantity)} of {fmt.number(line.quantity)}"
        for index, line in enumerate(lines, start=1) if line.invoiced_quantity)


class OrdersTab(DocumentTab):
    TAB = "orders"
    TITLE = "Orders"
    RECORD = "order"
    EMPTY = "No orders for this customer yet."
    WITH_DELIVERY = True
    EDIT_FETCH = True
    COLUMNS = (("Number", 14), ("Date", 10), ("Status", 17), ("Source", 8),
               ("Reference", None), ("Backorder", 9), ("Incl. VAT", 13))
    EXTRA_WRITE_ACTIONS = frozenset({"deliver_all", "toggle_cancel", "invoice"})
    BINDINGS = record_bindings(
        "orders", "New order",
        extra=[
            Binding("i", "lines", "Lines", id="orders_lines",
                    tooltip="Show or edit the lines (ordered, delivered) of the selected order."),
            Binding("v", "deliver_all", "Deliver all", id="orders_deliver_all",
                    tooltip="Record every line of the selected order as delivered."),
            Binding("t", "invoice", "Invoice", id="orders_invoice",
                    tooltip="Invoice the selected order: what was delivered, or all of it."),
            Binding("x", "toggle_cancel", "Cancel/reopen", id="orders_toggle_cancel",
                    tooltip="Cancel the selected order, or reopen a cancelled one."),
        ],
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lines":
            return True if self.selected is not None else None
        allowed = super().check_action(action, parameters)
        if allowed and action == "deliver_all":
            row = self.selected
            return True if row is not None and row.status in ("open", "partly_delivered") else None
        if allowed and action == "invoice":
            row = self.selected
            return True if row is not None and row.status != "cancelled" else None
        if allowed and action == "toggle_cancel":
            row = self.selected
            return True if row is not None and row.status != "delivered" else None
        return allowed

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return orders_service.list_orders(self.actor, customer_id)

    def lines_of(self, row: Any) -> list[Any]:
        return orders_service.order_lines(self.actor, row.id)

    def save_lines(self, row: Any, lines: list[dict[str, str]], version: int) -> Any:
        """Runs in the lines editor's worker.  Over the credit limit, a role that may
        override is asked (with the figures) before saving anyway; others are refused."""
        try:
            return orders_service.set_order_lines(self.actor, row.id, lines, version)
        except orders_service.CreditLimitExceeded as exc:
            if not exc.may_override or not self._ask_from_worker(exc.check):
                raise
            return orders_service.set_order_lines(self.actor, row.id, lines, version,
                                                  override_credit_limit=True)

    def _ask_from_worker(self, check: Any) -> bool:
        answered = threading.Event()
        answer: list[bool] = []

        def done(yes: bool | None) -> None:
            answer.append(bool(yes))
            answered.set()

        detail = (f"Open invoices {fmt.money(check.open_invoices)} + open orders "
                  f"{fmt.money(check.open_orders)} + backorders {fmt.money(check.backorders)} + "
                  f"this order {fmt.money(check.this_order)} = {fmt.money(check.total)}: "
                  f"{fmt.money(check.over)} over the credit limit of {fmt.money(check.limit)}. "
                  f"Saving anyway is noted in the history.")
        self.app.call_from_thread(self.app.push_screen, ConfirmDialog(
            "This order exceeds the credit limit", detail, yes="Save anyway", no="Don't save",
            danger=True), done)
        answered.wait()
        return answer[0]

    def lines_editable(self, row: Any) -> bool:
        return self.editable and row.status != "cancelled"

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = {"delivered": palette["success"], "cancelled": "dim",
                 "partly_delivered": palette["warning"]}.get(row.status, "")
        return (
            cell(row.number, "bold"),
            cell(fmt.date_short(row.order_date)),
            cell(status_label(row.status), style),
            cell(row.source),
            cell(row.reference or row.external_ref),
            right(f"{row.backorder_lines} line{'s' if row.backorder_lines != 1 else ''}"
                  if row.backorder_lines else "",
                  palette["warning"]),
            right(fmt.money(row.total_incl), "bold"),
        )

    def summary(self) -> Content:
        if not self.rows:
            return Content("")
        active = [r for r in self.rows if r.status != "cancelled"]
        backorders = sum(1 for r in active if r.backorder_lines)
        total = sum((r.total_excl for r in active), start=0)
        text = f"{plural(len(self.rows), 'order')}  ·  {fmt.money(total)} excl. VAT"
        if backorders:
            return Content.assemble(text, "  ·  ",
                                    Content.styled(f"{backorders} with backorders",
                                                   "bold $text-warning"))
        return Content(text)

    def detail(self, row: Any, lines: Sequence[Any] | None = None) -> Content:
        return detail_lines([
            ("Order", f"{row.number}  ({status_label(row.status)})"),
            ("Date", fmt.date_medium(row.order_date)),
            ("Source", row.source + (f" — quote {row.quote_number}" if row.quote_number else "")),
            ("Reference", row.reference),
            ("External ref.", row.external_ref),
            ("Totals", f"{fmt.money(row.total_excl)} excl. + {fmt.money(row.total_vat)} VAT = "
                       f"{fmt.money(row.total_incl)}"),
            ("Invoiced", invoiced_text(lines or [])),
            ("By", row.username),
        ])

    def detail_more(self, row: Any, data: Any) -> Content:
        return Content.assemble(self.detail(row, data or []), vat_note_block(self.extra), "\n\n",
                                lines_block(data or [], with_delivery=True))

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        fields = [
            FieldSpec("order_date", "Order date", placeholder="empty: today"),
            FieldSpec("source", "Source", kind="select", allow_blank=False,
                      choices=[(s, s) for s in ORDER_SOURCES]),
            FieldSpec("reference", "Reference", max_length=80),
            FieldSpec("external_ref", "External reference", max_length=80,
                      help="e.g. the web-shop order number"),
            FieldSpec("delivery_address", "Delivery address", kind="textarea"),
            FieldSpec("invoice_address", "Invoice address", kind="textarea"),
            FieldSpec("remarks", "Remarks", kind="textarea",
                      help="Empty on a new order: the customer's default order remarks."),
        ]
        return fields

    def load_for_edit(self, row: Any) -> Any:
        return orders_service.get_order(self.actor, row.id)

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"source": "manual"}
        full = self.editing_full
        values = {
            "order_date": row.order_date.isoformat(), "source": row.source,
            "reference": row.reference, "external_ref": row.external_ref,
        }
        if full is not None:
            values.update(delivery_address=full.delivery_address,
                          invoice_address=full.invoice_address, remarks=full.remarks)
        return values

    def create_record(self, values: dict[str, Any]) -> Any:
        return orders_service.create_order(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return orders_service.update_order(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        orders_service.delete_order(self.actor, row.id, row.version)

    def describe(self, row: Any) -> str:
        return f"the order {row.number}"

    def action_deliver_all(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        self.run_write("Delivering the order",
                       lambda: orders_service.deliver_all(self.actor, row.id, row.version),
                       f"Order {row.number}: everything delivered.")

    def action_invoice(self) -> None:
        row = self.selected
        if row is None or not self.editable or row.status == "cancelled":
            return
        def save(values: dict[str, Any], _version: int | None) -> Any:
            try:
                return invoices_service.invoice_order(
                    self.actor, row.id, delivered_only=values.get("what") != "all",
                    invoice_date=values.get("invoice_date") or None, expected_version=row.version)
            except ValidationError as exc:  # about the order: shown beside the choice
                errors = {("what" if k == "order" else k): v for k, v in exc.errors.items()}
                raise ValidationError(errors) from None

        form = RecordForm(
            f"Invoice order {row.number}",
            [FieldSpec("what", "Invoice", kind="select", allow_blank=False,
                       choices=[("what was delivered", "delivered"), ("the whole order", "all")]),
             FieldSpec("invoice_date", "Invoice date", placeholder="empty: today")],
            {"what": "all" if row.status == "open" else "delivered"},
            save=save,
            intro="Quantities already invoiced are left out; the due date follows the "
                  "customer's payment term.",
            save_label="Invoice",
            only_changes=False,
        )
        self.app.push_screen(form, self._after_invoice)

    def _after_invoice(self, result: Any) -> None:
        if result is None or result.record is None:
            return
        invoice = result.record
        self.notify(f"Invoice {invoice.number} made: {fmt.money(invoice.amount_incl)}, due "
                    f"{fmt.date_medium(invoice.due_date)}.", timeout=5)
        self.changed()

    def action_toggle_cancel(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        if row.status == "cancelled":
            self.run_write("Reopening the order",
                           lambda: orders_service.reopen_order(self.actor, row.id, row.version),
                           f"Order {row.number} reopened.")
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write("Cancelling the order",
                               lambda: orders_service.cancel_order(self.actor, row.id, row.version),
                               f"Order {row.number} cancelled.")

        self.app.push_screen(ConfirmDialog(f"Cancel order {row.number}?", yes="Cancel order",
                                           no="Keep", danger=True), confirmed)


WIDGET = OrdersTab
