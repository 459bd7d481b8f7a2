"""The article catalogue and price lists. Money is Decimal."""

from __future__ import annotations

import peewee

from tradium_tui.models.base import VersionedModel
from tradium_tui.models.customer import PriceList
from tradium_tui.models.sales import PriceField, QuantityField

VAT_CLASSES = ("standard", "reduced", "zero")

__all__ = ["VAT_CLASSES", "Article", "PriceList", "PriceListItem"]


class Article(VersionedModel):
    code = peewee.CharField(max_length=40, unique=True)
    description = peewee.CharField(max_length=200, default="")
    article_group = peewee.CharField(max_length=40, default="", index=True)
    unit = peewee.CharField(max_length=20, default="pcs")
    sales_price = PriceField()
    cost_price = PriceField()
    vat_class = peewee.CharField(max_length=10, default="standard")
    active = peewee.BooleanField(default=True)


class PriceListItem(VersionedModel):
    price_list = peewee.ForeignKeyField(PriceList, backref="items", on_delete="CASCADE")
    article = peewee.ForeignKeyField(Article, backref="list_prices", on_delete="CASCADE")
    price = PriceField()
    min_quantity = QuantityField(null=True, default=None)
    valid_from = peewee.DateField(null=True)
    valid_until = peewee.DateField(null=True)
