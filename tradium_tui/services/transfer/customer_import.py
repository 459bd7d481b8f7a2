"""Bulk import of customers from CSV or ``.xlsx``, with the forms' validation.

The flow, for a file of any size:

1. read the table (:mod:`.tabular`: encoding, separator, header aliases);
2. plan every row: a row whose customer number exists is a duplicate (``update`` fills in
   / changes the fields the row gives — empty cells are left alone — ``ignore`` leaves the
   customer alone); a row without a number, or with a new one, creates a customer.  Every
   value goes through :func:`customer_rules.clean_customer`, exactly as in the form; big
   files are validated by a pool of processes (:mod:`.customer_plan`,
   :mod:`.row_validation`, :mod:`.duplicates`);
3. unless it is a dry run, or a row was rejected and ``skip_invalid`` is off, write
   everything in ONE transaction with bulk statements: customers, tag links, updates
   (version + 1) and their audit rows, attributed to the importing user
   (:mod:`.customer_writer`).

Re-running an import with ``update`` changes nothing the second time.  Reading
:class:`ImportReport` tells what happened (or would happen) row by row.
"""

from __future__ import annotations

import time
from pathlib import Path

import peewee

from tradium_tui import db as dbmod
from tradium_tui.i18n import _
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import ServiceError
from tradium_tui.services.transfer import tabular
from tradium_tui.services.transfer.customer_format import (
    COMPUTED_COLUMNS,
    NAME_COLUMNS,
    customer_alias_index,
)
from tradium_tui.services.transfer.customer_plan import CustomerPlanner
from tradium_tui.services.transfer.customer_writer import integrity_message, write_customers
from tradium_tui.services.transfer.reports import (
    ImportConflict,
    ImportReport,
    Progress,
    RowIssue,
    UnusableFile,
    report_progress,
)

DUPLICATE_CHOICES = ("update", "ignore")


def import_customers(
    actor: Actor,
    path: str | Path,
    *,
    on_duplicate: str = "update",
    dry_run: bool = False,
    skip_invalid: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    home_country: str = "NL",
    progress: Progress | None = None,
    workers: int | None = None,
    no_duplicates: bool = False,
) -> ImportReport:
    """Import customers from a CSV or ``.xlsx`` file; see the module description.

    With ``no_duplicates`` a new row that looks like a known customer (the duplicate
    guard) is refused like an invalid row instead of only warned about.

    Raises :class:`UnusableFile` for a file that is not a table, and
    :class:`PermissionDenied` without the import/export right (or base-data right).
    """
    actor.require_import_export()
    actor.require_base_edit()
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ServiceError(_("on_duplicate must be update or ignore, not {on_duplicate!r}.").format(on_duplicate=on_duplicate))
    started = time.perf_counter()
    report_progress(progress, "reading", 0, 0)
    table = tabular.read_table(path, delimiter=delimiter, encoding=encoding)
    return import_customer_table(
        actor, table, Path(path).name, on_duplicate=on_duplicate, dry_run=dry_run,
        skip_invalid=skip_invalid, home_country=home_country, progress=progress,
        workers=workers, started=started, no_duplicates=no_duplicates,
    )


def import_customer_table(
    actor: Actor,
    table: tabular.Table,
    source: str,
    *,
    on_duplicate: str = "update",
    dry_run: bool = False,
    skip_invalid: bool = False,
    home_country: str = "NL",
    progress: Progress | None = None,
    workers: int | None = None,
    started: float | None = None,
    no_duplicates: bool = False,
) -> ImportReport:
    actor.require_import_export()
    actor.require_base_edit()
    started = started if started is not None else time.perf_counter()
    report = ImportReport(
        what="customers", source=source, file_kind=table.describe(), dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    header_map = tabular.map_headers(table.headers, customer_alias_index())
    if not NAME_COLUMNS & set(header_map.fields):
        found = tabular.describe_headers(table.headers)
        raise UnusableFile(
            _("The file {source} has no column for the customer's name or number (a header such as 'name', 'naam', 'last_name' or 'klantnummer'); its headers are: {headers}.").format(source=source, headers=found)
        )
    for position, header in header_map.unknown:
        report.notes.append(
            _("column {position} '{header}' is not a customer field; its values were not imported.").format(position=position, header=header)
        )
    for column in sorted(COMPUTED_COLUMNS & set(header_map.fields)):
        report.notes.append(
            _("column '{text}' follows from the other values and is not imported.").format(text=table.headers[header_map.position(column)].strip())
        )
    labels = {
        name: table.headers[i].strip() for i, name in enumerate(header_map.columns) if name
    }
    planner = CustomerPlanner(
        report, home_country, on_duplicate, labels, progress, workers, no_duplicates=no_duplicates
    )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        values, extra = tabular.row_values(header_map, cells)
        if extra:
            report.issues.append(RowIssue.extra_cells(number, cells, extra, len(table.headers)))
            values["__reject__"] = "1"
        rows.append((number, values))
    report_progress(progress, "validating", 0, len(rows))
    rejected_rows = {r for r, v in rows if v.pop("__reject__", None)}
    planned = planner.plan(rows)
    for item in planned:
        if item.row in rejected_rows:
            item.action = "reject"
    planner.count(planned)
    if not planned:
        report.notes.append(_("the file has a header but no data rows."))
    if dry_run or report.blocked or not any(p.action in ("create", "update") for p in planned):
        report.seconds = time.perf_counter() - started
        return report
    report_progress(progress, "writing", 0, report.created + report.updated)
    try:
        with dbmod.write_transaction():
            written = write_customers(actor, planned, progress)
    except peewee.IntegrityError as exc:
        raise ImportConflict(integrity_message(exc)) from exc
    report.written = True
    report.created_ids = [written[p.row] for p in planned if p.action == "create"]
    report.seconds = time.perf_counter() - started
    return report
