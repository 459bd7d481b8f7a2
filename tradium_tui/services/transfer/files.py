"""The files an import reads and an export writes, as files.

Only a regular file is read or written: a folder, named pipe, device or socket is refused
before a byte is read (and, for an export, a symbolic link before anything is replaced).
An import reads at most ``import_max_bytes`` (config); an export writes a temporary file
beside its target and renames it over the target once it is complete.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tradium_tui import formatting as fmt
from tradium_tui.config import get_settings
from tradium_tui.i18n import N_, _
from tradium_tui.services.transfer.reports import UnusableFile

T = TypeVar("T")

# Default most bytes an import reads (config ``import_max_bytes``).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


def max_bytes() -> int:
    try:
        value = int(getattr(get_settings(), "import_max_bytes", DEFAULT_MAX_BYTES))
    except (TypeError, ValueError):
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a device")),
    (stat.S_ISBLK, N_("a device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def _not_regular(mode: int) -> str | None:
    for test, what in _KINDS:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else N_("not a regular file")


def kind_of(path: str | Path) -> str | None:
    """``None`` for a regular file (a symlink to one included), ``"missing"``, or what else
    it is (``"a named pipe (FIFO)"``, ``"a device"``, …); only looks, never opens."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return None  # the reading says why it cannot open it
    return _not_regular(mode)


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` (config ``import_max_bytes``).

    A folder, named pipe, device or socket is refused at once: the file is opened without
    blocking and checked before a single byte is read.
    """
    file = Path(path)
    limit = limit or max_bytes()
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as exc:
        raise UnusableFile(_("The file {file} does not exist.").format(file=file)) from exc
    except IsADirectoryError as exc:
        raise UnusableFile(_("{file} is a folder, not a file.").format(file=file)) from exc
    except OSError as exc:
        raise UnusableFile(_("The file {file} cannot be read: {value}.").format(file=file, value=exc.strerror or exc)) from exc
    try:
        what = _not_regular(os.fstat(fd).st_mode)
        if what == "a folder":
            raise UnusableFile(_("{file} is a folder, not a file.").format(file=file))
        if what:
            raise UnusableFile(_("{file} is {what}, not a regular file; give a CSV or .xlsx file.").format(file=file, what=_(what)))
        if os.fstat(fd).st_size > limit:
            raise UnusableFile(_too_big(file, limit))
        chunks: list[bytes] = []
        size = 0
        with os.fdopen(fd, "rb", closefd=True) as stream:
            fd = -1
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise UnusableFile(_too_big(file, limit))
                chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnusableFile(_("The file {file} cannot be read: {value}.").format(file=file, value=exc.strerror or exc)) from exc
    finally:
        if fd >= 0:
            os.close(fd)


def _too_big(file: Path, limit: int) -> str:
    return _("The file {name} is larger than {limit} bytes, the most an import reads "
             "(setting import_max_bytes); split it or raise the setting.").format(
        name=file.name, limit=fmt.number(limit))


# --------------------------------------------------------------------------- writing


def check_target(file: Path) -> None:
    """An export writes a regular file or a new path, nothing else: a symlink, named
    pipe, device or folder at ``file`` is refused, not replaced."""
    try:
        info = os.lstat(file)
    except FileNotFoundError:
        if not file.parent.is_dir():
            raise UnusableFile(
                _("The file {file} cannot be written: the folder {parent} does not exist.").format(file=file, parent=file.parent)
            ) from None
        return
    except OSError as exc:
        raise UnusableFile(_("The file {file} cannot be written: {value}.").format(file=file, value=exc.strerror or exc)) from exc
    if stat.S_ISLNK(info.st_mode):
        raise UnusableFile(_("{file} is a symbolic link; an export writes only a regular file.").format(file=file))
    what = _not_regular(info.st_mode)
    if what:
        raise UnusableFile(
            _("{file} is {what}; an export writes only a regular file or a new path.").format(file=file, what=_(what))
        )


def _temporary(file: Path) -> Path:
    """A new file beside ``file`` (same folder, so the rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".part", dir=file.parent)
    os.close(fd)
    return Path(name)


def replace_file(file: Path, write: Callable[[Path], T]) -> T:
    """Call ``write(temporary path)`` and put the finished file in place of ``file``.

    The temporary file is in the same folder (so the rename is atomic) and gets the old
    file's permissions; it is removed when anything fails.  An operating-system error
    becomes :class:`UnusableFile`.
    """
    check_target(file)
    tmp: Path | None = None
    try:
        tmp = _temporary(file)
        result = write(tmp)
        _keep_mode(file, tmp)
        check_target(file)
        tmp.replace(file)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise UnusableFile(_("The file {file} cannot be written: {value}.").format(file=file, value=exc.strerror or exc)) from exc
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    return result


def _keep_mode(file: Path, tmp: Path) -> None:
    """The new file gets the old one's permissions (or the usual ones for a new file)."""
    try:
        mode = stat.S_IMODE(os.stat(file).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
