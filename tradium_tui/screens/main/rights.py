"""Following a rights change an admin makes while the user works: a small query every
few seconds, and only when it differs the rights and tabs read again."""

from __future__ import annotations

from textual import work
from textual.message import Message

from tradium_tui import db
from tradium_tui.i18n import _
from tradium_tui.screens.main.startup import start_tabs
from tradium_tui.services.access import (
    Actor,
    actor_for,
    refresh_actor,
    rights_stamp,
)
from tradium_tui.services.errors import UnknownUser


class RightsChanged(Message):
    """An admin changed this user's rights: the new actor and its visible tabs
    (``actor`` is ``None`` when the user was deactivated or removed)."""

    def __init__(self, actor: Actor | None, order: list[str], stamp: tuple | None,
                 reason: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.order = order
        self.stamp = stamp
        self.reason = reason


class RightsWatch:
    """Keys and tabs following this user's rights, for :class:`~.screen.MainScreen`."""

    # Seconds between two looks at this user's rights (a rights change made by an admin
    # reaches the session within this time).
    RIGHTS_POLL_SECONDS = 2.0

    def check_rights(self) -> None:
        """Look (in a worker) whether an admin changed this user's rights."""
        if self.actor.user is None or self.actor.user.id is None:
            return
        self._check_rights(self.actor.user.id, self.actor.username, self._rights_stamp)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rights")
    def _check_rights(self, user_id: int, username: str, known: tuple | None) -> None:
        """One small query; only when it differs are the rights and tabs read again."""
        try:
            with db.database.connection_context():
                stamp = rights_stamp(user_id)
                if stamp == known:
                    return
                try:
                    fresh = actor_for(username)
                except UnknownUser as exc:
                    self.post_message(RightsChanged(None, [], stamp, reason=str(exc)))
                    return
                self.post_message(RightsChanged(fresh, start_tabs(fresh), stamp))
        except Exception:  # the database status widget reports an outage; look again later
            return

    async def on_rights_changed(self, message: RightsChanged) -> None:
        message.stop()
        self._rights_stamp = message.stamp
        if message.actor is None:
            self.app.exit(return_code=2, message=f"tradium-tui: {message.reason}")
            return
        refresh_actor(self.actor, message.actor)
        for screen in self.app.screen_stack:
            if screen is not self:
                screen.refresh_bindings()
        if message.order != self.tab_order:
            await self.apply_tab_order(message.order)
        for pane in self.panes():
            pane.refresh_bindings()
        self.refresh_bindings()
        self.reload_customer()
        self.notify(_("An admin changed your rights; the tabs and keys follow them now."),
                    title=_("Rights changed"), timeout=6)
