"""What an import or export tells its caller.

:class:`ImportReport` (with one :class:`RowIssue` per problem) says row by row what an
import did or would do; :class:`ExportResult` counts what an export wrote.  Two errors
stop a whole file: :class:`UnusableFile` (the file is not a table, or cannot be read or
written) and :class:`ImportConflict` (the database changed under the import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _, ngettext
from tradium_tui.services import text_safety
from tradium_tui.services.errors import ServiceError

# An import's progress: (phase, done, total).
Progress = Callable[[str, int, int], None]


def _short(value: str, width: int = 60) -> str:
    """A value for the report: on one line, escaped (never raw control characters), cut."""
    return text_safety.cut(" ".join(value.split()), width)


@dataclass
class RowIssue:
    """One problem with one value (or one row, when ``column`` is empty)."""

    row: int
    column: str
    value: str
    message: str
    level: str = "error"  # error | warning

    def text(self) -> str:
        """``row 4, column 'email', value 'x@': …`` in the reader's language."""
        where = [_("row {row}").format(row=self.row) if self.row else _("file")]
        if self.column:
            where.append(_("column '{column}'").format(column=_short(self.column, 40)))
        if self.value.strip():
            where.append(_("value '{value}'").format(value=_short(self.value)))
        if self.level == "warning":
            message = _("warning: {message}").format(message=self.message)
        else:
            message = self.message
        # TRANSLATORS: where in the file (row, column, value, joined by ", ") and what is wrong.
        return _("{where}: {message}").format(where=", ".join(where), message=message)

    @classmethod
    def extra_cells(cls, row: int, cells: Sequence[str], extra: Sequence[int], width: int) -> RowIssue:
        """A row with filled cells past the header's ``width`` columns (``extra``: their
        1-based positions, as :func:`tabular.row_values` gives them)."""
        return cls(
            row, f"#{extra[0]}", cells[extra[0] - 1],
            _("The row has {cells} cells but the header only {columns} columns; check the "
              "separator and quotes.").format(cells=len(cells), columns=width),
        )


@dataclass
class ImportReport:
    """What an import did, or — for a dry run or a rejected file — would do."""

    what: str  # customers | orders | articles
    source: str
    file_kind: str = ""
    dry_run: bool = False
    skip_invalid: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    rejected: int = 0
    customers_created: int = 0  # orders: customers created from the orders
    customers_matched: int = 0  # orders: orders for customers that existed
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the file as a whole
    written: bool = False
    seconds: float = 0.0
    created_ids: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def rows_with_warnings(self) -> int:
        return len({i.row for i in self.warnings})

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    @property
    def blocked(self) -> bool:
        """Nothing was written because rows were rejected (all-or-nothing)."""
        return bool(self.rejected) and not self.skip_invalid and not self.dry_run

    def detail_lines(self, include_warnings: bool = True) -> list[str]:
        lines = [_("note: {note}").format(note=n) for n in self.notes] if include_warnings else []
        for issue in sorted(self.issues, key=lambda i: (i.row, i.level != "error")):
            if issue.level == "warning" and not include_warnings:
                continue
            lines.append(issue.text())
        return lines

    def summary(self) -> str:
        """One line: the counts, then what happened to the file."""
        return f"{self._counts()} {self._outcome()}"

    def _counts(self) -> str:
        values = {
            "source": self.source, "count": self.total, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "ignored": self.ignored,
            "rejected": self.rejected, "warnings": self.rows_with_warnings,
            "new_customers": self.customers_created, "known_customers": self.customers_matched,
        }
        future = self.dry_run or self.blocked
        if self.what == "orders" and future:
            text = ngettext(
                "{source}: {count} order: {created} to create, {ignored} already imported, "
                "{rejected} rejected, {new_customers} new customers, {known_customers} for known "
                "customers, {warnings} with warnings.",
                "{source}: {count} orders: {created} to create, {ignored} already imported, "
                "{rejected} rejected, {new_customers} new customers, {known_customers} for known "
                "customers, {warnings} with warnings.", self.total)
        elif self.what == "orders":
            text = ngettext(
                "{source}: {count} order: {created} created, {ignored} already imported, "
                "{rejected} rejected, {new_customers} new customers, {known_customers} for known "
                "customers, {warnings} with warnings.",
                "{source}: {count} orders: {created} created, {ignored} already imported, "
                "{rejected} rejected, {new_customers} new customers, {known_customers} for known "
                "customers, {warnings} with warnings.", self.total)
        elif future:
            text = ngettext(
                "{source}: {count} row: {created} to create, {updated} to update, {unchanged} "
                "unchanged, {ignored} ignored, {rejected} rejected, {warnings} with warnings.",
                "{source}: {count} rows: {created} to create, {updated} to update, {unchanged} "
                "unchanged, {ignored} ignored, {rejected} rejected, {warnings} with warnings.",
                self.total)
        else:
            text = ngettext(
                "{source}: {count} row: {created} created, {updated} updated, {unchanged} "
                "unchanged, {ignored} ignored, {rejected} rejected, {warnings} with warnings.",
                "{source}: {count} rows: {created} created, {updated} updated, {unchanged} "
                "unchanged, {ignored} ignored, {rejected} rejected, {warnings} with warnings.",
                self.total)
        return text.format(**values)

    def _outcome(self) -> str:
        orders = self.what == "orders"
        if self.dry_run:
            return _("Dry run: nothing written.")
        if self.blocked:
            if orders:
                return ngettext(
                    "Nothing written: {count} order rejected (all or nothing; --skip-invalid "
                    "writes the valid orders).",
                    "Nothing written: {count} orders rejected (all or nothing; --skip-invalid "
                    "writes the valid orders).", self.rejected).format(count=self.rejected)
            return ngettext(
                "Nothing written: {count} row rejected (all or nothing; --skip-invalid writes "
                "the valid rows).",
                "Nothing written: {count} rows rejected (all or nothing; --skip-invalid writes "
                "the valid rows).", self.rejected).format(count=self.rejected)
        if not self.written:
            return _("Nothing else to write.") if self.rejected else _("Nothing to write.")
        if self.rejected:
            if orders:
                return _("Valid orders written; rejected orders left out.")
            return _("Valid rows written; rejected rows left out.")
        return _("Done in {seconds} s.").format(seconds=fmt.amount(self.seconds, 1))


