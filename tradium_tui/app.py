"""The Textual application: one main screen, global bindings, command palette providers.

:func:`make_app` is the factory shared by the command line and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tradium_tui import i18n
from tradium_tui.commands_palette import CustomerSearchProvider
from tradium_tui.config import Settings, get_settings
from tradium_tui.services.access import Actor


class TradiumApp(App[int]):
    """tradium-tui: customer header above tabs, a finder one key away."""

    TITLE = "tradium-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CustomerSearchProvider}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Leave tradium-tui."),
        Binding("ctrl+p", "command_palette", "Commands", id="command_palette",
                tooltip="Search customers and commands."),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        actor: Actor | None = None,
        *,
        start_customer: int | None = None,
        start: Any | None = None,
        notice: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.settings = settings or get_settings()
        if actor is None:
            # The same rule as the command line: --user / TRADIUM_USER / the OS login.
            from tradium_tui.services.identity import resolve_actor

            actor = resolve_actor(self.settings, None)
        self.actor = actor
        self.start_customer = start_customer
        # What the first frame shows, when read before the app ran (screens.main.load_start).
        self.start = start
        # A message for the user on start (e.g. "you are the first admin of this database").
        self.startup_notice = notice
        # The user's own language wins over the config's; formatting follows the language.
        user_language = getattr(getattr(actor, "user", None), "language", "") or ""
        i18n.use(self.settings.interface_language(user_language), self.settings.locale)

    def on_mount(self) -> None:
        from tradium_tui.screens.main import MainScreen

        self.sub_title = self.actor.username
        start, self.start = self.start, None
        self.push_screen(MainScreen(self.actor, start_customer=self.start_customer, start=start))
        if self.startup_notice:
            # After the main screen is up, so the toast lands on it.
            self.call_after_refresh(self.notify, self.startup_notice, title="Welcome", timeout=15)

    @property
    def main_screen(self):
        from tradium_tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def open_customer(self, customer_id: int) -> None:
        """Open a customer on the main screen (closing dialogs above it)."""
        main = self.main_screen
        if main is None:
            return
        while self.screen is not main:
            self.pop_screen()
        main.open_customer(customer_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main_screen
        if main is None:
            return
        yield from main.palette_commands()


def make_app(settings: Settings | None = None, actor: Actor | None = None, **kwargs: Any) -> TradiumApp:
    """Build the app for ``actor`` (the CLI and the tests both use this)."""
    return TradiumApp(settings=settings, actor=actor, **kwargs)
