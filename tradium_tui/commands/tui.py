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
        from tradium_tui.commands.beside import Beside
        from tradium_tui.services.demo_database import ensure_demo_database

        # The person running the demo is its admin; --user then picks who to act as.
        # Prepared (on the first start: seeded) in a child process while this one loads
        # the user interface.
        preparing = Beside(ensure_demo_database, ctx.db_url, admin_login=os_login())
    from tradium_tui.app import make_app
    from tradium_tui.screens import main  # noqa: F401  (loaded here, beside the preparing)

    if preparing is not None:
        preparing.wait()
    ctx.open_db()
    login = ctx.login()
    app = make_app(settings=ctx.settings, actor=login.actor, notice=login.notice,
                   start=_read_start(login.actor))
    app.run()
    return int(app.return_code or 0)


def _read_start(actor):
    """Header and tabs read before the app runs, so the first frame shows them.

    Any failure here is left to the main screen, which reads the same in a worker and
    shows a database problem the way it shows any other.
    """
    import peewee

    from tradium_tui import db as dbmod
    from tradium_tui.screens.main import load_start
    from tradium_tui.services.errors import ServiceError

    try:
        with dbmod.database.connection_context():
            return load_start(actor)
    except (peewee.DatabaseError, peewee.InterfaceError, ServiceError):
        return None
