"""Contacts: the persons and branches of a customer, one of them the primary contact.

A customer with contacts always has exactly one primary contact: the first contact
becomes primary, making another contact primary clears the old one (audited, on the
old contact's record), and deleting the primary promotes the oldest remaining contact.
"""

from __future__ import annotations

from typing import Any

from tradium_tui.db import is_postgres, write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import Contact, Customer
from tradium_tui.models.crm import CONTACT_KINDS
from tradium_tui.services import records, validation
from tradium_tui.services.access import Actor
from tradium_tui.services.countries import check_country
from tradium_tui.services.errors import NotFound
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.values import FieldError, parse_bool

TAB = "contacts"
FIELDS = (
    "kind", "name", "function", "email", "phone", "mobile", "street", "house_number",
    "postcode", "city", "country", "is_primary", "remarks",
)
LABELS = {
    "kind": "Kind",
    "name": "Name",
    "function": "Function",
    "email": "E-mail",
    "phone": "Phone",
    "mobile": "Mobile",
    "street": "Street",
    "house_number": "House number",
    "postcode": "Postcode",
    "city": "City",
    "country": "Country",
    "is_primary": "Primary contact",
    "remarks": "Remarks",
}


def _validate(values: dict[str, Any], stored: Contact | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    form = Form(values, stored, FIELDS, LABELS, "a contact")
    if stored is None:
        customer = customer_for_write(customer_id)
        form.set("customer", customer_id)
        home = customer.visit_country or "NL"
    else:
        home = Customer.select(Customer.visit_country).where(Customer.id == customer_id).scalar() or "NL"
    form.choice("kind", CONTACT_KINDS, default="person")
    form.text("name", required=True, max_length=200)
    form.text("function", max_length=80)
    form.text("street", max_length=120)
    form.text("house_number", max_length=20)
    form.text("city", max_length=80)
    form.text("remarks")
    country = _checked(form, "country", check_country, blank_ok=True)
    region = country or home
    _checked(form, "email", validation.check_email)
    _checked(form, "phone", lambda v: validation.check_phone(v, region))
    _checked(form, "mobile", lambda v: validation.check_phone(v, region))
    _checked(form, "postcode", lambda v: validation.check_postcode(v, region))
    primary = form.boolean("is_primary", default=False)
    if stored is not None and stored.is_primary and form.given("is_primary") and not primary:
        form.error(
            "is_primary",
            _("A customer always has one primary contact: make another contact primary instead."),
        )
    return form.finish()


def _checked(form: Form, name: str, check, blank_ok: bool = True) -> str:
    """Run one of the validation module's checks on a typed field."""
    if not form.given(name):
        return form.current(name, "") if form.stored is not None else ""
    raw = form.values.get(name)
    text = "" if raw is None else str(raw).strip()
    if not text and blank_ok:
        form.set(name, "")
        return ""
    try:
        value = check(text)
    except FieldError as exc:
        form.fail(name, exc)
        return ""
    except Exception:  # a checker must never turn bad input into a traceback
        form.error(name, _("{name} is not valid.").format(name=form.label(name)))
        return ""
    max_length = Contact._meta.fields[name].max_length
    if max_length and len(value) > max_length:
        form.error(name, _("{name} is too long (at most {max_length} characters).").format(name=form.label(name), max_length=max_length))
        return ""
    form.set(name, value)
    return value


def _validate_primary_flag(values: dict[str, Any], stored: Contact | None) -> dict[str, Any]:
    """Internal: only the primary flag, set by this module when another contact takes over."""
    return {"is_primary": bool(values["is_primary"])}


SPEC = records.RecordSpec(model=Contact, tab=TAB, label="contact", validate=_validate)
_PRIMARY_SPEC = records.RecordSpec(
    model=Contact, tab=TAB, label="contact", validate=_validate_primary_flag
)


def _lock_customer(customer_id: int) -> None:
    """Serialise primary-contact changes of one customer (SQLite already writes one at a time)."""
    if is_postgres():
        list(Customer.select(Customer.id).where(Customer.id == customer_id).for_update())


def _clear_other_primaries(actor: Actor, customer_id: int, keep_id: int) -> None:
    others = Contact.select(Contact.id, Contact.version).where(
        (Contact.customer == customer_id) & Contact.is_primary & (Contact.id != keep_id)
    )
    for other in list(others):
        records.update(actor, _PRIMARY_SPEC, other.id, {"is_primary": False}, other.version)


# --------------------------------------------------------------------------- reading


def list_contacts(actor: Actor, customer_id: int) -> list[Contact]:
    """The customer's contacts: the primary one first, then persons and branches by name."""
    actor.require(TAB, "view")
    return list(
        Contact.select()
        .where(Contact.customer == customer_id)
        .order_by(Contact.is_primary.desc(), Contact.kind, Contact.name, Contact.id)
    )


def get_contact(actor: Actor, contact_id: int) -> Contact:
    actor.require(TAB, "view")
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound(_("The contact #{contact_id} no longer exists.").format(contact_id=contact_id))
    return contact


def primary_contact(customer_id: int) -> Contact | None:
    return Contact.get_or_none((Contact.customer == customer_id) & Contact.is_primary)


# --------------------------------------------------------------------------- writing


def _is_flag(value: Any) -> bool:
    """Whether a typed primary flag can be read (a bad one is left for the validator)."""
    try:
        parse_bool(value)
    except FieldError:
        return False
    return True


def create_contact(actor: Actor, customer_id: int, values: dict[str, Any]) -> Contact:
    """``values``: kind (person|branch), name (required), function, email, phone, mobile,
    street, house_number, postcode, city, country, is_primary, remarks.

    The first contact of a customer becomes primary; a new primary clears the old one.
    """
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k != "customer"}
    data["customer"] = customer_id
    with write_transaction():
        _lock_customer(customer_id)
        has_primary = primary_contact(customer_id) is not None
        if not has_primary and _is_flag(data.get("is_primary")):
            data["is_primary"] = True
        contact = records.create(actor, SPEC, data)
        if contact.is_primary and has_primary:
            _clear_other_primaries(actor, customer_id, contact.id)
    return contact


