"""The Contacts tab: persons and branches of the customer; one of them is the primary contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.models.crm import CONTACT_KINDS
from tradium_tui.services import contacts as contacts_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, count_text, detail_lines, record_bindings


def kind_label(kind: str) -> str:
    return {"person": pgettext("contact kind", "Person"),
            "branch": pgettext("contact kind", "Branch")}.get(kind, kind)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind_label(k), k) for k in CONTACT_KINDS]


class ContactsTab(TabView):
    TAB = "contacts"
    TITLE = N_("Contacts")
    RECORD = "contact"
    EMPTY = N_("No contacts for this customer yet.")
    COLUMNS = (("", 2), (N_("Name"), None), (N_("Function"), 16), (N_("Phone"), 16),
               (N_("E-mail"), 26), (N_("City"), 14))
    TEXTS = {"new": N_("New contact"), "edit": N_("Edit contact"),
             "saved": N_("Contact saved."), "deleted": N_("Contact deleted.")}
    EXTRA_WRITE_ACTIONS = frozenset({"make_primary"})
    BINDINGS = record_bindings(
        "contacts", N_("New contact"),
        extra=[Binding("p", "make_primary", N_("Primary"), id="contacts_make_primary",
                       tooltip=N_("Make the selected contact the primary contact."))],
    )

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return contacts_service.list_contacts(self.actor, customer_id)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = "bold" if row.is_primary else ""
        name = row.name if row.kind == "person" else _("{name} (branch)").format(name=row.name)
        return (
            cell("★" if row.is_primary else "", f"bold {palette['accent']}"),
            cell(name, style),
            cell(row.function),
            cell(row.phone or row.mobile),
            cell(row.email),
            cell(row.city),
        )

    def summary(self) -> Content:
        if not self.rows:
            return Content("")
        primary = next((r for r in self.rows if r.is_primary), None)
        text = count_text(len(self.rows), "{count} contact", "{count} contacts")
        if primary is not None:
            text = _("{contacts}  ·  primary: {name}").format(contacts=text, name=primary.name)
        return Content(text)

    def detail(self, row: Any) -> Content:
        address = " ".join(x for x in (row.street, row.house_number) if x)
        town = " ".join(x for x in (row.postcode, row.city) if x)
        where = ", ".join(x for x in (address, town, row.country) if x)
        name = _("{name}  ★ primary contact").format(name=row.name) if row.is_primary \
            else row.name
        return detail_lines([
            (_("Name"), name),
            (_("Kind"), kind_label(row.kind)),
            (_("Function"), row.function),
            (_("Phone"), row.phone),
            (_("Mobile"), row.mobile),
            (_("E-mail"), row.email),
            (_("Address"), where),
            (_("Remarks"), row.remarks),
        ])

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return [
            FieldSpec("kind", _("Kind"), kind="select", choices=kind_choices(),
                      allow_blank=False),
            FieldSpec("name", _("Name"), required=True, max_length=200),
            FieldSpec("function", _("Function"), max_length=80),
            FieldSpec("email", _("E-mail"), max_length=254),
            FieldSpec("phone", _("Phone"), max_length=40),
            FieldSpec("mobile", _("Mobile"), max_length=40),
            FieldSpec("street", _("Street"), max_length=120),
            FieldSpec("house_number", _("House number"), max_length=20),
            FieldSpec("postcode", _("Postcode"), max_length=20),
            FieldSpec("city", _("City"), max_length=80),
            FieldSpec("country", _("Country"),
                      placeholder=_("NL, BE, DE… (empty: the customer's)"), max_length=40),
            FieldSpec("is_primary", _("Primary contact"), kind="checkbox"),
            FieldSpec("remarks", _("Remarks"), kind="textarea"),
        ]

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"kind": "person", "is_primary": not self.rows}
        return {
            name: getattr(row, name)
            for name in ("kind", "name", "function", "email", "phone", "mobile", "street",
                         "house_number", "postcode", "city", "country", "is_primary", "remarks")
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        return contacts_service.create_contact(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return contacts_service.update_contact(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        contacts_service.delete_contact(self.actor, row.id, row.version)

    def delete_question(self, row: Any) -> str:
        return _("Delete the contact {name}?").format(name=row.name)

    def action_make_primary(self) -> None:
        row = self.selected
        if row is None or not self.editable or row.is_primary:
            return
        self.run_write(
            _("Making the contact primary"),
            lambda: contacts_service.make_primary(self.actor, row.id, row.version),
            _("{name} is now the primary contact.").format(name=row.name),
        )


WIDGET = ContactsTab
