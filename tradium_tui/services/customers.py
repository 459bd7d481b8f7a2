"""The customer record: create, update, delete/restore, group, tags, marks, duplicates.

Every write goes through :mod:`tradium_tui.services.records` (permission → validation →
optimistic lock → audit), with :data:`CUSTOMER_SPEC` describing the customer.  Its
validator is :func:`tradium_tui.services.customer_rules.clean_customer` plus the checks
that need the database (unique number and reference) and the customer number.

Rules decided here:

* Changing a customer's base data, its group, tags, deleting and restoring need the
  role's base-data right (``Role.can_edit_base``).
* Marks are personal (each user their own) and change nothing of the customer, so any
  user who can open the customer may mark it; marks are not audited.
* Deleting is soft (``deleted_at``): the customer leaves search and lists, everything
  it owns stays, invoices keep the name and address they were issued with, and
  :func:`restore_customer` brings it back.  Anonymising for a privacy request can later
  be a further update of the personal fields through the same path (audited).
"""

from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.config import get_settings
from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    AuditRecord,
    Customer,
    CustomerGroup,
    CustomerTag,
    Mark,
    Tag,
    utcnow,
)
from tradium_tui.services import audit, numbering, records
from tradium_tui.services.access import Actor
from tradium_tui.services.bank_accounts import check_iban
from tradium_tui.services.customer_rules import clean_customer
from tradium_tui.services.errors import NotFound, ServiceError, ValidationError
from tradium_tui.services.groups import clean_tag_name, tags_of
from tradium_tui.services.validation import (
    check_coc,
    check_email,
    check_phone,
    check_postcode,
    check_vat,
)
from tradium_tui.services.values import FieldError

# Fields whose change can make a customer a duplicate of another one.
DUPLICATE_KEYS = frozenset(
    {"vat_number", "coc_number", "iban", "email", "name", "first_name", "last_name", "kind",
     "visit_postcode", "visit_country", "visit_house_number", "phone", "mobile"}
)

_warnings: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "customer_warnings", default=None
)
_online: contextvars.ContextVar[bool] = contextvars.ContextVar("customer_online_vat", default=False)


def home_country() -> str:
    """Our own country (a setting, default NL): decides where a VAT number is required."""
    return (get_settings().home_country or "NL").upper()


def _validate(values: dict[str, Any], stored: Customer | None) -> dict[str, Any]:
    if stored is not None and stored.deleted_at is not None:
        raise ServiceError(
            _("The customer {name} ({number}) is deleted; restore it first.").format(name=stored.name, number=stored.number)
        )
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned, warnings = clean_customer(values, stored, home_country(), online=_online.get())
    except ValidationError as exc:
        errors.update(exc.errors)
        warnings = exc.warnings
        cleaned = {}
    number = cleaned.get("number")
    if number is not None and (stored is None or number != stored.number):
        other = _customer_with(Customer.number == number, stored)
        if other is not None:
            errors["number"] = _("Customer number {number} is already used by {name}.").format(number=number, name=other.name)
    reference = cleaned.get("reference")
    if reference and (stored is None or reference != stored.reference):
        other = _customer_with(Customer.reference == reference, stored)
        if other is not None:
            errors["reference"] = (
                _("The reference {reference} is already used by {name} ({number}).").format(reference=reference, name=other.name, number=other.number)
            )
    if errors:
        raise ValidationError(errors, warnings)
    if stored is None:
        if number is None:
            cleaned["number"] = numbering.next_customer_number()
        else:
            numbering.raise_to("customer", number)
    elif number is not None and number != stored.number:
        numbering.raise_to("customer", number)
    collected = _warnings.get()
    if collected is not None:
        collected.update(warnings)
    return cleaned


def _customer_with(condition, stored: Customer | None) -> Customer | None:
    query = Customer.select(Customer.id, Customer.name, Customer.number).where(condition)
    if stored is not None:
        query = query.where(Customer.id != stored.id)
    return query.first()


def _customer_id(rec: Customer) -> int:
    return rec.get_id()


CUSTOMER_SPEC = records.RecordSpec(
    model=Customer, tab=None, label="customer", validate=_validate, customer_of=_customer_id
)


