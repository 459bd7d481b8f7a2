"""Quotes: a header with lines; totals in Decimal; a status with allowed transitions.

An accepted quote converts into an order (:func:`convert_quote_to_order`).  Lines are
replaced as a whole (:func:`set_quote_lines`): the totals are recomputed, the version of
the quote goes up and the audit trail shows the lines before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import QUOTE_STATUSES, Order, Quote, QuoteLine, User
from tradium_tui.services import numbering, pricing, records
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import QUOTE_LINE_FIELDS, clean_lines
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.forms import Form, customer_for_write
from tradium_tui.services.lined_documents import LinedDocument
from tradium_tui.services.money import as_money, compute_totals

TAB = "quotes"
NUMBER_PREFIX = "Q"
DEFAULT_VALIDITY_DAYS = 30
FIELDS = ("quote_date", "valid_until", "status", "reference", "remarks")
LABELS = {
    "quote_date": "Quote date",
    "valid_until": "Valid until",
    "status": "Status",
    "reference": "Reference",
    "remarks": "Remarks",
}
# Which status may follow which.  An accepted quote is final (it becomes an order).
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"sent", "accepted", "rejected", "expired"}),
    "sent": frozenset({"draft", "accepted", "rejected", "expired"}),
    "accepted": frozenset(),
    "rejected": frozenset({"draft"}),
    "expired": frozenset({"draft", "sent"}),
}
# Lines may change while the quote is still being negotiated.
EDITABLE_STATUSES = frozenset({"draft", "sent"})


def allowed_statuses(current: str) -> list[str]:
    """The statuses a quote in ``current`` may move to (for a select in the form)."""
    return [s for s in QUOTE_STATUSES if s in TRANSITIONS.get(current, frozenset())]


def _validate(values: dict[str, Any], stored: Quote | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    user_id = values.pop("user", None) if stored is None else None
    form = Form(values, stored, FIELDS, LABELS, "a quote")
    if stored is None:
        customer_for_write(customer_id)
        form.set("customer", customer_id)
        form.set("user", user_id)
    quote_date = form.date("quote_date", default=dt.date.today(), required=True)
    default_until = quote_date + dt.timedelta(days=DEFAULT_VALIDITY_DAYS) if quote_date else None
    valid_until = form.date("valid_until", default=default_until if stored is None else None)
    if quote_date and valid_until and valid_until < quote_date:
        form.error("valid_until", _("Valid until cannot be before the quote date."))
    status = form.choice("status", QUOTE_STATUSES, default="draft")
    if stored is None and status not in (None, "draft"):
        form.error("status", _("A new quote starts as draft."))
    elif stored is not None and status and status != stored.status:
        if status not in TRANSITIONS[stored.status]:
            options = ", ".join(allowed_statuses(stored.status)) or "none (it is final)"
            form.error(
                "status",
                _("A {status} quote cannot become {status2}; possible: {options}.").format(status=stored.status, status2=status, options=options),
            )
    form.text("reference", max_length=80)
    form.text("remarks")
    if stored is None and not form.errors:
        form.set("number", numbering.next_document_number("quote", NUMBER_PREFIX, quote_date.year))
    return form.finish()


def _validate_totals(values: dict[str, Any], stored: Quote | None) -> dict[str, Any]:
    """For :func:`set_quote_lines`: only the computed totals are written."""
    return {k: v for k, v in values.items() if k in ("total_excl", "total_vat", "total_incl")}


SPEC = records.RecordSpec(model=Quote, tab=TAB, label="quote", validate=_validate)
_TOTALS_SPEC = records.RecordSpec(model=Quote, tab=TAB, label="quote", validate=_validate_totals)
DOCUMENT = LinedDocument(
    tab=TAB, noun="quote", header=Quote, line=QuoteLine, link="quote", spec=SPEC,
    lines_spec=_TOTALS_SPEC, line_columns=QUOTE_LINE_FIELDS + ("position",),
)


@dataclass(frozen=True)
class QuoteRow:
    id: int
    version: int
    customer_id: int
    number: str
    quote_date: dt.date
    valid_until: dt.date | None
    status: str
    reference: str
    total_excl: Decimal
    total_vat: Decimal
    total_incl: Decimal
    username: str
    expired_by_date: bool  # still draft/sent after its validity date


# --------------------------------------------------------------------------- reading


def list_quotes(actor: Actor, customer_id: int, today: dt.date | None = None) -> list[QuoteRow]:
    """The customer's quotes, newest first."""
    actor.require(TAB, "view")
    day = today or dt.date.today()
    query = (
        Quote.select(
            Quote.id, Quote.version, Quote.number, Quote.quote_date, Quote.valid_until,
            Quote.status, Quote.reference, Quote.total_excl, Quote.total_vat, Quote.total_incl,
            User.username,
        )
        .join(User, peewee.JOIN.LEFT_OUTER, on=(Quote.user == User.id))
        .where(Quote.customer == customer_id)
        .order_by(Quote.quote_date.desc(), Quote.id.desc())
        .tuples()
    )
    return [
        QuoteRow(
            id=key, version=version, customer_id=customer_id, number=number,
            quote_date=quote_date, valid_until=valid_until, status=status, reference=reference,
            total_excl=as_money(excl), total_vat=as_money(vat), total_incl=as_money(incl),
            username=username or "",
            expired_by_date=(
                status in EDITABLE_STATUSES and valid_until is not None and valid_until < day
            ),
        )
        for (key, version, number, quote_date, valid_until, status, reference, excl, vat, incl,
             username) in query
    ]


