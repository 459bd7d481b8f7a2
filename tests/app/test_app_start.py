"""Starting the app: the first login of a new database is told it became the admin; header
and tabs read before the app runs are in the first frame."""

from __future__ import annotations

import peewee
from support.app import (
    COMPANY,
    create_customer,
    record_notifications,
    settings_for,
    started,
    wait_for,
)

from tradium_tui.cli import tui
from tradium_tui.config import Settings
from tradium_tui.models import RecentCustomer
from tradium_tui.screens import main as main_module
from tradium_tui.screens.main import load_start
from tradium_tui.services.identity import resolve_login
from tradium_tui.widgets.header import CustomerHeader


async def test_first_login_of_a_new_database_is_told_it_is_admin(new_app, database):
    settings: Settings = settings_for(database)
    login = resolve_login(settings, None, environ={}, login="founder")
    assert login.bootstrapped and login.actor.role.name == "admin"
    app = new_app(login.actor, settings, notice=login.notice)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)

        await wait_for(pilot, lambda: any("first user with role 'admin'" in n for n in notes))
        # The second start is an ordinary one: no notice.
        again = resolve_login(settings, None, environ={}, login="founder")
        assert not again.bootstrapped and again.notice is None


async def test_read_ahead_start_shows_header_and_tabs_in_the_first_frame(team, new_app, database, monkeypatch):
    """The command line reads header and tabs before the app runs: they are on screen
    at once, no start-up worker is needed, and the customer is remembered as opened."""
    admin = team["admin"]
    customer = create_customer(admin, **COMPANY)
    start = load_start(admin)
    assert start.view.id == customer.id and start.order[:2] == ["contacts", "actions"]
    assert not RecentCustomer.select().exists()  # reading the start writes nothing
    reads: list[int] = []
    monkeypatch.setattr(main_module.MainScreen, "_startup", lambda screen: reads.append(1))
    app = new_app(admin, start=start)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.main_screen
        # Header and tab row are there without the screen reading anything itself.
        assert main.query_one(CustomerHeader).view is start.view
        assert main.started and main.tab_order == start.order
        assert reads == []
        await started(pilot)
        await wait_for(pilot, lambda: RecentCustomer.select().exists())
        opened = RecentCustomer.get()
        assert (opened.user_id, opened.customer_id) == (admin.user.id, customer.id)


async def test_read_ahead_of_an_empty_database_starts_without_a_customer(team, new_app, database):
    start = load_start(team["admin"])
    assert start.view is None and start.order
    app = new_app(team["admin"], start=start)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.view is None and main.tab_order == start.order


def test_a_failing_read_ahead_leaves_the_start_to_the_screen(team, database, monkeypatch):
    """A database error while reading ahead is not the command's to report: the main
    screen reads again in a worker and shows the problem like any other."""

    def broken(actor, start_customer=None):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(main_module, "load_start", broken)
    assert tui._read_start(team["admin"]) is None


def test_starting_does_not_load_the_validation_libraries():
    """What the first frame needs (command line, main screen, header data, first tab) loads
    without the IBAN, phone, e-mail and country libraries, the chart library, PostgreSQL's
    URL parser or the demo generator; a form or an import loads them when it first
    validates."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import tradium_tui.cli, tradium_tui.cli.tui, tradium_tui.demo.database\n"
        "import tradium_tui.services.customer_view, tradium_tui.services.search.customers\n"
        "from tradium_tui.screens.main import load_start\n"
        "from tradium_tui.widgets.tabs import tab_widget\n"
        "tab_widget('contacts')\n"
        "heavy = ('schwifty', 'phonenumbers', 'email_validator', 'openpyxl', 'pycountry',\n"
        "         'plotext', 'playhouse.db_url', 'tradium_tui.demo.seed',\n"
        "         'tradium_tui.screens.admin')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
        "from tradium_tui.services import validation\n"
        "validation.check_phone('020 123 4567')\n"
        "print('phonenumbers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, after_validating = out.stdout.splitlines()
    assert loaded == ""
    assert after_validating == "True"
