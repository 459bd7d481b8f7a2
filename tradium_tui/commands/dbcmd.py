"""``tradium-tui db upgrade`` and ``tradium-tui db version``: the schema version."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "db",
        parents=[common],
        help="database schema: init, upgrade, version",
        description="Show or upgrade the schema version of the database.",
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION",
                                    parser_class=type(parser))
    actions.required = True
    init = actions.add_parser(
        "init",
        parents=[common],
        help="create a new database (a SQLite file must not exist yet) with the current schema",
        description="Create a new, empty database with the newest schema.  For SQLite the "
                    "file is created (it must not exist); for PostgreSQL the database must "
                    "exist and be empty.",
    )
    init.set_defaults(handler=run_init)
    upgrade = actions.add_parser(
        "upgrade",
        parents=[common],
        help="apply the migrations this program knows (creates the schema on an empty database)",
        description="Bring the database schema to the newest version this program knows.",
    )
    upgrade.set_defaults(handler=run_upgrade)
    version = actions.add_parser(
        "version",
        parents=[common],
        help="show the schema version without changing anything",
        description="Show the database's schema version and the newest this program knows.",
    )
    version.set_defaults(handler=run_version)


def run_init(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.services.errors import ServiceError

    url = ctx.db_url
    where = dbmod.describe_url(url)
    file = dbmod.sqlite_file(url)
    if file is not None and file.exists():
        raise ServiceError(f"The database file {file} already exists; nothing was changed.")
    dbmod.connect(url)
    if dbmod.current_version() != 0:
        raise ServiceError(f"The database {where} already has a schema; nothing was changed.")
    _, after = dbmod.ensure_schema()
    print(f"Created a new database with schema version {after} in {where}.")
    return 0


def run_upgrade(ctx) -> int:
    from tradium_tui import db as dbmod

    url = ctx.db_url
    dbmod.connect(url)
    before, after = dbmod.ensure_schema()
    where = dbmod.describe_url(url)
    if before == after:
        print(f"Schema version {after} of {where} is up to date.")
    elif before == 0:
        print(f"Created the schema (version 0 → {after}) in {where}.")
    else:
        print(f"Upgraded the schema of {where} from version {before} to {after}.")
    return 0


def run_version(ctx) -> int:
    from tradium_tui import db as dbmod

    url = ctx.db_url
    dbmod.connect(url)
    current = dbmod.current_version()
    newest = dbmod.latest_version()
    where = dbmod.describe_url(url)
    if current > newest:
        print(f"Schema version {current} of {where} is newer than this program knows ({newest}).")
        return 1
    state = "up to date" if current == newest else f"upgrade available to {newest}"
    print(f"Schema version {current} of {where} ({state}).")
    return 0