def get_quote(actor: Actor, quote_id: int) -> Quote:
    return DOCUMENT.get(actor, quote_id)


def quote_lines(actor: Actor, quote_id: int) -> list[QuoteLine]:
    actor.require(TAB, "view")
    return _lines(quote_id)


def _lines(quote_id: int) -> list[QuoteLine]:
    return DOCUMENT.lines(quote_id)


# --------------------------------------------------------------------------- writing


def create_quote(
    actor: Actor,
    customer_id: int,
    values: dict[str, Any],
    lines: list[dict[str, Any]] | None = None,
) -> Quote:
    """A new draft quote numbered ``Q<year>-000001``; ``lines`` optional (see set_quote_lines)."""
    actor.require(TAB, "edit")
    cleaned_lines = clean_lines(pricing.price_lines(customer_id, lines)) if lines else []
    data = {k: v for k, v in values.items() if k not in ("user", "customer", "number")}
    data["customer"] = customer_id
    data["user"] = getattr(actor.user, "id", None)
    with write_transaction():
        quote = records.create(actor, SPEC, data)
        if cleaned_lines:
            quote = _replace_lines(actor, quote, cleaned_lines, quote.version)
    return quote


def update_quote(actor: Actor, quote_id: int, values: dict[str, Any], expected_version: int) -> Quote:
    """Change the header (dates, status, reference, remarks); the number stays."""
    actor.require(TAB, "edit")
    data = {k: v for k, v in values.items() if k not in ("user", "customer")}
    if "number" in data:
        raise ValidationError({"number": _("The quote number cannot be changed.")})
    return records.update(actor, SPEC, quote_id, data, expected_version)


def set_quote_status(actor: Actor, quote_id: int, status: str, expected_version: int) -> Quote:
    return records.update(actor, SPEC, quote_id, {"status": status}, expected_version)


def set_quote_lines(
    actor: Actor, quote_id: int, lines: list[dict[str, Any]], expected_version: int
) -> Quote:
    """Replace all lines (each a mapping of article, description, quantity, unit_price,
    discount_percent, vat_rate — text or typed) and recompute the totals.

    Errors are keyed ``lines.<index>.<field>``.  Only draft and sent quotes can change.
    """
    actor.require(TAB, "edit")
    quote = DOCUMENT.get_or_fail(quote_id)
    cleaned = clean_lines(pricing.price_lines(quote.customer_id, lines, quote.quote_date))
    with write_transaction():
        return _replace_lines(actor, DOCUMENT.get_or_fail(quote_id), cleaned, expected_version)


def _replace_lines(actor: Actor, quote: Quote, cleaned: list[dict[str, Any]], expected: int) -> Quote:
    if quote.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"lines": _("The lines of a {status} quote cannot be changed any more.").format(status=quote.status)}
        )
    return DOCUMENT.replace_lines(actor, quote, cleaned, expected, compute_totals(cleaned).as_fields())


def delete_quote(actor: Actor, quote_id: int, expected_version: int) -> None:
    """Delete the quote with its lines (the lines are kept in the audit trail)."""
    DOCUMENT.delete(actor, quote_id, expected_version)


def convert_quote_to_order(actor: Actor, quote_id: int, values: dict[str, Any] | None = None,
                           *, override_credit_limit: bool = False) -> Order:
    """Make an order of an accepted quote, copying its lines (needs edit on quotes and orders).

    A quote converts once; ``values`` may set order header fields (order_date, reference …).
    The order form's credit-limit rule applies: an order that takes the customer's open
    invoices + open orders + backorders over the credit limit raises
    :class:`~tradium_tui.services.orders.CreditLimitExceeded` (nothing is stored) unless
    ``override_credit_limit`` — allowed only to a role with the base-edit right, and written
    to the audit trail with the figures.
    """
    from tradium_tui.services import orders

    actor.require(TAB, "edit")
    actor.require(orders.TAB, "edit")
    with write_transaction():
        quote = DOCUMENT.get_or_fail(quote_id)
        if quote.status != "accepted":
            raise ValidationError(
                {"status": _("Only an accepted quote converts into an order; this one is {status}.").format(status=quote.status)}
            )
        existing = Order.select(Order.number).where(Order.quote == quote.id).scalar()
        if existing:
            raise ValidationError(
                {"status": _("The quote {number} was already converted into order {existing}.").format(number=quote.number, existing=existing)}
            )
        header = {"reference": quote.reference or quote.number, "remarks": quote.remarks}
        header.update(values or {})
        lines = [
            {name: getattr(line, name) for name in QUOTE_LINE_FIELDS} for line in _lines(quote.id)
        ]
        return orders.create_order(
            actor, quote.customer_id, header, lines, source="quote", quote_id=quote.id,
            override_credit_limit=override_credit_limit,
        )
