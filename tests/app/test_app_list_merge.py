"""Merging from the customer list (the marked customers) and from the duplicate warning;
undo of such a merge with U; what a role without the base-data right sees."""

from __future__ import annotations

from support.app import (
    COMPANY,
    create_customer,
    footer_ids,
    make_team,
    record_notifications,
    settings_for,
    started,
    wait_for,
)
from textual.widgets import DataTable

from tradium_tui.app import make_app
from tradium_tui.models import AuditRecord, Contact, Customer, CustomerAlias, Mark, Order
from tradium_tui.screens.customer_form import CustomerForm, DuplicatesDialog
from tradium_tui.screens.customer_list.choice import ChoiceDialog
from tradium_tui.screens.customer_list.screen import CustomerListScreen
from tradium_tui.screens.merge import MergeDialog
from tradium_tui.services import contacts, customers
from tradium_tui.services import orders as order_service
from tradium_tui.widgets.modals import ConfirmDialog


def _numbers(screen: CustomerListScreen) -> list[int]:
    return [row.id for row in screen.state.rows]


def _enabled(screen, binding_id: str) -> bool | None:
    for _key, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.id == binding_id:
            return enabled
    return None


async def _open_list(pilot, app) -> tuple:
    main = await started(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CustomerListScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.load_count >= 1 and screen.state.total is not None)
    return main, screen


async def _cursor_to(pilot, screen: CustomerListScreen, customer_id: int) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=_numbers(screen).index(customer_id))
    await pilot.pause()
    assert screen.selected.id == customer_id


def _family(admin):
    """Three customers that are one, each with an order and a contact, and an unrelated one."""
    keep = create_customer(admin, **COMPANY)
    other = create_customer(admin, kind="company", name="Berg Handel", visit_city="Haarlem",
                            email="sales@vdberg.example", mobile="06 12345678")
    third = create_customer(admin, kind="company", name="VDB Handel", visit_city="Utrecht",
                            website="https://vdb.example", email="vdb@vdberg.example")
    unrelated = create_customer(admin, kind="company", name="Zeta Tools", visit_city="Delft")
    for customer, name in ((keep, "Kees"), (other, "Ria"), (third, "Piet")):
        order_service.create_order(admin, customer.id, {"order_date": "2026-01-02"})
        contacts.create_contact(admin, customer.id, {"name": name})
    return keep, other, third, unrelated


