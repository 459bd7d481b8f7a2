"""A bulk action on the listed (or marked) customers: choose it and its value, see
how many customers change, then run it with a progress bar (cancellable)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Select, Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.keymap import key_for
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list import (
    bulk_actions,
    listing,
)
from tradium_tui.services.errors import ValidationError
from tradium_tui.widgets.dbwork import db_guard, error_text
from tradium_tui.widgets.footer import AppFooter


@dataclass
class BulkDone(Message):
    text: str
    ok: bool


@dataclass
class BulkProgress(Message):
    done: int
    total: int


BULK_CHOICES = [*bulk_actions.BULK_ACTIONS.items(), ("export_mailing", N_("Export mailing")),
                ("export_customers", N_("Export customers"))]
# The bulk actions as the dialog names them (the service's keys).
BULK_LABELS = {
    "account_manager": N_("Set account manager"), "region": N_("Set region"),
    "mailing_code": N_("Set mailing code"), "group": N_("Set group"),
    "add_tag": N_("Add tag"), "remove_tag": N_("Remove tag"), "log_action": N_("Log an action"),
    "export_mailing": N_("Export mailing"), "export_customers": N_("Export customers"),
}


def bulk_label(action: str) -> str:
    label = BULK_LABELS.get(action)
    return _(label) if label else dict(BULK_CHOICES).get(action, action)


class BulkDialog(ModalScreen[str | None]):
    """Choose an action and a value, see how many customers change, then run it."""

    AUTO_FOCUS = "#bulk-action"

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="bulk_cancel",
                tooltip=N_("Close, or stop a running action (nothing is changed).")),
        Binding("ctrl+p", "preview", N_("Preview"), id="bulk_preview",
                tooltip=N_("How many customers this changes.")),
        Binding("ctrl+s", "run", N_("Run"), id="bulk_run",
                tooltip=N_("Carry out the previewed action.")),
    ]

    def __init__(self, actor: Actor, query: listing.ListQuery) -> None:
        super().__init__(id="bulk-dialog")
        self.actor = actor
        self.list_query = query
        self.plan: bulk_actions.BulkPlan | None = None
        self.running = False
        self.cancel_requested = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="list-dialog-box"):
            yield Static(_("Bulk action"), classes="dialog-title", markup=False)
            yield Select([(bulk_label(key), key) for key, _label in BULK_CHOICES],
                         id="bulk-action", allow_blank=False, value="mailing_code")
            yield Select([(_("The customers I marked"), "marked"),
                          (_("Every customer matching the filter"), "filtered")],
                         id="bulk-target", allow_blank=False, value="marked")
            yield Input(placeholder=_("Value (user, region, code, group, tag, subject or file "
                                      "name)"), id="bulk-value")
            yield Static(_("{key} shows how many customers change.").format(
                key=key_for(self, "bulk_preview", sentence=True)), id="bulk-preview",
                markup=False)
            yield ProgressBar(id="bulk-progress", show_eta=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#bulk-progress").display = False

    def _inputs(self) -> tuple[str, bool, str]:
        action = str(self.query_one("#bulk-action", Select).value)
        marked = self.query_one("#bulk-target", Select).value == "marked"
        return action, marked, self.query_one("#bulk-value", Input).value

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        if not self.running:
            self.plan = None
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run":
            return self.plan is not None and not self.running
        if action == "preview":
            return not self.running
        return True

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run() if self.plan is not None else self.action_preview()

    def action_preview(self) -> None:
        self._preview(*self._inputs())

    @work(thread=True, exclusive=True, exit_on_error=False, group="bulk-preview")
    def _preview(self, action: str, marked: bool, value: str) -> None:
        text = ""
        plan = None
        with db_guard(self, _("Preview"), raise_=(ValidationError,)):
            try:
                if action.startswith("export_"):
                    self.actor.require_import_export()
                    selected = bulk_actions.selection_count(self.actor, self.list_query, marked)
                    if not value.strip():
                        raise ValidationError({"value": _("Give the file name to export to.")})
                    plan = bulk_actions.BulkPlan(action, value.strip(), value.strip(), selected, selected)
                    text = ngettext("{count} customer will be exported to {file}.",
                                    "{count} customers will be exported to {file}.",
                                    selected).format(count=fmt.number(selected),
                                                     file=value.strip())
                else:
                    plan = bulk_actions.preview(self.actor, self.list_query, marked, action, value)
                    text = ngettext(
                        "{changing} of {count} customer will change ({action}: {value}). "
                        "{key} runs it.",
                        "{changing} of {count} customers will change ({action}: {value}). "
                        "{key} runs it.", plan.selected).format(
                        changing=fmt.number(plan.changing), count=fmt.number(plan.selected),
                        action=bulk_label(action), value=plan.label,
                        key=key_for(self, "bulk_run", sentence=True))
            except ValidationError as exc:
                text = " ".join(exc.errors.values())
                plan = None
        if plan is None and not text:
            text = _("The preview failed; see the message.")
        self.app.call_from_thread(self._previewed, plan, text)

    def _previewed(self, plan: bulk_actions.BulkPlan | None, text: str) -> None:
        self.plan = plan
        self.query_one("#bulk-preview", Static).update(text)
        self.refresh_bindings()

    def action_run(self) -> None:
        if self.plan is None or self.running:
            return
        self.running = True
        self.cancel_requested = False
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(1, self.plan.changing), progress=0)
        self.refresh_bindings()
        self._run(self.plan, self._inputs()[1])

    @work(thread=True, exclusive=True, exit_on_error=False, group="bulk-run")
    def _run(self, plan: bulk_actions.BulkPlan, marked: bool) -> None:
        try:
            with db_guard(self, _("Bulk action"), raise_=(Exception,)):
                if plan.action.startswith("export_"):
                    result = bulk_actions.export(self.actor, self.list_query, marked,
                                       plan.action.removeprefix("export_"), plan.value)
                    text = ngettext("Exported {count} row to {file}.",
                                    "Exported {count} rows to {file}.", result.rows).format(
                        count=fmt.number(result.rows), file=result.target)
                else:
                    changed = bulk_actions.apply(
                        self.actor, plan, self.list_query, marked,
                        progress=lambda d, t: self.post_message(BulkProgress(d, t)),
                        cancelled=lambda: self.cancel_requested,
                    )
                    text = ngettext("{action}: {count} customer changed.",
                                    "{action}: {count} customers changed.", changed).format(
                        action=bulk_label(plan.action), count=fmt.number(changed))
            self.post_message(BulkDone(text, True))
        except Exception as exc:  # noqa: BLE001 - one sentence for the user, whatever it was
            self.post_message(BulkDone(error_text(exc), False))

    def on_bulk_progress(self, message: BulkProgress) -> None:
        self.query_one("#bulk-progress", ProgressBar).update(total=max(1, message.total),
                                                              progress=message.done)

    def on_bulk_done(self, message: BulkDone) -> None:
        self.running = False
        if message.ok:
            self.dismiss(message.text)
            return
        self.plan = None
        self.query_one("#bulk-progress").display = False
        self.query_one("#bulk-preview", Static).update(message.text)
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.running:
            self.cancel_requested = True
            self.query_one("#bulk-preview", Static).update(
                _("Cancelling… nothing will be changed."))
            return
        self.dismiss(None)
