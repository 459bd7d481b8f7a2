"""``import customers|orders|articles FILE`` and ``export customers|articles|accounting|mailing FILE``.

Exit codes: 0 done; 1 rows were rejected (nothing written, or only the good rows with
``--skip-invalid``); 2 the file or the arguments cannot be used.  Each command ends with
one summary line with the counts.  Every import goes through one runner (:func:`run_import`:
the path rules, the reading options, the report); the exports write their machine column
names unless ``--headings LANG`` asks for a language's words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

from tradium_tui.cli.context import UsageError
from tradium_tui.i18n import LANGUAGES, _, ngettext
from tradium_tui.services.text_safety import shown
from tradium_tui.services.transfer import paths, tabular


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    imp = sub.add_parser(
        "import", parents=[common], help=_("import customers or webshop orders from a file"),
        description=_("Import customers (CSV or .xlsx) or webshop orders (JSON lines or CSV)."),
    )
    imp_sub = imp.add_subparsers(dest="what", metavar="WHAT", required=True,
                                 parser_class=type(imp))
    cust = imp_sub.add_parser(
        "customers", parents=[common], help=_("import customers from CSV or .xlsx"),
        description=(
            _("Import customers. A row whose number matches an existing customer is a duplicate (updated or ignored, see --on-duplicate); a row without a number creates a new customer. By default nothing is written when any row is invalid.")
        ),
    )
    cust.add_argument("file", metavar="FILE", help=_("CSV (.csv/.txt) or Excel (.xlsx) file"))
    _import_options(cust)
    cust.add_argument(
        "--on-duplicate", choices=("update", "ignore"), default="update",
        help=_("what to do with rows whose customer number exists: update (default) or ignore"),
    )
    cust.add_argument(
        "--no-duplicates", action="store_true",
        help=_("refuse new rows that look like a known customer (same VAT, KvK, IBAN, e-mail, phone, name or address) instead of warning"),
    )
    cust.set_defaults(handler=run_import)

    orders = imp_sub.add_parser(
        "orders", parents=[common], help=_("import webshop orders (JSON lines or CSV)"),
        description=(
            _("Import webshop orders; unknown customers are created from the order. An order whose webshop number was imported before is a duplicate and is left alone.")
        ),
    )
    orders.add_argument("file", metavar="FILE", help=_("JSON lines (.jsonl/.json) or CSV file"))
    _import_options(orders)
    orders.set_defaults(handler=run_import)

    arts = imp_sub.add_parser("articles", parents=[common],
                              help=_("create or update catalogue articles by code (CSV or .xlsx)"))
    arts.add_argument("file", metavar="FILE", help=_("CSV or .xlsx file"))
    _import_options(arts)
    arts.set_defaults(handler=run_import)

    exp = sub.add_parser(
        "export", parents=[common], help=_("export customers, invoices or a mailing selection"),
        description=_("Export to CSV (or .xlsx when the file name ends in .xlsx); '-' is stdout."),
    )
    exp_sub = exp.add_subparsers(dest="what", metavar="WHAT", required=True,
                                 parser_class=type(exp))
    ec = exp_sub.add_parser("customers", parents=[common], help=_("all customers, every field"))
    _export_options(ec)
    ec.set_defaults(handler=run_export_customers)

    ex = exp_sub.add_parser("articles", parents=[common], help=_("the article catalogue"))
    _export_options(ex)
    ex.set_defaults(handler=run_export_articles)

    ea = exp_sub.add_parser("accounting", parents=[common],
                            help=_("invoices with ledger accounts and amounts, for bookkeeping"))
    _export_options(ea)
    ea.add_argument("--from", dest="date_from", metavar="DATE",
                    help=_("first invoice date (2026-01-01 or 01-01-2026)"))
    ea.add_argument("--to", dest="date_to", metavar="DATE", help=_("last invoice date (included)"))
    ea.add_argument("--decimal-comma", action="store_true",
                    help=_("amounts as 1234,50 (Dutch spreadsheets); the delimiter becomes ';' unless --delimiter is given"))
    ea.set_defaults(handler=run_export_accounting)

    em = exp_sub.add_parser("mailing", parents=[common],
                            help=_("name, e-mail and language of selected customers"))
    _export_options(em)
    em.add_argument("--mailing-code", metavar="N", help=_("only customers with this mailing code"))
    em.add_argument("--tag", metavar="T", help=_("only customers with this tag"))
    em.add_argument("--marked-by", metavar="USER", help=_("only customers this user has marked"))
    em.set_defaults(handler=run_export_mailing)


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help=_("report what would happen, write nothing"))
    parser.add_argument("--skip-invalid", action="store_true",
                        help=_("write the valid rows and report the invalid ones"))
    parser.add_argument("--delimiter", metavar="X",
                        help=_("CSV separator (',', ';', 'tab'); detected when not given"))
    parser.add_argument("--encoding", metavar="E",
                        help=_("file encoding (utf-8, cp1252, latin-1); detected when not given"))
    parser.add_argument("--quiet", "-q", action="store_true",
                        help=_("only the summary line and the rejected rows"))


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=_("target file (.csv or .xlsx), '-' for stdout"))
    parser.add_argument("--delimiter", metavar="X", help=_("CSV separator (default ',')"))
    parser.add_argument(
        "--headings", metavar="LANG", choices=tuple(LANGUAGES),
        help=_("column headings in this language ({languages}) instead of the column names; "
               "the import reads them back").format(languages="|".join(LANGUAGES)),
    )


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


# What ``import WHAT`` runs: the service module and function, and the options it takes
# from the command line and the settings besides the common ones.
IMPORTS = {
    "customers": ("tradium_tui.services.transfer.customer_import", "import_customers",
                  lambda ctx: {"on_duplicate": ctx.args.on_duplicate,
                               "no_duplicates": ctx.args.no_duplicates,
                               "home_country": ctx.settings.home_country}),
    "orders": ("tradium_tui.services.transfer.order_import", "import_orders",
               lambda ctx: {"home_country": ctx.settings.home_country}),
    "articles": ("tradium_tui.services.articles", "import_articles", lambda ctx: {}),
}


def run_import(ctx) -> int:
    """Every import: the path rules, the reading options, the report and its exit code."""
    module, function, options = IMPORTS[ctx.args.what]
    paths.check_import(ctx.settings, ctx.args.file)
    delimiter, encoding = _reading_options(ctx)
    ctx.open_db()
    import_file = getattr(importlib.import_module(module), function)  # loaded when it runs
    report = import_file(
        ctx.actor(), ctx.args.file, dry_run=ctx.args.dry_run, skip_invalid=ctx.args.skip_invalid,
        delimiter=delimiter, encoding=encoding, **options(ctx),
    )
    _print_report(report, ctx.args.quiet)
    return report.exit_code


def run_export_articles(ctx) -> int:
    from tradium_tui.services import articles

    target, delimiter, to_stdout = _export_target(ctx)
    ctx.open_db()
    actor = ctx.actor()
    count = articles.export_articles(actor, target, delimiter=delimiter,
                                     heading_language=ctx.args.headings)
    where = _("standard output") if to_stdout else ctx.args.file
    print(ngettext("Exported {count} article to {where}.", "Exported {count} articles to {where}.",
                   count).format(count=count, where=where),
          file=sys.stderr if to_stdout else sys.stdout)
    return 0


def _export_target(ctx):
    try:
        delimiter = tabular.parse_delimiter(ctx.args.delimiter) or ","
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    target = ctx.args.file
    if target == "-":
        return sys.stdout, delimiter, True
    paths.check_export(ctx.settings, target)
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
    result = exports.export_customers(actor, target, delimiter=delimiter,
                                      heading_language=ctx.args.headings)
    return _finish_export(result, to_stdout)


def _parse_date(text: str | None, option: str) -> dt.date | None:
    from tradium_tui.services.values import FieldError, parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except FieldError as exc:
        raise UsageError(exc.for_field(option)) from exc


def run_export_accounting(ctx) -> int:
    from tradium_tui.services.transfer import exports

    date_from = _parse_date(ctx.args.date_from, "--from")
    date_to = _parse_date(ctx.args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError(_("--from {date_from} is after --to {date_to}.").format(date_from=date_from, date_to=date_to))
    target, delimiter, to_stdout = _export_target(ctx)
    if ctx.args.decimal_comma and ctx.args.delimiter is None:
        delimiter = ";"
    if ctx.args.decimal_comma and delimiter == ",":
        raise UsageError(_("--decimal-comma needs another delimiter than ',' (e.g. --delimiter ';')."))
    ctx.open_db()
    actor = ctx.actor()
    result = exports.export_accounting(
        actor, target, ctx.settings.various_customers_account,
        date_from=date_from, date_to=date_to, delimiter=delimiter,
        decimal_comma=ctx.args.decimal_comma, heading_language=ctx.args.headings,
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
                _("--mailing-code must be a whole number, not {mailing_code!r}.").format(mailing_code=ctx.args.mailing_code)
            ) from exc
    target, delimiter, to_stdout = _export_target(ctx)
    ctx.open_db()
    actor = ctx.actor()
    result = exports.export_mailing(
        actor, target, mailing_code=code, tag=ctx.args.tag, marked_by=ctx.args.marked_by,
        delimiter=delimiter, heading_language=ctx.args.headings,
    )
    return _finish_export(result, to_stdout)
