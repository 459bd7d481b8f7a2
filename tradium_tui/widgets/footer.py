"""The Footer every screen uses: Textual's, rebuilt once per burst of binding changes.

Textual's Footer rebuilds all its keys after the next refresh each time the screen says
its bindings changed.  Opening a customer says so several times in one go (focus moves,
keys become enabled), and each rebuild of two dozen keys costs tens of milliseconds, so
start-up and every customer switch paid for the same rebuild many times over.  This
subclass queues at most one rebuild; a change that comes in after the rebuild started
queues the next one, so the keys shown are never stale.

Textual runs after-refresh callbacks on the screen that is current when they are queued;
one queued just before that screen goes away is dropped.  So a queued rebuild that has
not happened after :data:`SAFETY_DELAY` is done anyway — a lost callback can delay the
keys a moment, never freeze them.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

SAFETY_DELAY = 0.5  # seconds


class AppFooter(Footer):
    """A Footer that coalesces rebuild requests (same look, same keys)."""

    safety_delay = SAFETY_DELAY

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rebuild_queued = False
        self._queue_number = 0  # which queued rebuild the safety timer is about

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_queued:
            return  # the queued rebuild reads the bindings as they are by then
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_queued = True  # the parent queued exactly one recompose
            self._queue_number += 1
            number = self._queue_number
            self.set_timer(self.safety_delay, lambda: self._rebuild_if_lost(number))

    def _rebuild_if_lost(self, number: int) -> None:
        if self._rebuild_queued and number == self._queue_number and self.is_attached:
            self._rebuild_queued = False
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        self._rebuild_queued = False
        await super().recompose()
