"""The duplicate guard for a file of new customers, set-based.

A row without a customer number always creates a customer; the import warns (or, with
``no_duplicates``, refuses) when it looks like a known customer by the form's criteria,
and warns when several rows of the file look like each other.  A few set queries serve
the whole file instead of one query per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from tradium_tui.i18n import N_, _
from tradium_tui.models import Customer
from tradium_tui.services.customers import (
    DuplicateMatch,
    name_lookup_forms,
    normalized_house_number,
    normalized_name,
)
from tradium_tui.services.transfer.bulk import chunks

DUPLICATE_KEY_LABELS = {
    "vat_number": N_("the same VAT number"),
    "coc_number": N_("the same KvK number"),
    "iban": N_("the same IBAN"),
    "email": N_("the same e-mail address"),
    "phone": N_("the same phone number"),
    "name": N_("the same name"),
    "address": N_("the same postcode and house number"),
}
# Why a known customer looks like a new one ({value}: the value they share).
SAME_VALUE = {
    "vat_number": N_("same VAT number {value}"),
    "coc_number": N_("same KvK number {value}"),
    "iban": N_("same IBAN {value}"),
    "email": N_("same e-mail address {value}"),
}


def duplicate_key(values: dict[str, Any], key: str) -> str:
    """A cleaned customer's value for one duplicate criterion (``""`` when it has none)."""
    if key == "name":
        name = values.get("name") or " ".join(
            str(values.get(k) or "").strip() for k in ("first_name", "last_name")
        ).strip()
        return normalized_name(name)
    if key == "address":
        postcode = values.get("visit_postcode") or ""
        house = normalized_house_number(values.get("visit_house_number"))
        return f"{postcode}\n{house}" if postcode and house else ""
    if key == "phone":
        return "\n".join(sorted({v for v in (values.get("phone"), values.get("mobile")) if v}))
    value = values.get(key) or ""
    return value.lower() if key == "email" else value


def alike_in_file(items: Sequence[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    """Groups of new customers (indexes into ``items``, cleaned values) that share a
    criterion with each other, with the criterion's label, criterion by criterion."""
    groups: list[tuple[str, list[int]]] = []
    for key, label in DUPLICATE_KEY_LABELS.items():
        rows = _indexes_by(items, key)
        groups.extend((_(label), indexes) for indexes in rows.values() if len(indexes) > 1)
    return groups


def _indexes_by(items: Sequence[dict[str, Any]], key: str) -> dict[str, list[int]]:
    """``{value of the criterion: indexes of the items that have it}``."""
    found: dict[str, list[int]] = {}
    for index, values in enumerate(items):
        value = duplicate_key(values, key)
        if value:
            found.setdefault(value, []).append(index)
    return found


def find_duplicates_bulk(
    items: Sequence[dict[str, Any]],
) -> list[tuple[int, list[DuplicateMatch]]]:
    """Known customers that look like the new ones, by the criteria of the form's guard
    (:func:`customers.find_duplicates`): the same VAT number, chamber-of-commerce number,
    IBAN or e-mail address, or the same name in the same postcode; deleted ones too.
    ``items`` are the new customers' cleaned values; the result pairs the index of each
    one that looks like known customers with those customers.

    The values are already cleaned, so they compare as stored; a few set queries serve
    the whole file instead of one query per row.
    """
    found: dict[int, dict[int, tuple[Any, list[str]]]] = {}
    columns = (
        Customer.id, Customer.number, Customer.name, Customer.vat_number, Customer.coc_number,
        Customer.iban, Customer.email, Customer.phone, Customer.mobile, Customer.visit_postcode,
        Customer.visit_house_number, Customer.deleted_at,
    )

    def add(index: int, row, reason: str) -> None:
        entry = found.setdefault(index, {}).setdefault(row.id, (row, []))
        if reason not in entry[1]:
            entry[1].append(reason)

    for key in ("vat_number", "coc_number", "iban", "email"):
        wanted = _indexes_by(items, key)
        if not wanted:
            continue
        search: list[str] = []
        for value, indexes in wanted.items():
            search.append(value)
            if key == "email":
                search.extend({items[i]["email"] for i in indexes} - {value})
        column = getattr(Customer, key)
        for part in chunks(sorted(set(search))):
            for row in Customer.select(*columns).where(column.in_(list(part))):
                stored = getattr(row, key)
                for index in wanted.get(stored.lower() if key == "email" else stored, []):
                    add(index, row, _(SAME_VALUE[key]).format(value=stored))
    _bulk_by_phone(items, columns, add)
    _bulk_by_name(items, columns, add)
    _bulk_by_address(items, columns, add)
    result: list[tuple[int, list[DuplicateMatch]]] = []
    for index in sorted(found):
        matches = [
            DuplicateMatch(
                customer_id=row.id, number=row.number, name=row.name, reason="; ".join(reasons),
                deleted=row.deleted_at is not None,
            )
            for row, reasons in sorted(found[index].values(), key=lambda e: e[0].number)
        ]
        result.append((index, matches))
    return result


def _bulk_by_phone(items: Sequence[dict[str, Any]], columns, add) -> None:
    wanted: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for value in duplicate_key(item, "phone").split("\n"):
            if value:
                wanted.setdefault(value, []).append(index)
    for part in chunks(sorted(wanted)):
        values = list(part)
        query = Customer.select(*columns).where(Customer.phone.in_(values)) | Customer.select(
            *columns).where(Customer.mobile.in_(values))
        for row in query:
            for stored in dict.fromkeys(p for p in (row.phone, row.mobile) if p in wanted):
                for index in wanted[stored]:
                    add(index, row, _("same phone number {value}").format(value=stored))


def _bulk_by_name(items: Sequence[dict[str, Any]], columns, add) -> None:
    wanted: dict[str, list[int]] = {}
    forms: set[str] = set()
    for index, item in enumerate(items):
        value = duplicate_key(item, "name")
        if value:
            wanted.setdefault(value, []).append(index)
            forms.update(name_lookup_forms(item.get("name") or value))
    for part in chunks(sorted(forms)):
        query = Customer.select(*columns).where(
            peewee.fn.LOWER(Customer.name).in_(list(part)) & Customer.deleted_at.is_null()
        )
        for row in query:
            for index in wanted.get(normalized_name(row.name), []):
                add(index, row, _("same name"))


def _bulk_by_address(items: Sequence[dict[str, Any]], columns, add) -> None:
    wanted = _indexes_by(items, "address")
    postcodes = sorted({value.split("\n", 1)[0] for value in wanted})
    for part in chunks(postcodes):
        for row in Customer.select(*columns).where(Customer.visit_postcode.in_(list(part))):
            key = f"{row.visit_postcode}\n{normalized_house_number(row.visit_house_number)}"
            for index in wanted.get(key, []):
                add(index, row, _("same address {postcode} {house_number}").format(
                    postcode=row.visit_postcode, house_number=row.visit_house_number))
