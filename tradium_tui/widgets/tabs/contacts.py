"""The Contacts tab: persons and branches of the customer; one of them is the primary contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.content import Content

from tradium_tui.models.crm import CONTACT_KINDS
from tradium_tui.services import contacts as contacts_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, detail_lines, plural, record_bindings

KIND_CHOICES = [(k.capitalize(), k) for k in CONTACT_KINDS]


class ContactsTab(TabView):
    TAB = "contacts"
    TITLE = "Contacts"
    RECORD = "contact"
    EMPTY = "No contacts for this customer yet."
    COLUMNS = (("", 2), ("Name", None), ("Function", 16), ("Phone", 16), ("E-mail", 26),
               ("City", 14))
    EXTRA_WRITE_ACTIONS = frozenset({"make_primary"})
    BINDINGS = record_bindings(
        "contacts", "New contact",
        extra=[Binding("p", "make_primary", "Primary", id="contacts_make_primary",
                       tooltip="Make the selected contact the primary contact.")],
    )

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return contacts_service.list_contacts(self.actor, customer_id)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = "bold" if row.is_primary else ""
        name = row.name if row.kind == "person" else f"{row.name} (branch)"
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
        text = plural(len(self.rows), "contact")
        if primary is not None:
            text += f"  ·  primary: {primary.name}"
        return Content(text)

    def detail(self, row: Any) -> Content:
        address = " ".join(x for x in (row.street, row.house_number) if x)
        town = " ".join(x for x in (row.postcode, row.city) if x)
        where = ", ".join(x for x in (address, town, row.country) if x)
        return detail_lines([
            ("Name", row.name + ("  ★ primary contact" if row.is_primary else "")),
            ("Kind", row.kind),
            ("Function", row.function),
            ("Phone", row.phone),
            ("Mobile", row.mobile),
            ("E-mail", row.email),
            ("Address", where),
            ("Remarks", row.remarks),
        ])

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return [
            FieldSpec("kind", "Kind", kind="select", choices=KIND_CHOICES, allow_blank=False),
            FieldSpec("name", "Name", required=True, max_length=200),
            FieldSpec("function", "Function", max_length=80),
            FieldSpec("email", "E-mail", max_length=254),
            FieldSpec("phone", "Phone", max_length=40),
            FieldSpec("mobile", "Mobile", max_length=40),
            FieldSpec("street", "Street", max_length=120),
            FieldSpec("house_number", "House number", max_length=20),
            FieldSpec("postcode", "Postcode", max_length=20),
            FieldSpec("city", "City", max_length=80),
            FieldSpec("country", "Country", placeholder="NL, BE, DE… (empty: the customer's)",
                      max_length=40),
            FieldSpec("is_primary", "Primary contact", kind="checkbox"),
            FieldSpec("remarks", "Remarks", kind="textarea"),
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

    def describe(self, row: Any) -> str:
        return f"the contact {row.name}"

    def action_make_primary(self) -> None:
        row = self.selected
        if row is None or not self.editable or row.is_primary:
            return
        self.run_write(
            "Making the contact primary",
            lambda: contacts_service.make_primary(self.actor, row.id, row.version),
            f"{row.name} is now the primary contact.",
        )


WIDGET = ContactsTab
