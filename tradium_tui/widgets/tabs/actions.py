"""The Actions tab: contact moments, appointments and tasks; open and overdue ones stand out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.models import ACTION_STATUSES, ACTION_TYPES
from tradium_tui.services import actions as actions_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, detail_lines, plural, record_bindings

TYPE_CHOICES = [(t.capitalize(), t) for t in ACTION_TYPES]
STATUS_CHOICES = [(s.capitalize(), s) for s in ACTION_STATUSES]


def action_fields(with_status: bool = True) -> list[FieldSpec]:
    fields = [
        FieldSpec("type", "Type", kind="select", choices=TYPE_CHOICES, allow_blank=False),
        FieldSpec("subject", "Subject", required=True, max_length=200),
        FieldSpec("text", "Text", kind="textarea"),
        FieldSpec("follow_up_on", "Follow-up date", placeholder="e.g. 2026-11-23 or 23-11-2026",
                  help="With a follow-up date the action stays open until it is done."),
    ]
    if with_status:
        fields.append(FieldSpec("status", "Status", kind="select", choices=STATUS_CHOICES,
                                allow_blank=True))
    return fields


class ActionsTab(TabView):
    TAB = "actions"
    TITLE = "Actions"
    RECORD = "action"
    EMPTY = "No actions for this customer yet."
    COLUMNS = (("Date", 16), ("Type", 11), ("Subject", None), ("Follow-up", 10),
               ("Status", 8), ("By", 10))
    EXTRA_WRITE_ACTIONS = frozenset({"toggle_done"})
    BINDINGS = record_bindings(
        "actions", "New action",
        extra=[Binding("x", "toggle_done", "Done/open", id="actions_toggle_done",
                       tooltip="Mark the selected action done, or open again.")],
    )

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return actions_service.list_actions(self.actor, customer_id)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = ""
        status = row.status
        if row.overdue:
            style = f"bold {palette['error']}"
            status = "overdue"
        elif row.status == "open":
            style = f"bold {palette['warning']}"
        return (
            cell(fmt.datetime_short(row.happened_at), style if row.status == "open" else ""),
            cell(row.type),
            cell(row.subject, style),
            cell(fmt.date_short(row.follow_up_on), style),
            cell(status, style),
            cell(row.username),
        )

    def summary(self) -> Content:
        open_count = sum(1 for r in self.rows if r.status == "open")
        overdue = sum(1 for r in self.rows if r.overdue)
        if not self.rows:
            return Content("")
        parts = [plural(len(self.rows), "action"), f"{open_count} open"]
        text = Content("  ·  ".join(parts))
        if overdue:
            text = Content.assemble(text, "  ·  ", Content.styled(f"{overdue} overdue",
                                                                   "bold $text-error"))
        return text

    def detail(self, row: Any) -> Content:
        status = "overdue" if row.overdue else row.status
        if row.status == "done" and row.completed_at:
            status = f"done {fmt.datetime_short(row.completed_at)}"
        return detail_lines([
            ("Subject", row.subject),
            ("Type", row.type),
            ("When", fmt.datetime_short(row.happened_at)),
            ("Follow-up", fmt.date_medium(row.follow_up_on)),
            ("Status", status),
            ("Contact", row.contact_name),
            ("By", row.username),
            ("Text", row.text),
        ])

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return action_fields(with_status=row is not None)

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"type": "call"}
        return {
            "type": row.type, "subject": row.subject, "text": row.text,
            "follow_up_on": row.follow_up_on.isoformat() if row.follow_up_on else "",
            "status": row.status,
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        return actions_service.create_action(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return actions_service.update_action(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        actions_service.delete_action(self.actor, row.id, row.version)

    def describe(self, row: Any) -> str:
        return f"the action “{row.subject}”"

    def action_toggle_done(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        if row.status == "open":
            self.run_write("Completing the action",
                           lambda: actions_service.complete_action(self.actor, row.id, row.version),
                           "Action done.")
        else:
            self.run_write("Reopening the action",
                           lambda: actions_service.reopen_action(self.actor, row.id, row.version),
                           "Action open again.")


WIDGET = ActionsTab
