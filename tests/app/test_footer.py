"""The app's Footer: the focused chain's keys on one line, kept current, usable by mouse."""

from __future__ import annotations

from contextlib import asynccontextmanager

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from tradium_tui.widgets.footer import MORE, SEPARATOR, AppFooter


class KeysApp(App):
    BINDINGS = [
        Binding("x", "toggle", "Toggle", id="toggle", tooltip="Toggle the thing."),
        Binding("y", "other", "Other", id="other"),
        Binding("h", "hidden", "Hidden", id="hidden", show=False),
        Binding("z", "zeta", "Zeta", id="zeta"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.toggle_state: bool | None = True  # True shown, None greyed out, False hidden
        self.ran: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield AppFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "toggle":
            return self.toggle_state
        return True

    def action_toggle(self) -> None:
        self.ran.append("toggle")

    def action_other(self) -> None:
        self.ran.append("other")

    def action_zeta(self) -> None:
        self.ran.append("zeta")

    def bell(self) -> None:
        self.bells += 1


@asynccontextmanager
async def running(size: tuple[int, int]):
    """The keys app started at ``size``: (app, pilot, its Footer)."""
    app = KeysApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot, app.query_one(AppFooter)


def span_of(footer: AppFooter, action: str):
    return next(span for span in footer._spans if span.entry.binding.action == action)


async def test_shows_the_keys_with_the_palette_key_on_the_right():
    async with running((80, 5)) as (app, pilot, footer):
        line = footer.text()
        assert len(line) == 80
        assert line.startswith(" x Toggle  y Other  z Zeta ")
        assert "Hidden" not in line  # show=False stays out
        assert line.rstrip().endswith(f"{SEPARATOR}^p palette")  # Textual's own label


async def test_follows_binding_changes_and_dims_unavailable_keys():
    async with running((80, 5)) as (app, pilot, footer):
        app.toggle_state = None  # available later: shown dimmed
        app.screen.refresh_bindings()
        await pilot.pause()
        text = footer.render()
        start = text.plain.index("Toggle")
        assert text.get_style_at_offset(app.console, start).dim
        assert not text.get_style_at_offset(app.console, text.plain.index("Other")).dim
        app.toggle_state = False  # not here at all
        app.screen.refresh_bindings()
        await pilot.pause()
        assert "Toggle" not in footer.text()
        assert footer.text().startswith(" y Other ")


async def test_clicking_a_key_presses_it_and_an_unavailable_one_rings():
    async with running((80, 5)) as (app, pilot, footer):
        await pilot.click(AppFooter, offset=(span_of(footer, "other").start + 1, 0))
        await pilot.pause()
        assert app.ran == ["other"]
        app.toggle_state = None
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.click(AppFooter, offset=(span_of(footer, "toggle").start + 1, 0))
        await pilot.pause()
        assert app.ran == ["other"] and app.bells == 1
        # The command-palette key opens the palette.
        await pilot.click(AppFooter, offset=(79 - 3, 0))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_hovering_a_key_shows_its_tooltip():
    async with running((80, 5)) as (app, pilot, footer):
        await pilot.hover(AppFooter, offset=(span_of(footer, "toggle").start + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "Toggle the thing."
        text = footer.render()
        hovered = text.get_style_at_offset(app.console, text.plain.index("Toggle"))
        other = text.get_style_at_offset(app.console, text.plain.index("Other"))
        assert hovered.bgcolor != other.bgcolor  # the hovered key stands out
        await pilot.hover(AppFooter, offset=(span_of(footer, "other").start + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "Other"  # no tooltip of its own: the description


async def test_keys_that_do_not_fit_end_in_an_ellipsis_and_scroll_into_view():
    async with running((30, 5)) as (app, pilot, footer):
        line = footer.text()
        assert len(line) == 30 and MORE in line
        assert "Zeta" not in line and line.rstrip().endswith("^p palette")
        for _ in range(2):
            footer.post_message(events.MouseScrollDown(footer, 2, 0, 0, 0, 0, False, False, False))
            await pilot.pause()
        assert "Zeta" in footer.text()
        footer.post_message(events.MouseScrollUp(footer, 2, 0, 0, 0, 0, False, False, False))
        footer.post_message(events.MouseScrollUp(footer, 2, 0, 0, 0, 0, False, False, False))
        await pilot.pause()
        assert footer.text().startswith(" x Toggle")


async def test_compact_style_has_less_space():
    async with running((80, 5)) as (app, pilot, footer):
        footer.compact = True
        await pilot.pause()
        assert footer.text().startswith("x Toggle y Other z Zeta ")


async def test_keys_that_do_not_fit_one_line_take_a_second_on_a_taller_terminal():
    async with running((30, 30)) as (app, pilot, footer):
        assert footer.lines_allowed() == 2
        lines = footer.text().split("\n")
        assert footer.size.height == 2 and len(lines) == 2
        assert lines[0].startswith(" x Toggle  y Other  z Zeta")  # all keys, in order
        assert lines[1].rstrip().endswith(f"{SEPARATOR}^p palette")  # bottom right
        # A click on the second line reaches the palette key there.
        await pilot.click(AppFooter, offset=(27, 1))
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_one_line_again_when_the_keys_fit():
    async with running((30, 30)) as (app, pilot, footer):
        app.toggle_state = False
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer.size.height == 1
        assert footer.text().startswith(" y Other  z Zeta") and "^p palette" in footer.text()


class Dialog(ModalScreen):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="close")]

    def compose(self) -> ComposeResult:
        yield AppFooter(show_command_palette=False)


async def test_a_dialogs_footer_covers_the_taller_footer_beneath():
    """The keys of the screen behind a dialog do not work while it is open: none show."""
    async with running((30, 30)) as (app, pilot, footer):
        assert footer.size.height == 2
        await app.push_screen(Dialog())
        await pilot.pause()
        footer = app.screen.query_one(AppFooter)
        assert footer.size.height == 2
        lines = footer.text().split("\n")
        assert lines[0].strip() == "" and lines[1].startswith(" esc Close")
        await pilot.click(AppFooter, offset=(2, 1))
        await pilot.pause()
        assert not isinstance(app.screen, Dialog)


async def test_the_keys_take_the_colours_of_a_new_theme():
    async with running((80, 5)) as (app, pilot, footer):
        before = footer.render().get_style_at_offset(app.console, 1).color
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert footer.render().get_style_at_offset(app.console, 1).color != before
