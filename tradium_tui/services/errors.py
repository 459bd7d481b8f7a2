"""Errors the services raise; every message is meant for the user as it is.

The messages are in the language active when the error is raised: the reader's own (the
app and the command line switch to the user's language before any service runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tradium_tui.i18n import _


class ServiceError(Exception):
    """Base class: ``str(exc)`` is a clear sentence for the user."""


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class UnknownUser(ServiceError):
    pass


class ValidationError(ServiceError):
    """Per-field errors (refuse the save) and warnings (save goes on).

    ``errors`` maps field name → message.  The message of the exception lists them.
    """

    def __init__(self, errors: dict[str, str], warnings: dict[str, str] | None = None):
        self.errors = dict(errors)
        self.warnings = dict(warnings or {})
        text = "; ".join(f"{name}: {msg}" for name, msg in self.errors.items())
        super().__init__(text or _("The input is not valid."))


@dataclass
class FieldConflict:
    field: str
    theirs: str | None  # the value now stored (the other user's)
    yours: str | None  # the value this user typed
    by: str  # who changed it
    at: str  # when (ISO, UTC)


@dataclass
class ConflictError(ServiceError):
    """Someone saved the record after the version this update was based on."""

    table: str
    record_id: int
    expected_version: int
    current_version: int
    conflicts: list[FieldConflict] = field(default_factory=list)
    other_changes: list[FieldConflict] = field(default_factory=list)

    def __str__(self) -> str:
        who = ", ".join(sorted({c.by for c in self.conflicts + self.other_changes}))
        values = {"who": who or _("someone else"), "old": self.expected_version,
                  "new": self.current_version,
                  "fields": ", ".join(c.field for c in self.conflicts)}
        if self.conflicts:
            text = _("This record was changed by {who} after you opened it (version {old} → "
                     "{new}); conflicting fields: {fields}. Nothing was saved.")
        else:
            text = _("This record was changed by {who} after you opened it (version {old} → "
                     "{new}); conflicting fields: other fields. Nothing was saved.")
        return text.format(**values)