def _validate_state(values: dict[str, Any], stored: Customer | None) -> dict[str, Any]:
    """Only ``deleted_at`` changes here (delete and restore)."""
    if stored is None or set(values) != {"deleted_at"}:
        raise ServiceError(_("Only an existing customer can be deleted or restored."))
    deleting = values["deleted_at"] is not None
    if deleting and stored.deleted_at is not None:
        raise ServiceError(_("The customer {name} ({number}) is already deleted.").format(name=stored.name, number=stored.number))
    if not deleting and stored.deleted_at is None:
        raise ServiceError(_("The customer {name} ({number}) is not deleted.").format(name=stored.name, number=stored.number))
    if not deleting:
        from tradium_tui.services.merge import merged_into

        survivor = merged_into(stored.id)
        if survivor:
            raise ServiceError(
                _("{name} ({number}) was merged into {survivor}: undo that merge (U on that customer) instead of restoring it.").format(name=stored.name, number=stored.number, survivor=survivor)
            )
    return dict(values)


_STATE_SPEC = records.RecordSpec(
    model=Customer, tab=None, label="customer", validate=_validate_state, customer_of=_customer_id
)


@dataclass(frozen=True)
class DuplicateMatch:
    customer_id: int
    number: int
    name: str
    reason: str  # e.g. "same VAT number NL004495445B01; same e-mail address"
    deleted: bool = False


@dataclass
class CustomerResult:
    customer: Customer
    warnings: dict[str, str] = field(default_factory=dict)
    duplicates: list[DuplicateMatch] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def get_customer(customer_id: int, *, include_deleted: bool = False) -> Customer:
    """The customer, or :class:`NotFound` (also for a deleted one unless asked)."""
    try:
        key = int(customer_id)
    except (TypeError, ValueError):
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id)) from None
    rec = Customer.get_or_none(Customer.id == key)
    if rec is None or (rec.deleted_at is not None and not include_deleted):
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id))
    return rec


def last_change(customer_id: int):
    """When the customer's base data last changed (UTC), from the audit trail."""
    return audit.last_base_change(customer_id)


def effective_discount(customer: Customer) -> Decimal:
    """The customer's own discount when set, otherwise its group's automatic discount."""
    own = Decimal(customer.discount_percent or 0)
    if own:
        return own
    group_id = customer.__data__.get("customer_group")
    if group_id is None:
        return Decimal("0")
    group = CustomerGroup.get_or_none(CustomerGroup.id == group_id)
    return Decimal(group.discount_percent or 0) if group else Decimal("0")


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def create_customer(actor: Actor, values: dict[str, Any], *, check_online: bool = True) -> CustomerResult:
    """Create a customer; the number comes from the counter unless one is given.

    Duplicates (same VAT, CoC, IBAN, e-mail, or name + postcode) are reported in the
    result, not refused.
    """
    collected: dict[str, str] = {}
    token_w = _warnings.set(collected)
    token_o = _online.set(check_online)
    try:
        try:
            rec = records.create(actor, CUSTOMER_SPEC, values)
        except peewee.IntegrityError:
            # A concurrent save took the number or reference between our check and insert.
            raise ValidationError(
                {"number": _("Another customer was saved with this number or reference just now; save again.")}
            ) from None
    finally:
        _warnings.reset(token_w)
        _online.reset(token_o)
    dupes = find_duplicates(_duplicate_values(rec), exclude_id=rec.id)
    return CustomerResult(customer=rec, warnings=collected, duplicates=dupes)


def update_customer(
    actor: Actor,
    customer_id: int,
    values: dict[str, Any],
    expected_version: int,
    *,
    check_online: bool = True,
) -> CustomerResult:
    """Change the given fields of a customer last seen at ``expected_version``.

    Raises :class:`ConflictError` (listing the other user's changes) when someone
    saved in between; nothing is written then.
    """
    collected: dict[str, str] = {}
    token_w = _warnings.set(collected)
    token_o = _online.set(check_online)
    try:
        try:
            rec = records.update(actor, CUSTOMER_SPEC, customer_id, values, expected_version)
        except peewee.IntegrityError:
            raise ValidationError(
                {"number": _("This customer number or reference was just taken by another customer.")}
            ) from None
    finally:
        _warnings.reset(token_w)
        _online.reset(token_o)
    dupes: list[DuplicateMatch] = []
    if DUPLICATE_KEYS & set(values):
        dupes = find_duplicates(_duplicate_values(rec), exclude_id=rec.id)
    return CustomerResult(customer=rec, warnings=collected, duplicates=dupes)


def delete_customer(actor: Actor, customer_id: int, expected_version: int) -> Customer:
    """Soft-delete: the customer leaves search and lists; its invoices keep their snapshot."""
    return records.update(
        actor, _STATE_SPEC, customer_id, {"deleted_at": utcnow()}, expected_version, action="delete"
    )


def restore_customer(actor: Actor, customer_id: int, expected_version: int) -> Customer:
    return records.update(
        actor, _STATE_SPEC, customer_id, {"deleted_at": None}, expected_version, action="restore"
    )


