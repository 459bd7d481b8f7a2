"""Price determination: the one place that decides a line's price, discount and VAT rate.

Most specific first (the first that applies wins):

1. the customer's net price for the article (a ``price`` condition; no further discount);
2. the customer's discount for the article (a ``discount`` condition on the article);
3. the customer's discount for the article group (a ``discount`` condition on the group);
4. the customer's own discount;
5. the customer group's automatic discount;
6. the customer's price list (the price the discounts 2–5 apply to);
7. the article's sales price (when the price list has no price for it).

Conditions and price-list prices count only within their validity dates and from their
minimum quantity; of several that apply, the one with the highest minimum quantity, then
the latest start, wins.  Every result says where its price and its discount came from.

:class:`PriceContext` loads a customer's conditions, price list and group once, so a whole
order is priced with a handful of queries (:func:`price_lines`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _
from tradium_tui.models import (
    Article,
    Condition,
    Customer,
    CustomerGroup,
    PriceList,
    PriceListItem,
)
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.errors import NotFound, ServiceError
from tradium_tui.services.money import HUNDRED, ZERO
from tradium_tui.services.values import FieldError, parse_decimal

PRICE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class PriceResult:
    article: str
    description: str
    unit: str
    article_group: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    vat_class: str
    vat_rate: Decimal
    cost_price: Decimal
    # What the three source texts say, as parts; written out only when read (saving a
    # document needs the figures, a screen or the price command the words).
    why: tuple[tuple, tuple, tuple] = field(repr=False, compare=False, default=((), (), ()))

    @property
    def price_source(self) -> str:
        return _explain(self.why[0])

    @property
    def discount_source(self) -> str:
        return _explain(self.why[1])

    @property
    def vat_source(self) -> str:
        return _explain(self.why[2])

    @property
    def net_price(self) -> Decimal:
        """The unit price after the discount (4 decimals, half up)."""
        factor = (HUNDRED - self.discount_percent) / HUNDRED
        return (self.unit_price * factor).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)

    @property
    def source(self) -> str:
        """Price and discount source as one short text for a line."""
        if self.discount_percent:
            return f"{self.price_source}; {self.discount_source}"
        return self.price_source


def _day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _until(row: Any) -> str:
    if not row.valid_until:
        return ""
    return " " + _("until {date}").format(date=_day(row.valid_until))


VAT_CLASS_NAMES = {"standard": N_("standard"), "reduced": N_("reduced"), "zero": N_("zero")}


def _explain(why: tuple) -> str:
    """A source text from its parts (see :meth:`PriceContext.price`), in the interface
    language (English for the command line's contract words, which are labels)."""
    if not why:
        return ""
    kind, *args = why
    if kind == "net":
        code, price, row = args
        return _("condition: net price {article} {price}{until}").format(
            article=code, price=fmt.money(price), until=_until(row))
    if kind == "list":
        return _("price list {name}").format(name=args[0])
    if kind == "article":
        code, row = args
        return _("condition: {article} {percent}{until}").format(
            article=code, percent=fmt.percent(row.discount_percent), until=_until(row))
    if kind == "group":
        group, row = args
        return _("condition: group {group} {percent}{until}").format(
            group=group, percent=fmt.percent(row.discount_percent), until=_until(row))
    if kind == "own":
        return _("customer discount {percent}").format(percent=fmt.percent(args[0]))
    if kind == "customer_group":
        name, value = args
        return _("group {name} {percent}").format(name=name, percent=fmt.percent(value))
    if kind == "vat":
        regime, vat_class, rate = args
        if regime == "intra_eu":
            return _("reverse-charged, intra-Community supply")
        if regime == "export":
            return _("export outside the EU")
        if regime == "not_charged":
            return _("customer is not charged VAT")
        name = _(VAT_CLASS_NAMES[vat_class]) if vat_class in VAT_CLASS_NAMES else vat_class
        if regime == "eu_no_vat_number":
            return _("{vat_class} rate {percent} (no valid VAT number: no reverse charge)").format(
                vat_class=name, percent=fmt.percent(rate))
        return _("{vat_class} rate {percent}").format(vat_class=name, percent=fmt.percent(rate))
    return _(str(kind))  # a fixed text: "sales price", "no discount" …


def _searchable(code: str) -> bool:
    """Whether ``code`` could be an article code at all (no NUL, not too long)."""
    text = code.strip()
    return bool(text) and len(text) <= 40 and "\x00" not in text and text.isprintable()


def _valid(row: Any, day: dt.date, quantity: Decimal) -> bool:
    if row.valid_from is not None and row.valid_from > day:
        return False
    if row.valid_until is not None and row.valid_until < day:
        return False
    minimum = getattr(row, "min_quantity", None)
    return minimum is None or Decimal(minimum) <= quantity


def _best(rows: Iterable[Any], day: dt.date, quantity: Decimal) -> Any | None:
    """Of the rows that apply, the one with the highest minimum quantity, then latest start."""
    best, best_key = None, None
    for row in rows:
        if not _valid(row, day, quantity):
            continue
        key = (Decimal(row.min_quantity or 0), row.valid_from or dt.date.min, row.id)
        if best_key is None or key > best_key:
            best, best_key = row, key
    return best


# The rows pricing reads, as plain tuples.  The queries are built with peewee but their
# rows are read straight from the cursor and converted here (Decimal from the text of the
# number, as peewee does; dates from ISO text on SQLite): peewee's row machinery cost more
# than the queries themselves for an order of 200 lines.
class Rule(NamedTuple):
    """A condition or a price-list price: what it gives, from which quantity, when."""

    id: int
    kind: str  # price | discount | list
    article: str
    article_group: str
    price: Decimal | None
    discount_percent: Decimal | None
    min_quantity: Decimal | None
    valid_from: dt.date | None
    valid_until: dt.date | None


class ArticleRow(NamedTuple):
    id: int
    code: str
    description: str
    unit: str
    article_group: str
    sales_price: Decimal
    cost_price: Decimal
    vat_class: str
    active: bool


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _rows(query: Any) -> list[tuple]:
    sql, params = query.sql()
    return query.model._meta.database.execute_sql(sql, params).fetchall()


def _rule(kind: str, ident: int, article: str, group: str, price: Any, discount: Any,
          minimum: Any, start: Any, until: Any) -> Rule:
    return Rule(ident, kind, article or "", group or "", _dec(price), _dec(discount),
                _dec(minimum), _date(start), _date(until))


class PriceContext:
    """What pricing needs of one customer on one day, loaded once."""

    def __init__(self, customer: Customer | int, on: dt.date | None = None):
        if not isinstance(customer, Customer):
            found = Customer.get_or_none(Customer.id == int(customer))
            if found is None:
                raise NotFound(_("The customer #{customer} does not exist.").format(customer=customer))
            customer = found
        self.customer = customer
        self.day = on or dt.date.today()
        self.treatment = vat_rules.treatment(customer)
        group_id = customer.__data__.get("customer_group")
        group = CustomerGroup.get_or_none(CustomerGroup.id == group_id) if group_id else None
        self.group_name = group.name if group else ""
        self.group_discount = Decimal(group.discount_percent or 0) if group else ZERO
        self.own_discount = Decimal(customer.discount_percent or 0)
        self.net_prices: dict[str, list[Any]] = {}
        self.article_discounts: dict[str, list[Any]] = {}
        self.group_discounts: dict[str, list[Any]] = {}
        day = self.day
        query = Condition.select(
            Condition.id, Condition.kind, Condition.article, Condition.article_group,
            Condition.price, Condition.discount_percent, Condition.min_quantity,
            Condition.valid_from, Condition.valid_until,
        ).where(
            (Condition.customer == customer.id)
            & Condition.kind.in_(("price", "discount"))
            & (Condition.valid_from.is_null() | (Condition.valid_from <= day))
            & (Condition.valid_until.is_null() | (Condition.valid_until >= day))
        )
        for ident, kind, code, group, price, discount, minimum, start, until in _rows(query):
            cond = _rule(kind, ident, code, group, price, discount, minimum, start, until)
            if cond.kind == "price" and cond.article and cond.price is not None:
                self.net_prices.setdefault(cond.article.upper(), []).append(cond)
            elif cond.kind == "discount" and cond.discount_percent is not None:
                if cond.article:
                    self.article_discounts.setdefault(cond.article.upper(), []).append(cond)
                elif cond.article_group:
                    self.group_discounts.setdefault(cond.article_group.upper(), []).append(cond)
        self.price_list: PriceList | None = None
        self.list_prices: dict[int, list[Any]] = {}
        list_id = customer.__data__.get("price_list")
        if list_id is not None:
            self.price_list = PriceList.get_or_none(PriceList.id == list_id)
        self.articles: dict[str, Any] = {}  # code (upper case) → the article's row

    # ------------------------------------------------------------------ loading

    def load_articles(self, codes: Iterable[str]) -> None:
        """Read the articles (and their price-list prices) of ``codes`` in one go."""
        wanted = {
            c.strip().upper() for c in codes if isinstance(c, str) and _searchable(c)
        } - set(self.articles)
        if not wanted:
            return
        found = self._read_articles(Article.code.in_(sorted(wanted)))
        if len(found) < len(wanted):  # codes typed in another case
            from peewee import fn

            missing = wanted - {a.code.upper() for a in found}
            found += self._read_articles(fn.UPPER(Article.code).in_(sorted(missing)))
        for article in found:
            self.articles[article.code.upper()] = article

    def _read_articles(self, condition: Any) -> list[ArticleRow]:
        """The articles that meet ``condition`` with their prices on the customer's price
        list (one query: the list's prices joined to the articles)."""
        from peewee import JOIN

        columns = [Article.id, Article.code, Article.description, Article.unit,
                   Article.article_group, Article.sales_price, Article.cost_price,
                   Article.vat_class, Article.active]
        query = Article.select(*columns).where(condition)
        if self.price_list is not None:
            day = self.day
            query = Article.select(
                *columns, PriceListItem.id, PriceListItem.price, PriceListItem.min_quantity,
                PriceListItem.valid_from, PriceListItem.valid_until,
            ).join(PriceListItem, JOIN.LEFT_OUTER, on=(
                (PriceListItem.article == Article.id)
                & (PriceListItem.price_list == self.price_list.id)
                & (PriceListItem.valid_from.is_null() | (PriceListItem.valid_from <= day))
                & (PriceListItem.valid_until.is_null() | (PriceListItem.valid_until >= day))
            )).where(condition)
        out: dict[int, ArticleRow] = {}
        for row in _rows(query):
            ident = row[0]
            if ident not in out:
                out[ident] = ArticleRow(ident, row[1], row[2] or "", row[3] or "", row[4] or "",
                                        _dec(row[5]) or ZERO, _dec(row[6]) or ZERO,
                                        row[7] or "standard", bool(row[8]))
            if len(row) > 9 and row[9] is not None:
                self.list_prices.setdefault(ident, []).append(
                    _rule("list", row[9], "", "", row[10], None, row[11], row[12], row[13]))
        return list(out.values())

    def article(self, code: str) -> Any | None:
        """The article row (a named tuple with the article's fields) of ``code``."""
        key = (code or "").strip().upper() if isinstance(code, str) else ""
        if not _searchable(key):
            return None  # no article code looks like this (text still to be validated)
        if key not in self.articles:
            self.load_articles([key])
        return self.articles.get(key)

    # ------------------------------------------------------------------ the rule

    def price(self, code: str, quantity: Decimal | int | str = 1) -> PriceResult:
        """Price, discount and VAT of ``quantity`` × article ``code``; NotFound when unknown."""
        article = self.article(code)
        if article is None:
            raise NotFound(_("There is no article '{text}'.").format(text=(code or '').strip()[:40]))
        qty = Decimal(str(quantity))
        day = self.day
        key = article.code.upper()
        vat_class = article.vat_class or "standard"
        rate = self.treatment.rate(vat_class)
        vat_why = ("vat", self.treatment.regime, vat_class, rate)

        def result(price: Decimal, price_why: tuple, discount: Decimal, discount_why: tuple):
            return PriceResult(
                article=article.code, description=article.description, unit=article.unit,
                article_group=article.article_group, quantity=qty,
                unit_price=Decimal(price), discount_percent=Decimal(discount),
                vat_class=vat_class, vat_rate=rate,
                cost_price=Decimal(article.cost_price or 0),
                why=(price_why, discount_why, vat_why),
            )

        net = _best(self.net_prices.get(key, ()), day, qty)
        if net is not None:
            return result(net.price, ("net", article.code, net.price, net), ZERO,
                          (N_("net price, no discount"),))

        listed = _best(self.list_prices.get(article.id, ()), day, qty)
        if listed is not None:
            price, price_why = Decimal(listed.price), ("list", self.price_list.name)
        else:
            price, price_why = Decimal(article.sales_price or 0), (N_("sales price"),)

        cond = _best(self.article_discounts.get(key, ()), day, qty)
        if cond is not None:
            return result(price, price_why, cond.discount_percent, ("article", article.code, cond))
        group = (article.article_group or "").upper()
        cond = _best(self.group_discounts.get(group, ()), day, qty) if group else None
        if cond is not None:
            return result(price, price_why, cond.discount_percent,
                          ("group", article.article_group, cond))
        if self.own_discount:
            return result(price, price_why, self.own_discount, ("own", self.own_discount))
        if self.group_discount:
            return result(price, price_why, self.group_discount,
                          ("customer_group", self.group_name, self.group_discount))
        return result(price, price_why, ZERO, (N_("no discount"),))

    def free_line_rate(self) -> Decimal:
        """The VAT rate of a line without an article (the standard class)."""
        return self.treatment.rate("standard")


def price_for(customer: Customer | int, code: str, quantity: Any = 1,
              on: dt.date | None = None) -> PriceResult:
    return PriceContext(customer, on).price(code, quantity)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def price_lines(customer: Customer | int, lines: Iterable[Mapping[str, Any]],
                on: dt.date | None = None, *, with_cost: bool = False) -> list[dict[str, Any]]:
    """The lines with what was left blank filled in by the rule: for a line with a known
    article code a blank description, unit price (with its discount), cost price
    (``with_cost``) and VAT rate; for any line a blank VAT rate (the customer's rate).
    What was typed is kept: an override stays an override.  Unknown codes stay as typed."""
    rows = [dict(line) for line in lines]
    context = PriceContext(customer, on)
    context.load_articles(str(r.get("article") or "") for r in rows)
    for row in rows:
        code = str(row.get("article") or "").strip()
        article = context.article(code) if code else None
        if article is None:
            if _blank(row.get("vat_rate")) and not all(_blank(v) for v in row.values()):
                row["vat_rate"] = context.free_line_rate()
            continue
        try:
            quantity = _quantity(row.get("quantity"))
        except (ArithmeticError, ValueError):
            quantity = Decimal(1)
        found = context.price(code, quantity)
        if _blank(row.get("description")):
            row["description"] = found.description
        if _blank(row.get("unit_price")):
            row["unit_price"] = found.unit_price
            if _blank(row.get("discount_percent")):
                row["discount_percent"] = found.discount_percent
        if with_cost and _blank(row.get("cost_price")):
            row["cost_price"] = found.cost_price
        if _blank(row.get("vat_rate")):
            row["vat_rate"] = found.vat_rate
    return rows


def _quantity(value: Any) -> Decimal:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 12:
        return Decimal(value) or Decimal(1)  # the common case, "12", without the parser
    try:
        parsed = parse_decimal(value, places=3, default=Decimal(1))
    except FieldError:
        return Decimal(1)
    return parsed if parsed and parsed > 0 else Decimal(1)


@dataclass(frozen=True)
class CustomerPrice:
    customer_name: str
    result: PriceResult
    note: str  # the VAT note of the customer's documents


def price_for_customer_number(actor: Any, number: int, code: str, quantity: Any = 1,
                              on: dt.date | None = None) -> CustomerPrice:
    """For the ``price`` command: the rule for customer ``number``; NotFound when the
    customer (or a deleted one) or the article is unknown."""
    actor.require("quotes", "view")
    customer = Customer.get_or_none(
        (Customer.number == number) & Customer.deleted_at.is_null()
    ) if 0 < number < 2**63 else None
    if customer is None:
        raise NotFound(_("There is no customer with number {number}.").format(number=number))
    context = PriceContext(customer, on)
    return CustomerPrice(customer.name, context.price(code, quantity), context.treatment.text)


# --------------------------------------------------------------------------- price lists


@dataclass(frozen=True)
class PriceListRow:
    id: int
    version: int
    name: str
    customer_count: int  # every customer that refers to it, deleted ones included


def list_price_lists() -> list[PriceListRow]:
    """The price lists by name, with how many customers refer to each."""
    from peewee import fn

    counts = dict(
        Customer.select(Customer.price_list, fn.COUNT(Customer.id))
        .where(Customer.price_list.is_null(False))
        .group_by(Customer.price_list)
        .tuples()
    )
    return [PriceListRow(p.id, p.version, p.name, counts.get(p.id, 0))
            for p in PriceList.select().order_by(PriceList.name)]


def resolve_price_list(raw: Any) -> int | None:
    """The price list a form or a file names, by id or name (FieldError when there is none)."""
    from tradium_tui.services.forms import reference_id

    return reference_id(raw, PriceList, "price list", lambda name: PriceList.name == name)


def price_list_name(list_id: int | None) -> str:
    """The name of price list ``list_id`` ("" for none; ``#id`` for one that is gone)."""
    if list_id is None:
        return ""
    name = PriceList.select(PriceList.name).where(PriceList.id == list_id).scalar()
    return name if name is not None else f"#{list_id}"


class PriceListInUse(ServiceError):
    """Customers still refer to the price list; ``count`` says how many."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count


def _in_use(price_list: PriceList) -> PriceListInUse | None:
    total = Customer.select().where(Customer.price_list == price_list.id).count()
    if not total:
        return None
    deleted = Customer.select().where(
        (Customer.price_list == price_list.id) & Customer.deleted_at.is_null(False)).count()
    numbers = [n for (n,) in Customer.select(Customer.number)
               .where(Customer.price_list == price_list.id)
               .order_by(Customer.number).limit(5).tuples()]
    shown = ", ".join(str(n) for n in numbers) + (", …" if total > len(numbers) else "")
    noun = "customer" if total == 1 else "customers"
    extra = f", {deleted} of them deleted" if deleted else ""
    return PriceListInUse(
        f"The price list '{price_list.name}' is still the price list of {total} {noun} "
        f"({shown}{extra}); give {'it' if total == 1 else 'them'} another price list or none "
        "first, then delete it.",
        total,
    )


def delete_price_list(actor: Any, list_id: int, expected_version: int) -> None:
    """Delete a price list and its prices; refused (:class:`PriceListInUse`) while any
    customer, a deleted one too, still refers to it."""
    from peewee import IntegrityError

    from tradium_tui.services import records

    spec = records.RecordSpec(model=PriceList, tab=None, label="price list",
                              validate=lambda values, stored: values,
                              customer_of=lambda rec: None)
    spec.check(actor)
    price_list = PriceList.get_or_none(PriceList.id == list_id)
    if price_list is None:
        raise NotFound(f"The price list #{list_id} no longer exists.")
    refused = _in_use(price_list)
    if refused is not None:
        raise refused
    try:
        records.delete(actor, spec, list_id, expected_version)
    except IntegrityError:  # a customer was given the list meanwhile
        raise _in_use(price_list) or PriceListInUse(
            f"The price list '{price_list.name}' is in use.", 0) from None
