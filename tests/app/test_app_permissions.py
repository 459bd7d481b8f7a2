"""Roles on the main screen: hidden tabs are absent, tab order is personal and persists,
and reordering keeps the state of open tabs."""

from __future__ import annotations

from support.app import COMPANY, create_customer, started, wait_for
from textual.widgets import Tab

from tradium_tui.models import Contact
from tradium_tui.screens.main import TAB_PREFIX
from tradium_tui.services import contacts, tab_order, users
from tradium_tui.services.access import actor_for


def shown_tabs(main) -> list[str]:
    """Tab ids in the order the tab row shows them."""
    return [tab.id[len(TAB_PREFIX):] for tab in main.tabs.query(Tab) if tab.id]


async def test_sales_does_not_see_hidden_tabs_and_their_data_is_not_loaded(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    users.grant(team["admin"], "sales", "invoices", "hidden")
    users.grant(team["admin"], "sales", "conditions", "hidden")
    sales = actor_for("sales")
    app = new_app(sales)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        tabs = shown_tabs(main)
        assert "invoices" not in tabs and "conditions" not in tabs
        assert tabs[:2] == ["contacts", "actions"]
        assert main.pane("invoices") is None and main.pane("conditions") is None
        # Walking through every tab never brings the hidden ones back.
        for _ in tabs:
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert main.active_tab not in ("invoices", "conditions")

    # The admin still has every tab.
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert {"invoices", "conditions"} <= set(shown_tabs(main))


async def test_admin_reorders_tabs_restarts_and_finds_the_same_order(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    sales_before = tab_order.visible_tabs(actor_for("sales"))
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        before = shown_tabs(main)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TabOrderScreen")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.option_list.option_count == len(before))
        # Move the first tab (Contacts) two places down, then save.
        await pilot.press("shift+down", "shift+down", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is main and shown_tabs(main) != before)
        after = shown_tabs(main)
        assert after == [before[1], before[2], before[0], *before[3:]]
    assert tab_order.visible_tabs(actor_for("admin")) == after

    # A restart shows the same order; the sales user's own order is unaffected.
    app = new_app(actor_for("admin"))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert shown_tabs(main) == after
    assert tab_order.visible_tabs(actor_for("sales")) == sales_before


async def test_reordering_keeps_the_open_tabs_rows_and_cursor(team, new_app, database):
    """Reordering moves only the tab labels: the panes (rows, cursor, scroll) stay as they are.

    This relies on Textual's ``Tabs.add_tab(before=/after=)`` and ``remove_tab``; if Textual
    changes them, this test fails loudly.
    """
    customer = create_customer(team["admin"], **COMPANY)
    for index in range(30):
        contacts.create_contact(team["admin"], customer.id, {"name": f"Person {index:02d}"})
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        pane = main.pane("contacts")
        await wait_for(pilot, lambda: pane.table.row_count == Contact.select().count())
        pane.table.focus()
        pane.table.move_cursor(row=17)
        await pilot.pause()
        cursor, rows = pane.table.cursor_row, pane.table.row_count
        new_order = list(reversed(main.tab_order))
        await main.apply_tab_order(new_order)
        await pilot.pause()
        assert shown_tabs(main) == new_order
        assert main.pane("contacts") is pane  # the same widget, not rebuilt
        assert main.active_tab == "contacts"
        assert (pane.table.cursor_row, pane.table.row_count) == (cursor, rows)
        assert pane.load_count == 1  # not reloaded