@dataclass(frozen=True)
class DeletedCustomer:
    id: int
    number: int
    name: str
    city: str
    deleted_at: Any  # UTC
    deleted_by: str  # from the audit trail; "" when it does not say
    version: int = 0  # to restore it with (optimistic locking)


def deleted_customers(actor: Actor, limit: int = 500) -> list[DeletedCustomer]:
    """Deleted customers, most recently deleted first (needs the base-data right: this is
    the list to restore from)."""
    actor.require_base_edit()
    rows = list(
        Customer.select(Customer.id, Customer.number, Customer.name, Customer.visit_city,
                        Customer.deleted_at, Customer.version)
        .where(Customer.deleted_at.is_null(False))
        .order_by(Customer.deleted_at.desc(), Customer.number)
        .limit(max(1, int(limit)))
    )
    by_whom: dict[int, str] = {}
    if rows:
        for record_id, username in (
            AuditRecord.select(AuditRecord.record_id, AuditRecord.username)
            .where((AuditRecord.table == "customer") & (AuditRecord.action == "delete")
                   & AuditRecord.record_id.in_([r.id for r in rows]))
            .order_by(AuditRecord.id)
            .tuples()
        ):
            by_whom[record_id] = username  # the last delete wins
    return [
        DeletedCustomer(r.id, r.number, r.name, r.visit_city, r.deleted_at, by_whom.get(r.id, ""),
                        r.version)
        for r in rows
    ]


def customer_by_number(number: int) -> Customer:
    """The customer with this number, deleted or not."""
    found = Customer.get_or_none(Customer.number == number)
    if found is None:
        raise NotFound(_("There is no customer with number {number}.").format(number=number))
    return found


def set_group(actor: Actor, customer_id: int, group: Any, expected_version: int) -> CustomerResult:
    """Put the customer in a customer group (id, name or ``None`` for none)."""
    return update_customer(
        actor, customer_id, {"customer_group": group}, expected_version, check_online=False
    )


def set_condition_group(
    actor: Actor, customer_id: int, group: Any, expected_version: int
) -> CustomerResult:
    return update_customer(
        actor, customer_id, {"condition_group": group}, expected_version, check_online=False
    )


# ---------------------------------------------------------------------------
# Tags (base data) and marks (personal)
# ---------------------------------------------------------------------------


def set_tags(actor: Actor, customer_id: int, names: list[str] | str) -> list[str]:
    """Give the customer exactly these tags (new tag names are created). Returns the tags.

    A text is split on commas.  Tags compare case-insensitively with existing ones.
    """
    actor.require_base_edit()
    if isinstance(names, str):
        names = [n for n in names.split(",") if n.strip()]
    wanted: dict[str, str] = {}
    for raw in names:
        name = clean_tag_name(raw)
        wanted.setdefault(name.casefold(), name)
    with write_transaction():
        customer = get_customer(customer_id)
        existing = {t.name.casefold(): t for t in Tag.select()} if wanted else {}
        tag_ids: list[int] = []
        for key, name in wanted.items():
            tag = existing.get(key)
            if tag is None:
                tag = Tag.create(name=name)
                audit.record(actor.username, "tag", tag.id, "create", {"name": (None, name)})
            tag_ids.append(tag.id)
        before = tags_of(customer.id)
        CustomerTag.delete().where(
            (CustomerTag.customer == customer.id) & (CustomerTag.tag.not_in(tag_ids or [0]))
        ).execute()
        have = {
            t for (t,) in CustomerTag.select(CustomerTag.tag)
            .where(CustomerTag.customer == customer.id).tuples()
        }
        rows = [{"customer": customer.id, "tag": t} for t in tag_ids if t not in have]
        if rows:
            CustomerTag.insert_many(rows).execute()
        after = tags_of(customer.id)
        if before != after:
            audit.record(
                actor.username, "customer", customer.id, "tags",
                {"tags": (", ".join(before), ", ".join(after))},
                customer_id=customer.id, version=customer.version,
            )
    return after


def _user_id(actor: Actor) -> int:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        raise ServiceError(_("Marks belong to a user; this action has no user."))
    return user_id


def mark(actor: Actor, customer_id: int) -> None:
    """Mark the customer for this user (others' marks are untouched)."""
    user_id = _user_id(actor)
    customer = get_customer(customer_id)
    try:
        with write_transaction():
            if not Mark.select().where((Mark.user == user_id) & (Mark.customer == customer.id)).exists():
                Mark.create(user=user_id, customer=customer.id, marked_at=utcnow())
    except peewee.IntegrityError:
        pass  # marked at the same moment in another session: marked is marked


