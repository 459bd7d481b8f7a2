"""Command line: runs the app, seeds demo data, imports/exports, manages users and the schema.

Global options (``--db URL``, ``--user NAME``) go before the subcommand and are accepted
after it too.  Every failure the user can cause ends in one clear sentence and exit code 2
(or 1 where a command documents it), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tradium_tui import __version__, i18n
from tradium_tui.cli.context import Context, UsageError, use_language
from tradium_tui.config import ConfigError, demo_db_url, get_settings, set_settings
from tradium_tui.db import DatabaseUnavailable
from tradium_tui.i18n import N_, _
from tradium_tui.services.errors import ServiceError
from tradium_tui.services.text_safety import shown

# Each module registers its subcommands with ``register(subparsers, common)``.
COMMAND_MODULES = (
    "tradium_tui.cli.tui",
    "tradium_tui.cli.demo",
    "tradium_tui.cli.dbcmd",
    "tradium_tui.cli.users",
    "tradium_tui.cli.customers",
    "tradium_tui.cli.transfer",
    "tradium_tui.cli.price",
    "tradium_tui.cli.serve",
)


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # exit code 2 with a usage line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


# argparse's own texts (usage, headings, its error messages) in the interface language:
# argparse looks them up through its module's gettext functions, which are pointed at the
# program's catalogue here; the marks put its messages into that catalogue.
argparse._ = i18n.gettext
argparse.ngettext = i18n.ngettext
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"), N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unexpected option string: %s"), N_("can't open '%(filename)s': %(error)s"),
)


# Commands that create a SQLite database on purpose when its file does not exist.
CREATING_COMMANDS = frozenset({"demo", "demo-run", "db init", "db restore"})


def missing_sqlite_database(ctx: Context) -> str | None:
    """One sentence when the command would open a SQLite file that does not exist.

    A mistyped path must not become a new, empty database: only ``db init`` and the demo
    create one, and the default database in the data folder is created on first start.
    ``db version`` never creates anything.
    """
    from tradium_tui.config import default_db_url
    from tradium_tui.db import describe_url, sqlite_file

    command = ctx.args.command
    if command == "db":
        command = f"db {getattr(ctx.args, 'db_command', '')}"
    if command in CREATING_COMMANDS or command in ("serve",):
        return None
    url = ctx.db_url
    try:
        file = sqlite_file(url)
    except DatabaseUnavailable:
        return None  # the command says what is wrong with the URL
    if file is None or file.exists():
        return None
    if url == default_db_url() and command != "db version":
        return None  # the first start creates the user's own database
    return (
        _("There is no database at {url} (the file {file} does not exist); check the path, or "
          "create one with 'tradium-tui db init --db {url}'.").format(url=describe_url(url), file=file)
    )


def _common_options(demo: bool = True) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help=_("database URL (sqlite:///file.db or postgresql://user@host:port/db)"))
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                        help=_("act as this user (see README: identity rules)"))
    return common


def build_parser() -> ArgumentParser:
    common = _common_options()
    parser = ArgumentParser(
        prog="tradium-tui",
        description=_("Keyboard-driven customer management for the terminal."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tradium-tui {__version__}",
                        help=_("show the program's version and exit"))
    parser.add_argument("--demo", action="store_true",
                        help=_("run on the demo database (created and seeded when missing)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; whatever goes wrong ends in one sentence and an exit code."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(_("tradium-tui: interrupted."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last guard: never a traceback
        import peewee

        if isinstance(exc, peewee.DatabaseError | peewee.InterfaceError):
            print(f"tradium-tui: {database_lost(exc)}", file=sys.stderr)
            return 2
        log = write_error_log(exc)
        if log:
            text = _("tradium-tui: an unexpected error stopped the command ({name}); the details "
                     "are in {log}.").format(name=type(exc).__name__, log=log)
        else:
            text = _("tradium-tui: an unexpected error stopped the command ({name}).").format(
                name=type(exc).__name__)
        print(text, file=sys.stderr)
        return 2


def database_lost(exc: BaseException) -> str:
    from tradium_tui.services.text_safety import cut

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        _("The database stopped answering or refused the work ({reason}); what was not "
          "committed was not stored.").format(reason=cut(first, 120))
    )


def error_log_path():
    """The file unexpected errors are written to, in the user's state folder."""
    from pathlib import Path

    import platformdirs

    from tradium_tui.config import APP_NAME

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "errors.log"


def write_error_log(exc: BaseException):
    """Append the full traceback of ``exc`` to :func:`error_log_path`; the path, or
    ``None`` when it cannot be written either."""
    import datetime as dt
    import os
    import traceback

    path = error_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(exc))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"--- {stamp} tradium-tui {__version__} {' '.join(sys.argv[1:])[:500]}\n")
            log.write(text)
    except OSError:
        return None
    return path


def _main(argv: Sequence[str] | None = None) -> int:
    # The configured language, and numbers read and shown the way it writes them, in every
    # command and already in its help and usage errors (the user's own language follows
    # once they are known: Context.actor).  A broken config file is reported after the
    # arguments are read, in English.
    try:
        settings = get_settings()
    except ConfigError as exc:
        settings, settings_error = None, exc
    else:
        settings_error = None
        use_language(settings)
    parser = build_parser()
    args = parser.parse_args(argv)
    for option in ("db", "user"):
        if not hasattr(args, option):
            setattr(args, option, None)
    if settings is None:
        print(f"tradium-tui: {settings_error}", file=sys.stderr)
        return 2
    if getattr(args, "demo", False) and args.command is None:
        args.command = "demo-run"
        if args.db is None:
            args.db = demo_db_url()
    set_settings(settings)
    if settings.vat_online_checker:
        from tradium_tui.services.validation import load_online_vat_checker

        try:
            load_online_vat_checker(settings.vat_online_checker)
        except ValueError as exc:
            print(f"tradium-tui: {exc}", file=sys.stderr)
            return 2
    ctx = Context(settings=settings, args=args)
    missing = missing_sqlite_database(ctx)
    if missing:
        print(f"tradium-tui: {missing}", file=sys.stderr)
        return 2
    handler = getattr(args, "handler", None)
    if handler is None:
        from tradium_tui.cli.tui import run_tui

        handler = run_tui
    try:
        return int(handler(ctx) or 0)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(_("tradium-tui: error: {reason}").format(reason=exc), file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"tradium-tui: {exc}", file=sys.stderr)
        return 2
    except ServiceError as exc:
        print(f"tradium-tui: {shown(exc)}", file=sys.stderr)
        return 2