def update_contact(actor: Actor, contact_id: int, values: dict[str, Any], expected_version: int) -> Contact:
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k != "customer"}
    with write_transaction():
        stored = Contact.get_or_none(Contact.id == contact_id)
        if stored is None:
            raise NotFound(_("The contact #{contact_id} no longer exists.").format(contact_id=contact_id))
        _lock_customer(stored.customer_id)
        contact = records.update(actor, SPEC, contact_id, data, expected_version)
        if contact.is_primary:
            _clear_other_primaries(actor, contact.customer_id, contact.id)
    return contact


def make_primary(actor: Actor, contact_id: int, expected_version: int) -> Contact:
    """Make this contact the customer's primary contact (the old one is cleared)."""
    return update_contact(actor, contact_id, {"is_primary": True}, expected_version)


def delete_contact(actor: Actor, contact_id: int, expected_version: int) -> None:
    """Delete a contact; when it was the primary one, the oldest other contact takes over."""
    actor.require(TAB, "edit")
    with write_transaction():
        stored = Contact.get_or_none(Contact.id == contact_id)
        if stored is None:
            raise NotFound(_("The contact #{contact_id} no longer exists.").format(contact_id=contact_id))
        _lock_customer(stored.customer_id)
        records.delete(actor, SPEC, contact_id, expected_version)
        if stored.is_primary:
            successor = (
                Contact.select(Contact.id, Contact.version)
                .where(Contact.customer == stored.customer_id)
                .order_by(Contact.created_at, Contact.id)
                .first()
            )
            if successor is not None:
                records.update(actor, _PRIMARY_SPEC, successor.id, {"is_primary": True}, successor.version)

