"""Errors the services raise; every message is meant for the user as it is."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        super().__init__(text or "The input is not valid.")


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
        who = sorted({c.by for c in self.conflicts + self.other_changes}) or ["someone else"]
        fields = ", ".join(c.field for c in self.conflicts) or "other fields"
        return (
            f"This record was changed by {', '.join(who)} after you opened it "
            f"(version {self.expected_version} → {self.current_version}); "
            f"conflicting fields: {fields}. Nothing was saved."
        )
