"""What a tab hides, the header hides: the figures of the header and the status bar that
come from a tab's records are left out for a role that cannot see that tab."""

from __future__ import annotations

import pytest
from support.app import COMPANY, create_customer, started
from textual.widgets import Static

from tradium_tui.services import customer_view, invoices, users
from tradium_tui.services.access import TABS, actor_for
from tradium_tui.widgets.status_bar import StatusBar


def plain(content) -> str:
    return getattr(content, "plain", str(content)).replace("\xa0", " ")


@pytest.fixture
def shop(team, database):
    admin = team["admin"]
    customer = create_customer(admin, **{**COMPANY, "credit_limit": "100"})
    invoices.create_invoice(admin, customer.id, {"amount_excl": "500", "invoice_date": "2026-01-05"})
    users.add_user(admin, "manny", "account_manager")
    return {"admin": admin, "customer": customer}


def role_hiding(admin, name: str, *tabs: str) -> str:
    users.add_role(admin, name, like="sales")
    for tab in tabs:
        users.grant(admin, name, tab, "hidden")
    users.add_user(admin, f"{name}_user", name)
    return f"{name}_user"


@pytest.mark.parametrize("login", ["admin", "manny", "sales"])
def test_roles_that_see_every_tab_see_every_figure(shop, login):
    actor = actor_for(login)
    assert all(actor.can(tab) for tab in TABS)
    view = customer_view.load_customer_view(shop["customer"].id, actor.user.id, actor=actor)
    assert view.hidden == frozenset()
    assert str(view.open_balance) == "605.00" and view.over_limit
    assert view.rank == 1 and view.last_change is not None


@pytest.mark.parametrize(("tabs", "gone"), [
    (("invoices",), {"open_balance", "over_limit", "advisory_credit", "rank"}),
    (("analysis",), {"rank"}),
    (("conditions",), {"condition_group", "group_discount"}),
    (("history",), {"last_change"}),
    (("invoices", "history"), {"open_balance", "over_limit", "advisory_credit", "rank",
                               "last_change"}),
])
def test_a_hidden_tab_hides_its_figures(shop, tabs, gone):
    login = role_hiding(shop["admin"], "limited", *tabs)
    actor = actor_for(login)
    view = customer_view.load_customer_view(shop["customer"].id, actor.user.id, actor=actor)
    assert view.hidden == gone
    if "open_balance" in gone:
        assert view.open_balance is None and not view.over_limit and view.advisory_credit is None
    else:
        assert str(view.open_balance) == "605.00"
    assert (view.rank is None) == ("rank" in gone)
    assert (view.last_change is None) == ("last_change" in gone)
    # Without an actor (the services' own use) nothing is left out.
    assert customer_view.load_customer_view(shop["customer"].id, None).hidden == frozenset()


async def test_the_header_of_a_role_without_invoices_shows_no_balance(new_app, shop, database):
    login = role_hiding(shop["admin"], "desk", "invoices")
    for who, shown in ((login, False), ("sales", True)):
        app = new_app(actor_for(who))
        async with app.run_test(size=(120, 40)) as pilot:
            main = await started(pilot)
            credit = plain(main.query_one("#hdr-credit", Static).content)
            status = plain(main.query_one(StatusBar).content)
            assert "Limit € 100,00" in credit
            assert ("Open" in credit) is shown, credit
            assert ("605" in credit + status) is shown
            assert ("Rank" in status) is shown, status
            assert "Changed" in status
