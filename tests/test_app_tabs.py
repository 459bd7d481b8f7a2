"""Create, edit and delete in every tab, each with a bad input case, through the UI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from app_support import COMPANY, create_customer, make_team, settings_for, started, wait_for
from textual.widgets import DataTable

from tradium_tui.app import make_app
from tradium_tui.models import Action, Condition, Contact, Invoice, Note, Order, Quote
from tradium_tui.services import invoices, orders, quotes
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.lines import LineForm, LinesEditor
from tradium_tui.widgets.modals import ConfirmDialog


@pytest.fixture
def world(database):
    team = make_team()
    customer = create_customer(team["admin"], **COMPANY)
    return {**team, "customer": customer}


async def open_tab(pilot, tab: str):
    main = await started(pilot)
    main.show_tab(tab)
    await wait_for(pilot, lambda: main.pane(tab) is not None and main.pane(tab).load_count >= 1)
    pane = main.pane(tab)
    assert main.active_tab == tab
    pane.query_one(DataTable).focus()
    await pilot.pause()
    return main, pane


async def form_opened(pilot, kind=RecordForm) -> RecordForm:
    """The form is on screen and (a form that loads its data) filled."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    form = pilot.app.screen
    if isinstance(form, RecordForm):
        await wait_for(pilot, lambda: form.opened)  # filled and focused
    return form


async def fill_and_save(pilot, form: RecordForm, values: dict) -> None:
    for name, value in values.items():
        row = form.row(name)
        assert row is not None, name
        row.set_value(value)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not form.saving and not (form.is_attached and form.mounting))


def messages(form: RecordForm) -> dict[str, str]:
    shown = {}
    for row in form.query("FieldRow"):
        if row.spec.kind == "heading":
            continue
        message = row.query(".field-message")  # there only while a message is shown
        if message:
            shown[row.spec.name] = str(message.first().content)
    return shown


async def saved(pilot, pane, before: int) -> None:
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, RecordForm)
                   and pane.load_count > before)


async def delete_selected(pilot, pane) -> None:
    before = pane.load_count
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
    await pilot.press("y")
    await wait_for(pilot, lambda: pane.load_count > before)


def select_row(pane, record_id: int) -> None:
    table = pane.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(record_id)))


async def test_contacts_create_bad_then_good_edit_primary_delete(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "contacts")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"name": "", "email": "no-at-sign"})
        shown = messages(form)
        assert set(shown) == {"name", "email"}
        assert app.screen is form  # nothing typed is lost
        assert form.row("email").value() == "no-at-sign"
        before = pane.load_count
        await fill_and_save(pilot, form, {"name": "Jan de Vries", "email": "jan@vdberg.example",
                                          "function": "Purchasing"})
        await saved(pilot, pane, before)
        contact = Contact.get(Contact.name == "Jan de Vries")
        assert contact.is_primary  # the first contact becomes primary
        assert "Jan de Vries" in str(pane.query_one(DataTable).get_row_at(0))
        # Edit: Enter on the row opens the form with the stored values.
        await pilot.press("enter")
        form = await form_opened(pilot)
        assert form.row("function").value() == "Purchasing"
        before = pane.load_count
        await fill_and_save(pilot, form, {"function": "Head of purchasing"})
        await saved(pilot, pane, before)
        assert Contact.get_by_id(contact.id).function == "Head of purchasing"
        await delete_selected(pilot, pane)
        assert not Contact.select().exists()


async def test_actions_create_bad_then_good_complete_and_delete(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "actions")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"subject": "", "follow_up_on": "31-02-2026"})
        assert set(messages(form)) == {"subject", "follow_up_on"}
        before = pane.load_count
        await fill_and_save(pilot, form, {"subject": "Call back about prices",
                                          "follow_up_on": "2026-04-01", "type": "call"})
        await saved(pilot, pane, before)
        action = Action.get(Action.subject == "Call back about prices")
        assert action.status == "open"
        select_row(pane, action.id)
        before = pane.load_count
        await pilot.press("x")
        await wait_for(pilot, lambda: pane.load_count > before)
        assert Action.get_by_id(action.id).status == "done"
        await pilot.press("e")
        form = await form_opened(pilot)
        before = pane.load_count
        await fill_and_save(pilot, form, {"text": "Asked for 200 units"})
        await saved(pilot, pane, before)
        assert Action.get_by_id(action.id).text == "Asked for 200 units"
        await delete_selected(pilot, pane)
        assert not Action.select().exists()


