"""VAT that follows the customer (services/vat.py) and price determination (services/pricing.py):
table-driven, each case with its exact net, VAT and total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tradium_tui import config
from tradium_tui.models import (
    Article,
    Condition,
    Customer,
    CustomerGroup,
    PriceList,
    PriceListItem,
    Role,
    User,
)
from tradium_tui.services import pricing, quotes, vat
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import NotFound
from tradium_tui.services.money import compute_totals
from tradium_tui.services.validation import check_vat

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def world(database, monkeypatch):
    monkeypatch.setattr(config, "_settings", config.Settings(
        home_country="NL", seller_vat_number="NL853746333B01"))
    User.create(username="anna", role=Role.get(name="admin"))
    for code, group, price, cls in (
        ("STD-100", "MISC", "100.00", "standard"), ("RED-50", "FOOD", "50.00", "reduced"),
        ("ZERO-10", "BOOKS", "10.00", "zero"), ("LED-600", "LIGHT", "40.00", "standard"),
        ("KAB-1", "CABLE", "89.50", "standard"), ("TOOL-1", "TOOLS", "159.00", "standard"),
        ("SAF-1", "SAFETY", "12.95", "standard"),
    ):
        Article.create(code=code, description=f"Article {code}", article_group=group,
                       sales_price=D(price), cost_price=D(price) / 2, vat_class=cls)
    wholesale = PriceList.create(name="Wholesale")
    art = {a.code: a for a in Article.select()}
    for code, price, minimum, until in (
        ("LED-600", "36.00", None, None), ("KAB-1", "80.00", None, None),
        ("KAB-1", "75.00", "10", None), ("TOOL-1", "140.00", None, dt.date(2026, 1, 1)),
    ):
        PriceListItem.create(price_list=wholesale, article=art[code], price=D(price),
                             min_quantity=D(minimum) if minimum else None, valid_until=until)
    CustomerGroup.create(name="Installers", discount_percent=D("7.5"))
    return actor_for("anna")


_numbers = iter(range(5000, 9000))


def _customer(kind="company", country="NL", vat_number="", charge_vat=True, **extra) -> Customer:
    status = check_vat(vat_number, country, kind, "NL").status
    return Customer.create(number=next(_numbers), name="Test", kind=kind, visit_country=country,
                           vat_number=vat_number, vat_status=status, charge_vat=charge_vat,
                           **extra)


# ----------------------------------------------------------------------------- VAT

VAT_CASES = [
    # id, customer, article, quantity, rate, net, vat, total, words in the note
    ("home consumer", dict(kind="consumer"), "STD-100", "2", "21", "200.00", "42.00", "242.00", []),
    ("home company", dict(vat_number="NL004495445B01"), "STD-100", "2", "21", "200.00",
     "42.00", "242.00", []),
    ("EU company valid VAT", dict(country="DE", vat_number="DE136695976"), "STD-100", "2", "0",
     "200.00", "0.00", "200.00",
     ["VAT reverse-charged", "BTW verlegd", "DE136695976", "NL853746333B01"]),
    ("EU company valid VAT, charge VAT off",
     dict(country="DE", vat_number="DE136695976", charge_vat=False), "STD-100", "2", "0",
     "200.00", "0.00", "200.00", ["VAT reverse-charged", "DE136695976"]),
    ("EU company invalid VAT", dict(country="DE", vat_number="DE136695977"), "STD-100", "2",
     "21", "200.00", "42.00", "242.00", ["invalid", "reverse charge cannot be applied"]),
    ("EU company missing VAT", dict(country="DE"), "STD-100", "2", "21", "200.00", "42.00",
     "242.00", ["missing", "reverse charge cannot be applied"]),
    ("EU consumer", dict(kind="consumer", country="BE"), "STD-100", "2", "21", "200.00",
     "42.00", "242.00", ["Consumer in another EU country"]),
    ("non-EU company", dict(country="CH"), "STD-100", "2", "0", "200.00", "0.00", "200.00",
     ["Export"]),
    ("charge VAT off", dict(charge_vat=False), "STD-100", "2", "0", "200.00", "0.00", "200.00",
     ["No VAT charged"]),
    ("reduced-rate article", dict(kind="consumer"), "RED-50", "3", "9", "150.00", "13.50",
     "163.50", []),
    ("zero-rate article", dict(kind="consumer"), "ZERO-10", "3", "0", "30.00", "0.00", "30.00",
     []),
    ("Greece EL prefix", dict(country="GR", vat_number="EL094259216"), "STD-100", "1", "0",
     "100.00", "0.00", "100.00", ["VAT reverse-charged", "EL094259216"]),
    ("Northern Ireland XI", dict(country="GB", vat_number="XI980780684"), "STD-100", "1", "0",
     "100.00", "0.00", "100.00", ["VAT reverse-charged", "XI980780684"]),
    ("Great Britain GB", dict(country="GB", vat_number="GB980780684"), "STD-100", "1", "0",
     "100.00", "0.00", "100.00", ["Export"]),
    ("reduced article, EU company valid", dict(country="DE", vat_number="DE136695976"),
     "RED-50", "1", "0", "50.00", "0.00", "50.00", ["VAT reverse-charged"]),
    ("reduced article, charge VAT off", dict(charge_vat=False), "RED-50", "1", "0", "50.00",
     "0.00", "50.00", ["No VAT charged"]),
]


@pytest.mark.parametrize(
    "customer_values, article, quantity, rate, net, vat_amount, total, words",
    [case[1:] for case in VAT_CASES], ids=[case[0] for case in VAT_CASES],
)
def test_vat_follows_the_customer(world, customer_values, article, quantity, rate, net,
                                  vat_amount, total, words):
    customer = _customer(**customer_values)
    quote = quotes.create_quote(world, customer.id, {},
                                [{"article": article, "quantity": quantity}])
    line = quotes.quote_lines(world, quote.id)[0]
    assert line.vat_rate == D(rate)
    assert (quote.total_excl, quote.total_vat, quote.total_incl) == (D(net), D(vat_amount), D(total))
    note = vat.document_note(customer)
    for word in words:
        assert word in note
    if not words:
        assert note == ""


def test_vat_rates_come_from_the_settings(world, monkeypatch):
    monkeypatch.setattr(config, "_settings", config.Settings(home_country="BE"))
    assert vat.home_rates() == vat.Rates(D("21"), D("6"))
    customer = _customer(kind="consumer", country="BE")
    found = pricing.price_for(customer, "RED-50", 2, on=DAY)
    totals = compute_totals([{"quantity": 2, "unit_price": found.unit_price,
                              "vat_rate": found.vat_rate}])
    assert (totals.excl, totals.vat, totals.incl) == (D("100.00"), D("6.00"), D("106.00"))
    monkeypatch.setattr(config, "_settings", config.Settings(
        home_country="NL", vat_standard_rate="20", vat_reduced_rate="8"))
    assert vat.home_rates() == vat.Rates(D("20"), D("8"))


def test_customer_treatment_is_read_from_the_database(world):
    customer = _customer(country="DE", vat_number="DE136695976")
    assert vat.customer_treatment(customer.id) == vat.treatment(customer)
    assert vat.customer_treatment(customer.id).regime == "intra_eu"
    assert vat.customer_treatment(None) is None
    assert vat.customer_treatment(customer.id + 1000) is None


def test_invoice_snapshot_gives_the_note(world):
    note = vat.document_note({"customer_vat_number": "DE136695976", "visit_country": "DE"})
    assert "VAT reverse-charged" in note and "DE136695976" in note


# ----------------------------------------------------------------------------- pricing

U = dt.date(2026, 12, 31)
PAST = dt.date(2026, 6, 14)
LATER = dt.date(2026, 7, 1)


def disc(article="", group="", pct="0", start=None, until=None, minimum=None):
    return ("discount", article, group, pct, start, until, minimum)


def net(article, price, start=None, until=None, minimum=None):
    return ("price", article, "", price, start, until, minimum)


PRICE_CASES = [
    # id, customer (own discount, group, price list), conditions, article, qty,
    # price, discount, price source, discount source, net, vat, total
    ("sales price", {}, [], "LED-600", "1", "40.00", "0", "sales price", "no discount",
     "40.00", "8.40", "48.40"),
    ("price list", {"price_list": "Wholesale"}, [], "LED-600", "2", "36.00", "0",
     "price list Wholesale", "no discount", "72.00", "15.12", "87.12"),
    ("price list without the article", {"price_list": "Wholesale"}, [], "SAF-1", "1", "12.95",
     "0", "sales price", "no discount", "12.95", "2.72", "15.67"),
    ("price list below its minimum quantity", {"price_list": "Wholesale"}, [], "KAB-1", "5",
     "80.00", "0", "price list Wholesale", "no discount", "400.00", "84.00", "484.00"),
    ("price list from its minimum quantity", {"price_list": "Wholesale"}, [], "KAB-1", "10",
     "75.00", "0", "price list Wholesale", "no discount", "750.00", "157.50", "907.50"),
    ("price list price expired", {"price_list": "Wholesale"}, [], "TOOL-1", "1", "159.00", "0",
     "sales price", "no discount", "159.00", "33.39", "192.39"),
    ("group discount", {"group": "Installers"}, [], "LED-600", "2", "40.00", "7.5",
     "sales price", "group Installers 7,5 %", "74.00", "15.54", "89.54"),
    ("own discount beats the group", {"group": "Installers", "own": "3"}, [], "LED-600", "2",
     "40.00", "3", "sales price", "customer discount 3 %", "77.60", "16.30", "93.90"),
    ("article-group condition beats own", {"own": "3"}, [disc(group="LIGHT", pct="10")],
     "LED-600", "2", "40.00", "10", "sales price", "condition: group LIGHT 10 %", "72.00",
     "15.12", "87.12"),
    ("article condition beats group condition", {},
     [disc(group="LIGHT", pct="10"), disc("LED-600", pct="12.5", until=U)], "LED-600", "2",
     "40.00", "12.5", "sales price", "condition: LED-600 12,5 % until 31-12-2026", "70.00",
     "14.70", "84.70"),
    ("net price beats every discount", {"group": "Installers"},
     [net("LED-600", "30.00"), disc("LED-600", pct="12.5")], "LED-600", "2", "30.00", "0",
     "condition: net price LED-600", "net price, no discount", "60.00", "12.60", "72.60"),
    ("net price beats the price list", {"price_list": "Wholesale"}, [net("LED-600", "30.00")],
     "LED-600", "1", "30.00", "0", "condition: net price LED-600", "net price", "30.00", "6.30",
     "36.30"),
    ("discount on top of the price list", {"price_list": "Wholesale", "group": "Installers"},
     [], "LED-600", "2", "36.00", "7.5", "price list Wholesale", "group Installers 7,5 %",
     "66.60", "13.99", "80.59"),
    ("condition not yet valid", {}, [disc("LED-600", pct="12.5", start=LATER)], "LED-600", "1",
     "40.00", "0", "sales price", "no discount", "40.00", "8.40", "48.40"),
    ("condition expired", {}, [disc("LED-600", pct="12.5", until=PAST)], "LED-600", "1",
     "40.00", "0", "sales price", "no discount", "40.00", "8.40", "48.40"),
    ("condition on its last day", {}, [disc("LED-600", pct="12.5", until=DAY)], "LED-600",
     "1", "40.00", "12.5", "sales price", "until 15-06-2026", "35.00", "7.35", "42.35"),
    ("condition on its first day", {}, [disc("LED-600", pct="12.5", start=DAY)], "LED-600",
     "1", "40.00", "12.5", "sales price", "condition: LED-600 12,5 %", "35.00", "7.35", "42.35"),
    ("condition below its minimum quantity", {}, [disc("LED-600", pct="15", minimum="10")],
     "LED-600", "5", "40.00", "0", "sales price", "no discount", "200.00", "42.00", "242.00"),
    ("condition from its minimum quantity", {}, [disc("LED-600", pct="15", minimum="10")],
     "LED-600", "10", "40.00", "15", "sales price", "condition: LED-600 15 %", "340.00",
     "71.40", "411.40"),
    ("highest tier reached", {},
     [disc("LED-600", pct="5", minimum="1"), disc("LED-600", pct="10", minimum="20")],
     "LED-600", "25", "40.00", "10", "sales price", "condition: LED-600 10 %", "900.00",
     "189.00", "1089.00"),
    ("lower tier", {},
     [disc("LED-600", pct="5", minimum="1"), disc("LED-600", pct="10", minimum="20")],
     "LED-600", "5", "40.00", "5", "sales price", "condition: LED-600 5 %", "190.00", "39.90",
     "229.90"),
    ("net price below its minimum quantity", {}, [net("LED-600", "35.00", minimum="10")],
     "LED-600", "9", "40.00", "0", "sales price", "no discount", "360.00", "75.60", "435.60"),
    ("net price expired: the group discount", {"group": "Installers"},
     [net("LED-600", "30.00", until=PAST)], "LED-600", "1", "40.00", "7.5", "sales price",
     "group Installers 7,5 %", "37.00", "7.77", "44.77"),
    ("another group's condition does not apply", {}, [disc(group="CABLE", pct="20")],
     "LED-600", "1", "40.00", "0", "sales price", "no discount", "40.00", "8.40", "48.40"),
    ("article code in another case", {}, [disc("led-600", pct="12.5")], "led-600", "1",
     "40.00", "12.5", "sales price", "condition: LED-600 12,5 %", "35.00", "7.35", "42.35"),
    ("latest start wins", {},
     [disc("LED-600", pct="5", start=dt.date(2026, 1, 1)),
      disc("LED-600", pct="8", start=dt.date(2026, 3, 1))],
     "LED-600", "1", "40.00", "8", "sales price", "condition: LED-600 8 %", "36.80", "7.73",
     "44.53"),
    ("fractional quantity with own discount", {"own": "3"}, [], "KAB-1", "2.5", "89.50", "3",
     "sales price", "customer discount 3 %", "217.04", "45.58", "262.62"),
    ("rounding half up", {}, [disc("SAF-1", pct="12.5")], "SAF-1", "3", "12.95", "12.5",
     "sales price", "condition: SAF-1 12,5 %", "33.99", "7.14", "41.13"),
]


@pytest.mark.parametrize(
    "setup, conditions, article, qty, price, discount, price_source, discount_source, "
    "net_amount, vat_amount, total",
    [case[1:] for case in PRICE_CASES], ids=[case[0] for case in PRICE_CASES],
)
def test_price_determination(world, setup, conditions, article, qty, price, discount,
                             price_source, discount_source, net_amount, vat_amount, total):
    group = CustomerGroup.get(name=setup["group"]) if "group" in setup else None
    customer = _customer(kind="consumer", customer_group=group,
                         discount_percent=D(setup.get("own", "0")),
                         price_list=PriceList.get_or_none(name=setup.get("price_list", "")))
    for kind, code, agroup, value, start, until, minimum in conditions:
        Condition.create(
            customer=customer, kind=kind, article=code, article_group=agroup,
            price=D(value) if kind == "price" else None,
            discount_percent=D(value) if kind == "discount" else None,
            valid_from=start, valid_until=until, min_quantity=D(minimum) if minimum else None,
        )
    found = pricing.price_for(customer, article, D(qty), on=DAY)
    assert found.unit_price == D(price) and found.discount_percent == D(discount)
    assert price_source in found.price_source
    assert discount_source in found.discount_source
    totals = compute_totals([{"quantity": D(qty), "unit_price": found.unit_price,
                              "discount_percent": found.discount_percent,
                              "vat_rate": found.vat_rate}])
    assert (totals.excl, totals.vat, totals.incl) == (D(net_amount), D(vat_amount), D(total))


def test_unknown_article_is_refused(world):
    with pytest.raises(NotFound, match="no article 'NOPE'"):
        pricing.price_for(_customer(), "NOPE", 1)


def test_typed_prices_are_kept_and_free_lines_get_the_customers_rate(world):
    customer = _customer(country="DE", vat_number="DE136695976")
    lines = pricing.price_lines(customer, [
        {"article": "LED-600", "quantity": "2", "unit_price": "33,00"},
        {"article": "", "description": "Transport", "quantity": "1", "unit_price": "25"},
    ], on=DAY)
    assert lines[0]["unit_price"] == "33,00" and lines[0]["vat_rate"] == D("0")
    assert lines[0]["description"] == "Article LED-600"
    assert lines[1]["vat_rate"] == D("0")


def test_a_whole_order_is_priced_with_few_queries(world, database, monkeypatch):
    customer = _customer(price_list=PriceList.get(name="Wholesale"))
    for number in range(50):
        Condition.create(customer=customer, kind="discount", article=f"X-{number}",
                         discount_percent=D("5"))
    seen: list[str] = []
    original = type(database).execute_sql

    def counting(self, sql, *args, **kwargs):
        seen.append(sql)
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(type(database), "execute_sql", counting)
    lines = [{"article": code, "quantity": "3"} for code in ("LED-600", "KAB-1", "SAF-1") * 60]
    priced = pricing.price_lines(customer, lines, on=DAY)
    assert len(seen) <= 8, seen
    assert priced[0]["unit_price"] == D("36.00") and priced[2]["unit_price"] == D("12.95")
