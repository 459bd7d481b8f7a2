"""Which files import may read and export may write.

On a shared server (the config sets ``lock_identity``) import and export stay under one
folder: the config's ``transfer_dir``, or the user's home when it is not set.  Elsewhere
(``transfer_dir`` unset, one person's machine) any path the login may use is allowed.
Always refused: the config file itself (and the default one), whatever the name it is
reached by (symbolic links are resolved), and, for an import, a file whose name does not
end in a data-file extension, so no message ever shows a line of some other file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tradium_tui.config import DEFAULT_CONFIG_FILE, Settings
from tradium_tui.services.errors import ServiceError

IMPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")


class TransferPathRefused(ServiceError):
    """The path may not be used for an import or export; the message is one sentence."""


@dataclass(frozen=True)
class TransferPolicy:
    allowed: Path | None  # None: no folder limit
    protected: tuple[Path, ...]  # resolved paths never read or written

    def describe(self) -> str:
        return f"under {self.allowed}" if self.allowed else "anywhere"


def _resolve(path: Path) -> Path:
    try:
        return path.expanduser().resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop: treat it as the name given
        return Path(os.path.abspath(path.expanduser()))


def policy_for(settings: Settings) -> TransferPolicy:
    folder: Path | None = None
    if settings.transfer_dir.strip():
        folder = _resolve(Path(settings.transfer_dir.strip()))
    elif settings.lock_identity:
        folder = _resolve(Path.home())
    protected = {_resolve(DEFAULT_CONFIG_FILE)}
    if settings.config_file is not None:
        protected.add(_resolve(Path(settings.config_file)))
    env = os.environ.get("TRADIUM_CONFIG")
    if env:
        protected.add(_resolve(Path(env)))
    return TransferPolicy(allowed=folder, protected=tuple(sorted(protected)))


def _check(policy: TransferPolicy, path: str | Path, action: str) -> Path:
    given = Path(path).expanduser()
    real = _resolve(given)
    if real in policy.protected:
        raise TransferPathRefused(f"{given} is the program's config file; it cannot be {action}.")
    if policy.allowed is not None and not real.is_relative_to(policy.allowed):
        raise TransferPathRefused(
            f"{given} is outside {policy.allowed}, the only folder import and export may "
            f"use on this server."
        )
    return given


def check_import(settings: Settings, path: str | Path) -> Path:
    """``path`` as given when an import may read it; raises :class:`TransferPathRefused`."""
    given = _check(policy_for(settings), path, "imported")
    if not {given.suffix.lower(), _resolve(given).suffix.lower()} <= set(IMPORT_SUFFIXES):
        raise TransferPathRefused(
            f"{given} is not a data file: import reads .csv, .txt, .tsv, .xlsx or "
            f".json/.jsonl files."
        )
    return given


def check_export(settings: Settings, path: str | Path) -> Path:
    """``path`` as given when an export may write it; raises :class:`TransferPathRefused`."""
    return _check(policy_for(settings), path, "overwritten by an export")
