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

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from tradium_tui import formatting as fmt
from tradium_tui.services.access import Actor
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.form import FieldSpec, FormResult, RecordForm

Done = Callable[[int | None], None]

TITLES = ["", "Mr", "Mrs", "Ms", "Mx", "Dr"]
LANGUAGES = [("Dutch", "nl"), ("English", "en"), ("French", "fr"), ("German", "de"),
             ("Spanish", "es")]


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
    custom_fields: list[Any] = field(default_factory=list)
    home_country: str = "NL"


class KindDialog(ModalScreen[str | None]):
    """First choose the kind of customer."""

    BINDINGS = [
        Binding("c", "choose('consumer')", "Consumer", id="kind_consumer"),
        Binding("b", "choose('company')", "Company", id="kind_company"),
        Binding("escape", "choose(None)", "Cancel", id="kind_cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="small-dialog"):
            yield Static("New customer", classes="dialog-title", markup=False)
            yield Static("Is the new customer a natural person or a legal entity?",
                         classes="dialog-intro", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Consumer (person)", id="kind-consumer", variant="primary",
                             compact=True)
                yield Button("Company (business)", id="kind-company", variant="primary",
                             compact=True)
                yield Button("Cancel", id="kind-cancel", compact=True)
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
    fields: list[FieldSpec] = [FieldSpec("h-name", "Customer", kind="heading")]
    if kind == "consumer":
        fields += [
            FieldSpec("title", "Title", kind="select",
                      choices=[(t or "—", t) for t in TITLES if t]),
            FieldSpec("first_name", "First name", max_length=80),
            FieldSpec("last_name", "Last name", required=True, max_length=120),
        ]
    else:
        fields.append(FieldSpec("name", "Company name", required=True, max_length=200))
    fields += [
        FieldSpec("number", "Customer number", placeholder="empty: the next free number"),
        FieldSpec("reference", "Reference", max_length=64,
                  help="Free reference, e.g. the loyalty-card barcode (scanning it opens "
                       "this customer)."),
        FieldSpec("h-visit", "Visiting address", kind="heading"),
        FieldSpec("visit_street", "Street", max_length=120),
        FieldSpec("visit_house_number", "House number", max_length=20),
        FieldSpec("visit_postcode", "Postcode", max_length=20),
        FieldSpec("visit_city", "City", max_length=80),
        FieldSpec("visit_country", "Country", required=True, max_length=40,
                  placeholder="NL, BE, DE, FR, ES…"),
        FieldSpec("h-postal", "Postal address (when different)", kind="heading"),
        FieldSpec("postal_street", "Street or P.O. box", max_length=120),
        FieldSpec("postal_house_number", "House number", max_length=20),
        FieldSpec("postal_postcode", "Postcode", max_length=20),
        FieldSpec("postal_city", "City", max_length=80),
        FieldSpec("postal_country", "Country", max_length=40),
        FieldSpec("h-contact", "Contact", kind="heading"),
        FieldSpec("phone", "Phone", max_length=40),
        FieldSpec("mobile", "Mobile", max_length=40),
        FieldSpec("fax", "Fax", max_length=40),
        FieldSpec("email", "E-mail", max_length=254),
        FieldSpec("website", "Website", max_length=254),
        FieldSpec("opening_hours", "Opening hours", max_length=200),
    ]
    fields.append(FieldSpec("h-fiscal", "Registration and bank", kind="heading"))
    if kind == "company":
        fields += [
            FieldSpec("coc_number", "Chamber of commerce number", max_length=20),
            FieldSpec("vat_number", "VAT number", max_length=20,
                      help="Required for companies in another EU country."),
        ]
    fields += [
        FieldSpec("iban", "IBAN", max_length=42),
        FieldSpec("bic", "BIC", max_length=11, help="Empty: taken from the IBAN."),
        FieldSpec("bank_name", "Bank name", max_length=120),
        FieldSpec("h-sales", "Sales", kind="heading"),
        FieldSpec("credit_limit", "Credit limit", placeholder="e.g. 5.000,00"),
        FieldSpec("discount_percent", "Discount %", placeholder="empty: the group's discount"),
        FieldSpec("customer_group", "Customer group", kind="select", choices=context.groups),
        FieldSpec("condition_group", "Condition group", kind="select",
                  choices=context.condition_groups),
        FieldSpec("account_manager", "Account manager", placeholder="login name of a user"),
        FieldSpec("region", "Region", max_length=40),
        FieldSpec("mailing_code", "Mailing code", placeholder="a number"),
        FieldSpec("language", "Language", kind="select", choices=LANGUAGES),
        FieldSpec("ledger_account", "Ledger account", max_length=20,
                  help="Empty: the 'various customers' account."),
        FieldSpec("price_list", "Price list", max_length=60),
        FieldSpec("document_template", "Document template", max_length=60),
        FieldSpec("charge_vat", "Charge VAT", kind="checkbox"),
        FieldSpec("auto_split_orders", "Split orders automatically", kind="checkbox"),
        FieldSpec("h-remarks", "Remarks", kind="heading"),
        FieldSpec("remarks", "Remarks", kind="textarea"),
        FieldSpec("order_remarks", "Default order remarks", kind="textarea"),
    ]
    if context.custom_fields:
        fields.append(FieldSpec("h-custom", "More fields", kind="heading"))
        for definition in context.custom_fields:
            if definition.kind == "choice":
                fields.append(FieldSpec(definition.column, definition.label, kind="select",
                                        choices=[(c, c) for c in definition.choices]))
            else:
                fields.append(FieldSpec(definition.column, definition.label,
                                        placeholder="a number" if definition.kind == "number"
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
        if name in ("customer_group", "condition_group"):
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
    from tradium_tui.services import custom_fields, customers, groups

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
    context.custom_fields = custom_fields.active_definitions()
    names = [spec.name for spec in customer_fields(context) if spec.kind != "heading"]
    if customer is not None:
        manager = ""
        if customer.__data__.get("account_manager") is not None:
            from tradium_tui.services import customer_view

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
        return f"Edit {customer.name} ({customer.number})"
    return "New consumer" if kind == "consumer" else "New company"


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
            form_title(kind, shown) if shown is not None or not editing else "Edit customer",
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
        from tradium_tui.services import customers

        data = dict(values)
        customer = self.context.customer
        if customer is None:
            data["kind"] = self.context.kind
            data = {k: v for k, v in data.items() if v not in ("",) or k == "kind"}
        if not self.duplicates_confirmed:
            keys = set(data) & customers.DUPLICATE_KEYS
            if customer is None or keys:
                probe = dict(self.collect())
                probe["kind"] = self.context.kind
                matches = customers.find_duplicates(
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
                    "Not saved: this customer looks like an existing one.", warning=True)

        self.app.push_screen(DuplicatesDialog(matches), answered)


class DuplicatesDialog(ModalScreen[bool | int | None]):
    """The customers the new one looks like, and why: open one, save anyway, or go back.

    Dismisses with the id of the customer to open, ``True`` to save anyway, or ``False``.
    """

    BINDINGS = [
        Binding("o", "open_candidate", "Open", id="duplicates_open",
                tooltip="Open the highlighted customer instead of saving (or Enter)."),
        Binding("y", "answer(True)", "Save anyway", id="duplicates_save"),
        Binding("escape,n", "answer(False)", "Back to the form", id="duplicates_back"),
    ]

    def __init__(self, matches: list[Any]) -> None:
        super().__init__(id="duplicates")
        self.matches = list(matches)

    def compose(self) -> ComposeResult:
        count = len(self.matches)
        with Vertical(classes="small-dialog duplicates-dialog"):
            yield Static("This customer may already exist", classes="dialog-title", markup=False)
            yield Static(
                f"{count} existing customer{'s look' if count != 1 else ' looks'} like it. "
                "Enter or o opens the highlighted one; y saves anyway.",
                classes="dialog-intro", markup=False, id="duplicates-intro",
            )
            yield DataTable(id="duplicates-table", cursor_type="row", zebra_stripes=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#duplicates-table", DataTable)
        table.add_column("Number", key="number")
        table.add_column("Name", key="name")
        table.add_column("Why", key="why")
        for match in self.matches:
            name = match.name + (" (deleted)" if match.deleted else "")
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
            self.notify("That customer is deleted: restore it from the deleted customers.",
                        severity="warning")
            return
        self.dismiss(match.customer_id)

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
        for name, text in form.result_warnings.items():
            app.notify(text, title=f"Saved, but check {name.replace('_', ' ')}",
                       severity="warning", timeout=8)
        app.notify(f"{customer.name} ({customer.number}) saved.", timeout=3)
        done(customer.id)

    app.push_screen(form, closed)
