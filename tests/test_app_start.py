"""Starting the app: the first login of a new database is told it became the admin."""

from __future__ import annotations

from app_support import record_notifications, settings_for, started, wait_for

from tradium_tui.app import make_app
from tradium_tui.config import Settings
from tradium_tui.services.identity import resolve_login


async def test_first_login_of_a_new_database_is_told_it_is_admin(database):
    settings: Settings = settings_for(database)
    login = resolve_login(settings, None, environ={}, login="founder")
    assert login.bootstrapped and login.actor.role.name == "admin"
    app = make_app(settings=settings, actor=login.actor, notice=login.notice)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)

        await wait_for(pilot, lambda: any("first user with role 'admin'" in n for n in notes))
        # The second start is an ordinary one: no notice.
        again = resolve_login(settings, None, environ={}, login="founder")
        assert not again.bootstrapped and again.notice is None
