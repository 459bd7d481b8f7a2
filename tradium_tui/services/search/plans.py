"""The SQL statements of a search, per database: SQLite's FTS5 trigram table or
PostgreSQL's pg_trgm index for text, index range scans for numbers and name prefixes, one
lookup per identifier (see the package description)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tradium_tui.db import is_postgres
from tradium_tui.db.sql import POSTCODE_TAIL_SQL
from tradium_tui.services.search.terms import TRIGRAM, Terms, clean_query, terms_for

DEFAULT_LIMIT = 50
OVERFETCH = 2  # index rows read per hit shown, so better matches can be put first
PG_PROBE_ROWS = 400  # customers looked at before the trigram index on PostgreSQL
MAX_NUMBER = 2**63 - 1

HIT_COLUMNS = (
    "c.id, c.number, c.name, c.visit_city, c.visit_postcode, c.visit_country, c.email, "
    "c.phone, c.mobile, c.reference, c.vat_number, c.coc_number, c.iban, c.visit_street, "
    "c.visit_house_number"
)
_ALNUM_RUN = re.compile(r"[^\W_]+")
# Where a row came from (the order the statements run in).
FROM_EXACT, FROM_IDENTIFIER, FROM_NUMBER_PREFIX, FROM_NAME_PREFIX, FROM_TEXT = range(5)
TIER_TEXT = FROM_TEXT
FROM_POSTCODE_TAIL = 5  # ranked like the index rows


@dataclass(frozen=True)
class Query:
    """One statement of a search: SQL with its parameters and where its rows come from."""

    tier: int
    sql: str
    params: tuple
    # PostgreSQL: run with seq scans off.  Its estimate for a trigram LIKE depends only on
    # the number of trigrams, so with a LIMIT it picks a seq scan for any 3-letter text —
    # seconds at a million rows when the text is rare.
    force_index: bool = False


def _fts_phrase(text: str) -> str:
    """``text`` as one FTS5 string: every character literal."""
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _index_strings(terms: Terms, usable) -> tuple[list[str], list[list[str]]]:
    """(alternatives, all_of) the index is asked for: any alternative, or every group.

    Strings the index cannot look up (shorter than three characters; on PostgreSQL those
    pg_trgm takes no trigram from) are left out; a word without any is then only checked
    on the rows found (see :func:`matches`).
    """
    alternatives = [w for w in terms.whole if usable(w)]
    all_of = [[a for a in group if usable(a)] for group in terms.words]
    all_of = [group for group in all_of if group]
    return alternatives, all_of


def _fts_expression(alternatives: list[str], all_of: list[list[str]]) -> str:
    parts = [_fts_phrase(a) for a in alternatives]
    if all_of:
        parts.append(
            "(" + " AND ".join("(" + " OR ".join(_fts_phrase(a) for a in g) + ")" for g in all_of) + ")"
        )
    return " OR ".join(parts)


def _pg_condition(column_sql: str, alternatives: list[str], all_of: list[list[str]]) -> tuple[str, list]:
    parts: list[str] = []
    params: list = []
    for alt in alternatives:
        parts.append(f"{column_sql} LIKE %s")
        params.append(f"%{_like_escape(alt)}%")
    if all_of:
        groups = []
        for group in all_of:
            groups.append("(" + " OR ".join(f"{column_sql} LIKE %s" for _ in group) + ")")
            params.extend(f"%{_like_escape(a)}%" for a in group)
        parts.append("(" + " AND ".join(groups) + ")")
    return "(" + " OR ".join(parts) + ")", params


def pg_trigram_usable(text: str) -> bool:
    """Whether pg_trgm can take a trigram from ``LIKE '%text%'`` (else it reads the whole index).

    pg_trgm keeps only letters and digits; a run of them gets two spaces in front when a
    separator precedes it inside the text and one behind when one follows, and needs three
    characters in all.
    """
    if len(text) < TRIGRAM:
        return False
    for run in _ALNUM_RUN.finditer(text):
        size = len(run.group()) + (2 if run.start() > 0 else 0) + (1 if run.end() < len(text) else 0)
        if size >= TRIGRAM:
            return True
    return False


def _sqlite_usable(text: str) -> bool:
    return len(text) >= TRIGRAM


def _next_after(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix`` (code point order)."""
    for cut in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[cut]) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000
        if code <= 0x10FFFF:
            return prefix[:cut] + chr(code)
    return None


