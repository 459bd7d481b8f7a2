"""What the customer header and the status bar show, read in a handful of queries.

:func:`load_customer_view` answers with one :class:`CustomerView`: one query for the
customer with its groups, account manager, this user's mark, the last change of its base
data and its ranking; one for the invoices that make the open balance and the advisory
credit; one for its tags; one for the custom field labels.

Definitions
-----------
* **Revenue** of a customer — invoiced revenue excluding VAT: the sum of
  ``Invoice.amount_excl`` over its invoices whose status is not ``cancelled`` (credit notes
  are negative invoices), rounded to cents, 0 without such invoices (:func:`revenue_filter`,
  :func:`revenue_sum`, :func:`customer_revenue_expr`).  This is the one definition: the
  analysis tab and the revenue graph use these helpers too.  The database keeps the
  all-time figure per customer in ``customer_revenue``, with per-bucket counts in
  ``revenue_bucket`` (triggers on every invoice and customer write, schema step 4), so a
  rank is a few hundred rows away instead of a count over every customer.
* **Ranking**: position by revenue among all not-deleted customers, highest first;
  equal revenue shares a position (1, 2, 2, 4); customers without invoices have revenue 0
  (:func:`revenue_rank`).
  ``rank_total`` is the number of not-deleted customers; a deleted customer has no rank.
* **Open balance**: the sum of ``amount_incl − paid_amount`` over invoices with status
  ``open`` or ``partly_paid`` (credit notes count negative); ``over_limit`` when it is
  above a credit limit that is set (a limit of 0 means "no limit").
* **Advisory credit** — see :func:`advisory_credit`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import peewee

from tradium_tui.config import get_settings
from tradium_tui.db import database
from tradium_tui.db.sql import REVENUE_EXCLUDED_STATUS
from tradium_tui.i18n import _, current_language
from tradium_tui.models import Customer, Invoice
from tradium_tui.services import countries, custom_fields, vat
from tradium_tui.services.errors import NotFound
from tradium_tui.services.money import CENT, ZERO_CENTS, as_money
from tradium_tui.services.text_safety import shown

OPEN_STATUSES = ("open", "partly_paid")
ADVISORY_WINDOW_DAYS = 365
ADVISORY_MONTHS = 2
ADVISORY_STEP = Decimal("10")
# Countries writing the house number before the street / the postcode after the city.
_NUMBER_FIRST = frozenset({"FR", "GB", "IE", "US", "CA", "AU", "NZ", "LU"})
_POSTCODE_LAST = frozenset({"GB", "IE", "US", "CA", "AU", "NZ"})


@dataclass(frozen=True)
class CustomerView:
    id: int
    number: int
    kind: str
    name: str
    title: str
    first_name: str
    last_name: str
    visit_lines: tuple[str, ...]
    postal_lines: tuple[str, ...]
    country: str
    country_name: str
    flag: str
    is_eu: bool
    opening_hours: str
    website: str
    email: str
    phone: str
    mobile: str
    fax: str
    coc_number: str
    vat_number: str
    vat_status: str
    vat_message: str
    vat_required: bool
    iban: str
    bic: str
    bank_name: str
    credit_limit: Decimal
    open_balance: Decimal
    over_limit: bool
    advisory_credit: Decimal | None
    mailing_code: int | None
    marked: bool
    region: str
    account_manager: str
    custom_fields: tuple[tuple[str, str], ...]
    customer_group: str
    group_discount: Decimal
    condition_group: str
    last_change: dt.datetime | None
    rank: int | None
    rank_total: int
    version: int
    deleted: bool
    language: str
    reference: str
    ledger_account: str
    tags: tuple[str, ...]
    # Figures left out for the role that loaded the view (see hide_for): names of fields.
    hidden: frozenset[str] = frozenset()


# What a tab hides, the header and status bar hide: the figures of a customer that come
# from the records of a tab, by tab.  A role whose level for the tab is "hidden" gets the
# view with these fields blanked (the value shown for "nothing") and named in ``hidden``,
# so the widgets leave their label out too.
TAB_FIGURES: dict[str, dict[str, object]] = {
    # The open balance, the over-limit mark and the advisory credit are sums of invoices;
    # the ranking is by invoiced revenue.
    "invoices": {"open_balance": None, "over_limit": False, "advisory_credit": None,
                 "rank": None},
    "analysis": {"rank": None},
    "conditions": {"condition_group": "", "group_discount": Decimal("0")},
    "history": {"last_change": None},
}


def hidden_figures(actor) -> dict[str, object]:
    """The header figures ``actor`` may not see, with the blank value of each."""
    blanks: dict[str, object] = {}
    for tab, figures in TAB_FIGURES.items():
        if not actor.can(tab, "view"):
            blanks.update(figures)
    return blanks


def hide_for(view: CustomerView, actor) -> CustomerView:
    """``view`` without the figures of the tabs ``actor``'s role cannot see."""
    blanks = hidden_figures(actor)
    if not blanks:
        return view
    return dataclasses.replace(view, hidden=frozenset(blanks), **blanks)


