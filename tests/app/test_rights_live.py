"""A rights change made by an admin reaches a running session within seconds: the tabs,
the keys and the header follow the new rights without a restart."""

from __future__ import annotations

import pytest
from support.app import COMPANY, create_customer, started, wait_for
from textual.widgets import Static, Tab

from tradium_tui.screens.main import MainScreen
from tradium_tui.services import invoices, users
from tradium_tui.services.access import actor_for


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(MainScreen, "RIGHTS_POLL_SECONDS", 0.2)


def tab_labels(main) -> list[str]:
    return [str(tab.label.plain) for tab in main.tabs.query(Tab)]


def credit_text(main) -> str:
    return getattr(main.query_one("#hdr-credit", Static).content, "plain", "")


async def test_a_newly_hidden_tab_leaves_a_running_session(team, new_app, database):
    admin = team["admin"]
    customer = create_customer(admin, **COMPANY)
    invoices.create_invoice(admin, customer.id, {"amount_excl": "100", "invoice_date": "2026-01-05"})
    sales_app = new_app(actor_for("sales"))
    admin_app = new_app(actor_for("admin"))
    async with sales_app.run_test(size=(120, 40)) as sales, \
            admin_app.run_test(size=(120, 40)) as boss:
        sales_main = await started(sales)
        admin_main = await started(boss)
        assert "Invoices" in tab_labels(sales_main)
        assert "Open" in credit_text(sales_main)
        sales_main.show_tab("invoices")
        await wait_for(sales, lambda: sales_main.active_tab == "invoices")

        # The admin (another session on the same database) hides Invoices for sales.
        users.grant(admin_main.actor, "sales", "invoices", "hidden")
        await wait_for(sales, lambda: "Invoices" not in tab_labels(sales_main), timeout=10)
        assert sales_main.actor.level("invoices") == "hidden"
        assert sales_main.active_tab != "invoices" and sales_main.active_tab is not None
        await wait_for(sales, lambda: "Open" not in credit_text(sales_main), timeout=10)
        # The admin's own session is untouched.
        await boss.pause()
        assert "Invoices" in tab_labels(admin_main)

        # Given back (and the base-data right added): the tab and the edit key return.
        assert not sales_main.check_action("edit_customer", ())
        users.grant(admin_main.actor, "sales", "invoices", "view")
        users.set_right(admin_main.actor, "sales", "base-edit", True)
        await wait_for(sales, lambda: "Invoices" in tab_labels(sales_main), timeout=10)
        await wait_for(sales, lambda: bool(sales_main.check_action("edit_customer", ())),
                       timeout=10)
        await wait_for(sales, lambda: "Open" in credit_text(sales_main), timeout=10)


async def test_a_deactivated_user_is_signed_out(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    app = new_app(actor_for("sales"))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        users.deactivate_user(team["admin"], "sales")
        await wait_for(pilot, lambda: app.return_code is not None, timeout=10)
    assert app.return_code == 2
