"""``tradium-tui price NUMBER ARTICLE [--quantity Q] [--date YYYY-MM-DD]``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tradium_tui.models import Article, Condition, Customer, CustomerGroup, PriceList, PriceListItem
from tradium_tui.services import users


@pytest.fixture
def run(cli_runner):
    users.bootstrap_first_admin("founder")
    led = Article.create(code="LED-600", description="LED panel 60x60", article_group="LIGHT",
                         sales_price=D("40.00"), cost_price=D("22.00"))
    wholesale = PriceList.create(name="Wholesale")
    PriceListItem.create(price_list=wholesale, article=led, price=D("36.00"))
    group = CustomerGroup.create(name="Installers", discount_percent=D("7.5"))
    installer = Customer.create(number=700, name="Elektro Jansen", customer_group=group,
                                price_list=wholesale)
    Condition.create(customer=installer, kind="discount", article="LED-600",
                     discount_percent=D("12.5"), valid_until=dt.date(2026, 12, 31),
                     min_quantity=D("10"))
    Customer.create(number=701, name="Müller GmbH", visit_country="DE",
                    vat_number="DE136695976", vat_status="valid")
    return cli_runner


def _fields(out: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in out.splitlines())


def test_price_prints_label_value_lines(run):
    code, out, err = run("price", "700", "LED-600", "--quantity", "10", "--date", "2026-06-15")
    assert (code, err) == (0, "")
    got = _fields(out)
    assert got["price"] == "36,00" and got["price source"] == "price list Wholesale"
    assert got["discount"] == "12,5 %"
    assert got["discount source"] == "condition: LED-600 12,5 % until 31-12-2026"
    assert got["net price"] == "31,50" and got["vat"] == "21 %"
    assert got["vat source"] == "standard rate 21 %"


def test_price_below_the_minimum_and_after_the_validity(run):
    got = _fields(run("price", "700", "LED-600", "--date", "2026-06-15")[1])
    assert (got["discount"], got["discount source"]) == ("7,5 %", "group Installers 7,5 %")
    got = _fields(run("price", "700", "led-600", "--quantity", "10", "--date", "2027-01-01")[1])
    assert got["discount source"] == "group Installers 7,5 %"


def test_price_for_a_reverse_charged_customer(run):
    code, out, _ = run("price", "701", "LED-600")
    got = _fields(out)
    assert code == 0 and got["vat"] == "0 %" and got["price source"] == "sales price"
    assert "VAT reverse-charged" in got["vat note"] and "DE136695976" in got["vat note"]


@pytest.mark.parametrize("argv, message", [
    (("price", "999", "LED-600"), "There is no customer with number 999."),
    (("price", "700", "NOPE"), "There is no article 'NOPE'."),
    (("price", "abc", "LED-600"), "'abc' is not a customer number."),
    (("price", "700", "LED-600", "--quantity", "x"), "The quantity is not a number"),
    (("price", "700", "LED-600", "--date", "31-31-2026"), "The date is not a real date"),
])
def test_price_refuses_in_one_sentence(run, argv, message):
    code, out, err = run(*argv)
    assert code == 2 and out == "" and message in err
    assert "Traceback" not in err
