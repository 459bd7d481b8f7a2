"""``customers``: delete, list the deleted, restore, merge, GDPR export and anonymise.

The same service functions as the main screen's ctrl+d / ctrl+z, so the same rules hold:
the base-data right is needed, and every change is in the audit trail.
"""

from __future__ import annotations

import argparse

from tradium_tui.cli.context import UsageError
from tradium_tui.i18n import _, ngettext
from tradium_tui.services.text_safety import shown


def _number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a customer number").format(text=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("a customer number is 1 or more"))
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    customers = sub.add_parser("customers", help=_("delete, restore, merge, GDPR export and anonymise customers"),
                               parents=[common])
    actions = customers.add_subparsers(dest="customers_command", metavar="ACTION", required=True,
                                       parser_class=type(customers))

    p = actions.add_parser("deleted", help=_("list the deleted customers, most recent first"),
                           parents=[common])
    p.add_argument("--limit", type=_number, default=500, metavar="N")
    p.set_defaults(handler=customers_deleted)

    p = actions.add_parser("restore", help=_("restore a deleted customer"), parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.set_defaults(handler=customers_restore)

    p = actions.add_parser("delete", help=_("delete a customer (it can be restored)"),
                           parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.set_defaults(handler=customers_delete)

    p = actions.add_parser("merge", help=_("merge duplicates into the first customer"),
                           parents=[common],
                           description=_("Merge OTHER (one or more) into KEEP: everything moves to KEEP, empty fields of KEEP are filled from OTHER, OTHER's number stays findable."))
    p.add_argument("keep", type=_number, metavar="KEEP")
    p.add_argument("others", type=_number, nargs="+", metavar="OTHER")
    p.add_argument("--take", action="append", default=[], metavar="FIELD=NUMBER",
                   help=_("take FIELD from the customer with NUMBER (repeatable)"))
    p.add_argument("--dry-run", action="store_true", help=_("show what would happen, change nothing"))
    p.set_defaults(handler=customers_merge)

    p = actions.add_parser("unmerge", help=_("undo the last merge into a customer"), parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.set_defaults(handler=customers_unmerge)

    p = actions.add_parser("gdpr-export", help=_("everything held about a customer (JSON and text)"),
                           parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.add_argument("file", metavar="FILE", help=_("FILE.json is written, and FILE.txt beside it"))
    p.add_argument("--contact", type=_number, metavar="ID", help=_("only this contact person"))
    p.set_defaults(handler=customers_gdpr_export)

    p = actions.add_parser("anonymise", help=_("anonymise a consumer (or a contact) for good"),
                           parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER", nargs="?")
    p.add_argument("--contact", type=_number, metavar="ID", help=_("only this contact person"))
    p.add_argument("--inactive-since", metavar="DATE",
                   help=_("every consumer without activity since DATE (YYYY-MM-DD)"))
    p.add_argument("--dry-run", action="store_true", help=_("list, change nothing"))
    p.add_argument("--yes", action="store_true", help=_("do not ask (notes and action texts are cleared)"))
    p.set_defaults(handler=customers_anonymise)


def customers_deleted(ctx) -> int:
    from tradium_tui import formatting
    from tradium_tui.cli.output import table
    from tradium_tui.services import customers

    ctx.open_db()
    actor = ctx.actor()
    rows = [
        [str(c.number), c.name, c.city, formatting.datetime_short(c.deleted_at), c.deleted_by]
        for c in customers.deleted_customers(actor, ctx.args.limit)
    ]
    if not rows:
        print(_("No deleted customers."))
        return 0
    # TRANSLATORS: the column headings of 'customers deleted', in capitals.
    print(table(rows, [_("NUMBER"), _("NAME"), _("CITY"), _("DELETED"), _("BY")]))
    return 0


def _change(ctx, change):
    """``change(actor, id, version)`` on the customer whose number was given."""
    from tradium_tui.services import customers

    ctx.open_db()
    actor = ctx.actor()
    found = customers.customer_by_number(ctx.args.number)
    return change(actor, found.id, found.version)


def customers_restore(ctx) -> int:
    from tradium_tui.services import customers

    restored = _change(ctx, customers.restore_customer)
    print(shown(_("Restored {name} ({number}).").format(name=restored.name, number=restored.number)))
    return 0


def customers_delete(ctx) -> int:
    from tradium_tui.services import customers

    deleted = _change(ctx, customers.delete_customer)
    print(_("Deleted {name} ({number}); 'tradium-tui customers restore {number}' brings it back.").format(name=shown(deleted.name), number=deleted.number))
    return 0


def customers_merge(ctx) -> int:
    from tradium_tui.cli.output import table
    from tradium_tui.services import customers, merge

    ctx.open_db()
    actor = ctx.actor()
    keep = customers.customer_by_number(ctx.args.keep)
    others = [customers.customer_by_number(n) for n in ctx.args.others]
    numbers = [keep.number] + [o.number for o in others]
    choices: dict[str, int] = {}
    for item in ctx.args.take:
        name, _sep, number = item.partition("=")
        if not number.strip().isdigit() or int(number) not in numbers:
            raise UsageError(_("--take {item}: give FIELD=NUMBER with one of {numbers}").format(item=item, numbers=numbers))
        choices[name.strip()] = numbers.index(int(number))
    result = merge.merge_customers(actor, keep.id, [o.id for o in others], choices,
                                   dry_run=ctx.args.dry_run)
    if ctx.args.dry_run:
        rows = [[f.label, *f.texts, "*" if f.differs else "", str(numbers[f.chosen])]
                for f in result.plan.fields if any(f.texts)]
        print(table(rows, [_("FIELD"), *[str(n) for n in numbers], _("DIFF"), _("KEEPS")]))
    print(result.summary())
    if not ctx.args.dry_run:
        print(_("'tradium-tui customers unmerge {number}' undoes it.").format(number=keep.number))
    return 0


def customers_unmerge(ctx) -> int:
    from tradium_tui.services import customers, merge
    from tradium_tui.services.errors import ServiceError

    ctx.open_db()
    actor = ctx.actor()
    keep = customers.customer_by_number(ctx.args.number)
    last = merge.last_merge(keep.id)
    if last is None:
        raise ServiceError(_("Nothing was merged into {name} ({number}).").format(name=keep.name, number=keep.number))
    merge.undo_merge(actor, last.id)
    print(_("Undid the merge of {names} into {name} ({number}); all are as they were.").format(
        names=last.names, name=keep.name, number=keep.number))
    return 0


def customers_gdpr_export(ctx) -> int:
    from tradium_tui.services import customers, gdpr
    from tradium_tui.services.transfer import paths

    paths.check_export(ctx.settings, ctx.args.file)  # the rules of every export
    ctx.open_db()
    actor = ctx.actor()
    found = customers.customer_by_number(ctx.args.number)
    written = gdpr.export_person(actor, found.id, ctx.args.file, contact_id=ctx.args.contact)
    print("Wrote " + " and ".join(str(p) for p in written) + ".")
    return 0


def customers_anonymise(ctx) -> int:
    import datetime as dt

    from tradium_tui.services import customers, gdpr

    args = ctx.args
    if (args.number is None) == (args.inactive_since is None):
        raise UsageError(_("give a customer NUMBER or --inactive-since DATE"))
    ctx.open_db()
    actor = ctx.actor()
    if args.inactive_since is not None:
        try:
            since = dt.date.fromisoformat(args.inactive_since)
        except ValueError:
            raise UsageError(_("'{inactive_since}' is not a date (YYYY-MM-DD)").format(inactive_since=args.inactive_since)) from None
        found = gdpr.inactive_consumers(since)
        for c in found:
            print(_("{number}  {name}  last activity {value}").format(number=c.number, name=c.name, value=c.last_activity or _('never')))
        if not found:
            print(_("No consumers without activity since {isoformat}.").format(isoformat=since.isoformat()))
            return 0
        if args.dry_run:
            print(_("{count} consumers would be anonymised (dry run, nothing changed).").format(count=len(found)))
            return 0
        if not args.yes and not _confirm(ngettext(
                "Anonymise this consumer for good?", "Anonymise these {count} consumers for good?",
                len(found)).format(count=len(found))):
            print(_("Nothing changed."))
            return 1
        for c in found:
            print(gdpr.anonymise_customer(actor, c.id).summary())
        return 0
    found = customers.customer_by_number(args.number)
    if args.dry_run:
        print(gdpr.anonymise_preview(found.id, contact_id=args.contact))
        return 0
    if not args.yes and not _confirm(
        _("Anonymise {name} ({number}) for good, clearing its notes and action texts?").format(
            name=found.name, number=found.number)
    ):
        print(_("Nothing changed."))
        return 1
    if args.contact is not None:
        print(gdpr.anonymise_contact(actor, args.contact, customer_id=found.id).summary())
    else:
        print(gdpr.anonymise_customer(actor, found.id).summary())
    return 0


def _confirm(question: str) -> bool:
    import sys

    if not sys.stdin.isatty():
        raise UsageError(_("{question} Add --yes to confirm when not asked on a terminal").format(
            question=question))
    # TRANSLATORS: the answer letters the question offers; y, yes, j, ja, o, oui, s, sí count as yes.
    answer = input(_("{question} [y/N] ").format(question=question))
    return answer.strip().lower() in ("y", "yes", "j", "ja", "o", "oui", "s", "si", "sí")
