"""A generic record form: labelled fields, a message under each field, save in a worker.

Forms pass what people typed (text) to the service functions, which parse and validate
it and answer with :class:`~tradium_tui.services.errors.ValidationError` (errors and
warnings per field) or :class:`~tradium_tui.services.errors.ConflictError` (someone saved
in between).  Errors appear next to their field; the form stays open with everything
typed, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.services.errors import ConflictError, ValidationError
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.dbwork import db_guard, error_text
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.messages import SaveFailed, SaveSucceeded
from tradium_tui.widgets.modals import ConflictDialog, DiscardDialog
from tradium_tui.widgets.safe_text import plain


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | select | checkbox | password | heading
    choices: Sequence[tuple[str, str]] = ()  # (label, value) for select
    required: bool = False
    placeholder: str = ""
    help: str = ""
    allow_blank: bool = True
    max_length: int = 0
    classes: str = ""


@dataclass
class FormResult:
    """What a form hands back: the saved record and the values as typed."""

    record: Any
    values: dict[str, Any] = field(default_factory=dict)


def _norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def _as_shown(value: Any) -> set[Any]:
    """What a field showed for a stored ``value``: the value, or (for text holding control
    characters stored before the rules) its visible form; a field left as shown is not a
    change, so opening and saving a form never rewrites such a value unasked."""
    if not isinstance(value, str):
        return {_norm(value)}
    return {_norm(value), _norm(shown(value)), _norm(shown(value, multiline=True))}


def _field_id(name: str) -> str:
    return f"field-{name}"


class FieldRow(Vertical):
    """Label, input and the message under it."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > .field-line { height: auto; }
    FieldRow > .field-line > Label { width: 22; color: $text-muted; padding: 0 1 0 0; }
    FieldRow > .field-line > Input, FieldRow > .field-line > Select { width: 1fr; }
    FieldRow > .field-line > TextArea { width: 1fr; height: 4; }
    FieldRow > .field-line > Checkbox { width: 1fr; border: none; padding: 0; }
    FieldRow > .field-message { height: auto; color: $text-error; display: none; padding: 0 0 0 22; }
    FieldRow > .field-message.-shown { display: block; }
    FieldRow > .field-message.-warning { color: $text-warning; }
    FieldRow > .field-help { height: auto; color: $text-muted; padding: 0 0 0 22; text-style: italic; }
    FieldRow.-error > .field-line > Label { color: $text-error; text-style: bold; }
    FieldRow.-error > .field-line > Input, FieldRow.-error > .field-line > TextArea { background: $error 15%; }
    FieldRow > .form-heading { text-style: bold; color: $text-accent; margin: 1 0 0 0; }
    """

    def __init__(self, spec: FieldSpec, value: Any) -> None:
        super().__init__(id=f"row-{spec.name}", classes=spec.classes)
        self.spec = spec
        self.initial = value

    def compose(self) -> ComposeResult:
        spec = self.spec
        if spec.kind == "heading":
            yield Static(spec.label, classes="form-heading", markup=False)
            return
        label = spec.label + (" *" if spec.required else "")
        with Horizontal(classes="field-line"):
            yield Label("" if spec.kind == "checkbox" else plain(label))
            yield self._make_input()
        if spec.help:
            yield Static(spec.help, classes="field-help", markup=False)
        yield Static("", classes="field-message", markup=False)

    def _make_input(self) -> Widget:
        spec, value = self.spec, self.initial
        wid = _field_id(spec.name)
        if spec.kind == "textarea":
            return TextArea(shown(value, multiline=True), id=wid, soft_wrap=True,
                            show_line_numbers=False, compact=True)
        if spec.kind == "select":
            options = [(plain(label), val) for label, val in spec.choices]
            known = {val for _, val in options}
            current = value if value in known else Select.NULL
            if current is Select.NULL and not spec.allow_blank and options:
                current = options[0][1]
            return Select(options, value=current, allow_blank=spec.allow_blank, id=wid,
                          prompt="—", compact=True)
        if spec.kind == "checkbox":
            return Checkbox(spec.label, bool(value), id=wid)
        return Input(
            shown(value),
            placeholder=spec.placeholder,
            id=wid,
            password=spec.kind == "password",
            max_length=spec.max_length,
            compact=True,
        )

    def value(self) -> Any:
        if self.spec.kind == "heading":
            return None
        widget = self.query_one(f"#{_field_id(self.spec.name)}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        assert isinstance(widget, Input)
        return widget.value

    def set_value(self, value: Any) -> None:
        widget = self.query_one(f"#{_field_id(self.spec.name)}")
        if isinstance(widget, TextArea):
            widget.text = shown(value, multiline=True)
        elif isinstance(widget, Select):
            try:
                widget.value = value if value not in (None, "") else Select.NULL
            except Exception:  # a value no longer among the choices
                widget.value = Select.NULL
        elif isinstance(widget, Checkbox):
            widget.value = bool(value) and str(value).lower() not in ("false", "0", "no")
        elif isinstance(widget, Input):
            widget.value = shown(value)

    def show_message(self, text: str, warning: bool = False) -> None:
        if self.spec.kind == "heading":
            return
        message = self.query_one(".field-message", Static)
        message.update(text)
        message.set_class(bool(text), "-shown")
        message.set_class(warning, "-warning")
        self.set_class(bool(text) and not warning, "-error")

    def focus_input(self) -> None:
        if self.spec.kind == "heading":
            return
        self.query_one(f"#{_field_id(self.spec.name)}").focus()


class RecordForm(ModalScreen[FormResult | None]):
    """A modal form whose ``save(values, version)`` runs in a thread worker.

    ``save`` returns the stored record; it may raise ValidationError (messages per
    field), ConflictError (the conflict dialog opens) or any ServiceError (shown at the
    top of the form).  ``version`` is the record version the form was opened with and is
    advanced when the user chooses to keep their values over someone else's.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form_save", priority=True,
                tooltip=N_("Save this form.")),
        Binding("escape", "cancel", N_("Cancel"), id="form_cancel",
                tooltip=N_("Close without saving (asks first when something was typed).")),
    ]
    # Kinds a person types into: without an explicit ``focus`` the first of these is focused.
    TYPED_KINDS = ("text", "textarea", "password")

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        values: dict[str, Any] | None = None,
        save: Callable[[dict[str, Any], int | None], Any] | None = None,
        version: int | None = None,
        intro: str = "",
        save_label: str = "",
        focus: str | None = None,
        only_changes: bool | None = None,
    ) -> None:
        super().__init__()
        self.focus_name = focus
        if focus:
            # Focused as soon as the screen is shown, so no typed key is lost.
            self.AUTO_FOCUS = f"#{_field_id(focus)}"
        # An edit (a version is known) sends only the changed fields unless told otherwise.
        self.only_changes = version is not None if only_changes is None else only_changes
        self.form_title = title
        self.fields = list(fields)
        self.values = dict(values or {})
        self.save_fn = save
        self.version = version
        self.intro = intro
        self.save_label = save_label or _("Save")
        self.saving = False
        # What the fields showed when the form opened (see mark_clean and is_dirty).
        self.baseline: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog"):
            yield Static(shown(self.form_title), classes="dialog-title", markup=False)
            if self.intro:
                yield Static(shown(self.intro, multiline=True), classes="dialog-intro",
                             markup=False)
            yield Static("", id="form-message", classes="form-message", markup=False)
            with VerticalScroll(classes="form-fields"):
                for spec in self.fields:
                    yield FieldRow(spec, self.values.get(spec.name))
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.save_label, variant="primary", id="form-save", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        rows = [row for row in self.query(FieldRow) if row.spec.kind != "heading"]
        chosen = self.row(self.focus_name) if self.focus_name else None
        typed = [row for row in rows if row.spec.kind in self.TYPED_KINDS]
        if chosen is not None:
            chosen.focus_input()
        elif typed:
            typed[0].focus_input()
        elif rows:
            rows[0].focus_input()
        self.mark_clean()

    # ----------------------------------------------------------------- changes

    def mark_clean(self) -> None:
        """What the fields show now is the unchanged state (call after filling the form
        from loaded data); Escape closes at once until something differs from it."""
        self.baseline = {name: _norm(value) for name, value in self.collect().items()}

    def is_dirty(self) -> bool:
        """True when a field differs from what the form opened with."""
        if self.baseline is None:
            return False
        current = {name: _norm(value) for name, value in self.collect().items()}
        return current != self.baseline

    def ask_discard(self) -> None:
        """Close, asking first when something was typed ("Discard changes?")."""
        if not self.is_dirty():
            self.dismiss(None)
            return
        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(DiscardDialog(), answered)

    # ----------------------------------------------------------------- values

    def collect(self) -> dict[str, Any]:
        return {
            row.spec.name: row.value() for row in self.query(FieldRow)
            if row.spec.kind != "heading"
        }

    def row(self, name: str) -> FieldRow | None:
        for row in self.query(FieldRow):
            if row.spec.name == name:
                return row
        return None

    def clear_messages(self) -> None:
        for row in self.query(FieldRow):
            row.show_message("")
        self.show_form_message("")

    def show_form_message(self, text: str | Content, warning: bool = False) -> None:
        message = self.query_one("#form-message", Static)
        message.update(text)
        message.set_class(bool(text), "-shown")
        message.set_class(warning, "-warning")

    def show_validation(self, error: ValidationError) -> None:
        first: FieldRow | None = None
        stray: list[str] = []
        for name, text in error.errors.items():
            row = self.row(name)
            if row is None:
                stray.append(text)
                continue
            row.show_message(text)
            first = first or row
        for name, text in error.warnings.items():
            row = self.row(name)
            if row is None:
                stray.append(text)
            elif name not in error.errors:
                row.show_message(text, warning=True)
        count = len(error.errors)
        summary = ngettext("Not saved: {count} field needs attention.",
                           "Not saved: {count} fields need attention.", count).format(count=count)
        if stray:
            summary = " ".join([summary, *stray])
        self.show_form_message(summary)
        if first is not None:
            first.focus_input()
            first.scroll_visible()

    # ----------------------------------------------------------------- saving

    def action_cancel(self) -> None:
        if self.saving:
            return
        self.ask_discard()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def changed_values(self) -> dict[str, Any]:
        """What the user changed compared with what the form opened with.

        An edit sends only these, so a field someone else changed meanwhile is not
        overwritten with the old value the form happened to show.
        """
        return {
            name: value for name, value in self.collect().items()
            if _norm(value) not in _as_shown(self.values.get(name))
        }

    def action_save(self) -> None:
        if self.saving or self.save_fn is None:
            return
        values = self.changed_values() if self.only_changes else self.collect()
        if self.only_changes and not values:
            self.dismiss(None)
            self.notify(_("Nothing was changed."), timeout=2)
            return
        self.saving = True
        self.clear_messages()
        self.show_form_message(_("Saving…"), warning=True)
        self._save(values, self.version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, values: dict[str, Any], version: int | None) -> None:
        guard = db_guard(self, self.form_title, raise_=(Exception,))
        try:
            with guard:
                record = self.save_fn(values, version)
        except Exception as exc:  # reported on the event loop by the handler
            self.post_message(SaveFailed(exc))
            return
        self.post_message(SaveSucceeded(record))

    def on_save_succeeded(self, message: SaveSucceeded) -> None:
        message.stop()
        self._finish(message.record)

    def _finish(self, record: Any) -> None:
        if self.app.screen is not self:
            # A dialog above this form is still closing: dismiss once it is gone.
            self.call_after_refresh(self._finish, record)
            return
        self.saving = False
        self.dismiss(FormResult(record, self.collect()))

    def on_save_failed(self, message: SaveFailed) -> None:
        message.stop()
        self.saving = False
        self.show_form_message("")
        error = message.error
        if isinstance(error, ValidationError):
            self.show_validation(error)
        elif isinstance(error, ConflictError):
            self.open_conflict(error)
        else:
            self.show_form_message(error_text(error))
            self.notify(error_text(error), title=self.form_title, severity="error")

    def open_conflict(self, error: ConflictError) -> None:
        labels = {spec.name: spec.label for spec in self.fields}

        def decided(choice: str | None) -> None:
            if choice == "mine":
                # Keep what was typed and save it over the newer version (once the
                # dialog has closed).
                self.version = error.current_version
                self.call_after_refresh(self.action_save)
            elif choice == "theirs":
                for conflict in error.conflicts + error.other_changes:
                    row = self.row(conflict.field)
                    if row is not None:
                        # Their value becomes the starting point, so it is not "a change".
                        row.set_value(conflict.theirs)
                        self.values[conflict.field] = row.value()
                self.version = error.current_version
                self.show_form_message(
                    _("Their values are in the form now; check and save again."), warning=True
                )
            else:
                self.show_form_message(
                    _("Not saved: someone else changed this record. Your values are still "
                      "here."),
                    warning=True,
                )

        self.app.push_screen(ConflictDialog(error, labels), decided)
