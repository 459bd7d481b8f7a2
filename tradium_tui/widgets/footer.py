"""The Footer every screen uses: Textual's, rebuilt once per burst of binding changes.

Textual's Footer rebuilds all its keys after the next refresh each time the screen says
its bindings changed.  Opening a customer says so several times in one go (focus moves,
keys become enabled), and each rebuild of two dozen keys costs tens of milliseconds, so
start-up and every customer switch paid for the same rebuild many times over.  This
subclass queues at most one rebuild; a change that comes in after the rebuild started
queues the next one, so the keys shown are never stale.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class AppFooter(Footer):
    """A Footer that coalesces rebuild requests (same look, same keys)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rebuild_queued = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_queued:
            return  # the queued rebuild reads the bindings as they are by then
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_queued = True  # the parent queued exactly one recompose

    async def recompose(self) -> None:
        self._rebuild_queued = False
        await super().recompose()
