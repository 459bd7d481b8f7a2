"""The customer list's filters: the filter dialog and the filters in force
described for the title."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tradium_tui.i18n import N_, NP_, _
from tradium_tui.keymap import key_for
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list import (
    filtering,
    listing,
)
from tradium_tui.services.errors import ValidationError
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter

# The filters as the filter dialog names them, and what to type in each.
FILTER_LABELS = {
    "region": N_("Region"), "account_manager": N_("Account manager"), "group": N_("Group"),
    "condition_group": N_("Condition group"), "tag": N_("Tag"), "country": N_("Country"),
    "eu": N_("EU"), "vat_status": N_("VAT status"), "marked": N_("Marked by me"),
    "mailing_code": N_("Mailing code"), "over_limit": N_("Over credit limit"),
    "overdue": N_("Overdue"), "no_order_since": N_("No order since"),
}
# TRANSLATORS: what to type in a filter of the customer list; "yes", "eu" and "non-eu" are
# typed as they are (the filter reads yes, ja, y, x or 1), keep them in the text.
FILTER_HINTS = {
    "region": N_("text"), "account_manager": N_("user name"), "group": N_("group name"),
    "condition_group": N_("condition group code"), "tag": N_("tag name"),
    "country": N_("country code"), "eu": N_("eu / non-eu"), "vat_status": N_("VAT status"),
    "marked": NP_("filter hint", "yes"), "mailing_code": N_("number"),
    "over_limit": NP_("filter hint", "yes"), "overdue": NP_("filter hint", "yes"),
    "no_order_since": N_("date (YYYY-MM-DD)"),
}


def describe_filters(query: listing.ListQuery) -> str:
    """The filters in force, as the title shows them."""
    parts = []
    for name, value in query.filters.items():
        label = FILTER_LABELS.get(name)
        label = _(label).lower() if label else name.replace("_", " ")
        parts.append(label if value is True else
                     _("{filter}: {value}").format(filter=label, value=value))
    if query.text:
        parts.append(_("text: {text}").format(text=query.text))
    return "; ".join(parts) or _("all customers")


class FilterDialog(ModalScreen[dict | None]):
    """One field per filter the actor may use; Enter applies (checked by the service)."""

    AUTO_FOCUS = "Input"

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="filter_cancel"),
        Binding("ctrl+s", "apply", N_("Apply"), id="filter_apply",
                tooltip=N_("Apply the filters.")),
        Binding("ctrl+x", "clear", N_("Clear"), id="filter_clear",
                tooltip=N_("Clear every filter.")),
        Binding("down", "focus_next", N_("Next"), id="filter_next", show=False),
        Binding("up", "focus_previous", N_("Previous"), id="filter_previous", show=False),
    ]

    def __init__(self, actor: Actor, filters: dict[str, Any]) -> None:
        super().__init__(id="list-filters")
        self.actor = actor
        self.filters = filters

    def compose(self) -> ComposeResult:
        with Vertical(classes="list-dialog-box"):
            yield Static(_("Filters — Enter: next field, {key}: apply; empty: any; yes/no: "
                           "type yes").format(key=key_for(self, "filter_apply")),
                         classes="dialog-title", markup=False)
            with VerticalScroll(can_focus=False):
                for name in listing.allowed_filters(self.actor):
                    value = self.filters.get(name, "")
                    if value is True:
                        value = "yes"
                    with Horizontal(classes="filter-row"):
                        label = FILTER_LABELS.get(name)
                        yield Label(_(label) if label else name.replace("_", " ").capitalize(),
                                    classes="filter-label", markup=False)
                        hint = FILTER_HINTS.get(name)
                        yield Input(str(value), placeholder=_(hint) if hint else listing.FILTERS[name],
                                    id=f"filter-{name}")
                    error = Static("", id=f"filter-error-{name}", classes="field-error", markup=False)
                    error.display = False
                    yield error
        yield AppFooter()

    def values(self) -> dict[str, str]:
        return {n: self.query_one(f"#filter-{n}", Input).value for n in listing.allowed_filters(self.actor)}

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the next field; on the last one it applies."""
        names = listing.allowed_filters(self.actor)
        if event.input.id == f"filter-{names[-1]}":
            self.action_apply()
        else:
            self.focus_next()

    def action_apply(self) -> None:
        self._check(self.values())

    def action_clear(self) -> None:
        for name in listing.allowed_filters(self.actor):
            self.query_one(f"#filter-{name}", Input).value = ""

    @work(thread=True, exit_on_error=False, group="list-filter")
    def _check(self, values: dict[str, str]) -> None:
        with db_guard(self, _("Checking the filters"), raise_=(ValidationError,)):
            try:
                cleaned = filtering.clean_filters(self.actor, values)
            except ValidationError as exc:
                self.app.call_from_thread(self._errors, exc.errors)
                return
            self.app.call_from_thread(self.dismiss, cleaned)

    def _errors(self, errors: dict[str, str]) -> None:
        for name in listing.allowed_filters(self.actor):
            error = self.query_one(f"#filter-error-{name}", Static)
            error.update(errors.get(name, ""))
            error.display = name in errors

    def action_cancel(self) -> None:
        self.dismiss(None)
