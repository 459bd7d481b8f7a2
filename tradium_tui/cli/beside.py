"""Work done in a child process while this one goes on, its errors brought back.

``tradium-tui --demo`` prepares the demo database (checks the schema and the user; on the
very first start it seeds 1,000 customers, about half a second) while the user interface
is being loaded (another third of a second): beside each other on two processors the start
takes as long as the longer of the two, not both.

On a system without ``fork`` the work runs here, first.  The child process shares nothing
with this one but the files it writes: it is forked before this process opens the
database, and it leaves with ``os._exit`` so nothing of this process's is run twice.
A failure in the child comes back as the same one-sentence error (a database that cannot
be used, a service refusing) that the command line shows for a failure here.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any

from tradium_tui.db import DatabaseUnavailable
from tradium_tui.i18n import _
from tradium_tui.services.errors import ServiceError

# What can come back from the child: the kind of error and its sentence.
_KINDS: dict[str, type[Exception]] = {
    "database": DatabaseUnavailable,
    "service": ServiceError,
    "interrupted": KeyboardInterrupt,
}


def _describe(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, DatabaseUnavailable):
        return "database", str(exc)
    if isinstance(exc, ServiceError):
        return "service", str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", ""
    return "other", f"{type(exc).__name__}: {exc}"


def _rebuild(kind: str, message: str) -> BaseException:
    error = _KINDS.get(kind)
    if error is None:
        return RuntimeError(f"The work done beside the start failed: {message}")
    return error(message) if message else error()


class Beside:
    """``fn(*args, **kwargs)`` run in a child process from now on; :meth:`wait` for it."""

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool | None = None,
                 **kwargs: Any) -> None:
        self._pid: int | None = None
        self._pipe: int | None = None
        self._error: BaseException | None = None
        if fork is None:
            fork = hasattr(os, "fork")
        if not fork:
            try:
                fn(*args, **kwargs)
            except (DatabaseUnavailable, ServiceError) as exc:
                self._error = exc  # raised by wait(), as from the child
            return
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write what is buffered a second time
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            code = 0
            outcome: tuple[str, str] | None = None
            try:
                fn(*args, **kwargs)
            except BaseException as exc:  # all of it goes back to the parent
                outcome, code = _describe(exc), 1
            try:
                with os.fdopen(write, "wb") as pipe:
                    pickle.dump(outcome, pipe)
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, read

    def wait(self) -> None:
        """Wait for the work; raises its error (as the same kind of error) if it failed."""
        if self._pid is None:
            error, self._error = self._error, None
            if error is not None:
                raise error
            return
        pid, pipe = self._pid, self._pipe
        self._pid = self._pipe = None
        assert pipe is not None
        with os.fdopen(pipe, "rb") as reader:
            data = reader.read()
        _pid, status = os.waitpid(pid, 0)
        outcome = pickle.loads(data) if data else None
        if outcome is not None:
            raise _rebuild(*outcome)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(
                _("The work done beside the start ended without an answer (exit status {status}).").format(status=os.waitstatus_to_exitcode(status))
            )
