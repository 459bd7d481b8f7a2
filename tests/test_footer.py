"""The app's Footer rebuilds once per burst of binding changes and never shows stale keys."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from tradium_tui.widgets.footer import AppFooter


class CountingFooter(AppFooter):
    def __init__(self) -> None:
        super().__init__()
        self.rebuilds = 0

    async def recompose(self) -> None:
        self.rebuilds += 1
        await super().recompose()


class KeysApp(App):
    BINDINGS = [Binding("x", "toggle", "Toggle", id="toggle")]

    def __init__(self) -> None:
        super().__init__()
        self.toggle_enabled = True

    def compose(self) -> ComposeResult:
        yield CountingFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "toggle":
            return self.toggle_enabled
        return True

    def action_toggle(self) -> None:
        pass


async def until(pilot, predicate, rounds: int = 200) -> None:
    """Let the app run (timers included) until ``predicate()`` holds."""
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause(0.01)
    raise AssertionError("the Footer did not rebuild")


def shows_toggle(footer: AppFooter) -> bool:
    return any(key.action == "toggle" for key in footer.query(FooterKey))


async def test_a_burst_of_binding_changes_rebuilds_the_footer_once():
    app = KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(CountingFooter)
        before = footer.rebuilds
        assert shows_toggle(footer)
        app.toggle_enabled = False  # hidden from the Footer
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer.rebuilds == before + 1
        assert not shows_toggle(footer)  # the one rebuild saw the final state
        # A later change is not lost behind the first one.
        app.toggle_enabled = True
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer.rebuilds == before + 2
        assert shows_toggle(footer)


async def test_a_lost_rebuild_is_done_anyway():
    """Textual drops an after-refresh callback queued just before its screen goes away;
    the Footer then rebuilds by itself instead of keeping stale keys."""
    app = KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(CountingFooter)
        footer.safety_delay = 0.01
        lost: list = []
        footer.call_after_refresh = lambda callback, *args, **kwargs: lost.append(callback)
        before = footer.rebuilds
        app.toggle_enabled = False
        app.screen.refresh_bindings()
        await until(pilot, lambda: footer.rebuilds == before + 1)
        assert lost  # the parent's rebuild went nowhere
        assert not shows_toggle(footer)
        # And the next change is not blocked by the lost one.
        app.toggle_enabled = True
        app.screen.refresh_bindings()
        await until(pilot, lambda: footer.rebuilds == before + 2)
        assert shows_toggle(footer)
