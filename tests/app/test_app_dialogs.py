"""Logging a contact moment from anywhere, the conflict dialog, my open actions, the
customer forms (kind first, duplicate guard), and what view-only and hidden tabs show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from support.app import (
    all_panes_mounted,
    create_customer,
    fill_and_save,
    footer_ids,
    form_opened,
    loaded_pane,
    messages,
    open_tab,
    select_row,
    started,
    wait_for,
)
from textual.widgets import DataTable

from tradium_tui.models import Action, Contact, Customer
from tradium_tui.screens.customer_form import CustomerForm, DuplicatesDialog, KindDialog
from tradium_tui.screens.dialogs import LogContactDialog
from tradium_tui.screens.my_actions import MyActionsScreen
from tradium_tui.services import actions, contacts, customers, users
from tradium_tui.services.access import actor_for
from tradium_tui.widgets.modals import ConflictDialog

# --------------------------------------------------------------------------- log contact moment


async def test_log_contact_moment_is_one_key_from_another_tab(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "quotes")
        assert "log_contact" in footer_ids(main)
        await pilot.press("l")
        form = await form_opened(pilot, LogContactDialog)
        assert form.focused.id == "field-subject"  # type straight away
        await fill_and_save(pilot, form, {"subject": "", "follow_up_on": "someday"})
        assert set(messages(form)) == {"subject", "follow_up_on"}
        await fill_and_save(pilot, form, {"subject": "Called about the delivery",
                                          "type": "call", "follow_up_on": "2026-05-04"})
        await wait_for(pilot, lambda: app.screen is main)
        action = Action.get()
        assert action.customer_id == world["customer"].id
        assert action.status == "open" and action.follow_up_on == dt.date(2026, 5, 4)
        assert action.user.username == "admin"
        assert main.active_tab == "quotes"  # still where the user was
        main.show_tab("actions")
        actions_pane = await loaded_pane(pilot, main, "actions")
        await wait_for(pilot, lambda: any(r.id == action.id for r in actions_pane.rows))


async def test_log_contact_is_typed_quickly_with_keys_only(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("l")
        form = await form_opened(pilot, LogContactDialog)
        await wait_for(pilot, lambda: form.focused is not None
                       and form.focused.id == "field-subject")
        await pilot.press(*"Visit planned", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        assert Action.get().subject == "Visit planned"
        assert form.saving is False


# --------------------------------------------------------------------------- conflicts


async def test_conflict_dialog_shows_both_values_and_keeps_what_was_typed(new_app, world, database):
    admin = world["admin"]
    contact = contacts.create_contact(admin, world["customer"].id,
                                      {"name": "Jan", "function": "Buyer"})
    users.add_user(admin, "other", "admin")
    other = actor_for("other")
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "contacts")
        await pilot.press("e")
        form = await form_opened(pilot)
        # Someone else saves the same contact meanwhile.
        contacts.update_contact(other, contact.id, {"function": "Head buyer", "phone": "0201112233"},
                                contact.version)
        await fill_and_save(pilot, form, {"function": "Purchasing manager"})
        dialog = await form_opened(pilot, ConflictDialog)
        table = dialog.query_one(DataTable)
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Function", "Head buyer", "Purchasing manager"] == cells[0][:3]
        assert "other" in cells[0][3]
        assert any(row[0] == "Phone" and row[2] == "(not changed by you)" for row in cells)
        # Back to the form: nothing was saved, nothing typed is lost.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.row("function").value() == "Purchasing manager"
        assert Contact.get_by_id(contact.id).function == "Head buyer"
        # Keep mine: saved over the newer version, the other change (phone) stays.
        await pilot.press("ctrl+s")
        dialog = await form_opened(pilot, ConflictDialog)
        before = pane.load_count
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen is main and pane.load_count > before)
        stored = Contact.get_by_id(contact.id)
        assert stored.function == "Purchasing manager"
        assert stored.phone == "+31 20 111 2233"


async def test_conflict_take_theirs_puts_their_values_in_the_form(new_app, world, database):
    admin = world["admin"]
    contact = contacts.create_contact(admin, world["customer"].id, {"name": "Jan"})
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "contacts")
        await pilot.press("e")
        form = await form_opened(pilot)
        contacts.update_contact(admin, contact.id, {"function": "Owner"}, contact.version)
        await fill_and_save(pilot, form, {"function": "Buyer"})
        await form_opened(pilot, ConflictDialog)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.row("function").value() == "Owner"
        await fill_and_save(pilot, form, {"email": "jan@vdberg.example"})
        await wait_for(pilot, lambda: app.screen is main)
        stored = Contact.get_by_id(contact.id)
        assert (stored.function, stored.email) == ("Owner", "jan@vdberg.example")


async def test_customer_edit_conflict_opens_the_dialog(new_app, world, database):
    admin = world["admin"]
    customer = world["customer"]
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        form = await form_opened(pilot, CustomerForm)
        customers.update_customer(admin, customer.id, {"region": "Zuid"}, customer.version,
                                  check_online=False)
        await fill_and_save(pilot, form, {"region": "West"})
        dialog = await form_opened(pilot, ConflictDialog)
        cells = [str(c) for c in dialog.query_one(DataTable).get_row_at(0)]
        assert cells[:3] == ["Region", "Zuid", "West"]
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen is main and main.view.region == "West")


# --------------------------------------------------------------------------- my open actions


async def test_my_open_actions_across_customers(new_app, world, database):
    admin = world["admin"]
    second = create_customer(admin, kind="company", name="Zeta B.V.", visit_country="NL")
    overdue = actions.create_action(admin, second.id, {"subject": "Overdue call",
                                                       "follow_up_on": "2020-01-01"})
    later = actions.create_action(admin, world["customer"].id, {"subject": "Later visit",
                                                                "follow_up_on": "2099-01-01"})
    actions.create_action(world["sales"], world["customer"].id,
                          {"subject": "Not mine", "follow_up_on": "2020-01-01"})
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("o")
        screen = await form_opened(pilot, MyActionsScreen)
        await wait_for(pilot, lambda: screen.load_count >= 1)
        assert [r.id for r in screen.rows] == [overdue.id, later.id]
        table = screen.query_one(DataTable)
        assert table.get_row_at(0)[3].style  # overdue stands out
        await pilot.press("x")
        await wait_for(pilot, lambda: screen.load_count >= 2)
        assert [r.id for r in screen.rows] == [later.id]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main and main.customer_id == world["customer"].id)


# --------------------------------------------------------------------------- customer forms


async def test_new_company_kind_first_messages_then_saved_and_opened(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+n")
        await form_opened(pilot, KindDialog)
        await pilot.press("b")
        form = await form_opened(pilot, CustomerForm)
        assert form.row("coc_number") is not None and form.row("last_name") is None
        await fill_and_save(pilot, form, {"name": "", "email": "x@", "vat_number": "NL123",
                                          "iban": "NL00XXXX", "credit_limit": "lots"})
        shown = messages(form)
        assert {"name", "email", "iban", "credit_limit"} <= set(shown)
        await fill_and_save(pilot, form, {"name": "Nieuw B.V.", "email": "info@nieuw.example",
                                          "vat_number": "", "iban": "", "credit_limit": "2500",
                                          "visit_city": "Delft"})
        await wait_for(pilot, lambda: app.screen is main and main.view is not None
                       and main.view.name == "Nieuw B.V.")
        stored = Customer.get(Customer.name == "Nieuw B.V.")
        assert stored.kind == "company" and stored.credit_limit == Decimal("2500")


async def test_new_consumer_needs_a_last_name(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+n")
        await form_opened(pilot, KindDialog)
        await pilot.press("c")
        form = await form_opened(pilot, CustomerForm)
        assert form.row("name") is None and form.row("vat_number") is None
        await fill_and_save(pilot, form, {"first_name": "Marie"})
        assert "last_name" in messages(form)
        await fill_and_save(pilot, form, {"last_name": "Dubois", "visit_country": "FR"})
        await wait_for(pilot, lambda: app.screen is main and main.view.name == "Marie Dubois")
        assert main.view.kind == "consumer"


async def test_duplicate_warning_before_saving(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+n", "b")
        form = await form_opened(pilot, CustomerForm)
        await fill_and_save(pilot, form, {"name": "Another name", "vat_number": "NL004495445B01"})
        dialog = await form_opened(pilot, DuplicatesDialog)
        assert "Van der Berg Handel B.V." in dialog.detail
        assert "same VAT number" in dialog.detail
        assert {"duplicates_open", "duplicates_save", "duplicates_back"} <= footer_ids(dialog)
        await pilot.press("n")  # back to the form: not saved
        await wait_for(pilot, lambda: app.screen is form)
        assert Customer.select().count() == 1
        await pilot.press("ctrl+s")
        await form_opened(pilot, DuplicatesDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main and main.view.name == "Another name")
        assert Customer.select().count() == 2


async def test_duplicate_warning_names_each_reason_and_opens_the_candidate(new_app, world, database):
    other = Customer.create(number=4711, name="Zeta Tools B.V.", visit_country="NL",
                            visit_postcode="3511 AA", visit_house_number="7")
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+n", "b")
        form = await form_opened(pilot, CustomerForm)
        await fill_and_save(pilot, form, {"name": "ZETA TOOLS BV"})
        dialog = await form_opened(pilot, DuplicatesDialog)
        assert "Zeta Tools B.V. (4711): same name" in dialog.detail
        table = dialog.query_one("#duplicates-table")
        assert str(table.get_row_at(0)[2]) == "same name"
        await pilot.press("enter")  # open the existing customer instead
        await wait_for(pilot, lambda: app.screen is main and main.customer_id == other.id)
        assert Customer.select().count() == 2


# --------------------------------------------------------------------------- rights in the UI


async def test_sales_sees_no_write_keys_on_view_only_tabs(new_app, world, database):
    users.grant(world["admin"], "sales", "invoices", "hidden")
    sales = actor_for("sales")
    app = new_app(sales)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        # Hidden: no tab, no pane, nothing loaded.
        assert "invoices" not in main.tab_order
        await all_panes_mounted(pilot, main)
        assert not main.query("#pane-invoices")
        # Editable tab: the write keys are in the Footer.
        assert {"contacts_new", "contacts_edit", "contacts_delete"} <= footer_ids(main)
        # View-only tab: content, but no create/edit/delete keys at all.
        main.show_tab("quotes")
        await loaded_pane(pilot, main, "quotes")
        ids = footer_ids(main)
        assert not {"quotes_new", "quotes_edit", "quotes_delete", "quotes_convert"} & ids
        assert "quotes_lines" in ids  # viewing the lines is allowed
        # Base data is not editable for sales; logging a contact moment is.
        assert "edit_customer" not in ids and "new_customer" not in ids
        assert "log_contact" in ids
        await pilot.press("n")
        assert app.screen is main


async def test_view_only_tab_press_does_nothing(new_app, world, database):
    from tradium_tui.services import quotes

    quote = quotes.create_quote(world["admin"], world["customer"].id, {})
    app = new_app(actor_for("sales"))
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "quotes")
        select_row(pane, quote.id)
        for key in ("e", "d", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is main


async def test_conflict_dialog_in_dutch(new_app, world, database):
    """A Dutch user sees the conflict dialog, its columns, field names and keys in Dutch."""
    import dataclasses

    from support.app import settings_for

    admin = world["admin"]
    contact = contacts.create_contact(admin, world["customer"].id,
                                      {"name": "Jan", "function": "Inkoper"})
    users.add_user(admin, "other", "admin")
    app = new_app(admin, settings=dataclasses.replace(settings_for(database), language="nl"))
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane = await open_tab(pilot, "contacts")
        await pilot.press("e")
        form = await form_opened(pilot)
        contacts.update_contact(actor_for("other"), contact.id,
                                {"function": "Hoofdinkoper", "phone": "0201112233"},
                                contact.version)
        await fill_and_save(pilot, form, {"function": "Inkoopmanager"})
        dialog = await form_opened(pilot, ConflictDialog)
        title = str(dialog.query_one(".dialog-title").render())
        assert title == "Door iemand anders gewijzigd"
        table = dialog.query_one(DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[1:3] == ["Hun versie (opgeslagen)", "Uw versie (getypt)"]
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["Functie", "Hoofdinkoper", "Inkoopmanager"] == cells[0][:3]
        assert any(row[2] == "(niet door u gewijzigd)" for row in cells)
        keys = " ".join(str(button.label) for button in dialog.query("Button"))
        assert "Mijn versie" in keys and "Terug naar formulier" in keys
        assert "Keep mine" not in keys
