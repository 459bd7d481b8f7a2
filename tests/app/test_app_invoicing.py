"""Invoicing in the app: from the orders tab (what was delivered), double invoicing refused
with a message, no delete key on invoices, crediting asks first, the credit-limit warning."""

from __future__ import annotations

from decimal import Decimal

from support.app import (
    footer_ids,
    form_opened,
    messages,
    open_tab,
    select_row,
    settings_for,
    wait_for,
)

from tradium_tui import formatting as fmt
from tradium_tui.app import make_app
from tradium_tui.models import AuditRecord, Customer, Invoice, Order
from tradium_tui.services import invoicing, orders
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.lines import LinesEditor
from tradium_tui.widgets.modals import ConfirmDialog


def _order(world, delivered: str = "4"):
    return orders.create_order(world["admin"], world["customer"].id, {"reference": "PO 9"}, [
        {"article": "BOLT", "description": "Bolt", "quantity": "10",
         "delivered_quantity": delivered, "unit_price": "10", "vat_rate": "9"},
    ])


async def test_invoice_delivered_from_orders_tab_then_refused_twice(new_app, world, database):
    order = _order(world)
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "orders")
        assert "orders_invoice" in footer_ids(app.screen)
        await pilot.press("t")
        form = await form_opened(pilot)
        assert form.row("what").value() == "delivered"  # a partly delivered order
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        invoice = Invoice.get()
        assert invoice.order_id == order.id and invoice.amount_excl == Decimal("40.00")
        await wait_for(pilot, lambda: Invoice.select().count() == 1)
        # Again: refused, the message names the invoice; nothing stored.
        await wait_for(pilot, lambda: pane.load_count >= 2)
        await wait_for(pilot, lambda: "line 1: 4 of 10" in str(
            pane.query_one(".tab-detail-body").content))
        await pilot.press("t")
        form = await form_opened(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not form.saving and "what" in messages(form))
        text = messages(form)["what"]
        assert f"Everything delivered on order {order.number} is invoiced already: " \
               f"{invoice.number} covers it." in text
        assert app.screen is form and Invoice.select().count() == 1
        await pilot.press("escape")


async def test_invoices_offer_credit_not_delete_and_credit_asks(new_app, world, database):
    order = _order(world, delivered="10")
    invoice = invoicing.invoice_order(world["admin"], order.id)
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "invoices")
        keys = footer_ids(app.screen)
        assert "invoices_credit" in keys
        assert not any("delete" in key for key in keys if key.startswith("invoices"))
        assert "invoices_delete" not in keys
        await wait_for(pilot, lambda: "VAT 9 %" in str(pane.query_one(".tab-detail-body").content))
        detail = str(pane.query_one(".tab-detail-body").content)
        assert "Payment term" in detail and "30 days" in detail and "BOLT" in detail
        assert f"{fmt.money(Decimal('9'))} on {fmt.money(Decimal('100'))}" in detail
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Credit invoice" in app.screen.question
        await pilot.press("n")  # keep it
        await wait_for(pilot, lambda: app.screen is main)
        assert Invoice.select().count() == 1
        before = pane.load_count
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: pane.load_count > before and len(pane.rows) == 2)
        credit = Invoice.get(Invoice.credited_invoice == invoice.id)
        assert credit.amount_incl == -invoice.amount_incl
        select_row(pane, invoice.id)
        await pilot.pause()
        assert pane.check_action("credit", ()) is None  # credited: shown greyed out
        select_row(pane, credit.id)
        await pilot.pause()
        assert pane.check_action("credit", ()) is None
        assert str(pane.query_one("DataTable").get_row(str(credit.id))[3]) == "credit note"


async def test_credit_limit_warns_and_base_editor_saves_anyway(new_app, world, database):
    Customer.update(credit_limit=Decimal("100")).where(Customer.id == world["customer"].id).execute()
    order = orders.create_order(world["admin"], world["customer"].id, {})
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "orders")
        await pilot.press("i")
        editor = await form_opened(pilot, LinesEditor)
        editor.lines.append({"description": "Big", "quantity": "1", "unit_price": "500",
                             "vat_rate": "0"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "credit limit" in app.screen.question
        assert "500,00" in app.screen.detail and "100,00" in app.screen.detail
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        assert Order.get_by_id(order.id).total_excl == Decimal("500.00")
        assert AuditRecord.select().where(AuditRecord.field == "credit_limit_override").exists()
        assert not isinstance(app.screen, RecordForm)


async def test_converting_a_quote_over_the_credit_limit_warns_with_the_figures(world, database):
    from tradium_tui.models import Quote
    from tradium_tui.services import quotes

    Customer.update(credit_limit=Decimal("100")).where(Customer.id == world["customer"].id).execute()
    quote = quotes.create_quote(world["admin"], world["customer"].id, {}, [
        {"description": "Big", "quantity": "1", "unit_price": "500", "vat_rate": "0"}])
    quotes.set_quote_status(world["admin"], quote.id, "accepted", quote.version)
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "quotes")
        assert "quotes_convert" in footer_ids(app.screen)
        for answer in ("n", "y"):
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog)
                           and "Convert quote" in app.screen.question)
            await pilot.press("y")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog)
                           and "credit limit" in app.screen.question)
            detail = app.screen.detail
            assert "500,00" in detail and "100,00" in detail and "400,00" in detail
            assert "Converting anyway is noted in the history." in detail
            await pilot.press(answer)
            await wait_for(pilot, lambda: app.screen is main)
            if answer == "n":
                await pilot.pause()
                assert Order.select().count() == 0
        await wait_for(pilot, lambda: Order.select().count() == 1)
        order = Order.get()
        assert order.quote_id == quote.id and order.total_excl == Decimal("500.00")
        assert AuditRecord.select().where((AuditRecord.record_id == order.id)
                                          & (AuditRecord.field == "credit_limit_override")).exists()
        assert Quote.get_by_id(quote.id).status == "accepted"


async def test_document_forms_show_dates_as_the_lists_do(world, database):
    """Editing an order shows its date as dd-mm-yyyy (as the list), and it saves back."""
    import datetime as dt

    order = orders.create_order(world["admin"], world["customer"].id,
                                {"order_date": "2026-03-02", "reference": "PO 1"})
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "orders")
        await pilot.press("e")
        form = await form_opened(pilot)
        assert form.row("order_date").value() == "02-03-2026"
        form.row("reference").set_value("PO 2")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        await wait_for(pilot, lambda: Order.get_by_id(order.id).reference == "PO 2")
    assert Order.get_by_id(order.id).order_date == dt.date(2026, 3, 2)
