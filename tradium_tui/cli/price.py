"""``price``: what does this customer pay for an article (the same rule as every document line)."""

from __future__ import annotations

import argparse

from tradium_tui.cli.context import UsageError
from tradium_tui.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "price", parents=[common],
        help=_("the price, discount and VAT rate a customer gets for an article, with their sources"),
    )
    p.add_argument("number", metavar="NUMBER", help=_("customer number"))
    p.add_argument("article", metavar="ARTICLE", help=_("article code"))
    p.add_argument("--quantity", metavar="Q", default="1")
    p.add_argument("--date", metavar="YYYY-MM-DD", default=None)
    p.set_defaults(handler=price_command)


def price_command(ctx) -> int:
    from tradium_tui import formatting as fmt
    from tradium_tui.services import pricing
    from tradium_tui.services.values import FieldError, parse_date, parse_decimal

    args = ctx.args
    try:
        number = int(args.number)
    except ValueError:
        raise UsageError(_("'{number}' is not a customer number.").format(number=args.number)) from None
    try:
        quantity = parse_decimal(args.quantity, places=3, minimum=0)
    except FieldError as exc:
        raise UsageError(exc.for_field(_("The quantity"))) from None
    if not quantity:
        raise UsageError(_("The quantity must be more than 0."))
    try:
        day = parse_date(args.date, required=False)
    except FieldError as exc:
        raise UsageError(exc.for_field(_("The date"))) from None
    ctx.open_db()
    actor = ctx.actor()
    found = pricing.price_for_customer_number(actor, number, args.article, quantity, day)
    lines = [
        ("customer", f"{found.customer_name} ({number})"),
        ("article", f"{found.result.article} {found.result.description}"),
        ("quantity", fmt.number(quantity)),
        ("price", fmt.amount(found.result.unit_price, 4 if _fourth(found.result.unit_price) else 2)),
        ("price source", found.result.price_source),
        ("discount", fmt.percent(found.result.discount_percent)),
        ("discount source", found.result.discount_source),
        ("net price", fmt.amount(found.result.net_price, 4 if _fourth(found.result.net_price) else 2)),
        ("vat", fmt.percent(found.result.vat_rate)),
        ("vat source", found.result.vat_source),
    ]
    if found.note:
        lines.append(("vat note", found.note))
    for label, value in lines:
        print(f"{label}: {value}")
    return 0


def _fourth(value) -> bool:
    from decimal import Decimal

    return value != value.quantize(Decimal("0.01"))
