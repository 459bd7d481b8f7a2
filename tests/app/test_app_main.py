"""The main screen: start-up, the customer header, the status bar, switching tabs."""

from __future__ import annotations

from support.app import (
    COMPANY,
    create_customer,
    footer_ids,
    loaded_pane,
    record_notifications,
    started,
    wait_for,
)
from textual.content import Content
from textual.widgets import Static

from tradium_tui.models import Customer
from tradium_tui.services import custom_fields
from tradium_tui.services.search import recent
from tradium_tui.services.search.customers import search_customers
from tradium_tui.widgets.header import CustomerHeader
from tradium_tui.widgets.modals import ConfirmDialog
from tradium_tui.widgets.status_bar import StatusBar


def header_texts(main) -> dict[str, str]:
    header = main.query_one(CustomerHeader)
    return {
        widget.id: plain(widget.content) for widget in header.query(Static) if widget.id
    }


def plain(content) -> str:
    """Text as shown, with babel's no-break spaces as plain spaces."""
    text = content.plain if isinstance(content, Content) else str(content)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def header_text(main) -> str:
    return "\n".join(header_texts(main).values())


def span_style(content: Content, text: str) -> str:
    """The style of the span that covers ``text`` in ``content``."""
    start = plain(content).index(text)
    end = start + len(text)
    styles = [str(span.style) for span in content.spans if span.start <= start and span.end >= end]
    return " ".join(styles)


async def open_and_wait(pilot, main, customer_id: int) -> None:
    main.open_customer(customer_id)
    await wait_for(pilot, lambda: main.view is not None and main.view.id == customer_id)


async def test_start_opens_lowest_number_with_header_tabs_and_status(team, new_app, database):
    admin = team["admin"]
    custom_fields.define(admin, 1, "Delivery day", "text")
    first = create_customer(admin, **COMPANY, custom_1="Monday", account_manager="admin")
    create_customer(admin, kind="consumer", first_name="Marie", last_name="Dubois",
                    visit_country="FR", visit_city="Paris", visit_postcode="75001")
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == first.id
        text = header_text(main)
        for expected in (
            f"Van der Berg Handel B.V. ({first.number})", "Keizersgracht 12", "1015 CX Amsterdam",
            "Postal", "Postbus 1234", "🇳🇱", " EU ", "Mon–Fri 8:30–17:00", "info@vdberg.example",
            "+31 20 123 4567", "Fax", "CoC 12345678", "NL004495445B01", "NL91ABNA0417164300",
            "ABNANL2A", "Open € 0,00", "Limit € 10.000,00", "Mailing 7", "Region Noord",
            "Manager admin", "Delivery day: Monday", "www.vdberg.example",
        ):
            assert expected in text, expected
        status = plain(main.query_one(StatusBar).content)
        assert "Changed " in status and "Condition group" in status
        assert "Rank #1 of 2" in status
        # The tabs the admin may see, in the default order, the first one loaded.
        assert main.tab_order[:3] == ["contacts", "actions", "quotes"]
        assert main.active_tab == "contacts"
        assert main.pane("contacts").load_count == 1
        # Tabs not shown yet have not loaded anything (lazy).
        await wait_for(pilot, lambda: main.pane("history") is not None)
        assert main.pane("history").load_count == 0
        assert main.pane("history").rows == []


async def test_start_opens_the_last_opened_customer(team, new_app, database):
    admin = team["admin"]
    create_customer(admin, **COMPANY)
    second = create_customer(admin, kind="company", name="Zeta B.V.", visit_country="NL")
    recent.record_opened(admin.user.id, second.id)
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == second.id
        assert "Zeta B.V." in header_text(main)


async def test_empty_database_starts_without_a_customer(team, new_app, database):
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.view is None
        assert "No customer open" in header_text(main)
        # Writing actions need a customer: shown greyed, not usable.
        await pilot.press("l")
        assert app.screen is main


async def test_eu_flag_only_for_eu_countries(team, new_app, database):
    admin = team["admin"]
    nl = create_customer(admin, **COMPANY)
    swiss = create_customer(admin, kind="company", name="Swiss Tools AG", visit_country="CH",
                            visit_city="Zürich", visit_postcode="8001")
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == nl.id
        title = header_texts(main)["hdr-title"]
        assert "🇳🇱" in title and " EU " in title
        await open_and_wait(pilot, main, swiss.id)
        title = header_texts(main)["hdr-title"]
        assert "🇨🇭" in title and "CH" in title
        assert " EU " not in title


