"""What quotes and orders share: a header with lines that are replaced as a whole.

Reading a document (``NotFound`` when it is gone), its lines in their order, replacing the
lines together with the header's totals in one audited version step (the old and new
lines as text in the audit trail), and deleting a document with its lines (kept in the
audit trail).  Each service keeps its own rules: which statuses allow changes, which
header fields follow from the lines (the order's status), which line columns are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.services import audit, records, text_safety
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import describe_lines
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.history import record_label


@dataclass(frozen=True)
class LinedDocument:
    """A kind of document with lines (quotes, orders)."""

    tab: str  # the permission tab
    noun: str  # "quote", "order": for messages
    header: type[peewee.Model]
    line: type[peewee.Model]
    link: str  # the line's field pointing at the header
    spec: records.RecordSpec  # the header as the forms write it
    lines_spec: records.RecordSpec  # the header fields that follow from the lines
    line_columns: tuple[str, ...]  # the line columns stored (``position`` included)

    def get(self, actor: Actor, document_id: int) -> Any:
        actor.require(self.tab, "view")
        return self.get_or_fail(document_id)

    def get_or_fail(self, document_id: int) -> Any:
        found = self.header.get_or_none(self.header.id == document_id)
        if found is None:
            raise NotFound(_("{record} no longer exists.").format(record=record_label(self.header._meta.table_name, document_id)))
        return found

    def lines(self, document_id: int) -> list[Any]:
        link = getattr(self.line, self.link)
        return list(
            self.line.select().where(link == document_id).order_by(self.line.position, self.line.id)
        )

    def replace_lines(self, actor: Actor, document: Any, cleaned: list[dict[str, Any]],
                      expected_version: int, fields: dict[str, Any]) -> Any:
        """Store ``fields`` (totals, and what else follows from the lines) and, when that
        is a change, the ``cleaned`` lines instead of the stored ones — one version step,
        audited with the lines before and after.  Call inside a write transaction."""
        errors: dict[str, str] = {}
        for number, line in enumerate(cleaned, start=1):
            stored = {k: v for k, v in line.items() if k in self.line_columns}
            errors |= text_safety.check_values(self.line, stored, label=f"line {number} ")
        if errors:
            raise ValidationError(errors)
        before = describe_lines(self.lines(document.id))
        after = describe_lines(cleaned)
        updated = records.update(
            actor, self.lines_spec, document.id, fields, expected_version,
            extra_changes={"lines": (before, after)},
        )
        if updated.version != expected_version:  # something changed: replace the lines
            link = getattr(self.line, self.link)
            self.line.delete().where(link == document.id).execute()
            if cleaned:
                self.line.insert_many([
                    {**{k: v for k, v in line.items() if k in self.line_columns},
                     self.link: document.id}
                    for line in cleaned
                ]).execute()
        return updated

    def delete(self, actor: Actor, document_id: int, expected_version: int) -> None:
        """Delete the document with its lines (the lines are kept in the audit trail)."""
        actor.require(self.tab, "edit")
        with write_transaction():
            document = self.header.get_or_none(self.header.id == document_id)
            lines = ""
            if document is not None and document.version == expected_version:
                lines = describe_lines(self.lines(document_id))
            records.delete(actor, self.spec, document_id, expected_version)
            if lines:
                audit.record(
                    actor.username, self.spec.table, document_id, "delete",
                    {"lines": (lines, None)}, customer_id=document.customer_id,
                    version=expected_version + 1,
                )
