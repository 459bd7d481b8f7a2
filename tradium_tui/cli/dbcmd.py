"""``tradium-tui db``: upgrade and show the schema version; copy, back up and restore."""

from __future__ import annotations

import argparse

from tradium_tui.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "db",
        parents=[common],
        help=_("database: init, upgrade, version, copy, backup, restore"),
        description=_("Show or upgrade the schema version of the database."),
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION",
                                    parser_class=type(parser))
    actions.required = True
    init = actions.add_parser(
        "init",
        parents=[common],
        help=_("create a new database (a SQLite file must not exist yet) with the current schema"),
        description=_("Create a new, empty database with the newest schema.  For SQLite the file is created (it must not exist); for PostgreSQL the database must exist and be empty."),
    )
    init.set_defaults(handler=run_init)
    upgrade = actions.add_parser(
        "upgrade",
        parents=[common],
        help=_("apply the migrations this program knows (creates the schema on an empty database)"),
        description=_("Bring the database schema to the newest version this program knows."),
    )
    upgrade.set_defaults(handler=run_upgrade)
    version = actions.add_parser(
        "version",
        parents=[common],
        help=_("show the schema version without changing anything"),
        description=_("Show the database's schema version and the newest this program knows."),
    )
    version.set_defaults(handler=run_version)

    copy = actions.add_parser(
        "copy", parents=[common], help=_("copy a whole database (SQLite and PostgreSQL, either way)"),
        description=_("Copy every table of FROM_URL into TO_URL at the current schema version, rebuild the search index and revenue tables, and verify row counts and checksums."),
    )
    copy.add_argument("from_url", metavar="FROM_URL")
    copy.add_argument("to_url", metavar="TO_URL")
    copy.add_argument("--replace", action="store_true", help=_("overwrite a target that has data"))
    copy.set_defaults(handler=run_copy)
    backup = actions.add_parser(
        "backup", parents=[common], help=_("back up the database into FILE"),
        description=_("SQLite: the online backup API; PostgreSQL: pg_dump, or a SQLite copy when pg_dump is not installed."),
    )
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(handler=run_backup)
    restore = actions.add_parser(
        "restore", parents=[common], help=_("restore a backup FILE into the database"),
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--replace", action="store_true", help=_("overwrite a database that has data"))
    restore.set_defaults(handler=run_restore)


def run_init(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.db import schema
    from tradium_tui.services.errors import ServiceError

    url = ctx.db_url
    where = dbmod.describe_url(url)
    file = dbmod.sqlite_file(url)
    if file is not None and file.exists():
        raise ServiceError(_("The database file {file} already exists; nothing was changed.").format(file=file))
    dbmod.connect(url)
    if schema.current_version() != 0:
        raise ServiceError(_("The database {where} already has a schema; nothing was changed.").format(where=where))
    _before, after = schema.ensure_schema()
    print(_("Created a new database with schema version {after} in {where}.").format(after=after, where=where))
    return 0


def run_upgrade(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.db import schema

    url = ctx.db_url
    dbmod.connect(url)
    before, after = schema.ensure_schema()
    where = dbmod.describe_url(url)
    if before == after:
        print(_("Schema version {after} of {where} is up to date.").format(after=after, where=where))
    elif before == 0:
        print(_("Created the schema (version 0 → {after}) in {where}.").format(after=after, where=where))
    else:
        print(_("Upgraded the schema of {where} from version {before} to {after}.").format(where=where, before=before, after=after))
    return 0


def run_version(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.db import schema

    url = ctx.db_url
    dbmod.connect(url)
    current = schema.current_version()
    newest = schema.latest_version()
    where = dbmod.describe_url(url)
    if current > newest:
        print(_("Schema version {current} of {where} is newer than this program knows ({newest}).").format(current=current, where=where, newest=newest))
        return 1
    if current == newest:
        print(_("Schema version {current} of {where} (up to date).").format(current=current, where=where))
    else:
        print(_("Schema version {current} of {where} (upgrade available to {newest}).").format(
            current=current, where=where, newest=newest))
    return 0


def _progress():
    import sys
    import time

    last = [0.0]

    def show(table: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.2 and done < total:
            return
        last[0] = now
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>9}/{total} rows  "
                         f"{table:<20}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _copy_failed(exc) -> int:
    import sys

    print(f"tradium-tui: {exc}", file=sys.stderr)
    return 2


def run_copy(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.services import dbcopy

    args = ctx.args
    try:
        result = dbcopy.copy_database(args.from_url, args.to_url, replace=args.replace,
                                      progress=_progress())
    except (dbcopy.CopyError, dbmod.DatabaseUnavailable) as exc:
        return _copy_failed(exc)
    print(_("Copied {rows} rows in {count} tables to {to_url} in {seconds:.1f} s; row counts and checksums match.").format(rows=result.rows, count=len(result.tables), to_url=dbmod.describe_url(args.to_url), seconds=result.seconds))
    return 0


def run_backup(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.services import dbcopy

    try:
        how = dbcopy.backup(ctx.db_url, ctx.args.file, progress=_progress())
    except (dbcopy.CopyError, dbmod.DatabaseUnavailable) as exc:
        return _copy_failed(exc)
    print(_("Backed up {db_url} to {file} ({how}).").format(db_url=dbmod.describe_url(ctx.db_url), file=ctx.args.file, how=_(how)))
    return 0


def run_restore(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.services import dbcopy

    try:
        how = dbcopy.restore(ctx.args.file, ctx.db_url, replace=ctx.args.replace,
                             progress=_progress())
    except (dbcopy.CopyError, dbmod.DatabaseUnavailable) as exc:
        return _copy_failed(exc)
    print(_("Restored {file} into {db_url} ({how}).").format(file=ctx.args.file, db_url=dbmod.describe_url(ctx.db_url), how=_(how)))
    return 0
