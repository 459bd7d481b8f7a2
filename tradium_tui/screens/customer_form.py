"""Creating and editing customers.

A new customer starts with the choice of kind (consumer or company), as in the seeds;
then one form with the fields of that kind.  Before saving, the duplicate guard looks for
customers with the same VAT number, chamber-of-commerce number, IBAN, e-mail, or name and
postcode, and asks.  Validation messages appear next to each field; a conflict (someone
saved in between) opens the conflict dialog with both values, and nothing typed is lost.

:func:`new_customer` and :func:`edit_customer` are the entry points; both call
``done(customer_id | None)`` when the form closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext, pgettext
from tradium_tui.keymap import key_for
from tradium_tui.services import (
    custom_fields,
    customer_duplicates,
    customer_view,
    customers,
    groups,
    pricing,
)
from tradium_tui.services.access import Actor
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.form import FieldSpec, FormResult, RecordForm
from tradium_tui.widgets.safe_text import SafeDataTable

Done = Callable[[int | None], None]

TITLES = ["", "Mr", "Mrs", "Ms", "Mx", "Dr"]  # stored as typed; see title_choices
# The customer's own language (for their documents), named in the interface language.
LANGUAGES = [(N_("Dutch"), "nl"), (N_("English"), "en"), (N_("French"), "fr"),
             (N_("German"), "de"), (N_("Spanish"), "es")]


def title_choices() -> list[tuple[str, str]]:
    """The titles (civilité) offered: what is stored stays the English abbreviation, the
    label shows the language's own (Dhr. / M. / Sr.)."""
    labels = {
        "Mr": pgettext("title", "Mr"), "Mrs": pgettext("title", "Mrs"),
        "Ms": pgettext("title", "Ms"), "Mx": pgettext("title", "Mx"),
        "Dr": pgettext("title", "Dr"),
    }
    return [(labels.get(t, t), t) for t in TITLES if t]


class DuplicatesFound(Exception):
    """The duplicate guard found customers like this one; the user decides."""

    def __init__(self, matches: list[Any]) -> None:
        super().__init__(f"{len(matches)} possible duplicates")
        self.matches = matches


@dataclass
class FormContext:
    """What the form needs from the database before it opens (loaded in a worker)."""

    kind: str
    customer: Any | None = None  # the stored customer when editing
    values: dict[str, Any] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)
    condition_groups: list[tuple[str, str]] = field(default_factory=list)
    price_lists: list[tuple[Any, str]] = field(default_factory=list)
    custom_fields: list[Any] = field(default_factory=list)
    home_country: str = "NL"


