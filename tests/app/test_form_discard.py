"""Forms ask before discarding typed changes: Escape or Cancel on an unchanged form closes
it at once; on a changed one "Discard changes?" asks, with its keys in the Footer."""

from __future__ import annotations

import pytest
from support.app import (
    COMPANY,
    footer_ids,
    started,
    wait_for,
)
from textual.widgets import Input, Static

from tradium_tui.models import Action, Customer
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.modals import ConfirmDialog


def title(screen) -> str:
    return str(screen.query_one(".dialog-title", Static).content)


async def open_form(pilot, key: str) -> RecordForm:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecordForm))
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.opened)  # filled and focused
    return form


@pytest.mark.parametrize("key", ["ctrl+e", "l"])
async def test_escape_on_an_unchanged_form_closes_at_once(new_app, world, key):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        form = await open_form(pilot, key)
        assert not form.is_dirty()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)


async def test_a_changed_customer_edit_asks_and_keeps_the_typing(new_app, world):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        form = await open_form(pilot, "ctrl+e")
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "field-name"  # the first typed field
        await pilot.press("end", *" Typed")
        assert form.is_dirty()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert title(dialog) == "Discard changes?"
        assert {"confirm_yes", "confirm_no"} <= footer_ids(dialog)
        shown = {binding.description for _, binding, _, _ in dialog.active_bindings.values()
                 if binding.show}
        assert {"Discard", "Keep editing"} <= shown, shown
        # "n" (or Escape): back to the form, the typing still there.
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#field-name", Input).value == f"{COMPANY['name']} Typed"
        # The Cancel button asks the same; "y" discards: nothing stored changed.
        form.query_one("#form-cancel").press()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        assert Customer.get_by_id(world["customer"].id).name == COMPANY["name"]


async def test_a_half_typed_contact_moment_is_not_lost_to_escape(new_app, world):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        form = await open_form(pilot, "l")
        assert app.focused.id == "field-subject"
        await pilot.press(*"Called")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # Escape in the question = keep editing
        await wait_for(pilot, lambda: app.screen is form)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Action.select().where(Action.subject == "Called").exists())


async def test_typing_back_the_original_value_is_no_change(new_app, world):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        form = await open_form(pilot, "ctrl+e")
        await pilot.press("end", "x", "backspace")
        assert not form.is_dirty()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