def _sqlite_case_variants(prefix: str, cap: int = 3) -> tuple[str, list[str]]:
    """Prefixes to range-scan ``lower(name)`` with on SQLite, whose lower() folds only A–Z.

    Non-ASCII letters are tried in both cases; after ``cap`` of them the prefix is cut
    (the rows are then checked in Python).  Returns (ascii-lowered prefix, variants).
    """
    lowered = "".join(ch.lower() if ch.isascii() else ch for ch in prefix)
    choices: list[tuple[str, ...]] = []
    varied = 0
    for position, ch in enumerate(lowered):
        if ch.isascii() or ch.lower() == ch.upper():
            choices.append((ch,))
            continue
        if varied == cap:
            lowered = lowered[:position]
            choices = choices[:position]
            break
        varied += 1
        forms = {f for f in (ch.lower(), ch.upper()) if len(f) == 1}
        choices.append(tuple(sorted(forms)) or (ch,))
    variants = sorted({"".join(c) for c in itertools.product(*choices)})
    return lowered, variants


def _columns(pg: bool) -> tuple[str, str]:
    """(select list with the search text, join that brings the search text)."""
    if pg:
        return (f"{HIT_COLUMNS}, s.doc",
                "LEFT JOIN customer_search s ON s.customer_id = c.id")
    return f"{HIT_COLUMNS}, f.doc", "LEFT JOIN customer_fts f ON f.rowid = c.id"