async def test_vat_number_colour_follows_its_status(team, new_app, database):
    admin = team["admin"]
    valid = create_customer(admin, **COMPANY)
    invalid = create_customer(admin, kind="company", name="Wrong VAT B.V.", visit_country="NL",
                              vat_number="NL123")
    missing = create_customer(admin, kind="company", name="Bruxelles SA", visit_country="BE",
                              visit_city="Brussel", visit_postcode="1000")
    unchecked = create_customer(admin, kind="company", name="Acme Inc.", visit_country="US",
                                vat_number="12-3456789")
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        header = main.query_one(CustomerHeader)

        def fiscal() -> Content:
            return header.query_one("#hdr-fiscal", Static).content

        assert "text-success" in span_style(fiscal(), "NL004495445B01")
        await open_and_wait(pilot, main, invalid.id)
        assert "text-error" in span_style(fiscal(), "NL123")
        await open_and_wait(pilot, main, missing.id)
        assert main.view.vat_required
        assert "text-error" in span_style(fiscal(), "missing")
        await open_and_wait(pilot, main, unchecked.id)
        style = span_style(fiscal(), "123456789")
        assert "text-success" not in style and "text-error" not in style
        assert valid.id != unchecked.id


async def test_open_balance_above_limit_is_in_warning_colour(team, new_app, database):
    from tradium_tui.services import invoices

    admin = team["admin"]
    customer = create_customer(admin, **{**COMPANY, "credit_limit": "100"})
    invoices.create_invoice(admin, customer.id, {"amount_excl": "500", "invoice_date": "2026-01-05"})
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.view.over_limit
        credit = main.query_one("#hdr-credit", Static).content
        assert "Open € 605,00" in plain(credit)
        assert "text-warning" in span_style(credit, "€ 605,00")


async def test_switching_tabs_keeps_the_header_and_loads_each_tab_once(team, new_app, database):
    admin = team["admin"]
    create_customer(admin, **COMPANY)
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        before = header_text(main)
        await pilot.press("right_square_bracket")
        actions = await loaded_pane(pilot, main, "actions")
        assert main.active_tab == "actions"
        assert header_text(main) == before
        assert main.query_one(CustomerHeader).display
        await pilot.press("left_square_bracket")
        assert main.active_tab == "contacts"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert actions.load_count == 1  # not loaded again: nothing changed
        main.show_tab("notes")
        await loaded_pane(pilot, main, "notes")
        assert header_text(main) == before


async def test_header_condenses_at_80x24(team, new_app, database):
    admin = team["admin"]
    create_customer(admin, **COMPANY)
    app = new_app(admin)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(pilot)
        header = main.query_one(CustomerHeader)
        assert header.compact
        assert header.outer_size.height <= 4
        texts = header_texts(main)
        assert "NL004495445B01" in texts["hdr-contact"] and "Open" in texts["hdr-contact"]
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert not main.query_one(CustomerHeader).compact


async def test_mark_toggle_address_and_bank_dialogs(team, new_app, database):
    from tradium_tui.screens.dialogs import AddressDialog, BankDialog

    admin = team["admin"]
    customer = create_customer(admin, **COMPANY)
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert not main.view.marked
        await pilot.press("m")
        await wait_for(pilot, lambda: main.view.marked)
        assert "★ marked" in header_texts(main)["hdr-title"]
        await pilot.press("m")
        await wait_for(pilot, lambda: not main.view.marked)
        await pilot.press("a")
        assert isinstance(app.screen, AddressDialog)
        body = plain(app.screen.query_one("#info-body", Static).content)
        assert "Keizersgracht 12" in body and "Postbus 1234" in body
        await pilot.press("escape")
        await pilot.press("b")
        assert isinstance(app.screen, BankDialog)
        body = plain(app.screen.query_one("#info-body", Static).content)
        assert "NL91ABNA0417164300" in body and "ABNANL2A" in body
        await pilot.press("escape")
        assert app.screen is main
        assert customer.id == main.customer_id


