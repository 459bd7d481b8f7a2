"""A banner that says, while it lasts, that the database cannot be reached.

:class:`DatabaseStatus` is hidden while all is well.  It checks the database on a timer
in a thread worker (``services.health.probe``: connect, ``SELECT 1``, disconnect) — every
:attr:`~DatabaseStatus.check_every` seconds while the database answers, every
:attr:`~DatabaseStatus.retry_every` seconds while it does not — and it also follows
:data:`services.health.monitor`, so an outage reported by any worker shows at once.

When the database goes away it shows one line in the error colour, notifies the user
once, and posts :class:`DatabaseStatus.Lost`; when it answers again it hides, notifies
once and posts :class:`DatabaseStatus.Recovered` (the screen reloads what it shows).
Nothing else changes: open forms keep what was typed and can be saved again.
:meth:`DatabaseStatus.retry` checks right away (bind a key to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from tradium_tui.i18n import N_, _
from tradium_tui.services import health as health_service
from tradium_tui.services.health import Health, HealthMonitor

TITLE = N_("Database unavailable")  # shown through _()


def banner_text(health: Health, retry_every: float, retry_key: str | None = None) -> str:
    """The line shown while the database cannot be reached (in the interface language;
    the problem itself is the service's sentence)."""
    if retry_key:
        text = _("⚠ Database unavailable: {problem} What you typed stays on screen; retrying "
                 "every {seconds} s — {key} retries now.")
    else:
        text = _("⚠ Database unavailable: {problem} What you typed stays on screen; retrying "
                 "every {seconds} s.")
    return text.format(problem=health.text, seconds=f"{retry_every:g}", key=retry_key)


class DatabaseStatus(Static):
    """Hidden while the database answers; one line in the error colour while it does not."""

    DEFAULT_CSS = """
    DatabaseStatus {
        height: auto;
        display: none;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    DatabaseStatus.-down {
        display: block;
    }
    """

    @dataclass
    class Lost(Message):
        """The database stopped answering."""

        health: Health

    @dataclass
    class Recovered(Message):
        """The database answers again."""

        health: Health

    @dataclass
    class _Changed(Message):
        health: Health

    @dataclass
    class _Checked(Message):
        health: Health

    def __init__(
        self,
        *,
        retry_key: str | None = None,
        check_every: float = 5.0,
        retry_every: float = 2.0,
        monitor: HealthMonitor | None = None,
        notify: bool = True,
        **kwargs,
    ) -> None:
        super().__init__("", markup=False, **kwargs)
        self.retry_key = retry_key
        self.check_every = check_every
        self.retry_every = retry_every
        self.monitor = monitor or health_service.monitor
        self.send_notifications = notify
        self.down = False
        self.down_since: float | None = None
        self.checks = 0  # finished checks (tests wait on this)
        self._timer: Timer | None = None
        self._unsubscribe = None

    # ----------------------------------------------------------------- life cycle

    def on_mount(self) -> None:
        self._unsubscribe = self.monitor.subscribe(self._heard)
        if self.monitor.ok:
            self._schedule()
        else:
            # The process saw an outage before this banner existed: confirm it first.
            self._check()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _heard(self, health: Health) -> None:
        # Called in whichever thread reported; post_message is thread-safe.
        self.post_message(self._Changed(health))

    # ----------------------------------------------------------------- checking

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        delay = self.retry_every if self.down else self.check_every
        self._timer = self.set_timer(delay, self._tick, name="database-check")

    def _tick(self) -> None:
        self._timer = None
        self._check()

    def retry(self) -> None:
        """Check the database now (a key binding calls this)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._check()

    @work(thread=True, exclusive=True, exit_on_error=False, group="database-check")
    def _check(self) -> None:
        health = self.monitor.check()
        self.post_message(self._Checked(health))

    def on_database_status__checked(self, message: _Checked) -> None:
        message.stop()
        self.checks += 1
        self._apply(message.health)
        self._schedule()

    def on_database_status__changed(self, message: _Changed) -> None:
        message.stop()
        was_down = self.down
        self._apply(message.health)
        if self.down != was_down:
            self._schedule()  # retry sooner while down, relax once back

    # ----------------------------------------------------------------- showing

    def _apply(self, health: Health) -> None:
        if not health.ok:
            if not self.down:
                self.down = True
                self.down_since = health.at
                self.add_class("-down")
                if self.send_notifications:
                    self.app.notify(
                        _("{problem} What you typed stays on screen; the program keeps "
                          "retrying and carries on when the database is back.").format(
                            problem=health.text),
                        title=_(TITLE), severity="error", timeout=10,
                    )
                self.post_message(self.Lost(health))
            self.update(banner_text(health, self.retry_every, self.retry_key))
            self.tooltip = health.text
        elif self.down:
            self.down = False
            self.down_since = None
            self.remove_class("-down")
            self.update("")
            if self.send_notifications:
                self.app.notify(_("The database answers again."), title=_("Database back"),
                                timeout=4)
            self.post_message(self.Recovered(health))
