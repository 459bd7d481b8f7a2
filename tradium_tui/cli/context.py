"""What every command of the command line gets (:class:`Context`) and the one error a
command raises for wrong arguments (:class:`UsageError`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from tradium_tui import i18n
from tradium_tui.config import Settings


class UsageError(Exception):
    """Wrong arguments: the message is shown with the usage line, exit code 2."""


@dataclass
class Context:
    """What every command gets: settings and the resolved options."""

    settings: Settings
    args: argparse.Namespace

    @property
    def db_url(self) -> str:
        return self.args.db or self.settings.db_url

    def open_db(self, upgrade: bool = True):
        from tradium_tui.db import schema  # with the migrations, only for commands that need them

        return schema.init(self.db_url, upgrade=upgrade)

    def login(self):
        """The acting user and how they got in (see services.identity for the rules)."""
        from tradium_tui.services.identity import resolve_login

        return resolve_login(self.settings, self.args.user)

    def actor(self):
        """The acting user for a command; says so on stderr when it bootstrapped the database.
        From here on the command speaks the user's own language, where they have one."""
        login = self.login()
        use_language(self.settings, login.actor)
        if login.notice:
            print(f"tradium-tui: {login.notice}", file=sys.stderr)
        return login.actor


def use_language(settings: Settings, actor=None) -> str:
    """Speak (and format for) ``actor``'s own language, else the configured one."""
    user_language = getattr(getattr(actor, "user", None), "language", "") or ""
    return i18n.use(settings.interface_language(user_language), settings.locale)
