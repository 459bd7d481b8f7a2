"""The article catalogue: looking articles up (the line editor's picker)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import peewee

from tradium_tui.models import Article


@dataclass(frozen=True)
class ArticleRow:
    code: str
    description: str
    article_group: str
    unit: str
    sales_price: Decimal
    vat_class: str


def search_articles(text: str, limit: int = 30) -> list[ArticleRow]:
    """Active articles whose code starts with ``text`` first, then those whose code or
    description contains it; an empty text gives the first articles by code."""
    needle = (text or "").strip()[:40]
    columns = (Article.code, Article.description, Article.article_group, Article.unit,
               Article.sales_price, Article.vat_class)
    base = Article.select(*columns).where(Article.active == True)  # noqa: E712
    if not needle:
        query = base.order_by(Article.code).limit(limit)
        return [ArticleRow(*row) for row in query.tuples()]
    low = needle.lower()
    starts = base.where(peewee.fn.LOWER(Article.code).startswith(low)).order_by(Article.code)
    found = [ArticleRow(*row) for row in starts.limit(limit).tuples()]
    if len(found) < limit:
        seen = {row.code for row in found}
        contains = base.where(
            peewee.fn.LOWER(Article.code).contains(low)
            | peewee.fn.LOWER(Article.description).contains(low)
        ).order_by(Article.code).limit(limit * 2)
        found += [ArticleRow(*row) for row in contains.tuples() if row[0] not in seen]
    return found[:limit]
