"""Helpers of the app tests: fixed customers made through the services, waiting for
workers without fixed sleeps, bare host apps for one screen or one tab, working in a tab's
forms, and getting the main screen ready for a snapshot."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import WorkerCancelled, WorkerFailed

from tradium_tui.config import Settings
from tradium_tui.models import AuditRecord, Customer, utcnow
from tradium_tui.services import customers, users
from tradium_tui.services.access import actor_for
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.modals import ConfirmDialog

# A fixed moment for everything the snapshots show (stored as UTC).
FIXED_AT = dt.datetime(2026, 3, 2, 9, 30, 0)

COMPANY = {
    "kind": "company",
    "name": "Van der Berg Handel B.V.",
    "visit_street": "Keizersgracht",
    "visit_house_number": "12",
    "visit_postcode": "1015 CX",
    "visit_city": "Amsterdam",
    "visit_country": "NL",
    "postal_street": "Postbus",
    "postal_house_number": "1234",
    "postal_postcode": "1000 AB",
    "postal_city": "Amsterdam",
    "email": "info@vdberg.example",
    "phone": "020 123 4567",
    "fax": "020 123 4568",
    "website": "www.vdberg.example",
    "coc_number": "12345678",
    "vat_number": "NL004495445B01",
    "iban": "NL91ABNA0417164300",
    "credit_limit": "10000",
    "opening_hours": "Mon–Fri 8:30–17:00",
    "reference": "8712345678906",
    "mailing_code": "7",
    "region": "Noord",
}


def settings_for(database) -> Settings:
    return Settings(db_url=database.test_url, home_country="NL", locale="nl_NL", language="en")


def make_team() -> dict[str, Any]:
    """The first admin ``admin`` and a ``sales`` user; returns their actors."""
    users.bootstrap_first_admin("admin")
    admin = actor_for("admin")
    users.add_user(admin, "sales", "sales", "Sam Sales")
    return {"admin": admin, "sales": actor_for("sales")}


def create_customer(actor, **values: Any) -> Customer:
    data = dict(values)
    return customers.create_customer(actor, data, check_online=False).customer


def freeze_customer_times(customer_id: int, at: dt.datetime = FIXED_AT) -> None:
    """Put the customer's own audit rows and timestamps at ``at`` (stable snapshots)."""
    AuditRecord.update(at=at).where(AuditRecord.customer_id == customer_id).execute()
    Customer.update(created_at=at, updated_at=at).where(Customer.id == customer_id).execute()


