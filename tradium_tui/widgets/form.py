"""A generic record form: labelled fields, a message under each field, save in a worker.

Forms pass what people typed (text) to the service functions, which parse and validate
it and answer with :class:`~tradium_tui.services.errors.ValidationError` (errors and
warnings per field) or :class:`~tradium_tui.services.errors.ConflictError` (someone saved
in between).  Errors appear next to their field; the form stays open with everything
typed, so nothing is lost.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

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


LABEL_WIDTH = 22  # columns the label takes left of its input (one of them a gap)


class _StyledOnMount:
    """An input that skips restyling itself before it is mounted.

    Textual's inputs set CSS classes while they are constructed (compact, valid), and each
    class change applies the whole stylesheet to the widget at once, although mounting
    applies it again.  That was half of what a field cost a form; once mounted, class
    changes restyle as usual.
    """

    def update_node_styles(self, animate: bool = True) -> None:
        if self.is_attached:
            super().update_node_styles(animate)


class FormInput(_StyledOnMount, Input):
    """A form's text input.

    ``plain_focus`` makes the next focus put the cursor after the text without selecting
    it: a form that opens filled focuses its first field so, and what a person types then
    is added to the text instead of replacing it.  Tab (and a click) into a field keep
    Textual's rule of selecting the whole text.
    """

    plain_focus = False

    def _on_focus(self, event: events.Focus) -> None:
        # Runs before Input's own focus handler (the subclass first).
        if self.plain_focus:
            self.plain_focus = False
            self.select_on_focus = False
            self.cursor_position = len(self.value)
            self.call_next(setattr, self, "select_on_focus", True)


class FormSelect(_StyledOnMount, Select):
    def _watch_value(self, value: Any) -> None:
        try:
            super()._watch_value(value)
        except NoMatches:
            # Its parts are gone: the app closed while the form was mounting this row.
            pass


class FormCheckbox(_StyledOnMount, Checkbox):
    pass


class FormTextArea(_StyledOnMount, TextArea):
    pass


class FieldRow(Widget):
    """One field: its label, drawn by the row itself, beside its input.

    Two widgets a field (the row and its input); the help line and the message under the
    input are widgets only when there is something to show.  Textual's cost per widget
    (styles, layout) is what makes a long form slow to open, so this is kept small.

    Until the row is mounted (a long form mounts its rows a screenful at a time), its
    value is the one it was given, so the form can collect, check and save at any moment.
    """

    COMPONENT_CLASSES = {"field-row--label"}

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > .field-row--label { color: $text-muted; }
    FieldRow.-error > .field-row--label { color: $text-error; text-style: bold; }
    FieldRow > Input, FieldRow > Select, FieldRow > TextArea, FieldRow > Checkbox {
        width: 1fr; margin: 0 0 0 22;
    }
    FieldRow > TextArea { height: 4; }
    FieldRow > Checkbox { border: none; padding: 0; }
    FieldRow > .field-message { height: auto; color: $text-error; padding: 0 0 0 22; }
    FieldRow > .field-message.-warning { color: $text-warning; }
    FieldRow > .field-help { height: auto; color: $text-muted; padding: 0 0 0 22; text-style: italic; }
    FieldRow.-heading { text-style: bold; color: $text-accent; margin: 1 0 0 0; }
    """

    def __init__(self, spec: FieldSpec, value: Any) -> None:
        classes = spec.classes + (" -heading" if spec.kind == "heading" else "")
        super().__init__(id=f"row-{spec.name}", classes=classes.strip())
        self.spec = spec
        self.initial = value
        self.input: Widget | None = None  # once composed
        self.live = False  # mounted: the input holds the value from now on
        self.message = ""  # the message under the input ("" = none)
        self.message_warning = False
        self._focus_when_live = False
        self._composed_with: Any = None
        self.form: RecordForm | None = None  # the form that shows the row
        # Labels may hold stored names (a variable field's label): drawn as they read.
        label = "" if spec.kind == "checkbox" else shown(spec.label) + (" *" if spec.required else "")
        self._label_lines = (textwrap.wrap(label, LABEL_WIDTH - 1) or [""]
                             if spec.kind != "heading" else [shown(spec.label)])

    def render(self) -> Content:
        text = "\n".join(self._label_lines)
        if self.spec.kind == "heading":
            return Content(text)
        return Content.styled(text, self.get_visual_style("field-row--label"))

    def compose(self) -> ComposeResult:
        spec = self.spec
        if spec.kind == "heading":
            return
        self._composed_with = self.initial
        self.input = self._make_input(self.initial)
        if len(self._label_lines) > 1:  # a long label wraps beside the input
            self.input.styles.margin = (0, 0, len(self._label_lines) - 1, LABEL_WIDTH)
        yield self.input
        if spec.help:
            yield Static(spec.help, classes="field-help", markup=False)
        if self.message:
            yield self._message_widget()

    def on_mount(self) -> None:
        self.live = True
        if self.spec.kind != "heading" and self.initial is not self._composed_with:
            self.set_value(self.initial)  # set while the row was being mounted
        if self._focus_when_live:
            self._focus_when_live = False
            self.focus_input()

    def _make_input(self, value: Any) -> Widget:
        spec = self.spec
        wid = _field_id(spec.name)
        if spec.kind == "textarea":
            return FormTextArea(shown(value, multiline=True), id=wid, soft_wrap=True,
                                show_line_numbers=False, compact=True)
        if spec.kind == "select":
            return FormSelect([(plain(label), val) for label, val in spec.choices],
                              value=self._select_value(value),
                          allow_blank=spec.allow_blank, id=wid, prompt="—", compact=True)
        if spec.kind == "checkbox":
            return FormCheckbox(spec.label, self._checked(value), id=wid)
        return FormInput(
            shown(value),
            placeholder=spec.placeholder,
            id=wid,
            password=spec.kind == "password",
            max_length=spec.max_length,
            compact=True,
        )

    def _select_value(self, value: Any) -> Any:
        known = {val for _, val in self.spec.choices}
        current = value if value in known else Select.NULL
        if current is Select.NULL and not self.spec.allow_blank and self.spec.choices:
            current = self.spec.choices[0][1]
        return current

    @staticmethod
    def _checked(value: Any) -> bool:
        return bool(value) and str(value).lower() not in ("false", "0", "no")

    def value(self) -> Any:
        """What the field holds: its input's value, or (not mounted yet) the value the
        input will show."""
        spec, widget = self.spec, self.input
        if spec.kind == "heading":
            return None
        if widget is None or not self.live:
            value = self.initial
            if spec.kind == "select":
                current = self._select_value(value)
                return "" if current is Select.NULL else current
            if spec.kind == "checkbox":
                return bool(value)
            return shown(value, multiline=spec.kind == "textarea")  # as the input will show it
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        assert isinstance(widget, Input)
        return widget.value

    def set_value(self, value: Any) -> None:
        if not self.live:
            self.initial = value  # the input shows it once mounted (see on_mount)
            return
        widget = self.input
        if isinstance(widget, TextArea):
            widget.text = shown(value, multiline=True)
        elif isinstance(widget, Select):
            try:
                widget.value = value if value not in (None, "") else Select.NULL
            except Exception:  # a value no longer among the choices
                widget.value = Select.NULL
        elif isinstance(widget, Checkbox):
            widget.value = self._checked(value)
        elif isinstance(widget, Input):
            widget.value = shown(value)

    def _message_widget(self) -> Static:
        return Static(self.message, classes="field-message" + (
            " -warning" if self.message_warning else ""), markup=False)

    def show_message(self, text: str, warning: bool = False) -> None:
        if self.spec.kind == "heading":
            return
        self.message, self.message_warning = text, warning
        self.set_class(bool(text) and not warning, "-error")
        if not self.live:
            return  # composed with it
        shown = self.query(".field-message")
        if not text:
            shown.remove()
        elif shown:
            widget = shown.first(Static)
            widget.update(text)
            widget.set_class(warning, "-warning")
        else:
            self.mount(self._message_widget())

    def focus_input(self) -> None:
        """Focus the input (once the row is mounted, when it is not yet)."""
        if self.spec.kind == "heading":
            return
        if not self.live or self.input is None:
            self._focus_when_live = True
            if self.form is not None:
                self.form.mount_through(self)
            return
        self.input.focus()

    def focus_plain(self) -> None:
        """Focus the input now (the row is mounted), its cursor after its text and nothing
        selected."""
        if self.spec.kind == "heading" or not self.live or self.input is None:
            return
        if isinstance(self.input, FormInput):
            self.input.plain_focus = True
        self.screen.set_focus(self.input)


