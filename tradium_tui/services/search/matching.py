"""Which customers a search text matches, as one SQL condition over all customers — the
customer list's text filter, so its count, "mark all that match" and bulk actions see
every matching customer, not only the finder's best hits.

The rules are the finder's (see the package description), without its limit and ranking:
a customer matches when

* its reference is the text or its number is the typed number, or its number starts with
  the typed digits;
* its postcode (spaces and case ignored), VAT, KvK or IBAN number is the text as an
  identifier (spaces, dots and dashes left out, upper-case), or its phone or mobile is the
  typed phone number in international notation;
* its name starts with the text (case ignored);
* two letters typed alone are the letters of its Dutch postcode ("RW" of "5014 RW");
* from three characters on: the search text (its fields and those of its contacts) holds
  the text, or one of its other forms (without spaces, the digits of a phone number in
  any notation), inside one field — or holds every word of it somewhere, each word in any
  of its forms, when at least one word has three characters or more (the index cannot
  look up a text made only of shorter words; the finder finds such a text as a whole).

The text goes through the same search index as the finder (FTS5 trigram on SQLite, the
pg_trgm GIN index on PostgreSQL) and is always data: quoted as FTS5 phrases or escaped for
``LIKE``.  The same data and text match the same customers on both databases.
"""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres
from tradium_tui.db.sql import POSTCODE_TAIL_SQL
from tradium_tui.models import Customer
from tradium_tui.services.search.plans import (
    MAX_NUMBER,
    _fts_phrase,
    _like_escape,
    _next_after,
    _sqlite_case_variants,
    _sqlite_usable,
)
from tradium_tui.services.search.terms import Terms, clean_query, home_country, terms_for


def _doc_like_sql(column: str, needles: list[str], pg: bool) -> tuple[str, list]:
    """``column`` (a lower-case search text on PostgreSQL) holding any needle."""
    p = "%s" if pg else "?"
    parts = [f"{column} LIKE {p} ESCAPE '\\'" for _ in needles]
    return "(" + " OR ".join(parts) + ")", [f"%{_like_escape(n)}%" for n in needles]


def _index_selects(terms: Terms, pg: bool) -> list[tuple[str, list]]:
    """Statements selecting the ids of the customers whose search text holds the text (see
    the module text); none when the text has nothing the index can look up."""
    whole = [w for w in terms.whole if _sqlite_usable(w)]
    groups = [list(g) for g in terms.words]
    indexed = [g for g in groups if all(_sqlite_usable(a) for a in g)]
    short = [g for g in groups if g not in indexed]
    selects: list[tuple[str, list]] = []
    if pg:
        if whole:
            sql, params = _doc_like_sql("doc", whole, True)
            selects.append((f"SELECT customer_id FROM customer_search WHERE {sql}", params))
        if indexed:
            sqls, params = [], []
            for group in groups:
                sql, more = _doc_like_sql("doc", group, True)
                sqls.append(sql)
                params += more
            selects.append((
                f"SELECT customer_id FROM customer_search WHERE {' AND '.join(sqls)}", params))
        return selects
    # SQLite: an FTS5 trigram phrase query is the case-folded substring test for a string
    # of three characters or more; shorter words are checked with LIKE on the rows it finds.
    if whole:
        selects.append((
            "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?",
            [" OR ".join(_fts_phrase(w) for w in whole)],
        ))
    if indexed:
        sql = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?"
        params: list = [" AND ".join(
            "(" + " OR ".join(_fts_phrase(a) for a in g) + ")" for g in indexed)]
        for group in short:
            like, more = _doc_like_sql("lower(doc)", group, False)
            sql += f" AND {like}"
            params += more
        selects.append((sql, params))
    return selects


def text_condition(text: str):
    """The condition (a Peewee expression on ``Customer``) of the customers ``text``
    matches; None for an empty text.  Deleted customers are left to the caller.

    One ``id IN (… UNION …)`` of index lookups, so the database reads only the matching
    customers, however many there are.
    """
    cleaned = clean_query(text)
    if not cleaned:
        return None
    pg = is_postgres()
    p = "%s" if pg else "?"
    terms = terms_for(cleaned, home_country())
    selects: list[tuple[str, list]] = [
        (f"SELECT id FROM customer WHERE reference = {p}", [cleaned])]
    digits_only = cleaned.isdigit() and cleaned.isascii()
    if digits_only and int(cleaned) <= MAX_NUMBER:
        selects.append((f"SELECT id FROM customer WHERE number = {p}", [int(cleaned)]))
        if not cleaned.startswith("0") and len(cleaned) < 18:
            start, width = int(cleaned), 10
            while start * width <= MAX_NUMBER // 10:
                selects.append((f"SELECT id FROM customer WHERE number BETWEEN {p} AND {p}",
                                [start * width, (start + 1) * width - 1]))
                width *= 10
    ident = terms.identifier
    lookups: list[tuple[str, str]] = []
    if len(ident) >= 2:
        lookups.append(("upper(replace(visit_postcode, ' ', ''))", ident))
        if len(ident) >= 4:
            lookups += [("vat_number", ident), ("coc_number", ident), ("iban", ident)]
    for notation in terms.phones:
        lookups += [("phone", notation), ("mobile", notation)]
    selects += [(f"SELECT id FROM customer WHERE {column} = {p}", [value])
                for column, value in lookups]
    if len(cleaned) < 3:
        # Longer names starting with the text are in the index's answer below.
        selects += _name_prefix_selects(cleaned, pg)
    if len(cleaned) == 2 and cleaned.isalpha() and cleaned.isascii():
        selects.append((f"SELECT id FROM customer WHERE {POSTCODE_TAIL_SQL} = {p} "
                        "AND visit_country = 'NL'", [cleaned.upper()]))
    selects += _index_selects(terms, pg)
    union = " UNION ".join(sql for sql, _ in selects)
    return Customer.id.in_(peewee.SQL(f"({union})", [v for _, ps in selects for v in ps]))


def _name_prefix_selects(text: str, pg: bool) -> list[tuple[str, list]]:
    """Names starting with ``text``, case ignored (the finder's range scans)."""
    low = text.lower()
    if pg:
        high = _next_after(low)
        if high is None:
            return [("SELECT id FROM customer WHERE lower(name) ~>=~ %s", [low])]
        return [("SELECT id FROM customer WHERE lower(name) ~>=~ %s AND lower(name) ~<~ %s",
                 [low, high])]
    out = []
    for variant in _sqlite_case_variants(text)[1]:
        high = _next_after(variant)
        if high is None:
            out.append(("SELECT id FROM customer WHERE lower(name) >= ?", [variant]))
        else:
            out.append(("SELECT id FROM customer WHERE lower(name) >= ? AND lower(name) < ?",
                        [variant, high]))
    return out