async def wait_for(pilot, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let workers run and messages be handled until ``predicate()`` holds.

    No fixed sleeps: each round waits for the running workers and the message queue.
    """
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(predicate, '__name__', predicate)}")
        running = [w for w in pilot.app.workers if w.is_running]
        if running:
            try:
                await pilot.app.workers.wait_for_complete(running)
            except (WorkerCancelled, WorkerFailed):
                pass  # a newer load replaced it, or it reported its error
        await pilot.pause()


async def started(pilot) -> Screen:
    """Wait until the main screen shows its customer and the first tab has loaded."""
    app = pilot.app

    def ready() -> bool:
        main = app.main_screen
        if main is None or not main.started:
            return False
        active = main.active_tab
        if main.customer_id is None:
            return active is not None or not main.tab_order
        pane = main.pane(active) if active else None
        return pane is not None and pane.load_count > 0

    await wait_for(pilot, ready)
    return app.main_screen


async def pane_loaded(pilot, pane, previous: int = 0) -> None:
    await wait_for(pilot, lambda: pane.load_count > previous)


def footer_ids(screen: Screen) -> set[str]:
    """Ids of the bindings the Footer shows for the focused chain (enabled or greyed)."""
    return {
        binding.id
        for _, binding, enabled, _ in screen.active_bindings.values()
        if binding.show and binding.id
    }


def now_utc() -> dt.datetime:
    return utcnow()


def record_notifications(app) -> list[str]:
    """Keep the text of every notification the app shows (also from worker threads)."""
    notes: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        notes.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return notes


async def loaded_pane(pilot, main, tab: str, count: int = 1):
    """The pane of ``tab`` once it is mounted and has loaded ``count`` times."""

    def ready() -> bool:
        pane = main.pane(tab)
        return pane is not None and pane.load_count >= count

    await wait_for(pilot, ready)
    return main.pane(tab)


async def all_panes_mounted(pilot, main) -> None:
    await wait_for(pilot, lambda: len(main.panes()) == len(main.tab_order))


class Host(App):
    """A bare app (a Static and the Footer) that pushes one screen, keeps the notifications
    and what the screen was dismissed with; ``actor``/``settings`` for screens that read
    them from the app."""

    def __init__(self, make_screen: Callable[[], Screen], actor=None, settings: Settings | None = None) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.actor = actor
        self.settings = settings
        self.main_screen = None
        self.results: list[Any] = []
        self.notes: list[str] = []

    def notify(self, message, *args, **kwargs) -> None:
        self.notes.append(str(message))
        super().notify(message, *args, **kwargs)

    def compose(self) -> ComposeResult:
        yield Static("host")
        yield Footer()

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


class TabApp(App):
    """One tab and a Footer, nothing else."""

    def __init__(self, tab) -> None:
        super().__init__()
        self.tab = tab

    def compose(self) -> ComposeResult:
        yield self.tab
        yield Footer()


async def finish_workers(pilot) -> None:
    """Wait for every running worker; superseded (cancelled) loads are fine."""
    running = [w for w in pilot.app.workers if not w.is_cancelled]
    await pilot.app.workers.wait_for_complete(running)


async def settle_tab(pilot, tab, loads: int) -> None:
    """Wait until the tab finished ``loads`` loads (workers done, messages handled)."""
    for _ in range(200):
        await finish_workers(pilot)
        await pilot.pause()
        if tab.load_count >= loads:
            return
    raise AssertionError(f"the tab finished {tab.load_count} loads, expected {loads}")


# Working in a tab of the main screen: open it, fill and save a form, read its messages.


async def open_tab(pilot, tab: str):
    main = await started(pilot)
    main.show_tab(tab)
    await wait_for(pilot, lambda: main.pane(tab) is not None and main.pane(tab).load_count >= 1)
    pane = main.pane(tab)
    assert main.active_tab == tab
    pane.query_one(DataTable).focus()
    await pilot.pause()
    return main, pane


async def form_opened(pilot, kind=RecordForm) -> RecordForm:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    return pilot.app.screen


async def fill_and_save(pilot, form: RecordForm, values: dict) -> None:
    for name, value in values.items():
        row = form.row(name)
        assert row is not None, name
        row.set_value(value)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not form.saving)


def messages(form: RecordForm) -> dict[str, str]:
    shown = {}
    for row in form.query("FieldRow"):
        if row.spec.kind == "heading":
            continue
        message = row.query_one(".field-message")
        if message.has_class("-shown"):
            shown[row.spec.name] = str(message.content)
    return shown


async def saved(pilot, pane, before: int) -> None:
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, RecordForm)
                   and pane.load_count > before)


async def delete_selected(pilot, pane) -> None:
    before = pane.load_count
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
    await pilot.press("y")
    await wait_for(pilot, lambda: pane.load_count > before)


def select_row(pane, record_id: int) -> None:
    table = pane.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(record_id)))


def ready_for_snapshot(*then: str, tab: str | None = None):
    async def run_before(pilot) -> None:
        pilot.app.animation_level = "none"
        main = await started(pilot)
        if tab is not None:
            main.show_tab(tab)
            await loaded_pane(pilot, main, tab)
        await all_panes_mounted(pilot, main)
        for key in then:
            await pilot.press(key)
        await wait_for(pilot, lambda: not any(w.is_running for w in pilot.app.workers))
        # A blinking cursor would make the picture depend on the moment it is taken.
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before
