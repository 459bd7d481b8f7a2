"""The Notes tab: free text with author and time, newest first, pinned ones on top."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _
from tradium_tui.services import notes as notes_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, detail_lines, record_bindings


class NotesTab(TabView):
    TAB = "notes"
    TITLE = N_("Notes")
    RECORD = "note"
    EMPTY = N_("No notes for this customer yet.")
    COLUMNS = (("", 2), (N_("Written"), 16), (N_("By"), 10), (N_("Note"), None))
    TEXTS = {"new": N_("New note"), "edit": N_("Edit note"),
             "saved": N_("Note saved."), "deleted": N_("Note deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"toggle_pin"})
    BINDINGS = record_bindings(
        "notes", N_("New note"),
        extra=[Binding("p", "toggle_pin", N_("Pin/unpin"), id="notes_toggle_pin",
                       tooltip=N_("Keep the selected note on top, or not."))],
    )

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return notes_service.list_notes(self.actor, customer_id)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = f"bold {palette['accent']}" if row.pinned else ""
        return (
            cell("◆" if row.pinned else "", style),
            cell(fmt.datetime_short(row.created_at)),
            cell(row.author),
            cell(row.first_line, style),
        )

    def detail(self, row: Any) -> Content:
        edited = ""
        if row.updated_at and row.created_at and row.updated_at > row.created_at:
            edited = fmt.datetime_short(row.updated_at)
        head = detail_lines([
            (_("Written"), fmt.datetime_short(row.created_at)),
            (_("By"), row.author),
            (_("Edited"), edited),
            (_("Pinned"), _("yes") if row.pinned else ""),
        ])
        return Content.assemble(head, "\n\n", Content(row.text))

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return [
            FieldSpec("text", _("Note"), kind="textarea", required=True),
            FieldSpec("pinned", _("Pinned (stays on top)"), kind="checkbox"),
        ]

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"pinned": False}
        return {"text": row.text, "pinned": row.pinned}

    def create_record(self, values: dict[str, Any]) -> Any:
        return notes_service.create_note(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return notes_service.update_note(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        notes_service.delete_note(self.actor, row.id, row.version)

    def delete_question(self, row: Any) -> str:
        first = row.first_line
        return _("Delete the note “{text}”?").format(
            text=first[:40] + ("…" if len(first) > 40 else ""))

    def action_toggle_pin(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        if row.pinned:
            self.run_write(_("Unpinning the note"),
                           lambda: notes_service.unpin_note(self.actor, row.id, row.version))
        else:
            self.run_write(_("Pinning the note"),
                           lambda: notes_service.pin_note(self.actor, row.id, row.version))


WIDGET = NotesTab