class UnusableFile(ServiceError):
    """The file cannot be read as a table at all (exit code 2 on the command line)."""


class ImportConflict(ServiceError):
    """The database changed under the import between planning and writing."""


def report_progress(callback: Progress | None, phase: str, done: int, total: int) -> None:
    if callback is not None:
        callback(phase, done, total)


@dataclass
class ExportResult:
    what: str
    target: str
    rows: int
    selected: int = 0
    without_email: int = 0
    total_excl: Decimal = Decimal("0")
    total_vat: Decimal = Decimal("0")
    total_incl: Decimal = Decimal("0")
    invoices: int = 0
    cancelled: int = 0

    def summary(self) -> str:
        where = _("standard output") if self.target == "-" else self.target
        if self.what == "mailing":
            return ngettext(
                "Exported {count} of {selected} selected customer to {where}; {without} "
                "without an e-mail address left out.",
                "Exported {count} of {selected} selected customers to {where}; {without} "
                "without an e-mail address left out.", self.selected,
            ).format(count=self.rows, selected=self.selected, where=where,
                     without=self.without_email)
        if self.what == "accounting":
            values = {
                "count": self.invoices, "rows": self.rows, "where": where,
                "excl": fmt.amount(self.total_excl), "vat": fmt.amount(self.total_vat),
                "incl": fmt.amount(self.total_incl), "cancelled": self.cancelled,
            }
            if self.cancelled:
                return ngettext(
                    "Exported {count} invoice ({rows} rows, one per VAT rate) to {where}: excl. "
                    "VAT {excl}, VAT {vat}, incl. VAT {incl}; {cancelled} cancelled left out.",
                    "Exported {count} invoices ({rows} rows, one per VAT rate) to {where}: excl. "
                    "VAT {excl}, VAT {vat}, incl. VAT {incl}; {cancelled} cancelled left out.",
                    self.invoices).format(**values)
            return ngettext(
                "Exported {count} invoice ({rows} rows, one per VAT rate) to {where}: excl. VAT "
                "{excl}, VAT {vat}, incl. VAT {incl}.",
                "Exported {count} invoices ({rows} rows, one per VAT rate) to {where}: excl. VAT "
                "{excl}, VAT {vat}, incl. VAT {incl}.", self.invoices).format(**values)
        return ngettext("Exported {count} customer to {where}.",
                        "Exported {count} customers to {where}.", self.rows).format(
                            count=self.rows, where=where)
