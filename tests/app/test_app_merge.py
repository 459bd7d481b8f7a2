"""The merge dialog and undo in the app: pick the duplicate with the finder, choose a field,
merge, see the survivor; U undoes it, or says why it cannot."""

from __future__ import annotations

from support.app import (
    COMPANY,
    create_customer,
    footer_ids,
    record_notifications,
    started,
    wait_for,
)
from textual.widgets import DataTable, Input

from tradium_tui.models import Customer
from tradium_tui.screens.finder import FinderScreen
from tradium_tui.screens.merge import MergeDialog
from tradium_tui.services import notes
from tradium_tui.widgets.modals import ConfirmDialog


def _cell_texts(table: DataTable, key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


async def test_merge_dialog_choose_merge_and_undo(team, new_app, database):
    admin = team["admin"]
    keep = create_customer(admin, **COMPANY)
    other = create_customer(admin, kind="company", name="Berg Handel Dubbel", visit_city="Haarlem",
                            email="dubbel@vdberg.example", mobile="06 12345678")
    app = new_app(admin)
    notes_seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == keep.id
        assert {"merge_with", "undo_merge"} <= footer_ids(main)
        await pilot.press("M")
        await wait_for(pilot, lambda: isinstance(app.screen, FinderScreen))
        app.screen.query_one(Input).value = "Dubbel"
        await wait_for(pilot, lambda: app.screen.hits)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeDialog) and app.screen.load_count)
        dialog = app.screen
        assert {"merge_left", "merge_right", "merge_swap", "merge_do", "merge_close"} <= footer_ids(dialog)
        table = dialog.query_one(DataTable)
        # Differences are shown side by side; the survivor's e-mail is chosen.
        email = _cell_texts(table, "email")
        assert "info@vdberg.example" in email[1] and email[1].startswith("●")
        assert "dubbel@vdberg.example" in email[2]
        # Empty fields are filled from the other by default.
        assert _cell_texts(table, "mobile")[2].startswith("●")
        # Take the other's e-mail: move to its row, press →.
        keys = [f.name for f in dialog.rows()]
        table.move_cursor(row=keys.index("email"))
        await pilot.press("right")
        assert _cell_texts(table, "email")[2].startswith("●")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main and main.view is not None
                       and main.view.version > keep.version)
        assert Customer.get_by_id(keep.id).email == "dubbel@vdberg.example"
        assert Customer.get_by_id(other.id).deleted_at is not None
        assert any("merged into" in n for n in notes_seen)
        # Undo: asked first, then both are back.
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: Customer.get_by_id(other.id).deleted_at is None)
        assert Customer.get_by_id(keep.id).email == "info@vdberg.example"
        await wait_for(pilot, lambda: any("again" in n for n in notes_seen))


async def test_undo_merge_says_why_it_cannot(team, new_app, database):
    admin = team["admin"]
    keep = create_customer(admin, **COMPANY)
    other = create_customer(admin, kind="company", name="Berg Dubbel")
    from tradium_tui.services import merge

    merge.merge_customers(admin, keep.id, [other.id])
    notes.create_note(admin, keep.id, {"text": "new activity"})
    app = new_app(admin)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: any("no longer be undone" in n for n in seen))
        assert app.screen is main
        assert Customer.get_by_id(other.id).deleted_at is not None


async def test_sales_cannot_merge(team, new_app, database):
    create_customer(team["admin"], **COMPANY)
    app = new_app(team["sales"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("M")
        await pilot.pause()
        assert app.screen is main
