"""``import customers|orders FILE`` and ``export customers|accounting|mailing FILE``.

Exit codes: 0 done; 1 rows were rejected (nothing written, or only the good rows with
``--skip-invalid``); 2 the file or the arguments cannot be used.  Each command ends with
one summary line with the counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from tradium_tui.cli.context import UsageError
from tradium_tui.services.text_safety import shown
from tradium_tui.services.transfer import paths as transfer_paths
from tradium_tui.services.transfer import tabular


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import", parents=[common], help="import customers or webshop orders from a file",
        description="Import customers (CSV or .xlsx) or webshop orders (JSON lines or CSV).",
    )
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True,
                                 parser_class=type(imp))
    cust = imp_sub.add_parser(
        "customers", parents=[common], help="import customers from CSV or .xlsx",
        description=(
            "Import customers. A row whose number matches an existing customer is a duplicate "
            "(updated or ignored, see --on-duplicate); a row without a number creates a new "
            "customer. By default nothing is written when any row is invalid."
        ),
    )
    cust.add_argument("file", metavar="FILE", help="CSV (.csv/.txt) or Excel (.xlsx) file")
    _import_options(cust)
    cust.add_argument(
        "--on-duplicate", choices=("update", "ignore"), default="update",
        help="what to do with rows whose customer number exists: update (default) or ignore",
    )
    cust.add_argument(
        "--no-duplicates", action="store_true",
        help="refuse new rows that look like a known customer (same VAT, KvK, IBAN, e-mail, "
             "phone, name or address) instead of warning",
    )
    cust.set_defaults(handler=run_import_customers)

    orders = imp_sub.add_parser(
        "orders", parents=[common], help="import webshop orders (JSON lines or CSV)",
        description=(
            "Import webshop orders; unknown customers are created from the order. An order "
            "whose webshop number was imported before is a duplicate and is left alone."
        ),
    )
    orders.add_argument("file", metavar="FILE", help="JSON lines (.jsonl/.json) or CSV file")
    _import_options(orders)
    orders.set_defaults(handler=run_import_orders)

    arts = imp_sub.add_parser("articles", parents=[common],
                              help="create or update catalogue articles by code (CSV or .xlsx)")
    arts.add_argument("file", metavar="FILE", help="CSV or .xlsx file")
    _import_options(arts)
    arts.set_defaults(handler=run_import_articles)

    exp = sub.add_parser(
        "export", parents=[common], help="export customers, invoices or a mailing selection",
        description="Export to CSV (or .xlsx when the file name ends in .xlsx); '-' is stdout.",
    )
    exp_sub = exp.add_subparsers(dest="what", metavar="WHAT", required=True,
                                 parser_class=type(exp))
    ec = exp_sub.add_parser("customers", parents=[common], help="all customers, every field")
    _export_options(ec)
    ec.set_defaults(handler=run_export_customers)

    ex = exp_sub.add_parser("articles", parents=[common], help="the article catalogue")
    _export_options(ex)
    ex.set_defaults(handler=run_export_articles)

    ea = exp_sub.add_parser("accounting", parents=[common],
                            help="invoices with ledger accounts and amounts, for bookkeeping")
    _export_options(ea)
    ea.add_argument("--from", dest="date_from", metavar="DATE",
                    help="first invoice date (2026-01-01 or 01-01-2026)")
    ea.add_argument("--to", dest="date_to", metavar="DATE", help="last invoice date (included)")
    ea.add_argument("--decimal-comma", action="store_true",
                    help="amounts as 1234,50 (Dutch spreadsheets); the delimiter becomes ';' "
                         "unless --delimiter is given")
    ea.set_defaults(handler=run_export_accounting)

    em = exp_sub.add_parser("mailing", parents=[common],
                            help="name, e-mail and language of selected customers")
    _export_options(em)
    em.add_argument("--mailing-code", metavar="N", help="only customers with this mailing code")
    em.add_argument("--tag", metavar="T", help="only customers with this tag")
    em.add_argument("--marked-by", metavar="USER", help="only customers this user has marked")
    em.set_defaults(handler=run_export_mailing)


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="report what would happen, write nothing")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="write the valid rows and report the invalid ones")
    parser.add_argument("--delimiter", metavar="X",
                        help="CSV separator (',', ';', 'tab'); detected when not given")
    parser.add_argument("--encoding", metavar="E",
                        help="file encoding (utf-8, cp1252, latin-1); detected when not given")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="only the summary line and the rejected rows")


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="target file (.csv or .xlsx), '-' for stdout")
    parser.add_argument("--delimiter", metavar="X", help="CSV separator (default ',')")


def _reading_options(ctx) -> tuple[str | None, str | None]:
    try:
        delimiter = tabular.parse_delimiter(ctx.args.delimiter)
        encoding = tabular.check_encoding(ctx.args.encoding)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return delimiter, encoding


def _print_report(report, quiet: bool) -> None:
    out = sys.stdout
    for line in report.detail_lines(include_warnings=not quiet):
        print(shown(line), file=out)
    print(shown(report.summary()), file=out)


def _run_import(ctx, import_file, **options) -> int:
    """Every import: the path rules, the reading options, the report and its exit code."""
    transfer_paths.check_import(ctx.settings, ctx.args.file)
    delimiter, encoding = _reading_options(ctx)
    ctx.open_db()
    report = import_file(
        ctx.actor(), ctx.args.file, dry_run=ctx.args.dry_run, skip_invalid=ctx.args.skip_invalid,
        delimiter=delimiter, encoding=encoding, **options,
    )
    _print_report(report, ctx.args.quiet)
    return report.exit_code


def run_import_customers(ctx) -> int:
    from tradium_tui.services.transfer import customer_import

    return _run_import(
        ctx, customer_import.import_customers, on_duplicate=ctx.args.on_duplicate,
        no_duplicates=ctx.args.no_duplicates, home_country=ctx.settings.home_country,
    )


def run_import_orders(ctx) -> int:
    from tradium_tui.services.transfer import order_import

    return _run_import(ctx, order_import.import_orders, home_country=ctx.settings.home_country)


def run_import_articles(ctx) -> int:
    from tradium_tui.services import articles

    return _run_import(ctx, articles.import_articles)


def run_export_articles(ctx) -> int:
    from tradium_tui.services import articles

    target, delimiter, to_stdout = _export_target(ctx)
    ctx.open_db()
    actor = ctx.actor()
    count = articles.export_articles(actor, target, delimiter=delimiter)
    where = "standard output" if to_stdout else ctx.args.file
    print(f"Exported {count} articles to {where}.", file=sys.stderr if to_stdout else sys.stdout)
    return 0


def _export_target(ctx):
    try:
        delimiter = tabular.parse_delimiter(ctx.args.delimiter) or ","
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    target = ctx.args.file
    if target == "-":
        return sys.stdout, delimiter, True
    transfer_paths.check_export(ctx.settings, target)
    return target, delimiter, False


def _finish_export(result, to_stdout: bool) -> int:
    # The data goes to stdout when asked; the summary then goes to stderr.
    print(result.summary(), file=sys.stderr if to_stdout else sys.stdout)
    return 0


def run_export_customers(ctx) -> int:
    from tradium_tui.services.transfer import exports

    target, delimiter, to_stdout = _export_target(ctx)
    ctx.open_db()
    actor = ctx.actor()
    result = exports.export_customers(actor, target, delimiter=delimiter)
    return _finish_export(result, to_stdout)


def _parse_date(text: str | None, option: str) -> dt.date | None:
    from tradium_tui.services.values import FieldError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except FieldError as exc:
        raise UsageError(f"{option} {exc}.") from exc


def run_export_accounting(ctx) -> int:
    from tradium_tui.services.transfer import exports

    date_from = _parse_date(ctx.args.date_from, "--from")
    date_to = _parse_date(ctx.args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}.")
    target, delimiter, to_stdout = _export_target(ctx)
    if ctx.args.decimal_comma and ctx.args.delimiter is None:
        delimiter = ";"
    if ctx.args.decimal_comma and delimiter == ",":
        raise UsageError("--decimal-comma needs another delimiter than ',' (e.g. --delimiter ';').")
    ctx.open_db()
    actor = ctx.actor()
    result = exports.export_accounting(
        actor, target, ctx.settings.various_customers_account,
        date_from=date_from, date_to=date_to, delimiter=delimiter,
        decimal_comma=ctx.args.decimal_comma,
    )
    return _finish_export(result, to_stdout)


def run_export_mailing(ctx) -> int:
    from tradium_tui.services.transfer import exports

    code = None
    if ctx.args.mailing_code is not None:
        try:
            code = int(ctx.args.mailing_code)
        except ValueError as exc:
            raise UsageError(
                f"--mailing-code must be a whole number, not {ctx.args.mailing_code!r}."
            ) from exc
    target, delimiter, to_stdout = _export_target(ctx)
    ctx.open_db()
    actor = ctx.actor()
    result = exports.export_mailing(
        actor, target, mailing_code=code, tag=ctx.args.tag, marked_by=ctx.args.marked_by,
        delimiter=delimiter,
    )
    return _finish_export(result, to_stdout)
