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
        where = f"row {self.row}" if self.row else "file"
        column = f", column '{_short(self.column, 40)}'" if self.column else ""
        value = f", value '{_short(self.value)}'" if self.value.strip() else ""
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}{column}{value}: {prefix}{self.message}"

    @classmethod
    def extra_cells(cls, row: int, cells: Sequence[str], extra: Sequence[int], width: int) -> RowIssue:
        """A row with filled cells past the header's ``width`` columns (``extra``: their
        1-based positions, as :func:`tabular.row_values` gives them)."""
        return cls(
            row, f"#{extra[0]}", cells[extra[0] - 1],
            f"The row has {len(cells)} cells but the header only {width} columns; check the "
            "separator and quotes.",
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
        lines = [f"note: {n}" for n in self.notes] if include_warnings else []
        for issue in sorted(self.issues, key=lambda i: (i.row, i.level != "error")):
            if issue.level == "warning" and not include_warnings:
                continue
            lines.append(issue.text())
        return lines

    def summary(self) -> str:
        noun = ("order" if self.what == "orders" else "row") + ("" if self.total == 1 else "s")
        future = self.dry_run or self.blocked
        if self.what == "orders":
            counts = [
                f"{self.created} {'to create' if future else 'created'}",
                f"{self.ignored} already imported",
                f"{self.rejected} rejected",
                f"{self.customers_created} new customers",
                f"{self.customers_matched} for known customers",
            ]
        else:
            counts = [
                f"{self.created} {'to create' if future else 'created'}",
                f"{self.updated} {'to update' if future else 'updated'}",
                f"{self.unchanged} unchanged",
                f"{self.ignored} ignored",
                f"{self.rejected} rejected",
            ]
        counts.append(f"{self.rows_with_warnings} with warnings")
        text = f"{self.source}: {self.total} {noun}: " + ", ".join(counts) + "."
        if self.dry_run:
            return text + " Dry run: nothing written."
        if self.blocked:
            unit = "order" if self.what == "orders" else "row"
            return text + (
                f" Nothing written: {self.rejected} {unit}{'' if self.rejected == 1 else 's'} "
                f"rejected (all or nothing; --skip-invalid writes the valid {unit}s)."
            )
        if not self.written:
            return text + (" Nothing else to write." if self.rejected else " Nothing to write.")
        if self.rejected:
            unit = "orders" if self.what == "orders" else "rows"
            return text + f" Valid {unit} written; rejected {unit} left out."
        return text + f" Done in {self.seconds:.1f} s."


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
        where = "standard output" if self.target == "-" else self.target
        if self.what == "mailing":
            return (
                f"Exported {self.rows} of {self.selected} selected customers to {where}; "
                f"{self.without_email} without an e-mail address left out."
            )
        if self.what == "accounting":
            left_out = f"; {self.cancelled} cancelled left out" if self.cancelled else ""
            return (
                f"Exported {self.invoices} invoices ({self.rows} rows, one per VAT rate) to "
                f"{where}: excl. VAT {self.total_excl:.2f}, VAT {self.total_vat:.2f}, "
                f"incl. VAT {self.total_incl:.2f}{left_out}."
            )
        return f"Exported {self.rows} customers to {where}."
