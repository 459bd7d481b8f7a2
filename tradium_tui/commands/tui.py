"""Running the TUI (the default command, and ``--demo``)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    # The TUI is the default when no subcommand is given; nothing to register.
    return None


def run_tui(ctx) -> int:
    from tradium_tui.config import os_login

    if ctx.args.command == "demo-run":
        from tradium_tui.services.demo import ensure_demo_database

        # The person running the demo is its admin; --user then picks who to act as.
        ensure_demo_database(ctx.db_url, admin_login=os_login())
    ctx.open_db()
    login = ctx.login()
    from tradium_tui.app import make_app

    app = make_app(settings=ctx.settings, actor=login.actor, notice=login.notice)
    app.run()
    return int(app.return_code or 0)
