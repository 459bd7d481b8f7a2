"""The article catalogue: looking articles up (the line editor's picker)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tradium_tui.i18n import _
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


# --------------------------------------------------------------------------- writing

ARTICLE_FIELDS = ("code", "description", "article_group", "unit", "sales_price", "cost_price",
                  "vat_class", "active")
ARTICLE_LABELS = {
    "code": "Code", "description": "Description", "article_group": "Article group",
    "unit": "Unit", "sales_price": "Sales price", "cost_price": "Cost price",
    "vat_class": "VAT class", "active": "Active",
}
ARTICLE_ALIASES = {
    "code": ("artikel", "artikelnummer", "artikelcode", "article", "article code", "sku",
             "item code"),
    "description": ("omschrijving", "naam", "name", "description"),
    "article_group": ("artikelgroep", "groep", "group", "article group", "product group"),
    "unit": ("eenheid", "unit"),
    "sales_price": ("verkoopprijs", "prijs", "price", "sales price", "list price"),
    "cost_price": ("inkoopprijs", "kostprijs", "cost", "cost price", "purchase price"),
    "vat_class": ("btw", "btw-tarief", "btw tarief", "vat", "vat class", "vat rate"),
    "active": ("actief", "active"),
}
VAT_CLASS_WORDS = {"standard": "standard", "hoog": "standard", "high": "standard",
                   "reduced": "reduced", "laag": "reduced", "low": "reduced",
                   "zero": "zero", "nul": "zero", "0": "zero"}


def _validate_article(values: dict[str, Any], stored: Article | None) -> dict[str, Any]:
    from tradium_tui.services import vat
    from tradium_tui.services.forms import Form

    form = Form(values, stored, ARTICLE_FIELDS, ARTICLE_LABELS, "an article")
    code = form.text("code", required=True, max_length=40)
    if code and (not code.isprintable() or " " in code):
        form.error("code", _("Code may not contain spaces or control characters."))
    elif code:
        clash = Article.select(Article.id).where(
            peewee.fn.UPPER(Article.code) == code.upper())
        if stored is not None:
            clash = clash.where(Article.id != stored.id)
        if clash.exists():
            form.error("code", _("There is already an article {code}.").format(code=code))
    form.text("description", max_length=200)
    form.text("article_group", max_length=40)
    form.text("unit", max_length=20, default="pcs")
    form.decimal("sales_price", places=4, minimum=0, default=Decimal(0))
    form.decimal("cost_price", places=4, minimum=0, default=Decimal(0))
    if form.given("vat_class"):
        raw = str(form.values["vat_class"] or "").strip().lower().rstrip("%").strip()
        rates = vat.home_rates()
        by_rate = {vat._pct(rates.standard): "standard", vat._pct(rates.reduced): "reduced"}
        chosen = VAT_CLASS_WORDS.get(raw) or by_rate.get(raw.replace(",", "."))
        if raw == "":
            chosen = "standard"
        if chosen is None:
            form.error("vat_class", _("VAT class must be standard, reduced or zero (or the rate {rates}).").format(rates=rate_text(rates)))
        else:
            form.set("vat_class", chosen)
    elif stored is None:
        form.set("vat_class", "standard")
    form.boolean("active", default=True)
    return form.finish()


def rate_text(rates) -> str:
    from tradium_tui.services import vat

    return f"{vat._pct(rates.standard)}, {vat._pct(rates.reduced)} or 0"


ARTICLE_SPEC = None


def _spec():
    global ARTICLE_SPEC
    if ARTICLE_SPEC is None:
        from tradium_tui.services import records

        ARTICLE_SPEC = records.RecordSpec(model=Article, tab=None, label="article",
                                          validate=_validate_article)
    return ARTICLE_SPEC


def import_articles(actor, path, *, dry_run: bool = False, skip_invalid: bool = False,
                    delimiter: str | None = None, encoding: str | None = None):
    """Create or update articles by code from a CSV or .xlsx file: all or nothing (unless
    ``skip_invalid``), a dry run writes nothing, every change in the audit trail."""
    import time
    from pathlib import Path

    from tradium_tui import db as dbmod
    from tradium_tui.services import records
    from tradium_tui.services.errors import ValidationError
    from tradium_tui.services.transfer import tabular
    from tradium_tui.services.transfer.headings import ARTICLE_HEADINGS, add_headings
    from tradium_tui.services.transfer.reports import ImportReport, RowIssue, UnusableFile

    actor.require_import_export()
    started = time.perf_counter()
    table = tabular.read_table(path, delimiter=delimiter, encoding=encoding)
    header_map = tabular.map_headers(
        table.headers,
        add_headings(tabular.alias_index({k: (k, *v) for k, v in ARTICLE_ALIASES.items()}),
                     ARTICLE_HEADINGS),
        "article file")
    if "code" not in header_map.columns:
        raise UnusableFile(_("The file {name} has no article code column.").format(name=Path(path).name))
    report = ImportReport(what="articles", source=Path(path).name, file_kind=table.describe(),
                          dry_run=dry_run, skip_invalid=skip_invalid, total=len(table.rows))
    for position, header in header_map.unknown:
        report.notes.append(_("column {position} ({header!r}) is not an article field; ignored.").format(position=position, header=header))
    seen: dict[str, int] = {}
    with dbmod.write_transaction() as txn:
        for number, cells in table.rows:
            values, _extra = tabular.row_values(header_map, cells)
            if all(not str(v).strip() for v in values.values()):
                report.total -= 1
                continue
            code = str(values.get("code", "")).strip()
            if code.upper() in seen:
                report.issues.append(RowIssue(number, "code", code,
                                              _("Article {code} appears twice (also row {seen}).").format(code=code, seen=seen[code.upper()])))
                report.rejected += 1
                continue
            seen[code.upper()] = number
            stored = Article.get_or_none(peewee.fn.UPPER(Article.code) == code.upper()) if code else None
            try:
                with dbmod.database.atomic():
                    if stored is None:
                        records.create(actor, _spec(), values)
                        report.created += 1
                    else:
                        changed = {k: v for k, v in values.items() if k != "code"}
                        before = stored.version
                        after = records.update(actor, _spec(), stored.id, changed, stored.version)
                        if after.version != before:
                            report.updated += 1
                        else:
                            report.unchanged += 1
            except ValidationError as exc:
                for field_name, message in exc.errors.items():
                    report.issues.append(RowIssue(number, field_name,
                                                  str(values.get(field_name, "")), message))
                report.rejected += 1
        keep = not dry_run and not (report.rejected and not skip_invalid)
        if not keep:
            txn.rollback()
    report.written = keep and bool(report.created or report.updated)
    report.seconds = time.perf_counter() - started
    return report


def export_articles(actor, target, delimiter: str = ",", heading_language: str | None = None) -> int:
    """All articles (CSV, or .xlsx by the name); the columns read back by the import (their
    names, or with ``heading_language`` that language's words for them)."""
    from tradium_tui.services.transfer import writing
    from tradium_tui.services.transfer.headings import ARTICLE_HEADINGS, headings

    actor.require_import_export()
    rows = (
        [a.code, a.description, a.article_group, a.unit,
         _price_text(a.sales_price), _price_text(a.cost_price), a.vat_class,
         "yes" if a.active else "no"]
        for a in Article.select().order_by(Article.code)
    )
    return writing.write_table(target, headings(ARTICLE_FIELDS, ARTICLE_HEADINGS, heading_language),
                               rows, delimiter=delimiter,
                               sheet_title="Articles")


def _price_text(value: Any) -> str:
    """A price for a file: 2 decimals, or 4 where it has them ("." as decimal mark)."""
    from tradium_tui.services.values import unambiguous

    number = Decimal(value or 0)
    cents = number.quantize(Decimal("0.01"))
    return unambiguous(format(cents if cents == number else number.quantize(Decimal("0.0001")), "f"))