def unmark(actor: Actor, customer_id: int) -> None:
    user_id = _user_id(actor)
    Mark.delete().where((Mark.user == user_id) & (Mark.customer == customer_id)).execute()


def is_marked(actor: Actor, customer_id: int) -> bool:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        return False
    return Mark.select().where((Mark.user == user_id) & (Mark.customer == customer_id)).exists()


def toggle_mark(actor: Actor, customer_id: int) -> bool:
    """Mark or unmark; returns whether the customer is now marked."""
    if is_marked(actor, customer_id):
        unmark(actor, customer_id)
        return False
    mark(actor, customer_id)
    return True


def marked_customer_ids(actor: Actor) -> list[int]:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        return []
    return [
        cid for (cid,) in Mark.select(Mark.customer)
        .join(Customer)
        .where((Mark.user == user_id) & Customer.deleted_at.is_null())
        .order_by(Mark.marked_at)
        .tuples()
    ]


# ---------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------


def _duplicate_values(rec: Customer) -> dict[str, Any]:
    return {
        "vat_number": rec.vat_number, "coc_number": rec.coc_number, "iban": rec.iban,
        "email": rec.email, "name": rec.name, "visit_postcode": rec.visit_postcode,
        "visit_country": rec.visit_country, "visit_house_number": rec.visit_house_number,
        "phone": rec.phone, "mobile": rec.mobile,
    }


def _lenient(func, *args) -> str:
    try:
        return func(*args) or ""
    except (FieldError, ValueError):
        return ""


# Legal forms left out when names are compared ("Alpha Bouw B.V." is "alpha bouw"), as
# they read once the dots are gone; and the ways they are commonly written, to look up.
LEGAL_FORMS = frozenset(
    {"bv", "nv", "vof", "cv", "gmbh", "ag", "kg", "sarl", "sas", "sa", "sl", "slu", "bvba",
     "bvbasprl", "sprl", "srl", "ltd", "plc", "inc", "llc", "eurl", "ug", "ohg", "ev"}
)
_LEGAL_WRITTEN = (
    "b.v.", "bv", "b.v", "n.v.", "nv", "v.o.f.", "vof", "gmbh", "ag", "sarl", "s.a.r.l.",
    "sas", "s.a.s.", "s.a.", "sa", "s.l.", "sl", "bvba", "ltd", "ltd.", "inc.",
)
_NAME_PUNCTUATION = re.compile(r"[^\w]+")


def normalized_name(name: object) -> str:
    """A name as the duplicate guard compares it: case, punctuation and legal form ignored."""
    text = str(name or "").casefold().replace(".", "")
    words = [w for w in _NAME_PUNCTUATION.sub(" ", text).replace("_", " ").split() if w]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def name_lookup_forms(name: object) -> list[str]:
    """Lower-case spellings under which a customer with this name may be stored."""
    core = normalized_name(name)
    if not core:
        return []
    given = " ".join(str(name or "").split()).lower()
    forms = {core, given, *(f"{core} {legal}" for legal in _LEGAL_WRITTEN)}
    forms |= {f"{core}, {legal}" for legal in ("b.v.", "bv", "n.v.")}
    return sorted(forms)


def normalized_house_number(value: object) -> str:
    return "".join(str(value or "").split()).lower()


