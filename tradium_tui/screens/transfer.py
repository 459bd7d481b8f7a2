"""Import and export from the TUI (for roles with the import/export right).

:class:`TransferScreen` lists what can be done.  An import asks for the file and the
options (:class:`ImportDialog`), runs in a thread worker that feeds a progress bar
(:class:`ImportRunScreen`) and ends on :class:`ImportResultScreen`: the summary and
every rejected row or warning, with a button to go on (import after a dry run, or write
the valid rows after a rejected file).  Exports ask for the file and the selection
(:class:`ExportDialog`) and run in the dialog's worker.  Everything goes through the
same services as the command line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from tradium_tui import formatting as fmt
from tradium_tui.config import get_settings
from tradium_tui.i18n import LANGUAGES, N_, _
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import ServiceError, ValidationError
from tradium_tui.services.transfer import files as transfer_files
from tradium_tui.services.transfer import paths as transfer_paths
from tradium_tui.services.transfer import tabular
from tradium_tui.services.values import FieldError, parse_date, parse_int
from tradium_tui.widgets.dbwork import db_guard
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.form import FieldSpec, FormResult, RecordForm
from tradium_tui.widgets.messages import DataChanged
from tradium_tui.widgets.safe_text import SafeDataTable

CHOICES = {
    "import-customers": (N_("Import customers"), N_("CSV or Excel; duplicates by customer number")),
    "import-orders": (N_("Import webshop orders"),
                      N_("JSON lines or CSV; unknown customers are created")),
    "export-customers": (N_("Export customers"),
                         N_("Every field, CSV or Excel; the import reads it back")),
    "export-accounting": (N_("Export invoices for accounting"), N_("Ledger accounts and amounts")),
    "export-mailing": (N_("Export a mailing selection"), N_("Name, e-mail and language")),
}
PHASES = {
    "reading": N_("Reading the file"),
    "validating": N_("Checking the rows"),
    "writing": N_("Writing"),
    "importing": N_("Importing orders"),
}
# The export's column headings: the machine names (the default, what the import and other
# programs read) or one language's words.
HEADINGS = (("", N_("column names (for programs)")),) + tuple(
    (code, name) for code, name in LANGUAGES.items())


@dataclass(frozen=True)
class ImportRequest:
    what: str  # customers | orders
    path: str
    on_duplicate: str = "update"
    dry_run: bool = False
    skip_invalid: bool = False
    delimiter: str | None = None
    encoding: str | None = None


@dataclass
class ImportProgress(Message):
    phase: str
    done: int
    total: int


@dataclass
class ImportFinished(Message):
    report: Any  # services.transfer.reports.ImportReport


@dataclass
class ImportFailed(Message):
    text: str


# --------------------------------------------------------------------------- dialogs


def _reading_options(values: dict[str, Any]) -> tuple[str | None, str | None, dict[str, str]]:
    errors: dict[str, str] = {}
    delimiter = encoding = None
    try:
        delimiter = tabular.parse_delimiter(str(values.get("delimiter") or "").strip() or None)
    except ValueError as exc:
        errors["delimiter"] = str(exc)
    try:
        encoding = tabular.check_encoding(str(values.get("encoding") or "").strip() or None)
    except ValueError as exc:
        errors["encoding"] = str(exc)
    return delimiter, encoding, errors


def _existing_file(values: dict[str, Any], errors: dict[str, str], settings) -> str:
    text = str(values.get("path") or "").strip()
    if not text:
        errors["path"] = _("Give the file to import.")
        return ""
    path = Path(text).expanduser()
    try:
        transfer_paths.check_import(settings, path)
    except transfer_paths.TransferPathRefused as exc:
        errors["path"] = str(exc)
        return str(path)
    # Only stat() here: opening a named pipe would wait for a writer.
    kind = transfer_files.kind_of(path)
    if kind == "missing":
        errors["path"] = _("There is no file {path}.").format(path=path)
    elif kind == "a folder":
        errors["path"] = _("{path} is a folder; give a file.").format(path=path)
    elif kind == "not a regular file":
        errors["path"] = _("{path} is not a regular file; give a CSV or .xlsx file.").format(
            path=path)
    elif kind:
        errors["path"] = _("{file} is {what}, not a regular file; give a CSV or .xlsx file.").format(
            file=path, what=_(kind))
    return str(path)


class ImportDialog(RecordForm):
    """File and options of an import. Dismisses with ``FormResult(record=ImportRequest)``."""

    def __init__(self, what: str, path: str = "") -> None:
        self.what = what
        fields = [
            FieldSpec("path", _("File"), required=True,
                      placeholder="customers.csv, klanten.xlsx" if what == "customers"
                      else "orders.jsonl, orders.csv"),
        ]
        if what == "customers":
            fields.append(FieldSpec(
                "on_duplicate", _("Existing number"), kind="select", allow_blank=False,
                choices=[(_("update the customer with the row's values"), "update"),
                         (_("leave the customer alone"), "ignore")],
            ))
        fields += [
            FieldSpec("dry_run", _("Dry run: only report what would happen"), kind="checkbox"),
            FieldSpec("skip_invalid", _("Write the valid rows, skip rejected ones"),
                      kind="checkbox"),
            FieldSpec("delimiter", _("Separator"), placeholder=_("detected (, ; or tab)")),
            FieldSpec("encoding", _("Encoding"), placeholder=_("detected (utf-8, cp1252, …)")),
        ]
        intro = (
            _("A row whose customer number exists is a duplicate; a row without a number creates "
              "a new customer. By default nothing is written when any row is invalid.")
            if what == "customers" else
            _("Customers are found by number, then by e-mail; unknown ones are created from the "
              "order. Orders imported before are skipped.")
        )
        super().__init__(
            _("Import customers") if what == "customers" else _("Import webshop orders"),
            fields, {"path": path, "on_duplicate": "update"}, save=self._check,
            intro=intro, save_label=_("Import"), focus="path", only_changes=False,
        )

    def _check(self, values: dict[str, Any], _version: int | None) -> ImportRequest:
        delimiter, encoding, errors = _reading_options(values)
        path = _existing_file(values, errors, self.app.settings)
        if errors:
            raise ValidationError(errors)
        return ImportRequest(
            what=self.what, path=path,
            on_duplicate=str(values.get("on_duplicate") or "update"),
            dry_run=bool(values.get("dry_run")), skip_invalid=bool(values.get("skip_invalid")),
            delimiter=delimiter, encoding=encoding,
        )


class ExportDialog(RecordForm):
    """Target and selection of an export; the export runs in the form's worker.

    Dismisses with ``FormResult(record=ExportResult)``.
    """

    DEFAULT_FILES = {"customers": "customers.csv", "accounting": "invoices.csv",
                     "mailing": "mailing.csv"}

    def __init__(self, what: str, actor: Actor, various_customers_account: str = "1300",
                 settings=None) -> None:
        self.what = what
        self.actor = actor
        self.various = various_customers_account
        fields = [
            FieldSpec("path", _("File"), required=True,
                      help=_("CSV; an Excel workbook when the name ends in .xlsx.")),
            FieldSpec("delimiter", _("Separator"), placeholder=_(", (comma)")),
            FieldSpec("headings", _("Column headings"), kind="select", allow_blank=False,
                      choices=[(_(label) if not code else label, code or "machine")
                               for code, label in HEADINGS]),
        ]
        if what == "accounting":
            fields += [
                FieldSpec("date_from", _("From invoice date"), placeholder="2026-01-01"),
                FieldSpec("date_to", _("To invoice date"), placeholder="2026-12-31"),
            ]
        if what == "mailing":
            fields += [
                FieldSpec("mailing_code", _("Mailing code"), placeholder=_("any")),
                FieldSpec("tag", _("Tag"), placeholder=_("any")),
                FieldSpec("mine", _("Only the customers I marked"), kind="checkbox"),
            ]
        titles = {"customers": _("Export customers"),
                  "accounting": _("Export invoices for accounting"),
                  "mailing": _("Export a mailing selection")}
        super().__init__(
            titles[what], fields,
            {"path": str((transfer_paths.policy_for(settings or get_settings()).allowed
                          or Path.cwd())
                         / self.DEFAULT_FILES[what]),
             "headings": "machine"},
            save=self._export, save_label=_("Export"), focus="path", only_changes=False,
        )

    def _export(self, values: dict[str, Any], _version: int | None) -> Any:
        # lazy: the exporter loads when an export runs, in the form's worker
        from tradium_tui.services.transfer import exports

        errors: dict[str, str] = {}
        language = str(values.get("headings") or "")
        language = language if language in LANGUAGES else None  # "machine": the column names
        path = Path(str(values.get("path") or "").strip()).expanduser()
        if not str(values.get("path") or "").strip():
            errors["path"] = _("Give the file to write.")
        elif path.is_dir():
            errors["path"] = _("{path} is a folder; give a file name.").format(path=path)
        else:
            try:
                transfer_paths.check_export(self.app.settings, path)
            except transfer_paths.TransferPathRefused as exc:
                errors["path"] = str(exc)
        delimiter = ","
        try:
            delimiter = tabular.parse_delimiter(str(values.get("delimiter") or "").strip() or None) or ","
        except ValueError as exc:
            errors["delimiter"] = str(exc)
        if self.what == "accounting":
            dates = {}
            for name in ("date_from", "date_to"):
                try:
                    dates[name] = parse_date(values.get(name), required=False)
                except FieldError as exc:
                    errors[name] = exc.for_field(_("The date"))
            if not errors and dates["date_from"] and dates["date_to"] and dates["date_from"] > dates["date_to"]:
                errors["date_to"] = _("The end date is before the start date.")
            if errors:
                raise ValidationError(errors)
            return exports.export_accounting(
                self.actor, path, self.various, date_from=dates["date_from"],
                date_to=dates["date_to"], delimiter=delimiter, heading_language=language,
            )
        if self.what == "mailing":
            code = None
            try:
                code = parse_int(values.get("mailing_code"), required=False)
            except FieldError as exc:
                errors["mailing_code"] = exc.for_field(_("The mailing code"))
            if errors:
                raise ValidationError(errors)
            return exports.export_mailing(
                self.actor, path, mailing_code=code,
                tag=str(values.get("tag") or "").strip() or None,
                marked_by=self.actor.username if values.get("mine") else None,
                delimiter=delimiter, heading_language=language,
            )
        if errors:
            raise ValidationError(errors)
        return exports.export_customers(self.actor, path, delimiter=delimiter,
                                        heading_language=language)


# --------------------------------------------------------------------------- running


class ImportRunScreen(ModalScreen[Any]):
    """Runs an import in a thread worker with a progress bar; dismisses with the report
    (or ``None`` when the import could not run — the reason is shown first)."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="import_run_close", show=False)]

    def __init__(self, actor: Actor, request: ImportRequest, home_country: str = "NL") -> None:
        super().__init__()
        self.actor = actor
        self.request = request
        self.home_country = home_country
        self.running = True
        self._last_post = 0.0
        self._last_phase = ""

    def compose(self) -> ComposeResult:
        name = Path(self.request.path).name
        if self.request.dry_run:
            title = _("Checking {file}").format(file=name)
        else:
            title = _("Importing {file}").format(file=name)
        with Vertical(classes="small-dialog"):
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(_("Starting…"), id="import-phase", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="import-progress")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="import-close", compact=True, disabled=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self._run()

    def _progress(self, phase: str, done: int, total: int) -> None:
        """Called in the worker thread: post at most ~10 updates a second."""
        now = time.monotonic()
        if phase == self._last_phase and done < total and now - self._last_post < 0.1:
            return
        self._last_post, self._last_phase = now, phase
        self.post_message(ImportProgress(phase, done, total))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _run(self) -> None:
        # lazy: importer and order import take ~0.3 s to load; in the worker, not on opening
        from tradium_tui.services.transfer import customer_import, order_import

        request = self.request
        guard = db_guard(self, _("Import"))
        with guard:
            try:
                if request.what == "customers":
                    report = customer_import.import_customers(
                        self.actor, request.path, on_duplicate=request.on_duplicate,
                        dry_run=request.dry_run, skip_invalid=request.skip_invalid,
                        delimiter=request.delimiter, encoding=request.encoding,
                        home_country=self.home_country, progress=self._progress,
                    )
                else:
                    report = order_import.import_orders(
                        self.actor, request.path, dry_run=request.dry_run,
                        skip_invalid=request.skip_invalid, delimiter=request.delimiter,
                        encoding=request.encoding, home_country=self.home_country,
                        progress=self._progress,
                    )
            except ServiceError as exc:
                self.post_message(ImportFailed(str(exc)))
                return
            self.post_message(ImportFinished(report))
        if guard.failed:
            self.post_message(ImportFailed(_("The import stopped; nothing was written.")))

    def on_import_progress(self, message: ImportProgress) -> None:
        message.stop()
        label = _(PHASES[message.phase]) if message.phase in PHASES else message.phase
        bar = self.query_one("#import-progress", ProgressBar)
        if message.total:
            bar.update(total=message.total, progress=message.done)
            # TRANSLATORS: an import's phase ("Checking the rows") and how far it is.
            label = _("{phase}: {done} of {total}").format(
                phase=label, done=fmt.number(message.done), total=fmt.number(message.total))
        else:
            bar.update(total=None)
        self.query_one("#import-phase", Static).update(_("{phase}…").format(phase=label))

    def on_import_finished(self, message: ImportFinished) -> None:
        message.stop()
        self.running = False
        self.dismiss(message.report)

    def on_import_failed(self, message: ImportFailed) -> None:
        message.stop()
        self.running = False
        phase = self.query_one("#import-phase", Static)
        phase.update(Text(message.text, style="bold red"))
        self.query_one("#import-progress", ProgressBar).display = False
        close = self.query_one("#import-close", Button)
        close.disabled = False
        close.focus()

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)

    @on(Button.Pressed, "#import-close")
    def _close(self) -> None:
        self.action_close()