async def test_clicking_address_and_bank_in_the_header_opens_the_dialogs(team, new_app, database):
    from tradium_tui.screens.dialogs import AddressDialog, BankDialog

    create_customer(team["admin"], **COMPANY)
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.click("#hdr-address", offset=(2, 0))
        assert isinstance(app.screen, AddressDialog)
        await pilot.press("escape")
        fiscal = main.query_one("#hdr-fiscal", Static)
        column = fiscal.content.plain.index("Bank")
        await pilot.click("#hdr-fiscal", offset=(column + 1, 0))
        assert isinstance(app.screen, BankDialog)


async def test_database_error_becomes_a_notification(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    app = new_app(team["admin"])
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        main.open_customer(999_999)  # no such customer: the service raises NotFound
        await wait_for(pilot, lambda: any("999999" in note for note in notes))
        assert app.screen is main
        assert main.view is not None  # the open customer stays


def label_order(main) -> list[str]:
    from textual.widgets import Tab

    return [tab.id.removeprefix("tab-") for tab in main.tabs.query(Tab)]


async def test_reordering_tabs_keeps_the_panes_and_their_state(team, new_app, database):
    from tradium_tui.services import contacts

    admin = team["admin"]
    customer = create_customer(admin, **COMPANY)
    for name in ("Anna", "Bert", "Cees"):
        contacts.create_contact(admin, customer.id, {"name": name})
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await wait_for(pilot, lambda: len(main.panes()) == len(main.tab_order))
        pane = main.pane("contacts")
        table = pane.query_one("DataTable")
        table.move_cursor(row=2)
        await pilot.pause()
        selected = pane.selected.name
        loads = pane.load_count
        new_order = ["notes", "actions", "contacts"] + [
            t for t in main.tab_order if t not in ("notes", "actions", "contacts")
        ]
        await main.apply_tab_order(new_order)
        await pilot.pause()
        assert main.tab_order == new_order
        assert label_order(main) == new_order  # the labels moved (public Tabs API only)
        assert main.pane("contacts") is pane  # the same pane: nothing re-mounted
        assert main.active_tab == "contacts"
        assert pane.load_count == loads and pane.selected.name == selected
        # Leaving a tab out removes it; bringing it back mounts a fresh pane.
        await main.apply_tab_order([t for t in new_order if t != "notes"])
        assert "notes" not in label_order(main) and main.pane("notes") is None
        await main.apply_tab_order(new_order)
        await wait_for(pilot, lambda: main.pane("notes") is not None)
        assert label_order(main) == new_order


async def test_tab_order_dialog_is_one_key_away_and_applies_the_order(team, new_app, database):
    from tradium_tui.screens.tab_order import TabOrderScreen

    create_customer(team["admin"], **COMPANY)
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        before = list(main.tab_order)
        await pilot.press("ctrl+t")
        dialog = app.screen
        assert isinstance(dialog, TabOrderScreen)
        await wait_for(pilot, lambda: dialog.order == before)
        await pilot.press("d")  # the first tab one place down
        await pilot.press("s")
        expected = [before[1], before[0], *before[2:]]
        await wait_for(pilot, lambda: main.tab_order == expected)
        assert label_order(main) == expected
    # The order survives a restart.
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.tab_order == expected
        assert label_order(main) == expected


async def test_clicking_the_gear_marker_opens_the_tab_order_dialog(team, new_app, database):
    from tradium_tui.screens.tab_order import TabOrderScreen

    create_customer(team["admin"], **COMPANY)
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        marker = main.query_one("#tab-order-marker")
        last_label = list(main.tabs.query("Tab"))[-1]
        assert marker.region.x >= last_label.region.right  # right of the last tab
        await pilot.click("#tab-order-marker")
        assert isinstance(app.screen, TabOrderScreen)


async def test_delete_a_customer_and_undo_it(team, new_app, database):
    """ctrl+d asks first, deletes, opens the next customer; ctrl+z brings it back."""
    admin = team["admin"]
    first = create_customer(admin, **COMPANY)
    second = create_customer(admin, kind="company", name="Zeta Techniek B.V.", visit_country="NL")
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == first.id
        assert "delete_customer" in footer_ids(main) and "restore_customer" not in footer_ids(main)
        # Asked first; "no" changes nothing.
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Van der Berg Handel B.V." in app.screen.question
        await pilot.press("n")
        assert app.screen is main
        assert Customer.get_by_id(first.id).deleted_at is None
        # Yes: deleted, out of search, the next customer is shown.
        await pilot.press("ctrl+d")
        await pilot.press("y")
        await wait_for(pilot, lambda: main.customer_id == second.id)
        assert Customer.get_by_id(first.id).deleted_at is not None
        assert search_customers("Van der Berg") == []
        assert "Zeta Techniek B.V." in header_text(main)
        assert "restore_customer" in footer_ids(main)
        # Undo: restored and open again.
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: main.customer_id == first.id)
        assert Customer.get_by_id(first.id).deleted_at is None
        assert [h.id for h in search_customers("Van der Berg")] == [first.id]
        assert "restore_customer" not in footer_ids(main)


