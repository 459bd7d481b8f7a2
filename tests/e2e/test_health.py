"""The database health probe, the outage test for errors, and the status banner.

These run on both backends: the banner is driven by a real outage of a SQLite file (its
folder disappears and comes back); the PostgreSQL outage over SSH is in test_ssh.py.
"""

from __future__ import annotations

import threading
import time

import peewee
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.services import health
from tradium_tui.services.errors import ConflictError, PermissionDenied, ValidationError
from tradium_tui.widgets.db_status import TITLE, DatabaseStatus


def test_outage_errors_are_told_from_refused_changes(tmp_path):
    dbmod.connect(f"sqlite:///{tmp_path / 'h.db'}")
    assert health.is_outage(dbmod.DatabaseUnavailable("The database server cannot be reached."))
    assert health.is_outage(peewee.OperationalError("could not connect to server: Connection refused"))
    assert health.is_outage(peewee.InterfaceError("connection already closed"))
    assert health.is_outage(peewee.OperationalError("unable to open database file"))
    assert not health.is_outage(peewee.OperationalError("database is locked"))
    assert not health.is_outage(peewee.IntegrityError("UNIQUE constraint failed: customer.number"))
    assert not health.is_outage(ValidationError({"name": "required"}))
    assert not health.is_outage(PermissionDenied("no"))
    assert not health.is_outage(ConflictError(table="customer", record_id=1, expected_version=1,
                                              current_version=2, conflicts=[], other_changes=[]))
    assert not health.is_outage(schema.SchemaTooNew("newer"))
    assert not health.is_outage(ValueError("x"))


def test_probe_and_monitor_follow_a_real_outage(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    dbmod.connect(f"sqlite:///{folder / 'h.db'}")
    monitor = health.HealthMonitor()
    seen: list[bool] = []
    monitor.subscribe(lambda h: seen.append(h.ok))
    assert monitor.check().ok
    folder.rename(tmp_path / "away")
    try:
        state = monitor.check()
        assert not state.ok
        assert "cannot be reached" in state.text
        assert monitor.failures == 1
        # Reporting the same outage again is not a new change.
        monitor.report_failure(peewee.OperationalError("unable to open database file"))
    finally:
        (tmp_path / "away").rename(folder)
    assert monitor.check().ok
    assert seen == [False, True]
    # Refused changes are not outages and leave the state alone.
    assert not monitor.report_failure(peewee.IntegrityError("UNIQUE constraint failed"))
    assert monitor.ok


class BannerApp(App):
    def __init__(self, monitor: health.HealthMonitor, **kwargs) -> None:
        super().__init__()
        self.monitor = monitor
        self.kwargs = kwargs
        self.events: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="typing")
        yield DatabaseStatus(monitor=self.monitor, **self.kwargs)

    def on_database_status_lost(self, message: DatabaseStatus.Lost) -> None:
        self.events.append("lost")

    def on_database_status_recovered(self, message: DatabaseStatus.Recovered) -> None:
        self.events.append("recovered")


async def wait_until(pilot, predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


async def test_banner_shows_an_outage_keeps_typing_and_recovers(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    dbmod.connect(f"sqlite:///{folder / 'h.db'}")
    monitor = health.HealthMonitor()
    app = BannerApp(monitor, check_every=0.2, retry_every=0.2, retry_key="ctrl+r")
    async with app.run_test(size=(120, 10)) as pilot:
        banner = app.query_one(DatabaseStatus)
        await wait_until(pilot, lambda: banner.checks >= 1)
        assert not banner.display
        await pilot.click("#typing")
        await pilot.press(*"half typed")
        folder.rename(tmp_path / "away")
        try:
            await wait_until(pilot, lambda: banner.down and app.events == ["lost"])
            assert banner.display
            text = str(banner.render())
            assert TITLE in text and "cannot be reached" in text and "ctrl+r" in text
            assert app.query_one("#typing", Input).value == "half typed"
        finally:
            (tmp_path / "away").rename(folder)
        await wait_until(pilot, lambda: app.events == ["lost", "recovered"])
        assert not banner.down and not banner.display
        assert app.query_one("#typing", Input).value == "half typed"


async def test_a_reported_outage_shows_at_once_and_retry_checks_now(tmp_path):
    dbmod.connect(f"sqlite:///{tmp_path / 'h.db'}")
    monitor = health.HealthMonitor()
    # Timers far away: only the report and the explicit retry can change anything.
    app = BannerApp(monitor, check_every=3600, retry_every=3600)
    async with app.run_test(size=(120, 10)) as pilot:
        banner = app.query_one(DatabaseStatus)
        reporter = threading.Thread(
            target=monitor.report_failure,
            args=(peewee.OperationalError("server closed the connection unexpectedly"),),
        )
        reporter.start()
        reporter.join()
        await wait_until(pilot, lambda: banner.down and app.events == ["lost"])
        assert "server closed the connection unexpectedly" in str(banner.render())
        banner.retry()  # the database is fine: one check brings it back
        await wait_until(pilot, lambda: app.events == ["lost", "recovered"])
        assert not banner.down
        assert banner.checks == 1


@pytest.fixture(autouse=True)
def _close_database():
    yield
    if dbmod.database.obj is not None and not dbmod.database.is_closed():
        dbmod.database.close()


async def test_an_old_outage_is_checked_before_it_is_shown(tmp_path):
    """A banner mounted after an outage was reported (and is over) shows nothing."""
    dbmod.connect(f"sqlite:///{tmp_path / 'h.db'}")
    monitor = health.HealthMonitor()
    monitor.report_failure(peewee.OperationalError("could not connect to server"))
    app = BannerApp(monitor, check_every=3600, retry_every=3600)
    async with app.run_test(size=(120, 10)) as pilot:
        banner = app.query_one(DatabaseStatus)
        await wait_until(pilot, lambda: banner.checks == 1)
        assert monitor.ok
        assert not banner.down and not banner.display
        assert app.events == []
