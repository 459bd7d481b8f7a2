"""Planning a customer import: what each row of the file will do.

A row whose customer number exists is a duplicate: ``update`` fills in / changes the
fields the row gives (empty cells are left alone), ``ignore`` leaves the customer alone.
A row without a number, or with a new one, creates a customer.  Only the values that
differ from the stored ones are validated, as the form does on an edit; nothing is
written here (see :mod:`.customer_writer`).
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.models import Customer
from tradium_tui.services import audit
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.groups import clean_tag_name
from tradium_tui.services.transfer import customer_format, duplicates
from tradium_tui.services.transfer.bulk import chunks, tags_of
from tradium_tui.services.transfer.customer_format import COMPUTED_COLUMNS, tag_text
from tradium_tui.services.transfer.reports import ImportReport, Progress, RowIssue
from tradium_tui.services.transfer.row_validation import Task, load_resolvers, run_validation

NOT_AUDITED = frozenset({"version", "created_at", "updated_at"})


def same_value(old: Any, new: Any) -> bool:
    """Whether a stored value and a cleaned one are the same (numbers compared as numbers)."""
    if isinstance(old, Decimal | int | float) and isinstance(new, Decimal | int | float):
        if isinstance(old, bool) or isinstance(new, bool):
            return bool(old) == bool(new)
        return Decimal(str(old)) == Decimal(str(new))
    if old in (None, "") and new in (None, ""):
        return True
    return audit.as_text(old) == audit.as_text(new)


def split_tags(text: str) -> tuple[list[str], str | None]:
    """``"vip, Beurs, vip"`` → ``["vip", "Beurs"]`` (the form's rule), or an error message."""
    names: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            name = clean_tag_name(part)
        except ValidationError as exc:
            return [], exc.errors.get("tags", str(exc))
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names, None


def parse_number(text: str) -> int | None:
    compact = text.strip().replace(" ", "")
    if compact.isascii() and compact.isdigit() and 0 < len(compact) < 16:
        return int(compact)
    return None


def existing_by_number(numbers: Iterable[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(sorted(set(numbers))):
        for rec in Customer.select().where(Customer.number.in_(list(part))).dicts():
            found[rec["number"]] = rec
    return found


def references_in_use(references: Iterable[str]) -> dict[str, tuple[int, int]]:
    """reference → (customer id, number) for references already stored."""
    found: dict[str, tuple[int, int]] = {}
    for part in chunks(sorted(set(references))):
        query = Customer.select(Customer.reference, Customer.id, Customer.number).where(
            Customer.reference.in_(list(part))
        )
        for ref, ident, number in query.tuples():
            found[ref] = (ident, number)
    return found


@dataclass
class PlannedCustomer:
    """One row's outcome: what will be written for it."""

    row: int
    action: str  # create | update | unchanged | ignore | reject
    number: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # create: cleaned; update: new values
    old: dict[str, Any] = field(default_factory=dict)  # update: stored values of changed fields
    tags: list[str] | None = None  # None: not given
    old_tags: list[str] = field(default_factory=list)
    customer_id: int | None = None
    version: int | None = None
    duplicate_of: list[int] = field(default_factory=list)  # numbers the duplicate guard found


class CustomerPlanner:
    """Turns rows of ``{column: text}`` into :class:`PlannedCustomer` and row issues.

    ``column_labels`` maps export columns to the file's own header text, for messages.
    """

    def __init__(
        self,
        report: ImportReport,
        home_country: str,
        on_duplicate: str = "update",
        column_labels: dict[str, str] | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
        no_duplicates: bool = False,
    ):
        self.report = report
        self.home_country = home_country
        self.on_duplicate = on_duplicate
        self.no_duplicates = no_duplicates  # refuse rows that look like a known customer
        self.column_labels = column_labels or {}
        self.progress = progress
        self.workers = workers

    def label(self, field_name: str) -> str:
        column = customer_format.FIELD_COLUMN.get(field_name, field_name)
        return self.column_labels.get(column, column)

    def issue(self, row: int, field_name: str, value: Any, message: str, level: str = "error") -> None:
        self.report.issues.append(
            RowIssue(row, self.label(field_name), "" if value is None else str(value), message, level)
        )

    def plan(self, rows: list[tuple[int, dict[str, str]]]) -> list[PlannedCustomer]:
        """``rows``: (row number, {export column: cell text}) with every cell as read."""
        planned: list[PlannedCustomer] = []
        givens: list[dict[str, Any]] = []
        for row, cells in rows:
            given: dict[str, Any] = {}
            for column, text in cells.items():
                if column in COMPUTED_COLUMNS or column == "tags":
                    continue
                if text is None or not str(text).strip():
                    continue
                given[customer_format.COLUMN_FIELD.get(column, column)] = text
            item = PlannedCustomer(row=row, action="create")
            if "number" in given:
                item.number = parse_number(str(given["number"]))
            tags_text = cells.get("tags") or ""
            if tags_text.strip():
                names, problem = split_tags(tags_text)
                if problem:
                    self.issue(row, "tags", tags_text, problem)
                    item.action = "reject"
                else:
                    item.tags = names
            planned.append(item)
            givens.append(given)

        # The same number twice in the file: no way to tell which row is right.
        seen: dict[int, list[int]] = {}
        for item in planned:
            if item.number is not None:
                seen.setdefault(item.number, []).append(item.row)
        for item in planned:
            if item.number is not None and len(seen[item.number]) > 1:
                rows_text = ", ".join(str(r) for r in seen[item.number])
                self.issue(
                    item.row, "number", str(item.number),
                    _("Customer number {number} appears more than once in the file (rows {rows_text}).").format(number=item.number, rows_text=rows_text),
                )
                item.action = "reject"

        existing = existing_by_number(n for n in seen)
        existing_tags = tags_of(rec["id"] for rec in existing.values())
        related = customer_format.related_names() if existing else {}
        tasks: list[Task] = []
        for index, (item, given) in enumerate(zip(planned, givens, strict=True)):
            stored = existing.get(item.number) if item.number is not None else None
            if stored is not None:
                item.customer_id = stored["id"]
                item.version = stored["version"]
                if stored["deleted_at"] is not None:
                    self.issue(
                        item.row, "number", str(item.number),
                        _("Customer number {number} belongs to a deleted customer ({stored}); restore that customer or use another number.").format(number=item.number, stored=stored['name']),
                    )
                    item.action = "reject"
                    continue
                if self.on_duplicate == "ignore":
                    if item.action != "reject":
                        item.action = "ignore"
                    continue
                item.old_tags = sorted(existing_tags.get(stored["id"], []), key=str.casefold)
                # As the form does on an edit: only the values that differ go to validation.
                for name in [n for n in given if n in stored]:
                    text = str(given[name]).replace("\r\n", "\n").strip()
                    if text == customer_format.field_text(name, stored[name], related):
                        del given[name]
                if item.action != "reject":
                    item.action = "update" if given else "unchanged"
                if given:
                    tasks.append((index, given, stored))
            else:
                if (
                    "kind" not in given and "name" not in given
                    and ("last_name" in given or "first_name" in given)
                ):
                    given["kind"] = "consumer"
                tasks.append((index, given, None))

        resolvers = load_resolvers()
        outcomes = run_validation(tasks, self.home_country, resolvers, self.progress, self.workers)
        stored_of = {index: stored for index, _, stored in tasks}
        for index, cleaned, warns, errors in outcomes:
            item = planned[index]
            given = givens[index]
            for name, message in errors.items():
                self.issue(item.row, name, given.get(name, ""), message)
            for name, message in warns.items():
                self.issue(item.row, name, given.get(name, ""), message, level="warning")
            if errors or cleaned is None:
                item.action = "reject"
                continue
            if item.action == "reject":
                continue
            stored = stored_of[index]
            if stored is None:
                item.values = cleaned
                item.action = "create"
            else:
                changes = {
                    name: value
                    for name, value in cleaned.items()
                    if name not in NOT_AUDITED and not same_value(stored.get(name), value)
                }
                item.values = changes
                item.old = {name: stored.get(name) for name in changes}
                item.action = "update" if (changes or self._tags_changed(item)) else "unchanged"
        for item in planned:
            if item.action == "unchanged":
                item.action = "update" if self._tags_changed(item) else "unchanged"

        self._check_references(planned)
        self._duplicate_guard(planned)
        return planned

    @staticmethod
    def _tags_changed(item: PlannedCustomer) -> bool:
        """Whether the row gives other tags than stored (``item.tags`` is cleared if not)."""
        if item.tags is not None and tag_text(item.tags) != tag_text(item.old_tags):
            return True
        item.tags = None
        return False

    def _check_references(self, planned: list[PlannedCustomer]) -> None:
        """A reference (loyalty card) belongs to one customer only."""
        wanted: dict[str, list[PlannedCustomer]] = {}
        for item in planned:
            if item.action in ("create", "update") and item.values.get("reference"):
                wanted.setdefault(item.values["reference"], []).append(item)
        if not wanted:
            return
        for ref, items in wanted.items():
            if len(items) > 1:
                rows_text = ", ".join(str(i.row) for i in items)
                for item in items:
                    self.issue(item.row, "reference", ref,
                               _("The reference '{ref}' appears more than once in the file (rows {rows_text}).").format(ref=ref, rows_text=rows_text))
                    item.action = "reject"
        in_use = references_in_use(wanted)
        for ref, (ident, number) in in_use.items():
            for item in wanted.get(ref, []):
                if item.customer_id != ident and item.action != "reject":
                    self.issue(item.row, "reference", ref,
                               _("The reference '{ref}' already belongs to customer {number}.").format(ref=ref, number=number))
                    item.action = "reject"

    def _duplicate_guard(self, planned: list[PlannedCustomer]) -> None:
        """Rows without a number always create a customer; say when it looks like a known
        one (the form's duplicate guard, for the whole file at once) or like another row."""
        candidates = [p for p in planned if p.action == "create" and p.number is None]
        if not candidates:
            return
        values = [item.values for item in candidates]
        for index, matches in duplicates.find_duplicates_bulk(values):
            item = candidates[index]
            item.duplicate_of = [m.number for m in matches]
            for match in matches:
                if self.no_duplicates:
                    self.issue(
                        item.row, "", "",
                        (_("Looks like customer {number} ({name}, deleted): {reason}; not imported (--no-duplicates).") if match.deleted else _("Looks like customer {number} ({name}): {reason}; not imported (--no-duplicates).")).format(number=match.number, name=match.name, reason=match.reason),
                    )
                    item.action = "reject"
                    continue
                self.issue(
                    item.row, "", "",
                    (_("May be a duplicate of customer {number} ({name}, deleted): {reason}; a row without a customer number always creates a new customer.") if match.deleted else _("May be a duplicate of customer {number} ({name}): {reason}; a row without a customer number always creates a new customer.")).format(number=match.number, name=match.name, reason=match.reason),
                    level="warning",
                )
        for label, indexes in duplicates.alike_in_file(values):
            others = ", ".join(str(candidates[i].row) for i in indexes)
            for i in indexes:
                self.issue(
                    candidates[i].row, "", "",
                    _("Rows {others} have {label}; each creates a new customer.").format(others=others, label=label),
                    level="warning",
                )

    def count(self, planned: list[PlannedCustomer]) -> None:
        tally = Tally(p.action for p in planned)
        self.report.total += len(planned)
        self.report.created += tally["create"]
        self.report.updated += tally["update"]
        self.report.unchanged += tally["unchanged"]
        self.report.ignored += tally["ignore"]
        self.report.rejected += tally["reject"]
