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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _
from tradium_tui.models import (
    Article,
    Condition,
    Customer,
    CustomerGroup,
    PriceList,
    PriceListItem,
)
from tradium_tui.services import vat as vat_rules
from tradium_tui.services.errors import NotFound
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
    price_source: str
    discount_percent: Decimal
    discount_source: str
    vat_class: str
    vat_rate: Decimal
    vat_source: str
    cost_price: Decimal

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


def _until(row: Any, what: str) -> str:
    """``what`` (a source) with the condition's end date, as one translated sentence part."""
    if not row.valid_until:
        return what
    # TRANSLATORS: a price or discount source and the date its condition ends.
    return _("{source} until {date}").format(source=what, date=_day(row.valid_until))


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
        self._texts: dict[tuple, str] = {}
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
        ).namedtuples()
        for cond in query:
            if cond.kind == "price" and cond.article and cond.price is not None:
                self.net_prices.setdefault(cond.article.upper(), []).append(cond)
            elif cond.kind == "discount" and cond.discount_percent is not None:
                if cond.article:
                    self.article_discounts.setdefault(cond.article.upper(), []).append(cond)
                elif cond.article_group:
                    self.group_discounts.setdefault(cond.article_group.upper(), []).append(cond)
        self.price_list: PriceList | None = None
        self.list_prices: dict[int, list[Any]] = {}
        name = (customer.price_list or "").strip()
        if name:
            self.price_list = PriceList.get_or_none(PriceList.name == name)
        self.articles: dict[str, Article] = {}

    # ------------------------------------------------------------------ loading

    def load_articles(self, codes: Iterable[str]) -> None:
        """Read the articles (and their price-list prices) of ``codes`` in one go."""
        wanted = {
            c.strip().upper() for c in codes if isinstance(c, str) and _searchable(c)
        } - set(self.articles)
        if not wanted:
            return
        found = list(Article.select().where(Article.code.in_(sorted(wanted))))
        if len(found) < len(wanted):  # codes typed in another case
            from peewee import fn

            missing = wanted - {a.code.upper() for a in found}
            found += list(Article.select().where(fn.UPPER(Article.code).in_(sorted(missing))))
        for article in found:
            self.articles[article.code.upper()] = article
        if self.price_list is not None and found:
            day = self.day
            items = PriceListItem.select(
                PriceListItem.id, PriceListItem.article.alias("article_id"), PriceListItem.price,
                PriceListItem.min_quantity, PriceListItem.valid_from, PriceListItem.valid_until,
            ).where(
                (PriceListItem.price_list == self.price_list.id)
                & PriceListItem.article.in_([a.id for a in found])
                & (PriceListItem.valid_from.is_null() | (PriceListItem.valid_from <= day))
                & (PriceListItem.valid_until.is_null() | (PriceListItem.valid_until >= day))
            ).namedtuples()
            for item in items:
                self.list_prices.setdefault(item.article_id, []).append(item)

    def article(self, code: str) -> Article | None:
        key = (code or "").strip().upper() if isinstance(code, str) else ""
        if not _searchable(key):
            return None  # no article code looks like this (text still to be validated)
        if key not in self.articles:
            self.load_articles([key])
        return self.articles.get(key)

    # ------------------------------------------------------------------ texts

    def _pct(self, value: Decimal) -> str:
        key = ("%", value)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = fmt.percent(value)
        return text

    def _money(self, value: Decimal) -> str:
        key = ("€", value)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = fmt.money(value)
        return text

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
        vat_source = self._texts.get(("vat", vat_class))
        if vat_source is None:
            vat_source = self._texts[("vat", vat_class)] = self._vat_source(vat_class, rate)

        def result(price: Decimal, price_source: str, discount: Decimal, discount_source: str):
            return PriceResult(
                article=article.code, description=article.description, unit=article.unit,
                article_group=article.article_group, quantity=qty,
                unit_price=Decimal(price), price_source=price_source,
                discount_percent=Decimal(discount), discount_source=discount_source,
                vat_class=vat_class, vat_rate=rate, vat_source=vat_source,
                cost_price=Decimal(article.cost_price or 0),
            )

        net = _best(self.net_prices.get(key, ()), day, qty)
        if net is not None:
            return result(net.price, _until(net, _("condition: net price {code} {price}").format(
                code=article.code, price=self._money(net.price))), ZERO,
                _("net price, no discount"))

        listed = _best(self.list_prices.get(article.id, ()), day, qty)
        if listed is not None:
            price = Decimal(listed.price)
            price_source = _("price list {name}").format(name=self.price_list.name)
        else:
            price, price_source = Decimal(article.sales_price or 0), _("sales price")

        cond = _best(self.article_discounts.get(key, ()), day, qty)
        if cond is not None:
            return result(price, price_source, cond.discount_percent, _until(cond, _(
                "condition: {code} {percent}").format(code=article.code,
                                                       percent=self._pct(cond.discount_percent))))
        group = (article.article_group or "").upper()
        cond = _best(self.group_discounts.get(group, ()), day, qty) if group else None
        if cond is not None:
            return result(price, price_source, cond.discount_percent, _until(cond, _(
                "condition: group {group} {percent}").format(
                    group=article.article_group, percent=self._pct(cond.discount_percent))))
        if self.own_discount:
            return result(price, price_source, self.own_discount,
                          _("customer discount {percent}").format(percent=self._pct(self.own_discount)))
        if self.group_discount:
            return result(price, price_source, self.group_discount,
                          _("group {name} {percent}").format(name=self.group_name,
                                                             percent=self._pct(self.group_discount)))
        return result(price, price_source, ZERO, _("no discount"))

    def _vat_source(self, vat_class: str, rate: Decimal) -> str:
        regime = self.treatment.regime
        if regime == "intra_eu":
            return _("reverse-charged, intra-Community supply")
        if regime == "export":
            return _("export outside the EU")
        if regime == "not_charged":
            return _("customer is not charged VAT")
        if regime == "eu_no_vat_number":
            return _("{vat_class} rate {percent} (no valid VAT number: no reverse charge)").format(
                vat_class=vat_class, percent=self._pct(rate))
        return _("{vat_class} rate {percent}").format(vat_class=vat_class, percent=self._pct(rate))

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