# --------------------------------------------------------------------------- revenue


def revenue_filter() -> peewee.Expression:
    """The invoices whose amounts count as revenue (every revenue figure uses this)."""
    return Invoice.status != REVENUE_EXCLUDED_STATUS


def revenue_sum() -> peewee.Node:
    """Revenue of a set of invoice rows, unrounded: SUM(amount excl. VAT), credit notes
    negative (NULL without rows).  Use with :func:`revenue_filter`."""
    return peewee.fn.SUM(Invoice.amount_excl).coerce(False)


def customer_revenue_expr() -> peewee.Node:
    """Revenue of a group of invoices: ROUND(COALESCE(SUM(amount_excl), 0), 2), to use
    with :func:`revenue_filter` and ``GROUP BY`` the customer (0 without invoices)."""
    return peewee.fn.ROUND(peewee.fn.COALESCE(revenue_sum(), 0), 2).coerce(False)


def revenue_by_customer() -> peewee.Select:
    """``(customer_id, revenue)`` of every not-deleted customer, computed live from the invoices.

    The ranking reads the same figures from the ``customer_revenue`` table instead
    (kept equal by triggers; a test checks they agree).  Slow at a million customers —
    for reports, not per keystroke.
    """
    return (
        Customer.select(Customer.id.alias("customer_id"), customer_revenue_expr().alias("revenue"))
        .join(
            Invoice, peewee.JOIN.LEFT_OUTER,
            on=(Invoice.customer == Customer.id) & revenue_filter(),
        )
        .where(Customer.deleted_at.is_null())
        .group_by(Customer.id)
    )


@dataclass(frozen=True)
class RevenueRank:
    position: int | None  # 1 = highest revenue; ties share a position; None when deleted
    of: int  # number of not-deleted customers
    revenue: Decimal  # all-time revenue (0 for a deleted customer)


# Customers with more revenue than row ``r`` of customer_revenue: every customer of the
# higher buckets, and those of r's bucket above it (see db.sql: the ranking).
_HIGHER_SQL = (
    "(SELECT COALESCE(SUM(b.customers), 0) FROM revenue_bucket b WHERE b.bucket > r.bucket) "
    "+ (SELECT COUNT(*) FROM customer_revenue x "
    "WHERE x.bucket = r.bucket AND x.revenue > r.revenue)"
)
_TOTAL_SQL = "(SELECT COALESCE(SUM(b.customers), 0) FROM revenue_bucket b)"


def revenue_rank(customer_id: int) -> RevenueRank:
    """The status-bar ranking of one customer by all-time revenue, read from the
    trigger-kept tables (the same figures :func:`load_customer_view` shows)."""
    p = database.param
    row = database.execute_sql(
        f"SELECT r.revenue, CASE WHEN r.customer_id IS NOT NULL THEN {_HIGHER_SQL} END, "
        f"{_TOTAL_SQL} FROM (SELECT {p} AS id) k "
        "LEFT JOIN customer_revenue r ON r.customer_id = k.id",
        (int(customer_id),),
    ).fetchone()
    revenue, higher, total = row
    return RevenueRank(
        position=int(higher) + 1 if higher is not None else None,
        of=int(total or 0),
        revenue=as_money(revenue),
    )


