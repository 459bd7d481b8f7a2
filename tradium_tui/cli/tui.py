"""Running the TUI (the default command, and ``--demo``)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    # The TUI is the default when no subcommand is given; nothing to register.
    return None


def run_tui(ctx) -> int:
    from tradium_tui.config import os_login

    preparing = None
    if ctx.args.command == "demo-run":
        from tradium_tui.cli.beside import Beside
        from tradium_tui.demo.database import ensure_demo_database

        # The person running the demo is its admin; --user then picks who to act as.
        # Prepared (on the first start: seeded) in a child process while this one loads
        # the user interface.
        preparing = Beside(ensure_demo_database, ctx.db_url, admin_login=os_login())
    from tradium_tui.app import make_app
    from tradium_tui.screens.main import screen  # noqa: F401  (loaded here, beside the preparing)

    if preparing is not None:
        _load_while_waiting(ctx.settings)
        preparing.wait()
    ctx.open_db()
    login = ctx.login()
    from tradium_tui.cli import use_language

    use_language(ctx.settings, login.actor)  # before the start is read: header words too
    app = make_app(settings=ctx.settings, actor=login.actor, notice=login.notice,
                   start=_read_start(login.actor))
    app.run()
    return int(app.return_code or 0)


def _load_while_waiting(settings) -> None:
    """What reading the start needs anyway, loaded while the demo database is prepared
    (on the first start that takes longer than loading the interface)."""
    from tradium_tui.services import customer_view  # noqa: F401
    from tradium_tui.services.countries import country_name
    from tradium_tui.widgets.tabs import tab_widget

    tab_widget("contacts")  # first in every role's default order
    from tradium_tui.i18n import current_language

    country_name("NL", current_language())  # reads the language's data


def _read_start(actor):
    """Header and tabs read before the app runs, so the first frame shows them.

    Any failure here is left to the main screen, which reads the same in a worker and
    shows a database problem the way it shows any other.
    """
    import peewee

    from tradium_tui import db as dbmod
    from tradium_tui.screens.main.startup import load_start
    from tradium_tui.services.errors import ServiceError

    try:
        with dbmod.database.connection_context():
            return load_start(actor)
    except (peewee.DatabaseError, peewee.InterfaceError, ServiceError):
        return None
