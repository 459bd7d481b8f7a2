"""The Orders tab: lines with ordered / delivered / backorder quantities, status, totals."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.models.sales import ORDER_SOURCES
from tradium_tui.services import invoicing
from tradium_tui.services import orders as orders_service
from tradium_tui.services.errors import ValidationError
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.tabs.base import cell, count_text, detail_lines, record_bindings, right
from tradium_tui.widgets.tabs.documents import (
    DocumentTab,
    lines_block,
    totals_text,
    vat_note_block,
)


def status_label(status: str) -> str:
    return {
        "open": pgettext("order status", "open"),
        "partly_delivered": pgettext("order status", "partly delivered"),
        "delivered": pgettext("order status", "delivered"),
        "cancelled": pgettext("order status", "cancelled"),
    }.get(status, orders_service.STATUS_LABELS.get(status, status))


def source_label(source: str) -> str:
    return {
        "manual": pgettext("order source", "manual"),
        "quote": pgettext("order source", "quote"),
        "webshop": pgettext("order source", "webshop"),
        "import": pgettext("order source", "import"),
    }.get(source, source)


def invoiced_text(lines: Sequence[Any]) -> str:
    """How much of the order invoices cover: nothing, everything, or per line."""
    if not lines:
        return ""
    if not any(line.invoiced_quantity for line in lines):
        return _("nothing yet")
    if all(line.invoiced_quantity >= line.quantity for line in lines):
        return _("everything")
    return ", ".join(
        _("line {index}: {invoiced} of {quantity}").format(
            index=index, invoiced=fmt.number(line.invoiced_quantity),
            quantity=fmt.number(line.quantity))
        for index, line in enumerate(lines, start=1) if line.invoiced_quantity)


def credit_limit_detail(check: Any, *, converting: bool) -> str:
    """The figures of a credit-limit check, as the warning shows them."""
    figures = dict(
        invoices=fmt.money(check.open_invoices), orders=fmt.money(check.open_orders),
        backorders=fmt.money(check.backorders), order=fmt.money(check.this_order),
        total=fmt.money(check.total), over=fmt.money(check.over), limit=fmt.money(check.limit))
    if converting:
        return _("Open invoices {invoices} + open orders {orders} + backorders {backorders} + "
                 "this order {order} = {total}: {over} over the credit limit of {limit}. "
                 "Converting anyway is noted in the history.").format(**figures)
    return _("Open invoices {invoices} + open orders {orders} + backorders {backorders} + "
             "this order {order} = {total}: {over} over the credit limit of {limit}. "
             "Saving anyway is noted in the history.").format(**figures)


def ask_credit_override(app: Any, check: Any, *, converting: bool) -> bool:
    """From a worker thread: the credit-limit warning with the figures; True when the user
    goes ahead (the worker waits for the answer)."""
    answered = threading.Event()
    answer: list[bool] = []

    def done(yes: bool | None) -> None:
        answer.append(bool(yes))
        answered.set()

    if converting:
        yes, no = _("Convert anyway"), _("Don't convert")
    else:
        yes, no = _("Save anyway"), _("Don't save")
    app.call_from_thread(app.push_screen, ConfirmDialog(
        _("This order exceeds the credit limit"), credit_limit_detail(check, converting=converting),
        yes=yes, no=no, danger=True), done)
    answered.wait()
    return answer[0]


class OrdersTab(DocumentTab):
    TAB = "orders"
    TITLE = N_("Orders")
    RECORD = "order"
    EMPTY = N_("No orders for this customer yet.")
    WITH_DELIVERY = True
    EDIT_FETCH = True
    COLUMNS = ((N_("Number"), 14), (N_("Date"), 10), (N_("Status"), 17), (N_("Source"), 8),
               (N_("Reference"), None), (N_("Backorder"), 9), (N_("Incl. VAT"), 13))
    TEXTS = {"new": N_("New order"), "edit": N_("Edit order"),
             "saved": N_("Order saved."), "deleted": N_("Order deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"deliver_all", "toggle_cancel", "invoice"})
    BINDINGS = record_bindings(
        "orders", N_("New order"),
        extra=[
            Binding("i", "lines", N_("Lines"), id="orders_lines",
                    tooltip=N_("Show or edit the lines (ordered, delivered) of the selected order.")),
            Binding("v", "deliver_all", N_("Deliver all"), id="orders_deliver_all",
                    tooltip=N_("Record every line of the selected order as delivered.")),
            # TRANSLATORS: the key that invoices the order (a verb)
            Binding("t", "invoice", N_("Invoice"), id="orders_invoice",
                    tooltip=N_("Invoice the selected order: what was delivered, or all of it.")),
            Binding("x", "toggle_cancel", N_("Cancel/reopen"), id="orders_toggle_cancel",
                    tooltip=N_("Cancel the selected order, or reopen a cancelled one.")),
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
        return ask_credit_override(self.app, check, converting=False)

    def lines_editable(self, row: Any) -> bool:
        return self.editable and row.status != "cancelled"

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = {"delivered": palette["success"], "cancelled": "dim",
                 "partly_delivered": palette["warning"]}.get(row.status, "")
        return (
            cell(row.number, "bold"),
            cell(fmt.date_short(row.order_date)),
            cell(status_label(row.status), style),
            cell(source_label(row.source)),
            cell(row.reference or row.external_ref),
            right(count_text(row.backorder_lines, "{count} line", "{count} lines")
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
        text = _("{orders}  ·  {amount} excl. VAT").format(
            orders=count_text(len(self.rows), "{count} order", "{count} orders"),
            amount=fmt.money(total))
        if backorders:
            with_backorders = count_text(backorders, "{count} with backorders",
                                         "{count} with backorders")
            return Content.assemble(text, "  ·  ",
                                    Content.styled(with_backorders, "bold $text-warning"))
        return Content(text)

    def detail(self, row: Any, lines: Sequence[Any] | None = None) -> Content:
        return detail_lines([
            (_("Order"), f"{row.number}  ({status_label(row.status)})"),
            (_("Date"), fmt.date_medium(row.order_date)),
            (_("Source"), _("{source} — quote {number}").format(
                source=source_label(row.source), number=row.quote_number)
             if row.quote_number else source_label(row.source)),
            (_("Reference"), row.reference),
            (_("External ref."), row.external_ref),
            (_("Totals"), totals_text(row.total_excl, row.total_vat, row.total_incl)),
            (_("Invoiced"), invoiced_text(lines or [])),
            (_("By"), row.username),
        ])

    def detail_more(self, row: Any, data: Any) -> Content:
        return Content.assemble(self.detail(row, data or []), vat_note_block(self.extra), "\n\n",
                                lines_block(data or [], with_delivery=True))

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        fields = [
            FieldSpec("order_date", _("Order date"), placeholder=_("empty: today")),
            FieldSpec("source", _("Source"), kind="select", allow_blank=False,
                      choices=[(source_label(s), s) for s in ORDER_SOURCES]),
            FieldSpec("reference", _("Reference"), max_length=80),
            FieldSpec("external_ref", _("External reference"), max_length=80,
                      help=_("e.g. the web-shop order number")),
            FieldSpec("delivery_address", _("Delivery address"), kind="textarea"),
            FieldSpec("invoice_address", _("Invoice address"), kind="textarea"),
            FieldSpec("remarks", _("Remarks"), kind="textarea",
                      help=_("Empty on a new order: the customer's default order remarks.")),
        ]
        return fields

    def load_for_edit(self, row: Any) -> Any:
        return orders_service.get_order(self.actor, row.id)

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"source": "manual"}
        full = self.editing_full
        values = {
            "order_date": row.order_date.strftime("%d-%m-%Y"), "source": row.source,
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

    def delete_question(self, row: Any) -> str:
        return _("Delete the order {number}?").format(number=row.number)

    def lines_title(self, number: str, editable: bool) -> str:
        if editable:
            return _("Lines of order {number}").format(number=number)
        return _("Lines of order {number} (read only)").format(number=number)

    def action_deliver_all(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        self.run_write(_("Delivering the order"),
                       lambda: orders_service.deliver_all(self.actor, row.id, row.version),
                       _("Order {number}: everything delivered.").format(number=row.number))

    def action_invoice(self) -> None:
        row = self.selected
        if row is None or not self.editable or row.status == "cancelled":
            return
        def save(values: dict[str, Any], _version: int | None) -> Any:
            try:
                return invoicing.invoice_order(
                    self.actor, row.id, delivered_only=values.get("what") != "all",
                    invoice_date=values.get("invoice_date") or None, expected_version=row.version)
            except ValidationError as exc:  # about the order: shown beside the choice
                errors = {("what" if k == "order" else k): v for k, v in exc.errors.items()}
                raise ValidationError(errors) from None

        form = RecordForm(
            _("Invoice order {number}").format(number=row.number),
            [FieldSpec("what", _("Invoice"), kind="select", allow_blank=False,
                       choices=[(_("what was delivered"), "delivered"),
                                (_("the whole order"), "all")]),
             FieldSpec("invoice_date", _("Invoice date"), placeholder=_("empty: today"))],
            {"what": "all" if row.status == "open" else "delivered"},
            save=save,
            intro=_("Quantities already invoiced are left out; the due date follows the "
                    "customer's payment term."),
            save_label=_("Invoice"),
            only_changes=False,
        )
        self.app.push_screen(form, self._after_invoice)

    def _after_invoice(self, result: Any) -> None:
        if result is None or result.record is None:
            return
        invoice = result.record
        self.notify(_("Invoice {number} made: {amount}, due {date}.").format(
            number=invoice.number, amount=fmt.money(invoice.amount_incl),
            date=fmt.date_medium(invoice.due_date)), timeout=5)
        self.changed()

    def action_toggle_cancel(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        if row.status == "cancelled":
            self.run_write(_("Reopening the order"),
                           lambda: orders_service.reopen_order(self.actor, row.id, row.version),
                           _("Order {number} reopened.").format(number=row.number))
            return
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_write(_("Cancelling the order"),
                               lambda: orders_service.cancel_order(self.actor, row.id, row.version),
                               _("Order {number} cancelled.").format(number=row.number))

        self.app.push_screen(ConfirmDialog(_("Cancel order {number}?").format(number=row.number),
                                           yes=_("Cancel order"), no=_("Keep"), danger=True),
                             confirmed)


WIDGET = OrdersTab