def duplicate_keys(values: dict[str, Any], home: str | None = None) -> dict[str, str]:
    """The normalised values a duplicate is recognised by (empty ones left out)."""
    home = (home or home_country()).upper()
    country = str(values.get("visit_country") or home).strip().upper()[:2] or home
    keys: dict[str, str] = {}
    vat_raw = str(values.get("vat_number") or "").strip()
    if vat_raw:
        keys["vat_number"] = check_vat(vat_raw, country, "company", home).normalized
    coc = _lenient(check_coc, values.get("coc_number"), country)
    if coc:
        keys["coc_number"] = coc
    iban_raw = values.get("iban")
    if iban_raw:
        try:
            keys["iban"] = check_iban(iban_raw).iban
        except FieldError:
            pass
    email = _lenient(check_email, values.get("email"))
    if email:
        keys["email"] = email
    for field_name in ("phone", "mobile"):
        phone = _lenient(check_phone, values.get(field_name), country)
        if phone:
            keys[field_name] = phone
    name = values.get("name")
    if not name and (values.get("last_name") or values.get("first_name")):
        name = " ".join(str(values.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    if normalized_name(name):
        keys["name"] = " ".join(str(name).split())
    postcode = _lenient(check_postcode, values.get("visit_postcode"), country)
    house = normalized_house_number(values.get("visit_house_number"))
    if postcode and house:
        keys["visit_postcode"] = postcode
        keys["visit_house_number"] = house
    return keys


def find_duplicates(
    values: dict[str, Any], exclude_id: int | None = None, *, limit: int = 20
) -> list[DuplicateMatch]:
    """Existing customers sharing the VAT number, KvK number, IBAN, e-mail address, a phone
    number, the name (:func:`normalized_name`), or the postcode and house number.

    ``values`` may be raw input or stored values; they are normalised first.  Deleted
    customers are reported too (flagged), so they can be restored instead of re-entered.
    """
    keys = duplicate_keys(values)
    conditions = []
    if "vat_number" in keys:
        conditions.append(Customer.vat_number == keys["vat_number"])
    if "coc_number" in keys:
        conditions.append(Customer.coc_number == keys["coc_number"])
    if "iban" in keys:
        conditions.append(Customer.iban == keys["iban"])
    if "email" in keys:
        variants = sorted({keys["email"], keys["email"].lower()})
        conditions.append(Customer.email.in_(variants))
    phones = sorted({keys[k] for k in ("phone", "mobile") if k in keys})
    if phones:
        conditions.append(Customer.phone.in_(phones))
        conditions.append(Customer.mobile.in_(phones))
    if "name" in keys:
        # SQLite's LOWER() folds ASCII only: also match the name exactly as given.
        conditions.append(
            peewee.fn.LOWER(Customer.name).in_(name_lookup_forms(keys["name"]))
            & Customer.deleted_at.is_null()  # the lower(name) index holds the live ones
        )
        conditions.append(Customer.name == keys["name"])
    if "visit_postcode" in keys:
        conditions.append(Customer.visit_postcode == keys["visit_postcode"])
    if not conditions:
        return []
    query = Customer.select(
        Customer.id, Customer.number, Customer.name, Customer.vat_number, Customer.coc_number,
        Customer.iban, Customer.email, Customer.phone, Customer.mobile, Customer.visit_postcode,
        Customer.visit_house_number, Customer.deleted_at,
    )
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    # One statement per criterion (each an index lookup), not one OR over all of them.
    parts = [query.where(cond) for cond in conditions]
    union = parts[0]
    for part in parts[1:]:
        union = union | part
    rows: dict[int, Any] = {}
    for row in union:
        rows.setdefault(row.id, row)
    matches: list[DuplicateMatch] = []
    wanted_name = normalized_name(keys.get("name"))
    for row in sorted(rows.values(), key=lambda r: r.number):
        reasons = duplicate_reasons(keys, row, wanted_name)
        if reasons:
            matches.append(
                DuplicateMatch(
                    customer_id=row.id, number=row.number, name=row.name,
                    reason="; ".join(reasons), deleted=row.deleted_at is not None,
                )
            )
        if len(matches) >= limit:
            break
    return matches


def duplicate_reasons(keys: dict[str, str], row: Any, wanted_name: str | None = None) -> list[str]:
    """Why a stored customer ``row`` looks like the one with these :func:`duplicate_keys`."""
    reasons = []
    if keys.get("vat_number") and row.vat_number == keys["vat_number"]:
        reasons.append(_("same VAT number {value}").format(value=row.vat_number))
    if keys.get("coc_number") and row.coc_number == keys["coc_number"]:
        reasons.append(_("same KvK number {value}").format(value=row.coc_number))
    if keys.get("iban") and row.iban == keys["iban"]:
        reasons.append(_("same IBAN {value}").format(value=row.iban))
    if keys.get("email") and row.email.lower() == keys["email"].lower():
        reasons.append(_("same e-mail address {value}").format(value=row.email))
    phones = {keys[k] for k in ("phone", "mobile") if keys.get(k)}
    same_phones = [p for p in (row.phone, row.mobile) if p and p in phones]
    if same_phones:
        reasons.append(_("same phone number {value}").format(value=same_phones[0]))
    wanted = wanted_name if wanted_name is not None else normalized_name(keys.get("name"))
    if wanted and normalized_name(row.name) == wanted:
        reasons.append(_("same name"))
    if (
        keys.get("visit_postcode")
        and row.visit_postcode == keys["visit_postcode"]
        and normalized_house_number(row.visit_house_number) == keys["visit_house_number"]
    ):
        reasons.append(_("same address {postcode} {house_number}").format(
            postcode=row.visit_postcode, house_number=row.visit_house_number))
    return reasons
