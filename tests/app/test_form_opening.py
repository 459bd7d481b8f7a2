"""Forms open at once and fill when their data arrives: keys typed while a form opens reach
its first field in order, and a long form whose rows are still being mounted collects,
checks and saves all its fields (a message on a field not mounted yet mounts and focuses it)."""

from __future__ import annotations

import threading

import pytest
from support.app import COMPANY, create_customer, make_team, settings_for, started, wait_for
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Static

from tradium_tui.app import make_app
from tradium_tui.models import Customer
from tradium_tui.screens import customer_form
from tradium_tui.screens.customer_form import CustomerForm
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.modals import ConfirmDialog


@pytest.fixture
def world(database):
    team = make_team()
    customer = create_customer(team["admin"], **COMPANY)
    return {"admin": team["admin"], "customer": customer, "database": database}


@pytest.fixture
def held_load(monkeypatch):
    """The customer form's data arrives only when the test says so."""
    gate = threading.Event()
    real = customer_form.load_context

    def slow(*args):
        assert gate.wait(20), "the test never let the data arrive"
        return real(*args)

    monkeypatch.setattr(customer_form, "load_context", slow)
    yield gate
    gate.set()


async def test_keys_typed_while_the_editor_opens_reach_its_first_field(world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        form = app.screen
        assert isinstance(form, CustomerForm) and form.fetching  # on screen before its data
        title = str(form.query_one("#form-title", Static).content)
        assert title == f"Edit {COMPANY['name']} ({world['customer'].number})"
        # "n" on the main screen would open a new contact: these keys must reach the form.
        await pilot.press("end", *" Inc", "left", "left", "left", "left", "backspace")
        assert isinstance(app.screen, CustomerForm) and form.fetching
        held_load.set()
        await wait_for(pilot, lambda: form.opened)
        field = form.query_one("#field-name", Input)
        assert app.focused is field
        assert field.value == COMPANY["name"][:-1] + " Inc"
        assert form.is_dirty()
        # Typing goes on in the same field, after what was typed before.
        await pilot.press("!")
        assert field.value == COMPANY["name"][:-1] + "! Inc"
        assert main.customer_id == world["customer"].id  # nothing reached the main screen


async def test_ctrl_s_typed_while_the_editor_opens_saves_what_was_typed_before_it(
        world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e", "end", *" Two", "ctrl+s")
        assert isinstance(app.screen, CustomerForm)
        held_load.set()
        await wait_for(pilot, lambda: app.screen is main)
        assert Customer.get_by_id(world["customer"].id).name == COMPANY["name"] + " Two"


async def test_escape_typed_while_the_editor_opens_closes_it(world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e", "escape")
        held_load.set()
        await wait_for(pilot, lambda: app.screen is main)
        assert Customer.get_by_id(world["customer"].id).version == world["customer"].version


async def test_keys_typed_as_a_small_form_opens_are_not_lost(world):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("l", *"Called back")
        form = app.screen
        assert isinstance(form, RecordForm)
        await wait_for(pilot, lambda: form.opened)
        assert form.row("subject").value() == "Called back"


async def test_a_long_form_saves_and_checks_rows_not_mounted_yet(world, monkeypatch):
    # The rows after the first screenful are never mounted by themselves here.
    monkeypatch.setattr(RecordForm, "_mount_more", lambda self: None)
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        form = app.screen
        await wait_for(pilot, lambda: form.baseline is not None)
        email = form.row("email")
        assert not email.live and email.value() == COMPANY.get("email", "")
        assert not form.is_dirty()
        await pilot.press("end", *" Drie")
        email.set_value("not an address")
        assert form.is_dirty()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not form.saving and email.live)
        await pilot.pause()
        # The message stands under the field, which was mounted and has the focus.
        assert app.focused is form.query_one("#field-email", Input)
        assert form.query_one("#field-email", Input).value == "not an address"
        assert "e-mail" in str(email.query_one(".field-message", Static).content).lower()
        await pilot.press("ctrl+a", "ctrl+k", *"info@drie.example")
        form.row("region").set_value("Oost")  # another row that is not mounted
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        stored = Customer.get_by_id(world["customer"].id)
        assert (stored.name, stored.email, stored.region) == (
            COMPANY["name"] + " Drie", "info@drie.example", "Oost")


async def test_ctrl_s_while_the_rows_are_being_mounted(world, monkeypatch):
    # One row a paint; ctrl+s comes while the third of them is being mounted.
    monkeypatch.setattr(RecordForm, "CHUNK_ROWS", 1)
    real_mount_more, real_save = RecordForm._mount_more, RecordForm.action_save
    chunks: list[int] = []
    pressed_while: list[int] = []

    async def mount_more(self):
        chunks.append(1)
        if len(chunks) == 3:
            self.row("remarks").set_value("Typed before its row was there")
        await real_mount_more(self)
        if len(chunks) == 3:
            self.app.simulate_key("ctrl+s")

    def save(self):
        pressed_while.append(sum(not row.live for row in self.rows.values()))
        real_save(self)

    monkeypatch.setattr(RecordForm, "_mount_more", mount_more)
    monkeypatch.setattr(RecordForm, "action_save", save)
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: app.screen is main)
        assert pressed_while and pressed_while[0] > 0, (chunks, pressed_while)  # rows to come
        assert Customer.get_by_id(world["customer"].id).remarks == (
            "Typed before its row was there")


async def discard_question(pilot) -> None:
    """Wait until "Discard changes?" is on screen (composed, its keys bound)."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog)
                   and bool(app.screen.query(".dialog-title")) and app.screen.is_mounted)
    assert str(app.screen.query_one(".dialog-title", Static).content) == "Discard changes?"


def track_cursor(monkeypatch, app) -> list[tuple]:
    """Every frame the app writes: (form, its focused widget, the terminal cursor then)."""
    frames: list[tuple] = []
    real = type(app)._display

    def display(self, screen, renderable):
        if isinstance(screen, RecordForm):
            frames.append((screen, screen.focused, self.cursor_position))
        return real(self, screen, renderable)

    monkeypatch.setattr(type(app), "_display", display)
    return frames


def cursor_on(field: Input) -> bool:
    """The app's terminal cursor stands in ``field``, where its own cursor is."""
    cursor = field.app.cursor_position
    return cursor == field.cursor_screen_offset and field.content_region.contains_point(cursor)


async def test_the_editor_opens_with_the_cursor_after_the_name_nothing_selected(
        world, monkeypatch):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    frames = track_cursor(monkeypatch, app)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+e")
        form = app.screen
        await wait_for(pilot, lambda: form.opened)
        await pilot.pause()
        field = form.query_one("#field-name", Input)
        assert app.focused is field
        name = COMPANY["name"]
        assert field.cursor_position == len(name) and field.selection.is_empty
        assert cursor_on(field)
        # Every frame drawn with the field focused had the terminal cursor in it, the
        # first one too (not only once a key was typed).
        drawn = [(focused, cursor) for screen, focused, cursor in frames
                 if screen is form and focused is field]
        assert drawn
        assert all(cursor == drawn[-1][1] for _, cursor in drawn), drawn
        assert field.content_region.contains_point(drawn[0][1])
        # A key typed now is added after the name; the name is not replaced.
        await pilot.press("x")
        assert field.value == name + "x"
        await pilot.press("backspace")
        # Tab into the next field keeps Textual's rule: its text is selected.
        await pilot.press("tab")
        following = app.focused
        assert isinstance(following, Input) and following is not field
        assert following.select_on_focus
        assert cursor_on(following)
        await pilot.press("shift+tab")
        assert app.focused is field and field.select_on_focus
        assert field.selection == (0, len(name)) or field.selection == (len(name), 0)
        assert cursor_on(field)


async def test_keys_typed_right_after_ctrl_e_are_appended_in_order(world):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e", *" & Zonen", "left", "left", *"xy", "end", "!")
        form = app.screen
        assert isinstance(form, CustomerForm)
        await wait_for(pilot, lambda: form.opened)
        field = form.query_one("#field-name", Input)
        assert field.value == COMPANY["name"] + " & Zonxyen!"
        assert app.focused is field and cursor_on(field)
        assert main.customer_id == world["customer"].id


async def test_keys_typed_while_loading_leave_the_cursor_in_the_field(world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+e", *"abc")
        form = app.screen
        assert form.fetching
        held_load.set()
        await wait_for(pilot, lambda: form.opened)
        await pilot.pause()
        field = form.query_one("#field-name", Input)
        assert field.value == COMPANY["name"] + "abc"
        assert field.cursor_position == len(field.value) and cursor_on(field)


async def test_escape_while_loading_with_nothing_typed_closes_without_waiting(
        world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        form = app.screen
        assert isinstance(form, CustomerForm) and form.fetching
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        assert form.fetching  # closed before its data came
        held_load.set()
        await wait_for(pilot, lambda: not app.workers._workers)
        assert app.screen is main
        await pilot.press("ctrl+e")  # and it opens again as usual
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm)
                       and app.screen.opened)


async def test_escape_after_typing_while_loading_asks_before_discarding(world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e", *" Typed", "escape")
        form = app.screen
        assert isinstance(form, CustomerForm) and form.fetching
        held_load.set()
        await discard_question(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)
        field = form.query_one("#field-name", Input)
        assert field.value == COMPANY["name"] + " Typed"
        await pilot.press("escape")
        await discard_question(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        assert Customer.get_by_id(world["customer"].id).name == COMPANY["name"]


@pytest.mark.parametrize(("kind", "field_id"), [("b", "field-name"), ("c", "field-last_name")])
async def test_keys_typed_as_a_new_customer_form_opens_are_kept(world, kind, field_id):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+n", kind, *"Nieuw BV")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm) and app.screen.opened)
        form = app.screen
        field = form.query_one(f"#{field_id}", Input)  # the first field a person fills
        assert field.value == "Nieuw BV" and app.focused is field and cursor_on(field)


async def test_typing_and_escape_while_the_rows_are_being_mounted(world, monkeypatch):
    # The rows after the first screenful wait until the test lets them come (then one a
    # paint): the form is open and typed in before its last row is there.
    monkeypatch.setattr(RecordForm, "CHUNK_ROWS", 1)
    gate = {"closed": True}
    real_mount_more = RecordForm._mount_more

    async def mount_more(self):
        if not gate["closed"]:
            await real_mount_more(self)

    monkeypatch.setattr(RecordForm, "_mount_more", mount_more)
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e")
        form = app.screen
        await wait_for(pilot, lambda: form.opened)
        assert form.mounting
        await pilot.press(*" en Zn", "left", "left", "backspace", "end", "tab")
        name = form.query_one("#field-name", Input)
        assert name.value == COMPANY["name"] + " enZn"
        assert app.focused is not name and cursor_on(app.focused)  # Tab went on
        await pilot.press("escape")
        await discard_question(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.mounting
        gate["closed"] = False
        form.call_later(form._mount_more)
        await wait_for(pilot, lambda: not form.mounting)
        assert name.value == COMPANY["name"] + " enZn"
        await pilot.press("escape")
        await discard_question(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        assert Customer.get_by_id(world["customer"].id).name == COMPANY["name"]


async def test_the_cancel_button_while_the_editor_loads(world, held_load):
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await pilot.press("ctrl+e", *" Typed")
        form = app.screen
        assert isinstance(form, CustomerForm) and form.fetching
        form.query_one("#form-cancel").press()  # after typing: asks once the keys are in
        await pilot.pause()
        assert app.screen is form
        held_load.set()
        await discard_question(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#field-name", Input).value == COMPANY["name"] + " Typed"
        await pilot.press("escape")
        await discard_question(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is main)
        held_load.clear()
        await pilot.press("ctrl+e")  # nothing typed: Cancel closes at once
        form = app.screen
        assert isinstance(form, CustomerForm) and form.fetching
        form.query_one("#form-cancel").press()
        await wait_for(pilot, lambda: app.screen is main)
        held_load.set()


@pytest.mark.parametrize("opener", ["ctrl+e", "l"])
async def test_keys_arriving_in_one_burst_with_the_key_that_opens_a_form(world, opener):
    # Over SSH the key that opens a form and the keys typed after it can arrive in one
    # read: they are all handed to the main screen's focused widget before the form opens.
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        app.post_message(events.Key(opener, None if opener == "ctrl+e" else opener))
        for char in " & Co":
            app.post_message(events.Key(_character_to_key(char), char))
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm) and app.screen.opened)
        await pilot.pause()
        form = app.screen
        field = app.focused
        assert isinstance(field, Input)
        start = COMPANY["name"] if opener == "ctrl+e" else ""
        assert field.value == start + " & Co" and cursor_on(field)
        assert form.is_dirty() and main.customer_id == world["customer"].id


async def test_keys_arriving_while_the_kept_ones_are_handed_on_wait_their_turn(world):
    # A small form is ready at once: keys that come while the kept keys are being handed
    # to the field must not overtake them.
    app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.post_message(events.Key("l", "l"))
        for char in "Called":
            app.post_message(events.Key(_character_to_key(char), char))
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        for char in " back":
            app.post_message(events.Key(_character_to_key(char), char))
        await wait_for(pilot, lambda: form.opened)
        await pilot.pause()
        assert form.row("subject").value() == "Called back"