async def test_notes_create_bad_then_good_pin_edit_delete(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "notes")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"text": "   "})
        assert set(messages(form)) == {"text"}
        before = pane.load_count
        await fill_and_save(pilot, form, {"text": "Prefers e-mail.\nDelivery before noon."})
        await saved(pilot, pane, before)
        note = Note.get()
        assert note.user.username == "admin"
        select_row(pane, note.id)
        before = pane.load_count
        await pilot.press("p")
        await wait_for(pilot, lambda: pane.load_count > before)
        assert Note.get_by_id(note.id).pinned
        await pilot.press("e")
        form = await form_opened(pilot)
        before = pane.load_count
        await fill_and_save(pilot, form, {"text": "Prefers e-mail."})
        await saved(pilot, pane, before)
        assert Note.get_by_id(note.id).text == "Prefers e-mail."
        await delete_selected(pilot, pane)
        assert not Note.select().exists()


async def test_quotes_header_lines_totals_status_and_conversion(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "quotes")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"quote_date": "2026-03-01", "valid_until": "2026-02-01"})
        assert set(messages(form)) == {"valid_until"}
        await fill_and_save(pilot, form, {"valid_until": "2026-03-31", "reference": "Spring"})
        # A new quote opens its lines editor.
        editor = await form_opened(pilot, LinesEditor)
        await pilot.press("n")
        line_form = await form_opened(pilot, LineForm)
        await fill_and_save(pilot, line_form, {"description": "Widget", "quantity": "abc"})
        assert "quantity" in messages(line_form)
        await fill_and_save(pilot, line_form, {"quantity": "3", "unit_price": "19,99",
                                               "discount_percent": "10"})
        await wait_for(pilot, lambda: app.screen is editor)
        totals = str(editor.query_one("#lines-totals").content).replace("\xa0", " ")
        assert "Excl. VAT € 53,97" in totals and "Incl. VAT € 65,30" in totals
        before = pane.load_count
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main and pane.load_count > before)
        quote = Quote.get()
        assert quote.total_excl == Decimal("53.97") and quote.total_incl == Decimal("65.30")
        assert quote.reference == "Spring"
        # Accept it (edit the status), then convert into an order.
        select_row(pane, quote.id)
        await pilot.press("e")
        form = await form_opened(pilot)
        before = pane.load_count
        await fill_and_save(pilot, form, {"status": "accepted"})
        await saved(pilot, pane, before)
        assert Quote.get_by_id(quote.id).status == "accepted"
        before = pane.load_count
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: pane.load_count > before)
        order = Order.get()
        assert order.quote_id == quote.id and order.total_excl == Decimal("53.97")
        assert main.pane("orders").stale  # the orders tab will reload when shown


async def test_quote_delete_and_lines_of_a_final_quote_are_read_only(world, database):
    admin = world["admin"]
    quote = quotes.create_quote(admin, world["customer"].id, {},
                                [{"description": "Thing", "quantity": "1", "unit_price": "5"}])
    quotes.set_quote_status(admin, quote.id, "rejected", quote.version)
    app = make_app(settings=settings_for(database), actor=admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "quotes")
        await pilot.press("i")
        editor = await form_opened(pilot, LinesEditor)
        assert not editor.editable
        assert editor.check_action("add_line", ()) is False
        await pilot.press("escape")
        await delete_selected(pilot, pane)
        assert not Quote.select().exists()


async def test_orders_lines_backorder_deliver_all_and_cancel(world, database):
    admin = world["admin"]
    order = orders.create_order(admin, world["customer"].id, {"reference": "PO 1"},
                                [{"description": "Bolt", "quantity": "100", "unit_price": "0,35"}])
    app = make_app(settings=settings_for(database), actor=admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "orders")
        await pilot.press("i")
        editor = await form_opened(pilot, LinesEditor)
        await pilot.press("e")
        line_form = await form_opened(pilot, LineForm)
        await fill_and_save(pilot, line_form, {"delivered_quantity": "150"})
        assert "delivered_quantity" in messages(line_form)
        await fill_and_save(pilot, line_form, {"delivered_quantity": "40"})
        await wait_for(pilot, lambda: app.screen is editor)
        before = pane.load_count
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main and pane.load_count > before)
        stored = Order.get_by_id(order.id)
        assert stored.status == "partly_delivered"
        assert stored.lines[0].backorder_quantity == Decimal("60")
        before = pane.load_count
        await pilot.press("v")
        await wait_for(pilot, lambda: pane.load_count > before)
        assert Order.get_by_id(order.id).status == "delivered"
        # Header edit with a bad date.
        await pilot.press("e")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"order_date": "yesterday-ish"})
        assert set(messages(form)) == {"order_date"}
        # The typed date is a change: Escape asks first, "y" discards it.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not form)
        assert "Discard changes?" in str(app.screen.query_one(".dialog-title").content)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        await delete_selected(pilot, pane)
        assert not Order.select().exists()


