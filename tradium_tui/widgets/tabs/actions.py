"""The Actions tab: contact moments, appointments and tasks; open and overdue ones stand out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.models import ACTION_STATUSES, ACTION_TYPES
from tradium_tui.services import actions as actions_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, count_text, detail_lines, record_bindings


def type_label(kind: str) -> str:
    """An action type as shown (stored as ``call``, ``email``…)."""
    return {
        "call": pgettext("action type", "call"),
        "email": pgettext("action type", "e-mail"),
        "visit": pgettext("action type", "visit"),
        "meeting": pgettext("action type", "meeting"),
        "appointment": pgettext("action type", "appointment"),
        "task": pgettext("action type", "task"),
        "other": pgettext("action type", "other"),
    }.get(kind, kind)


def status_label(status: str) -> str:
    return {
        "open": pgettext("action status", "open"),
        "done": pgettext("action status", "done"),
        "overdue": pgettext("action status", "overdue"),
    }.get(status, status)


def action_fields(with_status: bool = True) -> list[FieldSpec]:
    fields = [
        FieldSpec("type", _("Type"), kind="select", allow_blank=False,
                  choices=[(type_label(t).capitalize(), t) for t in ACTION_TYPES]),
        FieldSpec("subject", _("Subject"), required=True, max_length=200),
        FieldSpec("text", _("Text"), kind="textarea"),
        FieldSpec("follow_up_on", _("Follow-up date"),
                  placeholder=_("e.g. 2026-11-23 or 23-11-2026"),
                  help=_("With a follow-up date the action stays open until it is done.")),
    ]
    if with_status:
        fields.append(FieldSpec("status", _("Status"), kind="select", allow_blank=True,
                                choices=[(status_label(s).capitalize(), s)
                                         for s in ACTION_STATUSES]))
    return fields


class ActionsTab(TabView):
    TAB = "actions"
    TITLE = N_("Actions")
    RECORD = "action"
    EMPTY = N_("No actions for this customer yet.")
    COLUMNS = ((N_("Date"), 16), (N_("Type"), 11), (N_("Subject"), None),
               (N_("Follow-up"), 10), (N_("Status"), 8), (N_("By"), 10))
    TEXTS = {"new": N_("New action"), "edit": N_("Edit action"),
             "saved": N_("Action saved."), "deleted": N_("Action deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"toggle_done"})
    BINDINGS = record_bindings(
        "actions", N_("New action"),
        extra=[Binding("x", "toggle_done", N_("Done/open"), id="actions_toggle_done",
                       tooltip=N_("Mark the selected action done, or open again."))],
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
            cell(type_label(row.type)),
            cell(row.subject, style),
            cell(fmt.date_short(row.follow_up_on), style),
            cell(status_label(status), style),
            cell(row.username),
        )

    def summary(self) -> Content:
        open_count = sum(1 for r in self.rows if r.status == "open")
        overdue = sum(1 for r in self.rows if r.overdue)
        if not self.rows:
            return Content("")
        parts = [count_text(len(self.rows), "{count} action", "{count} actions"),
                 count_text(open_count, "{count} open", "{count} open")]
        text = Content("  ·  ".join(parts))
        if overdue:
            late = count_text(overdue, "{count} overdue", "{count} overdue")
            text = Content.assemble(text, "  ·  ", Content.styled(late, "bold $text-error"))
        return text

    def detail(self, row: Any) -> Content:
        status = status_label("overdue" if row.overdue else row.status)
        if row.status == "done" and row.completed_at:
            status = _("done {when}").format(when=fmt.datetime_short(row.completed_at))
        return detail_lines([
            (_("Subject"), row.subject),
            (_("Type"), type_label(row.type)),
            (_("When"), fmt.datetime_short(row.happened_at)),
            (_("Follow-up"), fmt.date_medium(row.follow_up_on)),
            (_("Status"), status),
            (_("Contact"), row.contact_name),
            (_("By"), row.username),
            (_("Text"), row.text),
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

    def delete_question(self, row: Any) -> str:
        return _("Delete the action “{subject}”?").format(subject=row.subject)

    def action_toggle_done(self) -> None:
        row = self.selected
        if row is None or not self.editable:
            return
        if row.status == "open":
            self.run_write(_("Completing the action"),
                           lambda: actions_service.complete_action(self.actor, row.id, row.version),
                           _("Action done."))
        else:
            self.run_write(_("Reopening the action"),
                           lambda: actions_service.reopen_action(self.actor, row.id, row.version),
                           _("Action open again."))


WIDGET = ActionsTab