def plan(
    text: str, limit: int = DEFAULT_LIMIT, postgres: bool | None = None, home: str | None = None
) -> list[Query]:
    """The statements a search for ``text`` runs, in order (stopping once ``limit`` is reached).

    Public so the benchmark can time the very same SQL without this module around it.
    """
    text = clean_query(text)
    if not text:
        return []
    terms = terms_for(text, home)
    pg = is_postgres() if postgres is None else postgres
    p = "%s" if pg else "?"
    alive = "c.deleted_at IS NULL"
    select, join = _columns(pg)
    queries: list[Query] = []

    # Exact reference (as typed) or exact number.
    exact = [f"c.reference = {p}"]
    params: list = [text]
    digits_only = text.isdigit() and text.isascii()
    if digits_only and int(text) <= MAX_NUMBER:
        exact.append(f"c.number = {p}")
        params.append(int(text))
    queries.append(
        Query(
            FROM_EXACT,
            f"SELECT {select} FROM customer c {join} WHERE ({' OR '.join(exact)}) AND {alive}",
            tuple(params),
        )
    )

    # Exact postcode (any spacing and case), VAT, KvK or IBAN number, or phone number:
    # one index lookup each.
    lookups: list[tuple[str, object]] = []
    if len(terms.identifier) >= 2:
        lookups.append(("upper(replace(c.visit_postcode, ' ', ''))", terms.identifier))
        if len(terms.identifier) >= 4:
            lookups += [("c.vat_number", terms.identifier), ("c.coc_number", terms.identifier),
                        ("c.iban", terms.identifier)]
    for notation in terms.phones:
        lookups += [("c.phone", notation), ("c.mobile", notation)]
    if lookups:
        queries.append(
            Query(
                FROM_IDENTIFIER,
                " UNION ALL ".join(
                    f"SELECT * FROM (SELECT {select} FROM customer c {join} "
                    f"WHERE {column} = {p} AND {alive} LIMIT {p}) AS e{k}"
                    for k, (column, _) in enumerate(lookups)
                ),
                tuple(v for _, value in lookups for v in (value, limit)),
            )
        )

    # Customer numbers starting with the digits — one index range per length (the number
    # itself is the exact match above), in one statement.
    if digits_only and not text.startswith("0") and len(text) < 18:
        start = int(text)
        parts: list[str] = []
        range_params: list[int] = []
        width = 10
        while start * width <= MAX_NUMBER // 10:
            parts.append(
                f"SELECT * FROM (SELECT {select} FROM customer c {join} "
                f"WHERE c.number BETWEEN {p} AND {p} AND {alive} ORDER BY c.number LIMIT {p}) "
                f"AS r{len(parts)}"
            )
            range_params += [start * width, (start + 1) * width - 1, limit]
            width *= 10
        queries.append(Query(FROM_NUMBER_PREFIX, " UNION ALL ".join(parts), tuple(range_params)))

    # Names starting with the text: a range scan of the lower(name) index.
    if pg:
        low = text.lower()
        high = _next_after(low)
        bound = " AND lower(c.name) ~<~ %s" if high else ""
        queries.append(
            Query(
                FROM_NAME_PREFIX,
                f"SELECT {select} FROM customer c {join} WHERE lower(c.name) ~>=~ %s{bound} "
                f"AND {alive} ORDER BY lower(c.name) USING ~<~ LIMIT %s",
                (low, high, limit) if high else (low, limit),
            )
        )
    else:
        _cases, variants = _sqlite_case_variants(text)
        for low in variants:
            high = _next_after(low)
            bound = " AND lower(c.name) < ?" if high else ""
            queries.append(
                Query(
                    FROM_NAME_PREFIX,
                    f"SELECT {select} FROM customer c {join} WHERE lower(c.name) >= ?{bound} "
                    f"AND {alive} ORDER BY lower(c.name) LIMIT ?",
                    (low, high, limit) if high else (low, limit),
                )
            )

    if len(text) == 2 and text.isalpha() and text.isascii():
        # The letters of a Dutch postcode ("RW" of "5014 RW").
        queries.append(
            Query(
                FROM_POSTCODE_TAIL,
                f"SELECT {select} FROM customer c {join} WHERE "
                f"{POSTCODE_TAIL_SQL.replace('visit_postcode', 'c.visit_postcode')} = {p} "
                f"AND c.visit_country = 'NL' AND {alive} LIMIT {p}",
                (text.upper(), limit * OVERFETCH),
            )
        )

    alternatives, all_of = _index_strings(terms, pg_trigram_usable if pg else _sqlite_usable)
    if alternatives or all_of:
        # One index query; its rows are ranked in Python (see search_customers).
        fetch = limit * OVERFETCH
        if pg:
            # A very common text ("info", a shared barcode prefix) costs the GIN index a
            # bitmap of most of the table; the first PG_PROBE_ROWS customers (by id, so the
            # answer does not depend on where a seq scan starts) already hold enough matches
            # for it, so they are looked at first and the index only when they do not.
            anywhere, any_params = _pg_condition("s.doc", alternatives, all_of)
            queries.append(
                Query(
                    FROM_TEXT,
                    f"SELECT {HIT_COLUMNS}, s.doc FROM "
                    f"(SELECT * FROM customer_search ORDER BY customer_id LIMIT {PG_PROBE_ROWS}) s "
                    f"JOIN customer c ON c.id = s.customer_id "
                    f"WHERE {anywhere} AND {alive} ORDER BY s.customer_id LIMIT %s",
                    (*any_params, fetch),
                )
            )
            queries.append(
                Query(
                    FROM_TEXT,
                    f"SELECT {HIT_COLUMNS}, s.doc FROM customer_search s "
                    f"JOIN customer c ON c.id = s.customer_id WHERE {anywhere} AND {alive} LIMIT %s",
                    (*any_params, fetch),
                    force_index=True,
                )
            )
        else:
            queries.append(
                Query(
                    FROM_TEXT,
                    f"SELECT {HIT_COLUMNS}, f.doc FROM customer_fts f JOIN customer c ON c.id = f.rowid "
                    f"WHERE customer_fts MATCH ? AND {alive} LIMIT ?",
                    (_fts_expression(alternatives, all_of), fetch),
                )
            )
    return queries
