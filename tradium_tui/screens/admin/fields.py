"""The variable fields pane: the seven variable customer fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable

from tradium_tui.i18n import N_, NP_, _
from tradium_tui.screens.admin.common import AdminDataChanged, restore_cursor, row_key, yes_no
from tradium_tui.services import custom_fields
from tradium_tui.services.access import Actor
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.form import FieldSpec, RecordForm
from tradium_tui.widgets.safe_text import SafeDataTable

# TRANSLATORS: a variable field's type: a number (not a customer number), text or a choice.
FIELD_KINDS = {"number": NP_("field type", "Number"), "text": N_("Text"), "choice": N_("Choice")}


@dataclass
class FieldsLoaded(Message):
    fields: list[Any]  # services.custom_fields.FieldDef


class FieldsPane(Vertical):
    """The seven variable customer fields: label, type, choices, shown or not."""

    BINDINGS = [
        Binding("e,enter", "edit_field", N_("Edit field"), id="admin_field_edit",
                tooltip=N_("Label, type and choices of the highlighted field.")),
        Binding("t", "toggle_field", N_("Show/hide"), id="admin_field_toggle",
                tooltip=N_("Show or hide the highlighted field on customers.")),
    ]

    def __init__(self, actor: Actor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.fields: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        table = SafeDataTable(id="fields-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(_("Field"), _("Label"), _("Type"), _("Choices"), _("Shown"))
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#fields-table", DataTable)

    @property
    def selected(self) -> Any | None:
        key = row_key(self.table)
        return self.fields.get(key) if key else None

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-fields-load")
    def load(self) -> None:
        with db_guard(self, _("Loading custom fields")):
            self.post_message(FieldsLoaded(custom_fields.list_definitions()))

    def on_fields_loaded(self, message: FieldsLoaded) -> None:
        message.stop()
        table = self.table
        keep = row_key(table)
        table.clear()
        self.fields = {}
        for definition in message.fields:
            key = str(definition.slot)
            self.fields[key] = definition
            table.add_row(
                f"{definition.slot} ({definition.column})",
                definition.label or Text("—", style="dim"),
                _(FIELD_KINDS[definition.kind]) if definition.kind in FIELD_KINDS else definition.kind,
                ", ".join(definition.choices),
                yes_no(definition.defined),
                key=key,
            )
        restore_cursor(table, keep)
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#fields-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_field()

    @on(DataTable.RowHighlighted, "#fields-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        field_def = self.selected
        if action in ("edit_field", "toggle_field") and field_def is None:
            return None
        if action == "toggle_field":
            return bool(field_def.label)
        return True

    def action_edit_field(self) -> None:
        current = self.selected
        if current is None:
            return
        actor = self.actor
        slot = current.slot
        if slot == custom_fields.NUMERIC_SLOT:
            kinds = [(_(FIELD_KINDS["number"]), "number")]
        else:
            kinds = [(_("Text"), "text"), (_("Choice"), "choice")]

        def save(values: dict[str, Any], version: int | None) -> Any:
            choices = (values.get("choices") or "").splitlines()
            return custom_fields.define(actor, slot, values["label"], values["kind"] or None,
                                        choices, active=bool(values["active"]))

        specs = [
            FieldSpec("label", _("Label"), required=True, max_length=60),
            FieldSpec("kind", _("Type"), kind="select", allow_blank=False, choices=kinds),
        ]
        if slot != custom_fields.NUMERIC_SLOT:
            specs.append(FieldSpec("choices", _("Choices (one per line)"), kind="textarea",
                                   help=_("Only for the type Choice.")))
        specs.append(FieldSpec("active", _("Shown on customers"), kind="checkbox"))
        form = RecordForm(
            _("Variable field {slot} ({column})").format(slot=slot, column=current.column),
            specs,
            {
                "label": current.label,
                "kind": current.kind,
                "choices": "\n".join(current.choices),
                "active": current.active or not current.label,
            },
            save=save,
        )

        def done(result: Any) -> None:
            if result is not None:
                self.post_message(
                    AdminDataChanged("fields", _("Saved variable field {slot}.").format(slot=slot))
                )

        self.app.push_screen(form, done)

    def action_toggle_field(self) -> None:
        current = self.selected
        if current is not None and current.label:
            self._toggle(current.slot, not current.active)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-fields-write")
    def _toggle(self, slot: int, active: bool) -> None:
        with db_guard(self, _("Variable field {slot}").format(slot=slot)):
            custom_fields.set_active(self.actor, slot, active)
            if active:
                text = _("Variable field {slot} is shown.").format(slot=slot)
            else:
                text = _("Variable field {slot} is hidden.").format(slot=slot)
            self.post_message(AdminDataChanged("fields", text))