class _Backdrop:
    """The screen behind a form, dimmed: drawn once for a size, then replayed.

    Textual draws the screen behind a modal anew, and tints it segment by segment, each
    time the modal's own background is repainted, which mounting a form's rows does on
    nearly every paint: a large part of what opening a long form cost.  The form is modal
    and covers most of what is behind it, which is drawn dimmed; one picture per terminal
    size serves every paint while the form is open (a change behind it, rare while a
    form is open, shows once the form closes).
    """

    def __init__(self, behind: BackgroundScreen, form: RecordForm) -> None:
        self.behind = behind
        self.form = form

    def __rich_console__(self, console: Any, options: Any) -> Any:
        key = (id(self.behind.screen), self.behind.color, options.size)
        cached = self.form._backdrop
        if cached is None or cached[0] != key:
            cached = (key, list(self.behind.__rich_console__(console, options)))
            self.form._backdrop = cached
        return cached[1]


class RecordForm(ModalScreen[FormResult | None]):
    """A modal form whose ``save(values, version)`` runs in a thread worker.

    ``save`` returns the stored record; it may raise ValidationError (messages per
    field), ConflictError (the conflict dialog opens) or any ServiceError (shown at the
    top of the form).  ``version`` is the record version the form was opened with and is
    advanced when the user chooses to keep their values over someone else's.

    The form is on screen at once: its first :attr:`FIRST_ROWS` fields are mounted with
    it, the rest :attr:`CHUNK_ROWS` at a time after each paint.  With ``load`` (run in a
    thread worker) the form opens empty and is filled when the data arrives (see
    :meth:`apply_loaded`).  Keys typed before the first field has the focus are kept and
    then handed to it in order, so nothing typed while the form opens is lost.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form_save", priority=True,
                tooltip=N_("Save this form.")),
        Binding("escape", "cancel", N_("Cancel"), id="form_cancel",
                tooltip=N_("Close without saving (asks first when something was typed).")),
    ]
    # Kinds a person types into: without an explicit ``focus`` the first of these is focused.
    TYPED_KINDS = ("text", "textarea", "password")
    FIRST_ROWS = 12  # mounted with the form (a small form whole, the top of a long one)
    CHUNK_ROWS = 6  # mounted after each paint until all are there
    # No widget is focused by Textual: the form focuses its field itself (see _ready).
    AUTO_FOCUS = ""
    # Keys typed right after the one that opened the form, handed to the screen below in
    # the same burst, come here (see TradiumApp._on_key).
    TAKES_TYPEAHEAD = True

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
        load: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__()
        self.focus_name = focus
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
        self.load_fn = load
        self.fetching = load is not None
        self._result: Any = None  # what load returned
        # What the fields showed when the form opened (see mark_clean and is_dirty).
        self.baseline: dict[str, str] | None = None
        self.rows: dict[str, FieldRow] = {}
        self._unmounted: list[FieldRow] = []  # rows still to be mounted, in order
        # Keys (and "save", "cancel") that came before a field had the focus; None once
        # handed on.
        self._held: list[events.Key | str] | None = []
        self.opened = False  # filled, focused, and the kept keys handed on
        self._backdrop: tuple[Any, list[Any]] | None = None  # see _Backdrop
        if not self.fetching:
            self._build_rows()

    def _build_rows(self) -> None:
        self.rows = {}
        for spec in self.fields:
            row = FieldRow(spec, self.values.get(spec.name))
            row.form = self
            self.rows[spec.name] = row
        self._unmounted = list(self.rows.values())

    def _first_rows(self) -> list[FieldRow]:
        """The rows mounted with the form: a screenful, and the one to focus."""
        count = self.FIRST_ROWS
        names = list(self.rows)
        if self.focus_name in self.rows:
            count = max(count, names.index(self.focus_name) + 1)
        first, self._unmounted = self._unmounted[:count], self._unmounted[count:]
        return first

    def compose(self) -> ComposeResult:
        classes = "form-dialog" + (" -long" if len(self.fields) > self.FIRST_ROWS
                                   or self.fetching else "")
        with Vertical(classes=classes):
            yield Static(shown(self.form_title), classes="dialog-title", markup=False,
                         id="form-title")
            if self.intro:
                yield Static(shown(self.intro, multiline=True), classes="dialog-intro",
                             markup=False)
            yield Static(_("Loading…") if self.fetching else "", id="form-message",
                         classes="form-message" + (" -shown -warning" if self.fetching else ""),
                         markup=False)
            with VerticalScroll(classes="form-fields", id="form-fields"):
                if not self.fetching:
                    yield from self._first_rows()
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.save_label, variant="primary", id="form-save", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        if self.fetching:
            # The data is read once the empty form is on the terminal: a worker started
            # now would take turns with the first paint (one interpreter lock) and delay
            # it.  The form fills when the data arrives (see _arrive).
            self.call_after_refresh(self._start_loading)
        else:
            self._ready()

    def render(self) -> Any:
        rendered = super().render()
        if isinstance(rendered, BackgroundScreen):
            return _Backdrop(rendered, self)
        return rendered

    def _compositor_refresh(self) -> None:
        """Put the terminal cursor on the focused field before each frame is written.

        Textual moves the terminal cursor only when an input is focused or its cursor
        moves, to where the input was at that moment: a field focused before the form's
        first layout (or moved since by rows mounted, a message above it, scrolling) would
        leave the cursor in the corner of the screen until a key is typed.  The layout is
        known here, so the cursor stands on the field from the first frame it is drawn in.
        """
        self.place_cursor()
        super()._compositor_refresh()

    def place_cursor(self) -> None:
        focused = self.focused
        if (self.is_current and isinstance(focused, (Input, TextArea))
                and focused.content_region.area):
            self.app.cursor_position = focused.cursor_screen_offset

    # ----------------------------------------------------------------- opening

    def _forward_event(self, event: events.Event) -> None:
        """Keys that reach the form before a field has the focus, or while the kept ones
        are being handed on, are kept (see _ready)."""
        if (self._held is not None and isinstance(event, events.Key)
                and not getattr(event, "kept_key", False)):
            if (event.key == "escape" and self.fetching
                    and not any(isinstance(key, events.Key) for key in self._held)):
                self.action_cancel()  # nothing typed yet: closes without waiting
                return
            self._held.append(event)
            return
        super()._forward_event(event)

    def _ready(self) -> None:
        """The first rows are mounted: focus the field, hand it the kept keys, mark the
        state unchanged and mount the other rows after the next paint."""
        self.mark_clean()
        target = self._focus_target()
        if target is not None and target.live:
            # The cursor goes after the text, nothing selected: what a person types (now
            # or kept while the form opened) is added to what the field holds.
            target.focus_plain()
        # Keys keep being kept until those kept so far are handed on, so a key arriving
        # now does not overtake them.
        self.call_after_refresh(self._replay)
        if self._unmounted:
            self.call_after_refresh(self._mount_more)

    def _replay(self) -> None:
        """Hand the kept keys on as if typed now, one after the other.

        A key its field does not take (End, arrows) travels from the field up through
        the form's widgets to the app's bindings; the next key is sent only when this one
        has gone the whole way (a callback queued behind it at every step), so the keys
        act in the order they were typed.
        """
        held = self._held
        if not held or not self.is_attached:
            self._held = None
            self.opened = True
            return
        key = held.pop(0)
        if key in ("save", "cancel"):
            if key == "save":
                self._save_now()
            else:
                self._cancel_now()
            self.call_later(self._replay)
            return
        again = events.Key(key.key, key.character)
        again.kept_key = True  # type: ignore[attr-defined]  # not kept a second time
        self.app.post_message(again)
        focused = self.focused
        path: list[Any] = [*focused.ancestors_with_self] if focused is not None else [self, self.app]
        self.app.call_later(self._follow, path)

    def _follow(self, path: list[Any]) -> None:
        if path and self.is_attached:
            path[0].call_later(self._follow, path[1:])
        else:
            self._replay()

    @property
    def mounting(self) -> bool:
        """Rows are still to be mounted (their values are in the form all the same)."""
        return bool(self._unmounted) or any(not row.live for row in self.rows.values())

    def _focus_target(self) -> FieldRow | None:
        rows = [row for row in self.rows.values() if row.spec.kind != "heading"]
        chosen = self.rows.get(self.focus_name) if self.focus_name else None
        typed = [row for row in rows if row.spec.kind in self.TYPED_KINDS]
        return chosen or (typed[0] if typed else rows[0] if rows else None)

    async def _mount_more(self) -> None:
        if not self._unmounted or not self.is_attached:
            return
        chunk, self._unmounted = (self._unmounted[:self.CHUNK_ROWS],
                                  self._unmounted[self.CHUNK_ROWS:])
        # Waiting for the chunk to be mounted makes the next one wait for the paint that
        # shows it: keys typed meanwhile are handled between chunks, not after them all.
        await self.query_one("#form-fields").mount_all(chunk)
        if self._unmounted:
            self.call_after_refresh(self._mount_more)

    def mount_through(self, row: FieldRow) -> None:
        """Mount every row up to ``row`` now (to focus or show a message on it)."""
        if row not in self._unmounted:
            return
        index = self._unmounted.index(row) + 1
        chunk, self._unmounted = self._unmounted[:index], self._unmounted[index:]
        self.query_one("#form-fields").mount_all(chunk)

    def _start_loading(self) -> None:
        if self.fetching and self._held is not None and self.is_attached:  # not closed
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        guard = db_guard(self, self.form_title)
        with guard:
            result = self.load_fn()
        if guard.failed:
            self.app.call_from_thread(self.dismiss, None)
        else:
            self.app.call_from_thread(self._arrive, result)

    async def _arrive(self, result: Any) -> None:
        self._result = result
        await self._fill()

    async def _fill(self) -> None:
        if not self.is_attached:
            return
        self.apply_loaded(self._result)
        self._build_rows()
        self.fetching = False
        self.show_form_message("")
        self.query_one("#form-title", Static).update(shown(self.form_title))
        await self.query_one("#form-fields").mount_all(self._first_rows())
        self._ready()

    def apply_loaded(self, result: Any) -> None:
        """Take what ``load`` returned: by default the values of the fields.  A form may
        also set ``fields``, ``form_title`` and ``version`` here."""
        self.values.update(result or {})

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
            name: row.value() for name, row in self.rows.items()
            if row.spec.kind != "heading"
        }

    def row(self, name: str) -> FieldRow | None:
        return self.rows.get(name)

    def clear_messages(self) -> None:
        for row in self.rows.values():
            if row.message:
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
            first.focus_input()  # mounts it first when it is not yet
            if first.live:
                first.scroll_visible()

    # ----------------------------------------------------------------- saving

    def action_cancel(self) -> None:
        if self._held is not None:
            # The form is still opening: loading with nothing typed, close at once;
            # otherwise the kept keys go into the form first and the question follows.
            if self.fetching and not any(isinstance(key, events.Key) for key in self._held):
                self._held = None
                self.workers.cancel_group(self, "load")
                self.dismiss(None)
                return
            self._held.append("cancel")
            return
        self._cancel_now()

    def _cancel_now(self) -> None:
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
        if self._held is not None:
            self._held.append("save")  # after the keys typed before it (see _ready)
            return
        self._save_now()

    def _save_now(self) -> None:
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
