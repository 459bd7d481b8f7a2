"""The customer list screen: filter, sort, saved view, mark all, bulk action, cancel, Esc back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from support.app import footer_ids, started, wait_for

from tradium_tui.models import AuditRecord, Customer, Invoice, Mark, SavedListView, User, utcnow
from tradium_tui.screens.customer_list import BulkDialog, CustomerListScreen, FilterDialog
from tradium_tui.services.customer_list import bulk_actions, saved_views


def seed(n: int = 30) -> None:
    now = utcnow()
    manager = User.get(User.username == "admin").id
    rows = [
        dict(number=5000 + i, name=f"Klant {i:03d}", visit_city=("Breda", "Assen", "Delft")[i % 3],
             visit_country="NL", region="Zuid" if i % 2 == 0 else "Noord",
             account_manager=manager if i % 3 != 2 else None, email=f"k{i}@example.com",
             version=1, created_at=now, updated_at=now)
        for i in range(n)
    ]
    Customer.insert_many(rows).execute()
    for c in Customer.select().where(Customer.number.in_([5000, 5004, 5006])):
        Invoice.create(customer=c.id, number=f"F{c.number}", invoice_date=dt.date(2025, 1, 1),
                       due_date=dt.date(2025, 2, 1), amount_incl=Decimal("10.00"),
                       customer_number=c.number, customer_name=c.name, version=1,
                       created_at=now, updated_at=now)


def table_numbers(screen) -> list[str]:
    table = screen.query_one("#list-table")
    return [str(table.get_row_at(i)[0]).removeprefix("● ") for i in range(table.row_count)]


async def open_list(pilot, app):
    main = await started(pilot)
    assert "customer_list" in footer_ids(main)
    await pilot.press("c")
    screen = app.screen
    assert isinstance(screen, CustomerListScreen)
    await wait_for(pilot, lambda: screen.load_count >= 1 and screen.state.total is not None)
    return main, screen


async def test_filter_sort_view_mark_all_bulk_and_back(team, new_app, database, tmp_path):
    seed()
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main, screen = await open_list(pilot, app)
        assert table_numbers(screen)[:3] == ["5000", "5001", "5002"]
        assert "of 30" in str(screen.query_one("#list-status").render())
        assert {"list_filters", "list_sort", "list_mark_all", "list_bulk"} <= footer_ids(screen)
        # Sort: reverse order.
        count = screen.load_count
        await pilot.press("o")
        await wait_for(pilot, lambda: screen.load_count > count)
        assert table_numbers(screen)[0] == "5029"
        # Filter: my customers in region Zuid with an overdue balance.
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#filter-region").value = "Zuid"
        dialog.query_one("#filter-account_manager").value = "admin"
        dialog.query_one("#filter-overdue").value = "yes"
        dialog.query_one("#filter-mailing_code").value = "abc"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "whole number" in str(
            dialog.query_one("#filter-error-mailing_code").render()))
        dialog.query_one("#filter-mailing_code").value = ""
        count = screen.load_count
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.load_count > count)
        assert table_numbers(screen) == ["5006", "5004", "5000"]
        # Save the view.
        await pilot.press("w")
        app.screen.query_one("#text-value").value = "Zuid overdue"
        await pilot.press("enter")
        await wait_for(pilot, lambda: SavedListView.select().count() == 1)
        assert saved_views.default_view(team["admin"]).query.filters["region"] == "Zuid"
        # Mark all that match.
        count = screen.load_count
        await pilot.press("a")
        await wait_for(pilot, lambda: Mark.select().count() == 3 and screen.load_count > count)
        assert str(screen.query_one("#list-table").get_row_at(0)[0]).startswith("●")
        # Bulk: set mailing code 42 on the marked, with preview, then audit.
        await pilot.press("b")
        bulk = app.screen
        assert isinstance(bulk, BulkDialog)
        bulk.query_one("#bulk-value").value = "42"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "3 of 3 customers will change" in str(
            bulk.query_one("#bulk-preview").render()))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen or not bulk.running and bulk.plan is None)
        assert app.screen is screen, str(bulk.query_one("#bulk-preview").render())
        assert Customer.select().where(Customer.mailing_code == 42).count() == 3
        assert AuditRecord.select().where(AuditRecord.field == "mailing_code").count() == 3
        # Export the mailing of the marked.
        target = tmp_path / "mailing.csv"
        await pilot.press("b")
        bulk = app.screen
        bulk.query_one("#bulk-action").value = "export_mailing"
        bulk.query_one("#bulk-value").value = str(target)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bulk.plan is not None)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and target.exists())
        assert "k6@example.com" in target.read_text(encoding="utf-8")
        # Enter opens the customer; Esc comes back to the same list.
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is main and main.customer_id is not None)
        assert Customer.get_by_id(main.customer_id).number == 5004
        assert "back_to_list" in footer_ids(main)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerListScreen))
        again = app.screen
        assert table_numbers(again) == ["5006", "5004", "5000"]
        assert again.query_one("#list-table").cursor_row == 1


async def test_a_long_bulk_action_can_be_cancelled(team, new_app, database, monkeypatch):
    seed(1200)
    monkeypatch.setattr(bulk_actions, "BATCH", 100)
    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        _, screen = await open_list(pilot, app)
        await pilot.press("b")
        bulk = app.screen
        bulk.query_one("#bulk-target").value = "filtered"
        bulk.query_one("#bulk-action").value = "region"
        bulk.query_one("#bulk-value").value = "Oost"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bulk.plan is not None)
        assert bulk.plan.changing == 1200
        seen = []
        real = bulk_actions.apply

        def slow_apply(*args, progress=None, **kw):
            def tick(done, total):
                seen.append(done)
                progress(done, total)
                if done >= 300:
                    bulk.cancel_requested = True  # the user presses Esc mid-way
            return real(*args, progress=tick, **kw)

        monkeypatch.setattr(bulk_actions, "apply", slow_apply)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not bulk.running and seen)
        assert "nothing was changed" in str(bulk.query_one("#bulk-preview").render())
        assert Customer.select().where(Customer.region == "Oost").count() == 0
        assert AuditRecord.select().where(AuditRecord.field == "region").count() == 0
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_sales_sees_no_money_and_no_base_bulk(team, new_app, database):
    seed(5)
    from tradium_tui.services import users

    users.grant(team["admin"], "sales", "invoices", "hidden")
    from tradium_tui.services.access import actor_for

    app = new_app(actor_for("sales"))
    async with app.run_test(size=(120, 40)) as pilot:
        _, screen = await open_list(pilot, app)
        labels = [str(c.label) for c in screen.query_one("#list-table").columns.values()]
        assert "Open balance" not in labels and "City" in labels
        await pilot.press("b")
        bulk = app.screen
        bulk.query_one("#bulk-value").value = "3"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: "may not change" in str(bulk.query_one("#bulk-preview").render())
                       or bool(app._notifications))
        assert bulk.plan is None
