"""The Textual application: one main screen, global bindings, command palette providers.

:func:`make_app` is the factory shared by the command line and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tradium_tui import i18n
from tradium_tui.config import Settings, get_settings
from tradium_tui.i18n import LANGUAGES, N_, _, current_language, language_name
from tradium_tui.keymap import read_keymap
from tradium_tui.palette import CustomerSearchProvider
from tradium_tui.screens.main.screen import MainScreen
from tradium_tui.services.access import Actor
from tradium_tui.services.identity import resolve_actor
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.safe_text import markup_escaped

# Textual's own palette commands, so the catalogues have them (shown through _()).
TEXTUAL_COMMAND_TEXTS = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
)


class TradiumApp(App[int]):
    """tradium-tui: customer header above tabs, a finder one key away."""

    TITLE = "tradium-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CustomerSearchProvider}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True,
                tooltip=N_("Leave tradium-tui.")),
        Binding("ctrl+p", "command_palette", N_("Commands"), id="command_palette",
                tooltip=N_("Search customers and commands.")),
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
            actor = resolve_actor(self.settings, None)
        self.actor = actor
        self.start_customer = start_customer
        # What the first frame shows, when read before the app ran (screens.main.startup.load_start).
        self.start = start
        # A message for the user on start (e.g. "you are the first admin of this database").
        self.startup_notice = notice
        # The user's own language wins over the config's; formatting follows the language.
        user_language = getattr(getattr(actor, "user", None), "language", "") or ""
        i18n.use(self.settings.interface_language(user_language), self.settings.locale)
        # The user's own keys ([keymap] in the config file); what cannot be used is said
        # once the main screen is up.
        self.keymap, self.keymap_problems = read_keymap(self.settings.keymap)
        if self.keymap:
            self.set_keymap(self.keymap)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            # The screen the key is handed to (see _on_key).
            event.sent_to_screen = self.screen  # type: ignore[attr-defined]
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """Keys typed right after the key that opened a form go into the form.

        Keys that arrive together (over SSH a burst of typing comes in one read) are all
        handed to the focused widget of the screen shown at that moment; when the first
        of them opens a form, the others come back here meant for a screen that is no
        longer on top, and would be lost.  They are sent on again, in the order they
        come, to the form, which keeps what is typed while it opens.
        """
        screen = self.screen
        sent_to = getattr(event, "sent_to_screen", None)
        if (sent_to is not None and sent_to is not screen
                and getattr(screen, "TAKES_TYPEAHEAD", False)):
            event.prevent_default()  # not the bindings of the screen it was meant for
            event.stop()
            self.post_message(events.Key(event.key, event.character))

    def on_mount(self) -> None:
        self.sub_title = self.actor.username
        start, self.start = self.start, None
        self.push_screen(MainScreen(self.actor, start_customer=self.start_customer, start=start))
        if self.startup_notice:
            # After the main screen is up, so the toast lands on it.
            self.call_after_refresh(self.notify, self.startup_notice, title=_("Welcome"),
                                    timeout=15)
        if self.keymap_problems:
            where = f" in {self.settings.config_file}" if self.settings.config_file else ""
            self.call_after_refresh(
                self.notify, "\n".join(self.keymap_problems), title=f"Keymap{where}",
                severity="warning", timeout=30, markup=False)

    @property
    def main_screen(self):
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
        for command in super().get_system_commands(screen):  # Textual's, translated
            yield command._replace(title=_(command.title), help=_(command.help))
        for code in LANGUAGES:
            if code != current_language():
                name = language_name(code)
                yield SystemCommand(
                    _("Language: {language}").format(language=name),
                    _("For the rest of this session"),
                    partial(self.switch_language, code),
                )
        main = self.main_screen
        if main is None:
            return
        # The palette reads a command's help as markup; ours quote stored names.
        for command in main.palette_commands():
            yield command._replace(help=markup_escaped(command.help))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text: the messages quote stored values (a name with
        ``[bold]`` or an unbalanced ``[/]`` in it must show as typed, not as markup or a
        markup error), and control characters in them are made visible."""
        super().notify(shown(message, multiline=True), title=shown(title), severity=severity,
                       timeout=timeout, markup=False)

    def action_command_palette(self) -> None:
        """The command palette, with its prompt in the interface language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"),
                                            id="--command-palette"))

    def switch_language(self, code: str) -> None:
        """Speak ``code`` for the rest of this session: header, tabs, Footer and the open
        tab are drawn again in it, numbers and dates formatted for it (nothing is stored:
        a user's own language is set by an admin)."""
        language = i18n.use(code, self.settings.locale)
        main = self.main_screen
        if main is not None:
            main.retranslate()
        for screen in self.screen_stack:
            screen.refresh_bindings()
        self.notify(_("Interface language: {language}.").format(
            language=language_name(language)), timeout=4)


def make_app(settings: Settings | None = None, actor: Actor | None = None, **kwargs: Any) -> TradiumApp:
    """Build the app for ``actor`` (the CLI and the tests both use this)."""
    return TradiumApp(settings=settings, actor=actor, **kwargs)