# --------------------------------------------------------------------------- helpers


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _datetime(value) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime.fromisoformat(str(value))


def _address_lines(
    street: str, house_number: str, postcode: str, city: str, country: str, home: str, locale: str
) -> tuple[str, ...]:
    street, house_number = (street or "").strip(), (house_number or "").strip()
    postcode, city = (postcode or "").strip(), (city or "").strip()
    country = (country or "").strip().upper()
    if country in _NUMBER_FIRST:
        first = f"{house_number} {street}"
    else:
        first = f"{street} {house_number}"
    if country in _POSTCODE_LAST:
        second = f"{city} {postcode}"
    else:
        second = f"{postcode} {city}"
    lines = [first.strip(), second.strip()]
    if country and country != home and (street or postcode or city):
        lines.append(countries.country_name(country, locale))
    return tuple(line for line in lines if line)


def _format_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _custom_fields(customer: Customer) -> tuple[tuple[str, str], ...]:
    shown = []
    for definition in custom_fields.active_definitions():
        value = getattr(customer, definition.column)
        if value is None or value == "":
            continue
        text = _format_decimal(Decimal(value)) if isinstance(value, Decimal | int | float) else str(value)
        shown.append((definition.label, text))
    return tuple(shown)


# --------------------------------------------------------------------------- advisory credit


@dataclass(frozen=True)
class InvoiceFacts:
    """What the advisory rule needs of an invoice."""

    invoice_date: dt.date
    due_date: dt.date
    amount_incl: Decimal
    paid_amount: Decimal
    paid_on: dt.date | None
    status: str


def advisory_credit(invoices: Iterable[InvoiceFacts], today: dt.date) -> Decimal | None:
    """An informative credit figure from the customer's payment history.

    Rule (over the invoices dated in the last ``ADVISORY_WINDOW_DAYS`` = 365 days up to
    ``today``, leaving out cancelled invoices and credit notes):

    1. *Volume*: the average invoiced amount per month incl. VAT — their total / 12.
    2. *Lateness* of each invoice whose due date has passed: a paid invoice is
       ``paid_on − due_date`` days late, an unpaid (open or partly paid) one
       ``today − due_date``; never below 0.  Paid invoices without a payment date
       and invoices not yet due do not count here.
    3. *Punctuality* = 1 − (share of those invoices that were late) / 2 − (their average
       days late) / 60, kept between 0 and 1.  Always on time → 1; all 30 days late → 0.
    4. Advice = volume × ``ADVISORY_MONTHS`` (2 months of purchases) × punctuality,
       rounded down to a multiple of 10.

    ``None`` when there is no invoice in the window (no history to judge by).
    """
    since = today - dt.timedelta(days=ADVISORY_WINDOW_DAYS)
    window = [
        inv for inv in invoices
        if since <= inv.invoice_date <= today and inv.status != "cancelled" and inv.amount_incl > 0
    ]
    if not window:
        return None
    monthly = sum((inv.amount_incl for inv in window), ZERO_CENTS) / 12
    late_days: list[int] = []
    for inv in window:
        if inv.due_date >= today and inv.status != "paid":
            continue  # not yet due
        if inv.status == "paid":
            if inv.paid_on is None:
                continue
            days = (inv.paid_on - inv.due_date).days
        else:
            days = (today - inv.due_date).days
        late_days.append(max(0, days))
    if late_days:
        late_share = Decimal(sum(1 for d in late_days if d > 0)) / len(late_days)
        average_late = Decimal(sum(late_days)) / len(late_days)
        punctuality = Decimal(1) - late_share / 2 - average_late / 60
        punctuality = min(Decimal(1), max(Decimal(0), punctuality))
    else:
        punctuality = Decimal(1)
    advice = monthly * ADVISORY_MONTHS * punctuality
    return ((advice / ADVISORY_STEP).to_integral_value(rounding=ROUND_DOWN) * ADVISORY_STEP).quantize(CENT)


