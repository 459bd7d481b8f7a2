"""Can the database be reached?  A probe, an outage test for errors, and a shared monitor.

When a shared PostgreSQL server goes away (restart, network, maintenance) every session
should say so clearly, keep what people typed, and carry on by itself once the server is
back.  This module holds the part of that which knows nothing about the screen:

* :func:`probe` opens a connection of its own in the calling thread, runs ``SELECT 1``
  and closes it again, answering a :class:`Health`.  Call it from a worker thread.
* :func:`is_outage` tells an error that means "the database cannot be reached" (server
  down, connection lost, file gone) from one that means "this change was refused"
  (a constraint, a lock timeout, a validation or permission error).
* :data:`monitor` (a :class:`HealthMonitor`) remembers the last known state for the
  whole process and tells its listeners when it changes.  Anything that sees a database
  error may report it (:meth:`HealthMonitor.report_failure`); the probe reports both
  ways.

Nothing here retries on its own: the caller decides when to probe (the status widget
does so on a timer, faster while the database is away).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import peewee

from tradium_tui import db
from tradium_tui.db.schema import SchemaTooNew
from tradium_tui.i18n import _

# SQLite messages that mean "busy, try again" rather than "gone".
_SQLITE_BUSY = ("database is locked", "database table is locked", "busy")


@dataclass(frozen=True)
class Health:
    """The outcome of a probe or a reported error."""

    ok: bool
    # One sentence for the user when not ok.
    text: str = ""
    # ``time.monotonic()`` of the observation.
    at: float = field(default_factory=time.monotonic)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - psycopg2 is a dependency
        return ()
    return (psycopg2.OperationalError, psycopg2.InterfaceError)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` means the database cannot be reached or the connection broke."""
    if isinstance(exc, db.DatabaseUnavailable):
        return not isinstance(exc, SchemaTooNew)
    if isinstance(exc, peewee.InterfaceError):
        return True
    if isinstance(exc, (peewee.OperationalError, *_driver_errors())):
        text = _first_line(exc).lower()
        if db.is_sqlite() and any(word in text for word in _SQLITE_BUSY):
            return False
        if "lock timeout" in text or "deadlock" in text or "statement timeout" in text:
            return False
        return True
    return False


def describe(exc: BaseException) -> str:
    """One sentence for an outage error."""
    if isinstance(exc, db.DatabaseUnavailable):
        return str(exc)
    return _("The database cannot be reached ({reason}).").format(reason=_first_line(exc))


def probe() -> Health:
    """Connect in this thread, ``SELECT 1``, disconnect.  Never raises for database errors."""
    try:
        with db.database.connection_context():
            db.database.execute_sql("SELECT 1")
    except Exception as exc:  # any failure to connect or answer is "not reachable"
        if not is_outage(exc) and not isinstance(exc, peewee.DatabaseError):
            raise
        return Health(ok=False, text=describe(exc))
    return Health(ok=True)


Listener = Callable[[Health], None]


class HealthMonitor:
    """The last known state of the database for this process (thread-safe).

    Listeners are called with the new :class:`Health` whenever the state flips (from
    reachable to unreachable or back), in the thread that reported it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = Health(ok=True)
        self._listeners: list[Listener] = []
        self.failures = 0  # outages noticed since the process started (for tests)

    @property
    def state(self) -> Health:
        with self._lock:
            return self._state

    @property
    def ok(self) -> bool:
        return self.state.ok

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(health)`` on every change; returns the unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _set(self, health: Health) -> bool:
        with self._lock:
            changed = health.ok != self._state.ok or (
                not health.ok and health.text != self._state.text
            )
            flipped = health.ok != self._state.ok
            self._state = health
            if flipped and not health.ok:
                self.failures += 1
            listeners = list(self._listeners) if changed else []
        for listener in listeners:
            listener(health)
        return flipped

    def report(self, health: Health) -> bool:
        """Record an observation; True when the state flipped."""
        return self._set(health)

    def report_failure(self, exc: BaseException) -> bool:
        """Record an error seen while working; only outages count.  True when it is one."""
        if not is_outage(exc):
            return False
        self._set(Health(ok=False, text=describe(exc)))
        return True

    def report_ok(self) -> None:
        """Database work just succeeded."""
        if not self.ok:
            self._set(Health(ok=True))

    def check(self) -> Health:
        """Probe now (in this thread) and record the result."""
        health = probe()
        self._set(health)
        return health


monitor = HealthMonitor()
