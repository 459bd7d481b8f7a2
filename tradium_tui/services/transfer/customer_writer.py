"""Writing a planned customer import, inside the caller's transaction.

New customers get their numbers (the file's own, or free ones reserved from the counter
as blocks) and go in with bulk inserts; updates are applied only where the version is
still the one planned (else :class:`ImportConflict`, nothing written).  Tags, tag links
and one audit row per new customer (one per changed field of an update) follow, all
attributed to the importing user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.i18n import _, ngettext
from tradium_tui.models import Customer, CustomerTag, Tag, utcnow
from tradium_tui.services import numbering
from tradium_tui.services.access import Actor
from tradium_tui.services.transfer.bulk import (
    audit_rows,
    bulk_insert,
    chunks,
    delete_links,
    snapshot_row,
    stamp,
    suspend_row_triggers,
    update_versioned,
    write_audit,
)
from tradium_tui.services.transfer.customer_format import tag_text
from tradium_tui.services.transfer.customer_plan import NOT_AUDITED, PlannedCustomer
from tradium_tui.services.transfer.reports import ImportConflict, Progress, report_progress

AUDIT_BATCH = 100_000  # audit rows held in memory before they are written


def reserve_customer_numbers(count: int) -> list[int]:
    """``count`` free customer numbers, taken from the counter as blocks."""
    numbers: list[int] = []
    while len(numbers) < count:
        need = count - len(numbers)
        first = numbering.reserve_block("customer", need)
        block = range(first, first + need)
        taken = set(
            Customer.select(Customer.number)
            .where(Customer.number.between(block.start, block.stop - 1))
            .tuples()
        )
        taken = {t[0] if isinstance(t, tuple) else t for t in taken}
        numbers.extend(n for n in block if n not in taken)
    return numbers


def _insert_defaults() -> list[tuple[str, peewee.Field]]:
    return [(name, fld) for name, fld in Customer._meta.fields.items() if name != "id"]


def _default_of(fld: peewee.Field) -> Any:
    default = fld.default
    return default() if callable(default) else default


class TagBook:
    """Tags by case-insensitive name; new ones are created on first use."""

    def __init__(self):
        self.ids: dict[str, int] = {
            name.casefold(): ident for ident, name in Tag.select(Tag.id, Tag.name).tuples()
        }
        self.names: dict[int, str] = {}

    def ensure(self, names: Iterable[str]) -> list[tuple[int, str]]:
        """Create the tags not known yet; returns the new ``(id, name)`` pairs."""
        missing: dict[str, str] = {}
        for name in names:
            if name.casefold() not in self.ids:
                missing.setdefault(name.casefold(), name)
        created: list[tuple[int, str]] = []
        if missing:
            bulk_insert(Tag, ["name"], [(n,) for n in missing.values()])
            for part in chunks(list(missing.values())):
                for ident, name in Tag.select(Tag.id, Tag.name).where(Tag.name.in_(list(part))).tuples():
                    self.ids[name.casefold()] = ident
                    created.append((ident, name))
        return created

    def id_of(self, name: str) -> int:
        return self.ids[name.casefold()]


def write_customers(
    actor: Actor,
    planned: list[PlannedCustomer],
    progress: Progress | None = None,
) -> dict[int, int]:
    """Write the planned creates and updates (inside the caller's transaction).

    Returns ``{row: customer id}`` for the written rows.
    """
    now = utcnow()
    at = stamp(now)
    creates = [p for p in planned if p.action == "create"]
    updates = [p for p in planned if p.action == "update"]
    total = len(creates) + len(updates)
    written: dict[int, int] = {}
    _check_versions(updates)

    explicit = [p.number for p in creates if p.number is not None]
    if explicit:
        numbering.raise_to("customer", max(explicit))
    without = [p for p in creates if p.number is None]
    if without:
        for item, number in zip(without, reserve_customer_numbers(len(without)), strict=True):
            item.number = number
            item.values["number"] = number
    for item in creates:
        item.values["number"] = item.number

    # Cleaned values are what the columns hold (text, int ids, Decimal, bool, UTC times);
    # the drivers adapt them as peewee would.
    fields = _insert_defaults()
    columns = [fld.column_name for _, fld in fields]
    position = {name: i for i, (name, _) in enumerate(fields)}
    template = [_default_of(fld) for _, fld in fields]
    template[position["created_at"]] = now
    template[position["updated_at"]] = now
    template[position["version"]] = 1
    rows = []
    for item in creates:
        row = template.copy()
        for name, value in item.values.items():
            row[position[name]] = value
        rows.append(row)
    derived = suspend_row_triggers(len(rows))
    bulk_insert(Customer, columns, rows)
    report_progress(progress, "writing", len(creates) // 2, total)

    ids: dict[int, int] = {}
    for part in chunks([p.number for p in creates]):
        ids.update(
            Customer.select(Customer.number, Customer.id).where(Customer.number.in_(list(part))).tuples()
        )
    if derived is not None:
        derived.rebuild(min(ids.values(), default=None), max(ids.values(), default=None))
    tags = TagBook()
    links: list[tuple[int, int]] = []
    audits: list[tuple] = []
    for ident, name in tags.ensure(
        n for p in planned if p.action in ("create", "update") and p.tags for n in p.tags
    ):
        audits.extend(
            audit_rows(actor.username, "tag", ident, "create", {"name": (None, name)}, None, 0, at)
        )
    for item in creates:
        ident = ids[item.number]
        item.customer_id = ident
        written[item.row] = ident
        values = {
            name: value
            for name, value in item.values.items()
            if value not in (None, "") and name not in NOT_AUDITED
        }
        if item.tags:
            links.extend((ident, tags.id_of(n)) for n in item.tags)
            values["tags"] = tag_text(item.tags)
        # One audit row with all the new customer's values (see services.audit).
        audits.append(snapshot_row(actor.username, "customer", ident, "create", values, ident, 1, at))
        if len(audits) >= AUDIT_BATCH:  # bounded memory for big files
            write_audit(audits)
            audits = []
            report_progress(progress, "writing", len(written), total)
    report_progress(progress, "writing", len(creates), total)

    groups: dict[tuple[str, ...], list[PlannedCustomer]] = {}
    for item in updates:
        groups.setdefault(tuple(sorted(item.values)), []).append(item)
    for names, items in groups.items():
        params = [
            tuple(Customer._meta.fields[n].db_value(item.values[n]) for n in names)
            + (Customer._meta.fields["updated_at"].db_value(now), item.customer_id, item.version)
            for item in items
        ]
        update_versioned(Customer, names, params)
    removed: list[tuple[int, int]] = []
    for item in updates:
        written[item.row] = item.customer_id
        changes = {name: (item.old.get(name), value) for name, value in item.values.items()}
        if item.tags is not None:
            new = {n.casefold(): n for n in item.tags}
            old = {n.casefold(): n for n in item.old_tags}
            links.extend((item.customer_id, tags.id_of(n)) for k, n in new.items() if k not in old)
            removed.extend((item.customer_id, tags.id_of(n)) for k, n in old.items() if k not in new)
            changes["tags"] = (tag_text(item.old_tags), tag_text(item.tags))
        audits.extend(
            audit_rows(actor.username, "customer", item.customer_id, "update", changes,
                       item.customer_id, item.version + 1, at)
        )
    delete_links(CustomerTag, ("customer_id", "tag_id"), removed)
    bulk_insert(CustomerTag, ["customer_id", "tag_id"], links)
    write_audit(audits)
    report_progress(progress, "writing", total, total)
    return written


def _check_versions(updates: list[PlannedCustomer]) -> None:
    """Nobody may have changed a customer between planning and writing."""
    if not updates:
        return
    wanted = {p.customer_id: p for p in updates}
    current: dict[int, int] = {}
    for part in chunks(sorted(wanted)):
        query = Customer.select(Customer.id, Customer.version).where(Customer.id.in_(list(part)))
        if dbmod.is_postgres():
            query = query.for_update()
        current.update(query.tuples())
    stale = [p for ident, p in wanted.items() if current.get(ident) != p.version]
    if stale:
        numbers = ", ".join(str(p.number) for p in stale[:5])
        if len(stale) > 5:
            text = _("Customers {numbers} and {more} more changed while the import was being "
                     "checked; nothing was written. Run the import again.")
        else:
            text = ngettext(
                "Customer {numbers} changed while the import was being checked; nothing was "
                "written. Run the import again.",
                "Customers {numbers} changed while the import was being checked; nothing was "
                "written. Run the import again.", len(stale))
        raise ImportConflict(
            text.format(numbers=numbers, more=len(stale) - 5)
        )


def integrity_message(exc: peewee.IntegrityError) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "number" in text:
        return (
            "A customer number in the file was taken by someone else while the import ran; "
            f"nothing was written. Run the import again ({text})."
        )
    if "reference" in text:
        return _("A reference in the file was given to another customer while the import ran; "
                 "nothing was written. Run the import again ({reason}).").format(reason=text)
    return _("The import could not be written, nothing was written: {reason}.").format(reason=text)