async def test_invoices_create_bad_then_good_payment_and_open_balance(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "invoices")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"amount_excl": "twelve"})
        assert set(messages(form)) == {"amount_excl"}
        before = pane.load_count
        await fill_and_save(pilot, form, {"amount_excl": "1.000,00", "invoice_date": "2026-01-10"})
        await saved(pilot, pane, before)
        invoice = Invoice.get()
        assert invoice.amount_incl == Decimal("1210.00")
        assert "1.210,00" in str(pane.query_one(".tab-summary").content)
        await wait_for(pilot, lambda: main.view.open_balance == Decimal("1210.00"))
        select_row(pane, invoice.id)
        await pilot.press("p")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"amount": "5000"})
        assert set(messages(form)) == {"amount"}
        before = pane.load_count
        await fill_and_save(pilot, form, {"amount": "210", "paid_on": "2026-01-20"})
        await saved(pilot, pane, before)
        assert Invoice.get_by_id(invoice.id).status == "partly_paid"
        await wait_for(pilot, lambda: main.view.open_balance == Decimal("1000.00"))
        await pilot.press("e")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"due_date": "2025-12-31"})
        assert set(messages(form)) == {"due_date"}
        await pilot.press("escape")


async def test_invoice_not_deleted_and_overdue_in_warning_colour(world, database):
    admin = world["admin"]
    invoices.create_invoice(admin, world["customer"].id,
                            {"amount_excl": "100", "invoice_date": "2024-01-01"})
    app = make_app(settings=settings_for(database), actor=admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "invoices")
        row = pane.rows[0]
        assert row.overdue
        status_cell = pane.query_one(DataTable).get_row_at(0)[3]
        assert str(status_cell).startswith("overdue")
        assert status_cell.style  # coloured
        await pilot.press("d")  # no delete key on invoices: nothing happens
        await pilot.pause()
        assert app.screen is main and Invoice.select().count() == 1


async def test_conditions_create_bad_then_good_edit_delete(world, database):
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "conditions")
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"kind": "discount", "discount_percent": "150"})
        shown = messages(form)
        assert "discount_percent" in shown and "article" in shown
        before = pane.load_count
        await fill_and_save(pilot, form, {"discount_percent": "7,5", "article_group": "Bolts"})
        await saved(pilot, pane, before)
        condition = Condition.get()
        assert condition.discount_percent == Decimal("7.50")
        summary = str(pane.query_one(".tab-summary").content)
        assert "Payment term" in summary and "Effective" in summary
        await pilot.press("e")
        form = await form_opened(pilot)
        before = pane.load_count
        await fill_and_save(pilot, form, {"valid_until": "2030-12-31"})
        await saved(pilot, pane, before)
        await delete_selected(pilot, pane)
        assert not Condition.select().exists()


async def test_history_shows_the_changes_newest_first_and_is_read_only(world, database):
    from tradium_tui.services import notes

    notes.create_note(world["admin"], world["customer"].id, {"text": "hello"})
    app = make_app(settings=settings_for(database), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "history")
        assert pane.rows
        assert pane.rows[0].record.startswith("Note")
        assert not {"history_new", "notes_new"} & {
            b.id for _, b, _, _ in main.active_bindings.values() if b.id
        }
        # A change elsewhere makes the history reload when shown again.
        main.show_tab("notes")
        notes_pane = main.pane("notes")
        await wait_for(pilot, lambda: notes_pane.load_count >= 1)
        before = notes_pane.load_count
        await pilot.press("n")
        form = await form_opened(pilot)
        await fill_and_save(pilot, form, {"text": "second"})
        await saved(pilot, notes_pane, before)
        seen = pane.load_count
        main.show_tab("history")
        await wait_for(pilot, lambda: pane.load_count > seen)
        assert any(row.new == "second" for row in pane.rows)