async def test_deleting_the_only_customer_leaves_an_empty_screen(team, new_app, database):
    admin = team["admin"]
    only = create_customer(admin, **COMPANY)
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+d", "y")
        await wait_for(pilot, lambda: main.view is None)
        assert "No customer open" in header_text(main)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: main.customer_id == only.id)


async def test_a_user_without_base_rights_cannot_delete(team, new_app, database):
    customer = create_customer(team["admin"], **COMPANY)
    sales = team["sales"]
    assert not sales.role.can_edit_base
    app = new_app(sales)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert "delete_customer" not in footer_ids(main)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.screen is main
        assert Customer.get_by_id(customer.id).deleted_at is None


def second_admin(admin):
    from tradium_tui.services import users
    from tradium_tui.services.access import actor_for

    users.add_user(admin, "anna", "admin", "Anna")
    return actor_for("anna")


async def test_restore_a_customer_from_the_list_of_deleted_customers(team, new_app, database):
    """ctrl+u lists the deleted (newest first, with who deleted them); r restores and opens."""
    from tradium_tui.screens.deleted import DeletedCustomersScreen
    from tradium_tui.services import customers

    admin = team["admin"]
    shown = create_customer(admin, **COMPANY)
    older = create_customer(admin, kind="company", name="Oud Gereedschap B.V.", visit_country="NL",
                            visit_city="Delft")
    newer = create_customer(admin, kind="company", name="Nieuw Licht B.V.", visit_country="NL")
    customers.delete_customer(admin, older.id, older.version)
    customers.delete_customer(second_admin(admin), newer.id, newer.version)
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == shown.id and "deleted_customers" in footer_ids(main)
        await pilot.press("ctrl+u")
        assert isinstance(app.screen, DeletedCustomersScreen)
        screen = app.screen
        await wait_for(pilot, lambda: screen.load_count == 1)
        table = screen.query_one("#deleted-table")
        cells = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1] for row in cells] == ["Nieuw Licht B.V.", "Oud Gereedschap B.V."]
        assert cells[0][4] == "anna" and cells[1][2] == "Delft"
        assert "2 deleted customers" in str(screen.query_one("#deleted-status").render())
        # The second one: restored, the list closes and the main screen opens it.
        await pilot.press("down", "r")
        await wait_for(pilot, lambda: main.customer_id == older.id)
        assert app.screen is main
        assert Customer.get_by_id(older.id).deleted_at is None
        assert Customer.get_by_id(newer.id).deleted_at is not None
        assert [h.id for h in search_customers("Oud Gereedschap")] == [older.id]
        assert "Oud Gereedschap B.V." in header_text(main)


async def test_someone_restoring_first_gives_a_message_and_a_fresh_list(team, new_app, database):
    from tradium_tui.screens.deleted import DeletedCustomersScreen
    from tradium_tui.services import customers

    admin = team["admin"]
    create_customer(admin, **COMPANY)
    gone = create_customer(admin, kind="company", name="Oud Gereedschap B.V.", visit_country="NL")
    gone = customers.delete_customer(admin, gone.id, gone.version)
    app = new_app(admin)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+u")
        screen = app.screen
        assert isinstance(screen, DeletedCustomersScreen)
        await wait_for(pilot, lambda: screen.load_count == 1)
        customers.restore_customer(second_admin(admin), gone.id, gone.version)  # meanwhile
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.load_count == 2)
        assert app.screen is screen
        assert any("Oud Gereedschap B.V. (1002) is not deleted" in n for n in notes), notes
        assert "No deleted customers." in str(screen.query_one("#deleted-status").render())


async def test_the_list_of_deleted_customers_needs_the_base_data_right(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    app = new_app(team["sales"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert "deleted_customers" not in footer_ids(main)
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app.screen is main