async def test_merge_two_marked_customers_from_the_list_and_undo(database):
    team = make_team()
    admin = team["admin"]
    keep, other, _third, _unrelated = _family(admin)
    customers.mark(admin, keep.id)
    customers.mark(admin, other.id)
    app = make_app(settings=settings_for(database), actor=admin)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main, screen = await _open_list(pilot, app)
        assert "list_merge" in footer_ids(screen) and _enabled(screen, "list_merge")
        assert "2 marked by you" in str(screen.query_one("#list-status").render())
        await _cursor_to(pilot, screen, keep.id)
        await pilot.press("M")
        # The customer under the cursor survives; the other marked one is merged into it.
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog) and app.screen.load_count)
        dialog = app.screen
        assert (dialog.keep_id, dialog.other_ids) == (keep.id, [other.id])
        table = dialog.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][1:] == [
            f"{keep.number} survives", f"{other.number} merged away"]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and other.id not in _numbers(screen))
        await wait_for(pilot, lambda: "1 marked by you" in str(
            screen.query_one("#list-status").render()))
        # The cursor stays on the survivor; the merged-away row is gone.
        assert screen.selected.id == keep.id
        assert any(f"{other.name} ({other.number}) merged into {keep.name}" in n for n in seen)
        # What is stored: everything of the other is the survivor's; the old number an alias.
        assert Order.select().where(Order.customer == keep.id).count() == 2
        assert {c.name for c in Contact.select().where(Contact.customer == keep.id)} == {"Kees", "Ria"}
        assert Customer.get_by_id(other.id).deleted_at is not None
        assert CustomerAlias.get(CustomerAlias.number == other.number).customer_id == keep.id
        assert AuditRecord.select().where((AuditRecord.customer_id == keep.id)
                                          & (AuditRecord.action == "merge")).exists()
        assert [m.customer_id for m in Mark.select()] == [keep.id]

        # Enter opens the survivor; U there undoes the merge.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main and main.customer_id == keep.id)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: Customer.get_by_id(other.id).deleted_at is None)
        await wait_for(pilot, lambda: any("of its own again" in n for n in seen))
        assert Order.select().where(Order.customer == other.id).count() == 1
        assert {m.customer_id for m in Mark.select()} == {keep.id, other.id}
        # Esc goes back to the list, which shows the customer back, still on the survivor.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerListScreen)
                       and other.id in _numbers(app.screen))
        back = app.screen
        assert back.selected.id == keep.id
        await wait_for(pilot, lambda: "2 marked by you" in str(
            back.query_one("#list-status").render()))
        # The customer that was merged away and is back opens as itself, and stays open
        # when the list is closed after that.
        await _cursor_to(pilot, back, other.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main and main.view is not None
                       and main.view.id == other.id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerListScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        await pilot.pause()
        assert main.customer_id == other.id


async def test_merge_three_marked_asks_who_survives_and_undoes_as_one(database):
    team = make_team()
    admin = team["admin"]
    keep, other, third, unrelated = _family(admin)
    for customer in (keep, other, third):
        customers.mark(admin, customer.id)
    app = make_app(settings=settings_for(database), actor=admin)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        main, screen = await _open_list(pilot, app)
        # The cursor is on a customer that is not marked: which marked one survives?
        await _cursor_to(pilot, screen, unrelated.id)
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        choice = app.screen
        assert [label for _key, label in choice.choices] == [
            f"{c.name} ({c.number})" for c in (keep, other, third)]
        await pilot.press("down", "enter")  # the second: Berg Handel survives
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog) and app.screen.load_count)
        dialog = app.screen
        assert (dialog.keep_id, dialog.other_ids) == (other.id, [keep.id, third.id])
        # s lets the next one survive, round and round.
        for survivor, merged in ((keep, [third, other]), (third, [other, keep]),
                                 (other, [keep, third])):
            loads = dialog.load_count
            await pilot.press("s")
            await wait_for(pilot, lambda loads=loads: dialog.load_count > loads)
            assert (dialog.keep_id, dialog.other_ids) == (survivor.id, [c.id for c in merged])
            assert dialog.plan.keep.id == survivor.id
        table = dialog.query_one(DataTable)
        assert len(table.columns) == 4  # the field and a column per customer
        # The website: the survivor has none, so the first that has one (keep's) is chosen;
        # → takes the next column's: the third's.
        keys = [f.name for f in dialog.rows()]
        table.move_cursor(row=keys.index("website"))
        assert str(table.get_row("website")[2]).startswith("●")
        await pilot.press("right")
        assert str(table.get_row("website")[3]).startswith("●")
        await pilot.press("right")  # the last column stays chosen
        assert str(table.get_row("website")[3]).startswith("●")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and keep.id not in _numbers(screen)
                       and third.id not in _numbers(screen))
        assert screen.selected.id == other.id
        survivor = Customer.get_by_id(other.id)
        assert (survivor.website, survivor.email) == ("https://vdb.example", "sales@vdberg.example")
        assert Order.select().where(Order.customer == other.id).count() == 3
        assert Contact.select().where(Contact.customer == other.id).count() == 3
        assert {a.number for a in CustomerAlias.select()} == {keep.number, third.number}
        assert Customer.select().where(Customer.deleted_at.is_null()).count() == 2

        # Esc: the main screen showed the customer merged away; it now shows the survivor.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main and main.customer_id == other.id
                       and main.view is not None and main.view.id == other.id)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "All 3 customers" in app.screen.detail
        await pilot.press("y")
        await wait_for(pilot, lambda: any("customers of their own again" in n for n in seen))
        assert Customer.select().where(Customer.deleted_at.is_null()).count() == 4
        assert Order.select().where(Order.customer == third.id).count() == 1
        assert Customer.get_by_id(other.id).website in ("", None)


