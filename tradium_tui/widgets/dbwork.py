"""Database work inside thread workers: one connection per worker, errors as notifications.

Every worker body that touches the database runs inside :class:`db_guard`::

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        with db_guard(self, "Loading contacts"):
            rows = contacts.list_contacts(...)
            self.post_message(...)

The guard opens (and closes) the worker thread's own connection, and turns any error
into a notification with one readable sentence; the app never shows a traceback for a
database or service problem.
"""

from __future__ import annotations

import logging
from typing import Any

import peewee

from tradium_tui import db
from tradium_tui.i18n import _
from tradium_tui.services import health
from tradium_tui.services.errors import ServiceError

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """One sentence for the user, whatever went wrong."""
    if isinstance(exc, ServiceError | db.DatabaseUnavailable):
        return str(exc)
    if isinstance(exc, peewee.OperationalError | peewee.InterfaceError):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _("The database cannot be reached or is busy ({detail}); please try again."
                 ).format(detail=first)
    if isinstance(exc, peewee.IntegrityError):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _("The database refused the change ({detail}).").format(detail=first)
    if isinstance(exc, peewee.DatabaseError):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _("The database reported an error: {detail}.").format(detail=first)
    return _("Something went wrong: {error}: {detail}").format(error=type(exc).__name__,
                                                                detail=exc)


class db_guard:  # noqa: N801 - used like a function in ``with`` statements
    """Own connection for the current thread; errors become a notification.

    ``raise_`` lists exception types to let through (a form wants its ValidationError).
    After the block, ``failed`` tells whether an error was swallowed.
    """

    def __init__(self, node: Any, what: str = "", raise_: tuple[type[BaseException], ...] = ()):
        self.node = node
        self.what = what
        self.raise_ = raise_
        self.failed = False
        self._ctx = None

    def __enter__(self) -> db_guard:
        self._ctx = db.database.connection_context()
        try:
            self._ctx.__enter__()
        except Exception as exc:  # connecting failed
            self._ctx = None
            self._report(exc)
            raise _Abort() from exc
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._ctx is not None:
            try:
                self._ctx.__exit__(None, None, None)
            except Exception:  # closing a broken connection
                log.debug("closing the worker connection failed", exc_info=True)
        if exc is None:
            health.monitor.report_ok()
            return False
        if isinstance(exc, _Abort):
            return True
        if self.raise_ and isinstance(exc, self.raise_):
            return False
        self._report(exc)
        return True

    def _report(self, exc: BaseException) -> None:
        self.failed = True
        health.monitor.report_failure(exc)  # an outage shows at once in the status banner
        if not isinstance(exc, ServiceError):
            log.warning("database work failed: %s", self.what, exc_info=exc)
        text = error_text(exc)
        try:
            app = self.node.app
        except Exception:  # the node was removed meanwhile
            return
        title = self.what or _("Error")
        app.notify(text, title=title, severity="error", timeout=8)


class _Abort(Exception):
    """Connecting failed; already reported."""
