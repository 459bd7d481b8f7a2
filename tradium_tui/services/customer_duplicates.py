"""Customers that look like one another: the keys compared (VAT number, KvK number, IBAN,
e-mail address, phones, the name without its legal form, postcode and house number) and
the search for existing customers sharing one, used by the customer form's guard, by
saving a customer and by the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import peewee

from tradium_tui.i18n import _
from tradium_tui.models import Customer
from tradium_tui.services import vat
from tradium_tui.services.bank_accounts import check_iban
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


@dataclass(frozen=True)
class DuplicateMatch:
    customer_id: int
    number: int
    name: str
    reason: str  # e.g. "same VAT number NL004495445B01; same e-mail address"
    deleted: bool = False


def duplicate_values(rec: Customer) -> dict[str, Any]:
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
    home = (home or vat.home_country()).upper()
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
