"""Snapshots of the customer list at 120×40 and 80×24 on fixed customers.

Update with ``pytest tests/app/test_snapshots_list.py --snapshot-update`` after checking the
new pictures by eye.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from support.app import FIXED_AT, make_team, started, wait_for

from tradium_tui import formatting
from tradium_tui.models import Customer, CustomerGroup, Invoice, Order, User


@pytest.fixture
def listed(database):
    formatting.set_locale("nl_NL")
    team = make_team()
    group = CustomerGroup.create(name="Wholesale", version=1, created_at=FIXED_AT, updated_at=FIXED_AT)
    admin_id = User.get(User.username == "admin").id
    cities = ("Breda", "Tilburg", "Gent", "Lyon", "Utrecht", "Zwolle")
    for i in range(12):
        c = Customer.create(
            number=1000 + i, name=f"Handelshuis {chr(65 + i)} B.V.", visit_city=cities[i % 6],
            visit_country="BE" if i % 6 == 2 else ("FR" if i % 6 == 3 else "NL"),
            region=("Zuid", "Noord", "Oost")[i % 3], account_manager=admin_id if i % 2 else None,
            customer_group=group.id if i % 4 == 0 else None,
            vat_status=("valid", "unchecked", "invalid")[i % 3],
            version=1, created_at=FIXED_AT, updated_at=FIXED_AT,
        )
        if i % 3 == 0:
            Invoice.create(customer=c.id, number=f"F{i}", invoice_date=dt.date(2026, 1, 5),
                           due_date=dt.date(2026, 2, 4), amount_incl=Decimal("1210.50") * (i + 1),
                           customer_number=c.number, customer_name=c.name, version=1,
                           created_at=FIXED_AT, updated_at=FIXED_AT)
        Order.create(customer=c.id, number=f"O{i}", order_date=dt.date(2026, 1, 1 + i),
                     version=1, created_at=FIXED_AT, updated_at=FIXED_AT)
    return team


def _ready():
    async def run_before(pilot) -> None:
        pilot.app.animation_level = "none"
        await started(pilot)
        await pilot.press("c")
        screen = pilot.app.screen
        await wait_for(pilot, lambda: getattr(screen, "load_count", 0) >= 1
                       and screen.state.total is not None)
        await wait_for(pilot, lambda: not any(w.is_running for w in pilot.app.workers))
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def test_customer_list_120x40(new_app, snap_compare, database, listed):
    app = new_app(listed["admin"])
    assert snap_compare(app, terminal_size=(120, 40), run_before=_ready())


def test_customer_list_80x24(new_app, snap_compare, database, listed):
    app = new_app(listed["admin"])
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready())
