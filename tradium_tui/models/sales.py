"""Quotes, orders, invoices and customer conditions. Money is Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import peewee

from tradium_tui.models.auth import User
from tradium_tui.models.base import BaseModel, MoneyField, VersionedModel
from tradium_tui.models.customer import Customer

QUOTE_STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
ORDER_STATUSES = ("open", "partly_delivered", "delivered", "cancelled")
INVOICE_STATUSES = ("open", "partly_paid", "paid", "cancelled")
ORDER_SOURCES = ("manual", "quote", "webshop", "import")


def QuantityField(**kwargs) -> peewee.DecimalField:  # noqa: N802
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 3)
    kwargs.setdefault("auto_round", True)
    kwargs.setdefault("rounding", ROUND_HALF_UP)  # commercial rounding, as the services do
    kwargs.setdefault("default", Decimal("0"))
    return peewee.DecimalField(**kwargs)


def PriceField(**kwargs) -> peewee.DecimalField:  # noqa: N802
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 4)
    kwargs.setdefault("auto_round", True)
    kwargs.setdefault("rounding", ROUND_HALF_UP)  # commercial rounding, as the services do
    kwargs.setdefault("default", Decimal("0"))
    return peewee.DecimalField(**kwargs)


def PercentField(**kwargs) -> peewee.DecimalField:  # noqa: N802
    kwargs.setdefault("max_digits", 6)
    kwargs.setdefault("decimal_places", 2)
    kwargs.setdefault("default", Decimal("0"))
    return peewee.DecimalField(**kwargs)


class Quote(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="quotes", on_delete="CASCADE")
    number = peewee.CharField(max_length=20, unique=True)
    quote_date = peewee.DateField()
    valid_until = peewee.DateField(null=True)
    status = peewee.CharField(max_length=10, default="draft")
    reference = peewee.CharField(max_length=80, default="")
    remarks = peewee.TextField(default="")
    user = peewee.ForeignKeyField(User, null=True, backref="quotes", on_delete="SET NULL")
    total_excl = MoneyField(default=0)
    total_vat = MoneyField(default=0)
    total_incl = MoneyField(default=0)


class QuoteLine(BaseModel):
    quote = peewee.ForeignKeyField(Quote, backref="lines", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    article = peewee.CharField(max_length=40, default="")
    description = peewee.CharField(max_length=200, default="")
    quantity = QuantityField()
    unit_price = PriceField()
    discount_percent = PercentField()
    vat_rate = PercentField()  # set by the services (services/vat.py)


class Order(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="orders", on_delete="CASCADE")
    number = peewee.CharField(max_length=30, unique=True)
    order_date = peewee.DateField(index=True)
    status = peewee.CharField(max_length=16, default="open")
    source = peewee.CharField(max_length=10, default="manual")
    external_ref = peewee.CharField(max_length=80, default="", index=True)
    quote = peewee.ForeignKeyField(Quote, null=True, backref="orders", on_delete="SET NULL")
    reference = peewee.CharField(max_length=80, default="")
    remarks = peewee.TextField(default="")
    delivery_address = peewee.TextField(default="")
    invoice_address = peewee.TextField(default="")
    user = peewee.ForeignKeyField(User, null=True, backref="orders", on_delete="SET NULL")
    total_excl = MoneyField(default=0)
    total_vat = MoneyField(default=0)
    total_incl = MoneyField(default=0)


class OrderLine(BaseModel):
    order = peewee.ForeignKeyField(Order, backref="lines", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    article = peewee.CharField(max_length=40, default="")
    description = peewee.CharField(max_length=200, default="")
    quantity = QuantityField()
    delivered_quantity = QuantityField()
    backorder_quantity = QuantityField()
    unit_price = PriceField()
    cost_price = PriceField()
    discount_percent = PercentField()
    vat_rate = PercentField()  # set by the services (services/vat.py)
    # How much of the line invoices cover (a credit note gives it back); DEFAULT 0 in the
    # table too, for the bulk writers that name their columns.
    invoiced_quantity = QuantityField(constraints=[peewee.SQL("DEFAULT 0")])


class Invoice(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="invoices", on_delete="RESTRICT")
    number = peewee.CharField(max_length=20, unique=True)
    order = peewee.ForeignKeyField(Order, null=True, backref="invoices", on_delete="SET NULL")
    invoice_date = peewee.DateField(index=True)
    due_date = peewee.DateField()
    amount_excl = MoneyField(default=0)
    vat_amount = MoneyField(default=0)
    amount_incl = MoneyField(default=0)
    paid_amount = MoneyField(default=0)
    paid_on = peewee.DateField(null=True)
    status = peewee.CharField(max_length=12, default="open", index=True)
    # Snapshot of the customer at invoicing: the invoice keeps these whatever happens later.
    customer_number = peewee.BigIntegerField()
    customer_name = peewee.CharField(max_length=200)
    customer_address = peewee.TextField(default="")
    customer_vat_number = peewee.CharField(max_length=20, default="")
    # A credit note refers to the invoice it undoes (its amounts are that invoice's, negated).
    credited_invoice = peewee.ForeignKeyField(
        "self", null=True, backref="credit_notes", on_delete="RESTRICT"
    )
    payment_term_days = peewee.IntegerField(null=True)  # as agreed when invoiced


class InvoiceLine(BaseModel):
    """What an invoice charges, as it was on the order when invoiced (a credit note: negated)."""

    invoice = peewee.ForeignKeyField(Invoice, backref="lines", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    order_position = peewee.IntegerField(null=True)  # the order line's position it invoices
    article = peewee.CharField(max_length=40, default="")
    description = peewee.CharField(max_length=200, default="")
    quantity = QuantityField()
    unit_price = PriceField()
    discount_percent = PercentField()
    vat_rate = PercentField()


class InvoiceVat(BaseModel):
    """The invoice's totals per VAT rate, stored as invoiced (net base and VAT)."""

    invoice = peewee.ForeignKeyField(Invoice, backref="vat_rows", on_delete="CASCADE")
    rate = PercentField()
    base = MoneyField(default=0)
    vat = MoneyField(default=0)

    class Meta:
        indexes = ((("invoice", "rate"), True),)


class Condition(VersionedModel):
    """A customer-specific price or discount per article or article group, or a payment term."""

    customer = peewee.ForeignKeyField(Customer, backref="conditions", on_delete="CASCADE")
    kind = peewee.CharField(max_length=16, default="discount")  # price | discount | payment_term
    article = peewee.CharField(max_length=40, default="")
    article_group = peewee.CharField(max_length=40, default="")
    description = peewee.CharField(max_length=200, default="")
    price = PriceField(null=True, default=None)
    discount_percent = PercentField(null=True, default=None)
    payment_term_days = peewee.IntegerField(null=True)
    min_quantity = QuantityField(null=True, default=None)
    valid_from = peewee.DateField(null=True)
    valid_until = peewee.DateField(null=True)