class ImportResultScreen(ModalScreen[ImportRequest | None]):
    """The summary and the issues of an import; may hand back a follow-up request."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="import_result_close")]

    def __init__(self, report: Any, request: ImportRequest) -> None:
        super().__init__()
        self.report = report
        self.request = request
        self.issues: list[Any] = []

    def follow_up(self) -> tuple[str, ImportRequest] | None:
        report, request = self.report, self.request
        writable = report.created or report.updated
        if report.dry_run and writable and (not report.rejected or request.skip_invalid):
            return _("Import now"), replace(request, dry_run=False)
        if report.dry_run and writable and report.rejected:
            return _("Import the valid rows"), replace(request, dry_run=False, skip_invalid=True)
        if report.blocked and writable:
            return _("Import the valid rows"), replace(request, skip_invalid=True)
        return None

    def compose(self) -> ComposeResult:
        report = self.report
        style = "bold red" if report.rejected else ("bold yellow" if report.warnings else "bold green")
        with Vertical(classes="finder-dialog"):
            yield Static(_("Import of {file} ({kind})").format(file=report.source,
                                                               kind=report.file_kind),
                         classes="dialog-title", markup=False)
            yield Static(Text(report.summary(), style=style), id="import-summary")
            if report.notes:
                yield Static("\n".join(f"• {n}" for n in report.notes), id="import-notes",
                             classes="dialog-intro", markup=False)
            yield SafeDataTable(id="import-issues", cursor_type="row", zebra_stripes=True)
            # The highlighted row's problem in full: the table's last column is cut to the
            # window's width, and a message is often longer (in Dutch and French more so).
            yield Static("", id="import-problem", classes="dialog-intro", markup=False)
            with Horizontal(classes="dialog-buttons"):
                follow = self.follow_up()
                if follow is not None:
                    yield Button(follow[0], id="import-follow-up", variant="primary", compact=True)
                yield Button(_("Close"), id="import-result-close", compact=True)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#import-issues", DataTable)
        # TRANSLATORS: the import report's columns: 6, 16 and 22 cells, then the rest.
        table.add_column(_("Row"), key="row", width=6)
        table.add_column(_("Column"), key="column", width=16)
        table.add_column(_("Value"), key="value", width=22)
        table.add_column(_("Problem"), key="problem")
        issues = sorted(self.report.issues, key=lambda i: (i.row, i.level != "error"))
        self.issues = issues
        for index, issue in enumerate(issues):
            style = "red" if issue.level == "error" else "yellow"
            table.add_row(
                Text(str(issue.row) if issue.row else "", style=style),
                Text(issue.column), Text(" ".join(issue.value.split())[:60]),
                Text(issue.message if issue.level == "error"
                     else _("warning: {message}").format(message=issue.message), style=style),
                key=str(index),
            )
        if not issues:
            table.display = False
            self.query_one("#import-problem", Static).display = False
        button = "#import-follow-up" if self.follow_up() else "#import-result-close"
        self.query_one(button, Button).focus()

    @on(DataTable.RowHighlighted, "#import-issues")
    def _show_problem(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key is None or not key.isdigit() or int(key) >= len(self.issues):
            return
        issue = self.issues[int(key)]
        where = _("row {row}").format(row=issue.row) if issue.row else _("file")
        # TRANSLATORS: below the import report's table: where, and the whole problem.
        self.query_one("#import-problem", Static).update(
            _("{where}: {message}").format(where=where, message=issue.message))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-result-close")
    def _close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-follow-up")
    def _follow(self) -> None:
        follow = self.follow_up()
        self.dismiss(follow[1] if follow else None)


# --------------------------------------------------------------------------- menu


class TransferScreen(ModalScreen[None]):
    """What to import or export; opened from the main screen (Ctrl+G)."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="transfer_close")]

    def __init__(self, actor: Actor) -> None:
        super().__init__(id="transfer")
        self.actor = actor
        self.last_path: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="small-dialog"):
            yield Static(_("Import / export"), classes="dialog-title", markup=False)
            options = []
            for key, (title, help_text) in CHOICES.items():
                prompt = Text.assemble((_(title), "bold"), "\n", (_(help_text), "dim"))
                options.append(Option(prompt, id=key))
            yield OptionList(*options, id="transfer-choices")
            yield Static("", id="transfer-status", classes="dialog-intro", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @property
    def settings(self):
        return getattr(self.app, "settings", None) or get_settings()

    def action_close(self) -> None:
        self.dismiss(None)

    def set_status(self, text: str) -> None:
        self.query_one("#transfer-status", Static).update(text)

    @on(OptionList.OptionSelected, "#transfer-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        kind, _sep, what = key.partition("-")
        if kind == "import":
            self.open_import(what)
        else:
            self.open_export(what)

    # -- imports

    def open_import(self, what: str) -> None:
        def chosen(result: FormResult | None) -> None:
            if result is not None:
                self.last_path[what] = result.record.path
                self.run_import(result.record)

        self.app.push_screen(ImportDialog(what, self.last_path.get(what, "")), chosen)

    def run_import(self, request: ImportRequest) -> None:
        def finished(report: Any) -> None:
            if report is None:
                return
            self.set_status(report.summary())
            if report.written:
                main = getattr(self.app, "main_screen", None)
                if main is not None:
                    main.post_message(DataChanged(None, "import"))
            self.app.push_screen(ImportResultScreen(report, request), follow_up)

        def follow_up(next_request: ImportRequest | None) -> None:
            if next_request is not None:
                self.run_import(next_request)

        self.app.push_screen(
            ImportRunScreen(self.actor, request, self.settings.home_country), finished
        )

    # -- exports

    def open_export(self, what: str) -> None:
        def done(result: FormResult | None) -> None:
            if result is None:
                return
            text = result.record.summary()
            self.set_status(text)
            self.notify(text, title=_("Export"), timeout=6)

        self.app.push_screen(
            ExportDialog(what, self.actor, self.settings.various_customers_account,
                         settings=self.settings), done
        )