class KindDialog(ModalScreen[str | None]):
    """First choose the kind of customer."""

    BINDINGS = [
        Binding("c", "choose('consumer')", N_("Consumer"), id="kind_consumer"),
        Binding("b", "choose('company')", N_("Company"), id="kind_company"),
        Binding("escape", "choose(None)", N_("Cancel"), id="kind_cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="small-dialog"):
            yield Static(_("New customer"), classes="dialog-title", markup=False)
            yield Static(_("Is the new customer a natural person or a legal entity?"),
                         classes="dialog-intro", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Consumer (person)"), id="kind-consumer", variant="primary",
                             compact=True)
                yield Button(_("Company (business)"), id="kind-company", variant="primary",
                             compact=True)
                yield Button(_("Cancel"), id="kind-cancel", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#kind-company", Button).focus()

    def action_choose(self, kind: str | None) -> None:
        self.dismiss(kind)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"kind-consumer": "consumer", "kind-company": "company"}.get(
            event.button.id or ""))


def customer_fields(context: FormContext) -> list[FieldSpec]:
    kind = context.kind
    fields: list[FieldSpec] = [FieldSpec("h-name", _("Customer"), kind="heading")]
    if kind == "consumer":
        fields += [
            FieldSpec("title", _("Title"), kind="select",
                      choices=title_choices()),
            FieldSpec("first_name", _("First name"), max_length=80),
            FieldSpec("last_name", _("Last name"), required=True, max_length=120),
        ]
    else:
        fields.append(FieldSpec("name", _("Company name"), required=True, max_length=200))
    fields += [
        FieldSpec("number", _("Customer number"), placeholder=_("empty: the next free number")),
        FieldSpec("reference", _("Reference"), max_length=64,
                  help=_("Free reference, e.g. the loyalty-card barcode (scanning it opens "
                       "this customer).")),
        FieldSpec("h-visit", _("Visiting address"), kind="heading"),
        FieldSpec("visit_street", _("Street"), max_length=120),
        FieldSpec("visit_house_number", _("House number"), max_length=20),
        FieldSpec("visit_postcode", _("Postcode"), max_length=20),
        FieldSpec("visit_city", _("City"), max_length=80),
        FieldSpec("visit_country", _("Country"), required=True, max_length=40,
                  placeholder=_("NL, BE, DE, FR, ES…")),
        FieldSpec("h-postal", _("Postal address (when different)"), kind="heading"),
        FieldSpec("postal_street", _("Street or P.O. box"), max_length=120),
        FieldSpec("postal_house_number", _("House number"), max_length=20),
        FieldSpec("postal_postcode", _("Postcode"), max_length=20),
        FieldSpec("postal_city", _("City"), max_length=80),
        FieldSpec("postal_country", _("Country"), max_length=40),
        FieldSpec("h-contact", pgettext("form heading", "Contact"), kind="heading"),
        FieldSpec("phone", _("Phone"), max_length=40),
        FieldSpec("mobile", _("Mobile"), max_length=40),
        FieldSpec("fax", _("Fax"), max_length=40),
        FieldSpec("email", _("E-mail"), max_length=254),
        FieldSpec("website", _("Website"), max_length=254),
        FieldSpec("opening_hours", _("Opening hours"), max_length=200),
    ]
    fields.append(FieldSpec("h-fiscal", _("Registration and bank"), kind="heading"))
    if kind == "company":
        fields += [
            FieldSpec("coc_number", _("Chamber of commerce number"), max_length=20),
            FieldSpec("vat_number", _("VAT number"), max_length=20,
                      help=_("Required for companies in another EU country.")),
        ]
    fields += [
        FieldSpec("iban", _("IBAN"), max_length=42),
        FieldSpec("bic", _("BIC"), max_length=11, help=_("Empty: taken from the IBAN.")),
        FieldSpec("bank_name", _("Bank name"), max_length=120),
        FieldSpec("h-sales", _("Sales"), kind="heading"),
        FieldSpec("credit_limit", _("Credit limit"), placeholder=_("e.g. 5.000,00")),
        FieldSpec("discount_percent", _("Discount %"), placeholder=_("empty: the group's discount")),
        FieldSpec("customer_group", _("Customer group"), kind="select", choices=context.groups),
        FieldSpec("condition_group", _("Condition group"), kind="select",
                  choices=context.condition_groups),
        FieldSpec("account_manager", _("Account manager"), placeholder=_("login name of a user")),
        FieldSpec("region", _("Region"), max_length=40),
        FieldSpec("mailing_code", _("Mailing code"), placeholder=_("a number")),
        FieldSpec("language", _("Language"), kind="select",
                  choices=[(_(label), code) for label, code in LANGUAGES]),
        FieldSpec("ledger_account", _("Ledger account"), max_length=20,
                  help=_("Empty: the 'various customers' account.")),
        FieldSpec("price_list", _("Price list"), kind="select",
                  choices=[(pgettext("price list", "none"), ""), *context.price_lists]),
        FieldSpec("document_template", _("Document template"), max_length=60),
        FieldSpec("charge_vat", _("Charge VAT"), kind="checkbox"),
        FieldSpec("auto_split_orders", _("Split orders automatically"), kind="checkbox"),
        FieldSpec("h-remarks", _("Remarks"), kind="heading"),
        FieldSpec("remarks", _("Remarks"), kind="textarea"),
        FieldSpec("order_remarks", _("Default order remarks"), kind="textarea"),
    ]
    if context.custom_fields:
        fields.append(FieldSpec("h-custom", _("More fields"), kind="heading"))
        for definition in context.custom_fields:
            if definition.kind == "choice":
                fields.append(FieldSpec(definition.column, definition.label, kind="select",
                                        choices=[(c, c) for c in definition.choices]))
            else:
                fields.append(FieldSpec(definition.column, definition.label,
                                        placeholder=_("a number") if definition.kind == "number"
                                        else ""))
    return fields


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return fmt.number(value)
    return str(value)


def stored_values(customer: Any, manager: str, names: list[str]) -> dict[str, Any]:
    """The stored customer as the text the form shows."""
    values: dict[str, Any] = {}
    for name in names:
        if name in ("customer_group", "condition_group", "price_list"):
            raw = customer.__data__.get(name)
            values[name] = "" if raw is None else str(raw)
        elif name == "account_manager":
            values[name] = manager
        elif name == "credit_limit":
            values[name] = fmt.amount(customer.credit_limit)
        elif name == "discount_percent":
            values[name] = "" if not customer.discount_percent else fmt.number(
                customer.discount_percent)
        else:
            values[name] = _text(getattr(customer, name, ""))
    return values


def load_context(actor: Actor, kind: str | None, customer_id: int | None) -> FormContext:
    """Runs in a worker: everything the form needs."""
    customer = None
    if customer_id is not None:
        customer = customers.get_customer(customer_id)
        kind = customer.kind
    context = FormContext(kind=kind or "company", customer=customer,
                          home_country=customers.home_country())
    context.groups = [(f"{g.name} ({fmt.percent(g.discount_percent)})", str(g.id))
                      for g in groups.list_customer_groups()]
    context.condition_groups = [(f"{g.code} {g.name}".strip(), str(g.id))
                                for g in groups.list_condition_groups()]
    # Names as plain text (a select reads its labels as markup).
    context.price_lists = [(Text(shown(p.name)), str(p.id)) for p in pricing.list_price_lists()]
    context.custom_fields = custom_fields.active_definitions()
    names = [spec.name for spec in customer_fields(context) if spec.kind != "heading"]
    if customer is not None:
        manager = ""
        if customer.__data__.get("account_manager") is not None:
            # Shown as the view names the manager; sent only when the user changes it.
            manager = customer_view.load_customer_view(customer.id, actor.user.id).account_manager
        context.values = stored_values(customer, manager, names)
    else:
        context.values = {"visit_country": context.home_country, "charge_vat": True,
                          "language": "nl" if context.home_country == "NL" else ""}
    return context


def form_title(kind: str | None, customer: Any | None) -> str:
    """"Edit NAME (NUMBER)" for a stored customer (anything with a name and a number),
    else the kind of new customer."""
    if customer is not None:
        return _("Edit {name} ({number})").format(name=customer.name, number=customer.number)
    return _("New consumer") if kind == "consumer" else _("New company")


class CustomerForm(RecordForm):
    """The customer form; checks for duplicates before it saves.

    It is on screen at once and loads what it needs (:func:`load_context`) in a thread
    worker; the fields appear when that arrives.  ``shown`` (the customer as the main
    screen shows it) gives the title before then.
    """

    def __init__(self, actor: Actor, kind: str | None = None, customer_id: int | None = None,
                 shown: Any | None = None) -> None:
        self.actor = actor
        self.context = FormContext(kind=kind or "company")
        self.duplicates_confirmed = False
        self.open_instead: int | None = None  # an existing customer chosen over saving
        editing = customer_id is not None
        super().__init__(
            form_title(kind, shown) if shown is not None or not editing else _("Edit customer"),
            [],
            save=self._save_customer,
            only_changes=editing,
            load=lambda: load_context(actor, kind, customer_id),
        )
        self.add_class("customer-form")
        self.result_warnings: dict[str, str] = {}

    def apply_loaded(self, context: FormContext) -> None:
        self.context = context
        editing = context.customer is not None
        self.form_title = form_title(context.kind, context.customer)
        self.fields = customer_fields(context)
        self.values = dict(context.values)
        self.version = context.customer.version if editing else None
        self.focus_name = "last_name" if context.kind == "consumer" and not editing else None

    def _save_customer(self, values: dict[str, Any], version: int | None) -> Any:
        data = dict(values)
        customer = self.context.customer
        if customer is None:
            data["kind"] = self.context.kind
            data = {k: v for k, v in data.items() if v not in ("",) or k == "kind"}
        if not self.duplicates_confirmed:
            keys = set(data) & customer_duplicates.DUPLICATE_KEYS
            if customer is None or keys:
                probe = dict(self.collect())
                probe["kind"] = self.context.kind
                matches = customer_duplicates.find_duplicates(
                    probe, exclude_id=customer.id if customer is not None else None
                )
                if matches:
                    raise DuplicatesFound(matches)
        if customer is None:
            result = customers.create_customer(self.actor, data)
        else:
            result = customers.update_customer(self.actor, customer.id, data, version)
        self.result_warnings = dict(result.warnings)
        return result.customer

    def on_save_failed(self, message) -> None:
        """Duplicates are asked about here; every other failure goes on to
        :meth:`RecordForm.on_save_failed` (Textual calls the base handler next)."""
        error = message.error
        if isinstance(error, DuplicatesFound):
            message.prevent_default()
            message.stop()
            self.saving = False
            self.show_form_message("")
            self._ask_duplicates(error.matches)

    def _ask_duplicates(self, matches: list[Any]) -> None:
        def answered(answer: bool | int | None) -> None:
            if answer is True:
                self.duplicates_confirmed = True
                self.call_after_refresh(self.action_save)
            elif isinstance(answer, int) and not isinstance(answer, bool):
                self.open_instead = answer  # the user opens the existing customer
                self.dismiss(None)
            else:
                self.show_form_message(
                    _("Not saved: this customer looks like an existing one."), warning=True)

        editing = self.context.customer
        self.app.push_screen(DuplicatesDialog(
            matches, actor=self.actor, editing_id=editing.id if editing is not None else None,
            unsaved=self.is_dirty()), answered)


class DuplicatesDialog(ModalScreen[bool | int | None]):
    """The customers the new one looks like, and why: open one, save anyway, or go back.
    When an existing customer is being edited, it can also be merged into the highlighted
    one (the merge dialog opens for the two; ``s`` there swaps who survives).

    Dismisses with the id of the customer to open (after a merge: the survivor), ``True``
    to save anyway, or ``False``.
    """

    BINDINGS = [
        Binding("o", "open_candidate", N_("Open"), id="duplicates_open",
                tooltip=N_("Open the highlighted customer instead of saving (or Enter).")),
        Binding("m", "merge_candidate", N_("Merge into…"), id="duplicates_merge",
                tooltip=N_("Merge the customer you are editing into the highlighted one "
                           "(the merge dialog shows both first).")),
        Binding("y", "answer(True)", N_("Save anyway"), id="duplicates_save"),
        Binding("escape,n", "answer(False)", N_("Back to the form"), id="duplicates_back"),
    ]

    def __init__(self, matches: list[Any], *, actor: Actor | None = None,
                 editing_id: int | None = None, unsaved: bool = False) -> None:
        super().__init__(id="duplicates")
        self.matches = list(matches)
        self.actor = actor
        self.editing_id = editing_id  # the customer being edited; None for a new one
        self.unsaved = unsaved  # the form holds typed changes

    def compose(self) -> ComposeResult:
        count = len(self.matches)
        with Vertical(classes="small-dialog duplicates-dialog"):
            yield Static(_("This customer may already exist"), classes="dialog-title",
                         markup=False)
            if self.editing_id is not None:
                intro = ngettext(
                    "{count} other customer looks like this one. Enter or o opens the "
                    "highlighted one; {merge} merges this customer into it; y saves anyway.",
                    "{count} other customers look like this one. Enter or o opens the "
                    "highlighted one; {merge} merges this customer into it; y saves anyway.",
                    count).format(count=count, merge=key_for(self, "duplicates_merge"))
            else:
                intro = ngettext("{count} existing customer looks like it. Enter or o opens "
                                 "the highlighted one; y saves anyway.",
                                 "{count} existing customers look like it. Enter or o opens "
                                 "the highlighted one; y saves anyway.", count).format(count=count)
            yield Static(intro, classes="dialog-intro", markup=False, id="duplicates-intro")
            yield SafeDataTable(id="duplicates-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#duplicates-table", DataTable)
        table.add_column(_("Number"), key="number")
        table.add_column(_("Name"), key="name")
        table.add_column(_("Why"), key="why")
        for match in self.matches:
            name = _("{name} (deleted)").format(name=match.name) if match.deleted else match.name
            table.add_row(str(match.number), name, match.reason, key=str(match.customer_id))
        table.focus()

    @property
    def detail(self) -> str:
        """The candidates as text (number, name, why), one a line."""
        return "\n".join(
            f"{m.name} ({m.number}){' — deleted' if m.deleted else ''}: {m.reason}"
            for m in self.matches
        )

    def action_open_candidate(self) -> None:
        table = self.query_one("#duplicates-table", DataTable)
        if not self.matches or table.row_count == 0:
            return
        match = self.matches[table.cursor_row]
        if match.deleted:
            self.notify(_("That customer is deleted: restore it from the deleted customers."),
                        severity="warning")
            return
        self.dismiss(match.customer_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge_candidate":
            if self.editing_id is None or self.actor is None:
                return False  # a new customer: o opens the existing one instead
            return True if self.actor.role.can_edit_base else None
        return True

    def action_merge_candidate(self) -> None:
        table = self.query_one("#duplicates-table", DataTable)
        if self.editing_id is None or self.actor is None or not self.matches \
                or table.row_count == 0:
            return
        if not self.actor.role.can_edit_base:
            self.notify(_("Merging customers needs the right to edit base data, which your "
                          "role does not have."), severity="warning")
            return
        match = self.matches[table.cursor_row]
        if match.deleted:
            self.notify(_("That customer is deleted: restore it from the deleted customers "
                          "before merging into it."), severity="warning")
            return
        from tradium_tui.screens.merge import MergeDialog  # lazy: start-up

        def merged(survivor: int | None) -> None:
            if survivor is None:
                return  # closed: back here, nothing changed
            if self.unsaved:
                self.notify(_("What you typed in the form was not saved: the merge took the "
                              "values chosen in the merge dialog."), severity="warning",
                            timeout=8)
            self.dismiss(survivor)

        self.app.push_screen(MergeDialog(self.actor, match.customer_id, self.editing_id), merged)

    @on(DataTable.RowSelected, "#duplicates-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_candidate()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def new_customer(app: App, actor: Actor, done: Done, kind: str | None = None) -> None:
    """Choose the kind (unless given), then open the form for a new customer."""
    if kind is None:
        def chosen(picked: str | None) -> None:
            if picked:
                _open(app, actor, picked, None, done)

        app.push_screen(KindDialog(), chosen)
    else:
        _open(app, actor, kind, None, done)


def edit_customer(app: App, actor: Actor, customer_id: int, done: Done) -> None:
    _open(app, actor, None, customer_id, done)


def _open(app: App, actor: Actor, kind: str | None, customer_id: int | None, done: Done) -> None:
    shown = getattr(app.screen, "view", None)  # the open customer, for the title
    if customer_id is None or getattr(shown, "id", None) != customer_id:
        shown = None
    form = CustomerForm(actor, kind, customer_id, shown)

    def closed(result: FormResult | None) -> None:
        if result is None or result.record is None:
            done(getattr(form, "open_instead", None))
            return
        customer = result.record
        labels = {spec.name: spec.label for spec in form.fields}
        for name, text in form.result_warnings.items():
            field = labels.get(name) or name.replace("_", " ")
            app.notify(text, title=_("Saved, but check {field}").format(field=field),
                       severity="warning", timeout=8)
        app.notify(_("{name} ({number}) saved.").format(name=customer.name,
                                                        number=customer.number), timeout=3)
        done(customer.id)

    app.push_screen(form, closed)