# --------------------------------------------------------------------------- loading


_COLUMNS = [f.column_name for f in Customer._meta.sorted_fields]


def view_statements(
    customer_id: int, user_id: int | None, today: dt.date, param: str | None = None
) -> dict[str, tuple[str, tuple]]:
    """The statements :func:`load_customer_view` runs, as ``name → (sql, params)``.

    Public so the benchmark can time the same SQL without this module around it.  The
    custom field labels come from :func:`custom_fields.active_definitions` besides these.
    """
    p = param or database.param
    selected = ", ".join(f'c."{col}"' for col in _COLUMNS)
    customer = (
        f"SELECT {selected}, g.name, g.discount_percent, k.code, k.name, u.display_name, "
        f"u.username, "
        f"EXISTS (SELECT 1 FROM mark m WHERE m.user_id = {p} AND m.customer_id = c.id), "
        "(SELECT MAX(a.at) FROM audit_record a "
        "WHERE a.\"table\" = 'customer' AND a.record_id = c.id), "
        f"r.revenue, CASE WHEN r.customer_id IS NOT NULL THEN {_HIGHER_SQL} END, {_TOTAL_SQL} "
        "FROM customer c "
        "LEFT JOIN customer_group g ON g.id = c.customer_group_id "
        "LEFT JOIN condition_group k ON k.id = c.condition_group_id "
        'LEFT JOIN "user" u ON u.id = c.account_manager_id '
        "LEFT JOIN customer_revenue r ON r.customer_id = c.id "
        f"WHERE c.id = {p}"
    )
    invoices = (
        "SELECT invoice_date, due_date, amount_incl, paid_amount, paid_on, status "
        f"FROM invoice WHERE customer_id = {p} "
        f"AND (status IN ('open', 'partly_paid') OR invoice_date >= {p})"
    )
    tags = (
        "SELECT t.name FROM customer_tag ct JOIN tag t ON t.id = ct.tag_id "
        f"WHERE ct.customer_id = {p} ORDER BY t.name"
    )
    return {
        "customer": (customer, (user_id, customer_id)),
        "invoices": (invoices, (customer_id, today - dt.timedelta(days=ADVISORY_WINDOW_DAYS))),
        "tags": (tags, (customer_id,)),
    }


def _escaped(view: CustomerView) -> CustomerView:
    """Every text of the view made safe to draw (see text_safety.shown)."""
    import dataclasses

    changes = {}
    for item in dataclasses.fields(view):
        value = getattr(view, item.name)
        if isinstance(value, str):
            changes[item.name] = shown(value, multiline=True)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            changes[item.name] = tuple(shown(v, multiline=True) for v in value)
        elif isinstance(value, tuple) and all(
            isinstance(v, tuple) and all(isinstance(x, str) for x in v) for v in value
        ):
            changes[item.name] = tuple(tuple(shown(x, multiline=True) for x in v) for v in value)
    return dataclasses.replace(view, **changes)


