"""``tradium-tui demo``: fill a database with demo data."""

from __future__ import annotations

import argparse
import sys

import peewee

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _
from tradium_tui.services.errors import ServiceError


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number").format(text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more"))
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a whole number").format(text=text)) from None


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from tradium_tui.demo.database import DEFAULT_CUSTOMERS, DEFAULT_SEED

    parser = sub.add_parser(
        "demo",
        parents=[common],
        help=_("fill a database with realistic demo data"),
        description=(
            _("Fill a database with realistic, deterministic demo data: customers in the Netherlands, Belgium, Germany, France, Spain and a few countries outside the EU, with contacts, actions, quotes, orders, invoices, conditions, notes, groups and tags, and the users admin, manager and sales.  Without --db the demo database (the one 'tradium-tui --demo' opens) is used, never your own database.")
        ),
    )
    parser.add_argument("--customers", type=_count, default=DEFAULT_CUSTOMERS, metavar="N",
                        help=_("number of customers (default {DEFAULT_CUSTOMERS:,})").format(DEFAULT_CUSTOMERS=DEFAULT_CUSTOMERS))
    parser.add_argument("--seed", type=_seed, default=DEFAULT_SEED, metavar="S",
                        help=_("random seed: the same seed gives the same data (default {DEFAULT_SEED})").format(DEFAULT_SEED=DEFAULT_SEED))
    parser.add_argument("--append", action="store_true",
                        help=_("add demo customers even when the database already has customers"))
    parser.add_argument("--quiet", action="store_true", help=_("no progress on stderr"))
    parser.set_defaults(handler=run_demo)


def run_demo(ctx) -> int:
    from tradium_tui import db as dbmod
    from tradium_tui.config import demo_db_url
    from tradium_tui.db import schema
    from tradium_tui.demo.seed import require_seed_right, seed_demo
    from tradium_tui.models import Customer, User

    args = ctx.args
    url = args.db or demo_db_url()
    schema.init(url)
    existing = Customer.select().count()
    if existing and not args.append:
        raise ServiceError(
            _("The database {url} already has {existing:,} customers; use --append to add demo customers anyway, or choose another database with --db.").format(url=dbmod.describe_url(url), existing=existing)
        )
    # A database in use (it has users): only an admin may add demo data, audited as them.
    actor = None
    if User.select().exists():
        actor = ctx.actor()
        require_seed_right(actor)
    show = not args.quiet and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print("\r" + _("Seeding… {done}/{total} customers").format(
                done=fmt.number(done), total=fmt.number(total)), end="", file=sys.stderr, flush=True)

    try:
        report = seed_demo(customers=args.customers, seed=args.seed, progress=progress,
                           home_country=ctx.settings.home_country, actor=actor)
    except peewee.IntegrityError as exc:
        raise ServiceError(
            _("The demo data clashes with data already in {url} ({splitlines}); nothing was added.").format(url=dbmod.describe_url(url), splitlines=str(exc).splitlines()[0])
        ) from exc
    finally:
        if show:
            print(file=sys.stderr)
    print(_("{summary} Database: {url}").format(summary=report.summary(), url=dbmod.describe_url(url)))
    return 0