async def test_fewer_than_two_marked_says_so(database):
    team = make_team()
    admin = team["admin"]
    keep, other, _third, _unrelated = _family(admin)
    app = make_app(settings=settings_for(database), actor=admin)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        _main, screen = await _open_list(pilot, app)
        await pilot.press("M")
        await wait_for(pilot, lambda: any("you have marked 0" in n for n in seen))
        customers.mark(admin, other.id)
        await pilot.press("M")
        await wait_for(pilot, lambda: any("you have marked 1" in n for n in seen))
        assert "Mark at least two customers" in seen[-1]
        assert app.screen is screen
        assert Customer.select().where(Customer.deleted_at.is_null()).count() == 4


async def test_too_many_marked_is_refused(database):
    team = make_team()
    admin = team["admin"]
    for n in range(7):
        customers.mark(admin, create_customer(admin, kind="company", name=f"Klant {n}").id)
    app = make_app(settings=settings_for(database), actor=admin)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        _main, screen = await _open_list(pilot, app)
        await pilot.press("M")
        await wait_for(pilot, lambda: any("at most 5 at a time" in n for n in seen))
        assert app.screen is screen


async def test_a_role_without_base_edit_cannot_merge_from_the_list(database):
    team = make_team()
    admin, sales = team["admin"], team["sales"]
    keep, other, _third, _unrelated = _family(admin)
    customers.mark(sales, keep.id)
    customers.mark(sales, other.id)
    app = make_app(settings=settings_for(database), actor=sales)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        _main, screen = await _open_list(pilot, app)
        # Shown dimmed; the key does nothing, the action (palette, keymap) says why.
        assert "list_merge" in footer_ids(screen)
        assert _enabled(screen, "list_merge") is False
        await pilot.press("M")
        await pilot.pause()
        assert app.screen is screen
        screen.action_merge_marked()
        await wait_for(pilot, lambda: any("right to edit base data" in n for n in seen))
        assert app.screen is screen
        assert Customer.get_by_id(other.id).deleted_at is None


async def test_merge_from_the_duplicate_warning(database):
    team = make_team()
    admin = team["admin"]
    existing = create_customer(admin, **COMPANY)
    edited = create_customer(admin, kind="company", name="Berg Handel", visit_city="Haarlem",
                             mobile="06 12345678")
    order_service.create_order(admin, edited.id, {"order_date": "2026-01-02"})
    app = make_app(settings=settings_for(database), actor=admin)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        main.open_customer(edited.id)
        await wait_for(pilot, lambda: main.view is not None and main.view.id == edited.id)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        form.row("vat_number").set_value(COMPANY["vat_number"])
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicatesDialog))
        warning = app.screen
        assert "duplicates_merge" in footer_ids(warning)
        assert "m merges this customer into it" in str(
            warning.query_one("#duplicates-intro").render())
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog) and app.screen.load_count)
        dialog = app.screen
        assert (dialog.keep_id, dialog.other_ids) == (existing.id, [edited.id])
        # Closing the merge dialog goes back to the warning; nothing changed.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is warning)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog) and app.screen.load_count)
        await pilot.press("ctrl+s")
        # The form closes and the survivor is shown.
        await wait_for(pilot, lambda: app.screen is main and main.view is not None
                       and main.view.id == existing.id)
        assert Customer.get_by_id(edited.id).deleted_at is not None
        survivor = Customer.get_by_id(existing.id)
        assert survivor.mobile and survivor.vat_number == COMPANY["vat_number"]
        assert Order.select().where(Order.customer == existing.id).count() == 1
        assert any("not saved" in n for n in seen)


async def test_a_new_customer_is_offered_the_existing_one_not_a_merge(database):
    team = make_team()
    admin = team["admin"]
    create_customer(admin, **COMPANY)
    app = make_app(settings=settings_for(database), actor=admin)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+n", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        form.row("name").set_value("Another name")
        form.row("vat_number").set_value(COMPANY["vat_number"])
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicatesDialog))
        warning = app.screen
        ids = footer_ids(warning)
        assert "duplicates_open" in ids and "duplicates_merge" not in ids
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is warning
