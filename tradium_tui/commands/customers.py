"""``customers``: delete, list the deleted, and restore customers from the command line.

The same service functions as the main screen's ctrl+d / ctrl+z, so the same rules hold:
the base-data right is needed, and every change is in the audit trail.
"""

from __future__ import annotations

import argparse

from tradium_tui.services.text_safety import shown


def _number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a customer number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("a customer number is 1 or more")
    return value


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    customers = sub.add_parser("customers", help="delete, list deleted and restore customers",
                               parents=[common])
    actions = customers.add_subparsers(dest="customers_command", metavar="ACTION", required=True,
                                       parser_class=type(customers))

    p = actions.add_parser("deleted", help="list the deleted customers, most recent first",
                           parents=[common])
    p.add_argument("--limit", type=_number, default=500, metavar="N")
    p.set_defaults(handler=customers_deleted)

    p = actions.add_parser("restore", help="restore a deleted customer", parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.set_defaults(handler=customers_restore)

    p = actions.add_parser("delete", help="delete a customer (it can be restored)",
                           parents=[common])
    p.add_argument("number", type=_number, metavar="NUMBER")
    p.set_defaults(handler=customers_delete)


def customers_deleted(ctx) -> int:
    from tradium_tui import formatting
    from tradium_tui.commands.output import table
    from tradium_tui.services import customers

    ctx.open_db()
    actor = ctx.actor()
    rows = [
        [str(c.number), c.name, c.city, formatting.datetime_short(c.deleted_at), c.deleted_by]
        for c in customers.deleted_customers(actor, ctx.args.limit)
    ]
    if not rows:
        print("No deleted customers.")
        return 0
    print(table(rows, ["NUMBER", "NAME", "CITY", "DELETED", "BY"]))
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
    print(shown(f"Restored {restored.name} ({restored.number})."))
    return 0


def customers_delete(ctx) -> int:
    from tradium_tui.services import customers

    deleted = _change(ctx, customers.delete_customer)
    print(f"Deleted {shown(deleted.name)} ({deleted.number}); "
          f"'tradium-tui customers restore {deleted.number}' brings it back.")
    return 0