def load_customer_view(
    customer_id: int, user_id: int | None, today: dt.date | None = None, actor=None
) -> CustomerView:
    """Everything the header and status bar show of one customer (deleted ones too).

    ``user_id`` decides ``marked`` (marks are per user).  With ``actor`` the figures of
    the tabs its role cannot see are left out (:func:`hide_for`).  Raises :class:`NotFound`.
    """
    try:
        key = int(customer_id)
    except (TypeError, ValueError):
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id)) from None
    day = today or dt.date.today()
    settings = get_settings()
    home = (settings.home_country or "NL").upper()
    # Country names in the language the user reads (not the formatting locale's).
    locale = current_language()

    statements = view_statements(key, user_id, day)
    row = database.execute_sql(*statements["customer"]).fetchone()
    if row is None:
        raise NotFound(_("There is no customer #{customer_id}.").format(customer_id=customer_id))
    fields = Customer._meta.sorted_fields
    values = {f.name: f.python_value(row[i]) for i, f in enumerate(fields)}
    # What the header shows is escaped: text stored before the rules cannot steer a terminal.
    values = {
        name: shown(value, multiline=name in ("remarks", "order_remarks"))
        if isinstance(value, str) else value
        for name, value in values.items()
    }
    customer = Customer(**values)
    (
        group_name, group_discount, condition_code, condition_name, manager_name, manager_login,
        marked, last_change, _revenue, higher, total,
    ) = row[len(_COLUMNS):]

    invoices = [
        InvoiceFacts(
            invoice_date=_date(inv_date), due_date=_date(due), amount_incl=as_money(amount),
            paid_amount=as_money(paid), paid_on=_date(paid_on), status=status,
        )
        for inv_date, due, amount, paid, paid_on, status in database.execute_sql(
            *statements["invoices"]
        )
    ]
    open_balance = sum(
        (inv.amount_incl - inv.paid_amount for inv in invoices if inv.status in OPEN_STATUSES), ZERO_CENTS
    )
    tags = tuple(
        name for (name,) in database.execute_sql(*statements["tags"])
    )

    deleted = customer.deleted_at is not None
    rank = int(higher) + 1 if higher is not None and not deleted else None
    country = (customer.visit_country or "").upper()
    credit_limit = as_money(customer.credit_limit)
    postal_country = customer.postal_country or customer.visit_country
    has_postal = any(
        (value or "").strip()
        for value in (customer.postal_street, customer.postal_postcode, customer.postal_city)
    )
    if condition_code and condition_name and condition_name != condition_code:
        condition_group = f"{condition_code} – {condition_name}"
    else:
        condition_group = condition_name or condition_code or ""
    view = _escaped(CustomerView(
        id=customer.id,
        number=int(customer.number),
        kind=customer.kind,
        name=customer.name,
        title=customer.title,
        first_name=customer.first_name,
        last_name=customer.last_name,
        visit_lines=_address_lines(
            customer.visit_street, customer.visit_house_number, customer.visit_postcode,
            customer.visit_city, country, home, locale,
        ),
        postal_lines=_address_lines(
            customer.postal_street, customer.postal_house_number, customer.postal_postcode,
            customer.postal_city, postal_country, home, locale,
        ) if has_postal else (),
        country=country,
        country_name=countries.country_name(country, locale) if country else "",
        flag=countries.flag_emoji(country),
        is_eu=vat.is_eu(country),
        opening_hours=customer.opening_hours,
        website=customer.website,
        email=customer.email,
        phone=customer.phone,
        mobile=customer.mobile,
        fax=customer.fax,
        coc_number=customer.coc_number,
        vat_number=customer.vat_number,
        vat_status=customer.vat_status,
        vat_message=customer.vat_message,
        vat_required=vat.vat_number_required(customer.kind, country, home),
        iban=customer.iban,
        bic=customer.bic,
        bank_name=customer.bank_name,
        credit_limit=credit_limit,
        open_balance=as_money(open_balance),
        over_limit=credit_limit > 0 and open_balance > credit_limit,
        advisory_credit=advisory_credit(invoices, day),
        mailing_code=customer.mailing_code,
        marked=bool(marked),
        region=customer.region,
        account_manager=(manager_name or manager_login or ""),
        custom_fields=_custom_fields(customer),
        customer_group=group_name or "",
        group_discount=as_money(group_discount),
        condition_group=condition_group,
        last_change=_datetime(last_change),
        rank=rank,
        rank_total=int(total or 0),
        version=int(customer.version),
        deleted=deleted,
        language=customer.language,
        reference=customer.reference or "",
        ledger_account=customer.ledger_account,
        tags=tags,
    ))
    return hide_for(view, actor) if actor is not None else view
