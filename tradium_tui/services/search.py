"""Finding customers as you type, by barcode, and the recently opened ones.

What is searched: name, number, city, postcode (with and without its space), e-mail,
phone and mobile (spaces ignored), VAT number and reference — substring and
case-insensitive.  Deleted customers never appear.

How it stays fast at a million customers (never a table scan per keystroke):

* Three or more characters go through the search index of schema step 2 — an FTS5
  trigram table (``customer_fts``) on SQLite, a ``pg_trgm`` GIN index on the expression
  ``PG_SEARCH_EXPR`` on PostgreSQL.  The typed text is data: it is quoted as FTS5
  phrases (``"`` doubled) or escaped for ``LIKE`` (``\\``, ``%``, ``_``), never parsed as
  query syntax, so ``*``, ``NEAR``, ``AND``/``OR``, brackets and quotes are just characters.
* One or two characters are too short for trigrams: they are looked up by exact and
  prefix customer number and by name prefix, which are index range scans (``number``'s
  unique index; ``lower(name)`` in the ``customer_name_lower`` index).  Name prefixes are
  written as ranges (``>=``/``<``, on PostgreSQL the ``text_pattern_ops`` operators
  ``~>=~``/``~<~``), not ``LIKE``/``ILIKE``, so both databases use the index whatever the
  text holds.

On PostgreSQL, text from which ``pg_trgm`` can take no trigram (it indexes letters and
digits only, so e.g. "@@@" or "-+") is not looked up there — that would read the whole
index — and finds only exact and prefix matches.  The trigram query runs with seq scans
switched off (the planner's guess for a trigram ``LIKE`` with a ``LIMIT`` otherwise picks
a seq scan, seconds for a rare text), after a look at the first ``PG_PROBE_ROWS``
customers, which answers a very common text ("info") without the index's bitmap of most
of the table.

Several words are matched each on their own ("jan rotterdam" finds Jan in Rotterdam);
words shorter than three characters are then left out, as the index cannot look them up.
Digits typed with spaces also match without them, so "06 1234" finds "0612345678".

Order of the hits: the exact customer number or exact reference first, then names
starting with the text (alphabetically), then the index matches — those containing the
text in the name before those matching another field; within each group by name, then
number.  The index matches are the first ``limit × OVERFETCH`` in index order, so with a
very common text a name match far down that order may give way to other matches (the
price of never reading the whole trigram list per keystroke).  The same data and text
always give the same list.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

import peewee

from tradium_tui.db import database, is_postgres, write_transaction
from tradium_tui.db.sql import POSTCODE_TAIL_SQL, SEARCH_FIELDS, SEARCH_SEPARATOR
from tradium_tui.i18n import N_, _
from tradium_tui.models import Customer, RecentCustomer, User, utcnow
from tradium_tui.services.errors import NotFound

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_QUERY_LENGTH = 100  # longer input is cut (nobody types more; keeps queries bounded)
KEEP_RECENT = 50  # recently opened customers kept per user
TRIGRAM = 3
OVERFETCH = 2  # index rows read per hit shown, so better matches can be put first
PG_PROBE_ROWS = 400  # customers looked at before the trigram index on PostgreSQL
MAX_NUMBER = 2**63 - 1

_HIT_COLUMNS = (
    "c.id, c.number, c.name, c.visit_city, c.visit_postcode, c.visit_country, c.email, "
    "c.phone, c.mobile, c.reference, c.vat_number, c.coc_number, c.iban, c.visit_street, "
    "c.visit_house_number"
)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]+$")
_IDENTIFIER_JUNK = re.compile(r"[\s.\-]")
# Where a row came from (the order the statements run in).
_FROM_EXACT, _FROM_IDENTIFIER, _FROM_NUMBER_PREFIX, _FROM_NAME_PREFIX, _FROM_TEXT = range(5)
_TIER_TEXT = _FROM_TEXT
_FROM_POSTCODE_TAIL = 5  # ranked like the index rows
# How well a row matches: the order of the list.
(
    RANK_EXACT, RANK_IDENTIFIER, RANK_NUMBER_PREFIX, RANK_NAME_PREFIX, RANK_WORD_PREFIX,
    RANK_SUBSTRING,
) = range(6)
_CUSTOMER_FIELDS = len(SEARCH_FIELDS)
_FIELD = {name: i for i, name in enumerate(SEARCH_FIELDS)}
_IDENTIFIER_FIELDS = ("postcode_compact", "vat", "coc", "iban")
_SHOWN_FIELDS = ("name", "number", "city", "postcode", "postcode_compact")
# How a match in a field the finder has no column for is named ("KvK 12345678"); shown
# in the interface language.
_FIELD_LABELS = {
    "email": N_("e-mail"), "phone": N_("phone"), "mobile": N_("mobile"), "vat": N_("VAT"),
    "reference": N_("ref."), "coc": N_("KvK"), "iban": "IBAN", "street": N_("street"),
}


@dataclass(frozen=True)
class CustomerHit:
    id: int
    number: int
    name: str
    city: str
    postcode: str
    country: str
    email: str
    phone: str
    reference: str
    # Where the text matched when that is not in the columns above, e.g.
    # "via contact Iris Meijer" or "KvK 12345678" ("" otherwise).
    matched: str = ""
    contact: str = ""  # the contact person that matched, when the match is only there
    rank: int = field(default=RANK_SUBSTRING, compare=False)  # how well it matched


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


@dataclass(frozen=True)
class Terms:
    """What a text matches: any of ``whole`` inside one field, or every word somewhere.

    ``words`` holds per word its alternatives (the word, and for digits its phone forms).
    All lower-case.  ``phones`` are the international forms of a typed phone number, for
    the exact lookup.
    """

    text: str
    whole: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]
    phones: tuple[str, ...] = ()
    identifier: str = ""

    def needles(self) -> list[str]:
        """Every string to mark in a shown value."""
        out = {n for n in self.whole}
        for alternatives in self.words:
            out.update(alternatives)
        return sorted(out, key=lambda n: (-len(n), n))


# --------------------------------------------------------------------------- input


def clean_query(text: object) -> str:
    """The search text as searched: printable, single-spaced, trimmed, bounded."""
    if text is None:
        return ""
    value = _UNPRINTABLE.sub(" ", str(text))
    return _SPACES.sub(" ", value).strip()[:MAX_QUERY_LENGTH].strip()


def _home_country() -> str:
    from tradium_tui.config import get_settings

    try:
        return (get_settings().home_country or "NL").upper()
    except Exception:  # a settings file that cannot be read must not stop the search
        return "NL"


@functools.lru_cache(maxsize=256)
def _phone_forms(text: str, home: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    forms, notations = _parse_phone(text, home)
    return tuple(forms), tuple(notations)


def phone_forms(text: str, home: str | None = None) -> tuple[list[str], list[str]]:
    """(digit strings, international notations) a typed phone number is searched by (see
    :func:`_parse_phone`)."""
    forms, notations = _phone_forms(text, (home or _home_country()).upper())
    return list(forms), list(notations)


def _parse_phone(text: str, home: str) -> tuple[list[str], list[str]]:
    """(digit strings, international notations) a typed phone number is searched by.

    ``+`` and a ``00`` prefix start the country code; a leading ``0`` is the home
    country's trunk prefix (the digits are then also tried with the home country code, and
    without the 0 for a number from elsewhere).  Partial numbers give their digits.
    Empty lists for text that is no phone number.
    """
    import phonenumbers

    if not _PHONE_TEXT.match(text):
        return [], []
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < TRIGRAM:
        return [], []
    forms = [digits]
    notations: list[str] = []
    international = text.startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        forms.append(digits[2:])
    elif digits.startswith("0") and not international:
        code = phonenumbers.country_code_for_region(home)
        if code:
            forms.append(f"{code}{digits[1:]}")
        if len(digits) >= 7:
            forms.append(digits[1:])
    try:
        parsed = phonenumbers.parse(
            "+" + digits[2:] if digits.startswith("00") else text, None if international else home
        )
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        forms.append(e164[1:])
        notations.append(
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )
    unique = list(dict.fromkeys(f for f in forms if len(f) >= TRIGRAM))
    return unique, notations


def terms_for(text: str, home: str | None = None) -> Terms:
    """The :class:`Terms` of a (cleaned) search text."""
    text = clean_query(text)
    low = text.lower()
    whole = [low]
    compact = low.replace(" ", "")
    if compact != low:
        whole.append(compact)
    digits, phones = phone_forms(text, home)
    whole += [d for d in digits if d not in whole]
    words: list[tuple[str, ...]] = []
    parts = text.split(" ")
    # Pieces of one number typed with spaces ("NL91 ABNA 0417", "5014 RW", "013 415 55")
    # are matched as that number, not word by word.
    spaced_number = sum(ch.isdigit() for ch in compact) >= 2 and all(
        part.isalnum() and (any(ch.isdigit() for ch in part) or len(part) <= 4) for part in parts
    )
    if len(parts) > 1 and not spaced_number and not digits:
        for part in parts:
            forms, _rest = phone_forms(part, home)
            words.append(tuple(dict.fromkeys([part.lower(), *forms])))
    identifier = _IDENTIFIER_JUNK.sub("", text).upper()
    return Terms(text, tuple(whole), tuple(words), tuple(phones), identifier)


def _fts_phrase(text: str) -> str:
    """``text`` as one FTS5 string: every character literal."""
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _index_strings(terms: Terms, usable) -> tuple[list[str], list[list[str]]]:
    """(alternatives, all_of) the index is asked for: any alternative, or every group.

    Strings the index cannot look up (shorter than three characters; on PostgreSQL those
    pg_trgm takes no trigram from) are left out; a word without any is then only checked
    on the rows found (see :func:`_matches`).
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


def _pg_trigram_usable(text: str) -> bool:
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


# --------------------------------------------------------------------------- plans


def _columns(pg: bool) -> tuple[str, str]:
    """(select list with the search text, join that brings the search text)."""
    if pg:
        return (f"{_HIT_COLUMNS}, s.doc",
                "LEFT JOIN customer_search s ON s.customer_id = c.id")
    return f"{_HIT_COLUMNS}, f.doc", "LEFT JOIN customer_fts f ON f.rowid = c.id"


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
            _FROM_EXACT,
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
                _FROM_IDENTIFIER,
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
        queries.append(Query(_FROM_NUMBER_PREFIX, " UNION ALL ".join(parts), tuple(range_params)))

    # Names starting with the text: a range scan of the lower(name) index.
    if pg:
        low = text.lower()
        high = _next_after(low)
        bound = " AND lower(c.name) ~<~ %s" if high else ""
        queries.append(
            Query(
                _FROM_NAME_PREFIX,
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
                    _FROM_NAME_PREFIX,
                    f"SELECT {select} FROM customer c {join} WHERE lower(c.name) >= ?{bound} "
                    f"AND {alive} ORDER BY lower(c.name) LIMIT ?",
                    (low, high, limit) if high else (low, limit),
                )
            )

    if len(text) == 2 and text.isalpha() and text.isascii():
        # The letters of a Dutch postcode ("RW" of "5014 RW").
        queries.append(
            Query(
                _FROM_POSTCODE_TAIL,
                f"SELECT {select} FROM customer c {join} WHERE "
                f"{POSTCODE_TAIL_SQL.replace('visit_postcode', 'c.visit_postcode')} = {p} "
                f"AND c.visit_country = 'NL' AND {alive} LIMIT {p}",
                (text.upper(), limit * OVERFETCH),
            )
        )

    alternatives, all_of = _index_strings(terms, _pg_trigram_usable if pg else _sqlite_usable)
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
                    _FROM_TEXT,
                    f"SELECT {_HIT_COLUMNS}, s.doc FROM "
                    f"(SELECT * FROM customer_search ORDER BY customer_id LIMIT {PG_PROBE_ROWS}) s "
                    f"JOIN customer c ON c.id = s.customer_id "
                    f"WHERE {anywhere} AND {alive} ORDER BY s.customer_id LIMIT %s",
                    (*any_params, fetch),
                )
            )
            queries.append(
                Query(
                    _FROM_TEXT,
                    f"SELECT {_HIT_COLUMNS}, s.doc FROM customer_search s "
                    f"JOIN customer c ON c.id = s.customer_id WHERE {anywhere} AND {alive} LIMIT %s",
                    (*any_params, fetch),
                    force_index=True,
                )
            )
        else:
            queries.append(
                Query(
                    _FROM_TEXT,
                    f"SELECT {_HIT_COLUMNS}, f.doc FROM customer_fts f JOIN customer c ON c.id = f.rowid "
                    f"WHERE customer_fts MATCH ? AND {alive} LIMIT ?",
                    (_fts_expression(alternatives, all_of), fetch),
                )
            )
    return queries


# --------------------------------------------------------------------------- ranking


def _word_start(value: str, needle: str) -> bool:
    at = value.find(needle)
    while at >= 0:
        if at == 0 or not value[at - 1].isalnum():
            return True
        at = value.find(needle, at + 1)
    return False


def _where(doc: str, needles: tuple[str, ...]) -> list[int]:
    """The fields (indexes) of the lower-cased search text ``doc`` holding any needle."""
    spots: set[int] = set()
    for needle in needles:
        if not needle:
            continue
        at = doc.find(needle)
        while at >= 0:
            spots.add(doc.count(SEARCH_SEPARATOR, 0, at))
            at = doc.find(needle, at + 1)
    return sorted(spots)


def _matches(doc: str, terms: Terms) -> list[int] | None:
    """The fields (indexes) the text matches in, or None when it does not match."""
    found = _where(doc, terms.whole)
    if found:
        return found
    if not terms.words:
        return None
    spots: set[int] = set()
    for group in terms.words:
        where = _where(doc, group)
        if not where:
            return None
        spots.update(where)
    return sorted(spots)


def _rank(fields: list[str], spots: list[int], terms: Terms) -> int:
    ident = terms.identifier.lower()
    for name in _IDENTIFIER_FIELDS:
        i = _FIELD[name]
        if ident and i < len(fields) and fields[i] == ident:
            return RANK_IDENTIFIER
    for name in ("phone", "mobile"):
        i = _FIELD[name]
        if i < len(fields) and fields[i] and any(fields[i] == w for w in terms.whole[1:]):
            return RANK_IDENTIFIER
    if fields and fields[0].startswith(terms.whole[0]):
        return RANK_NAME_PREFIX
    candidates = [terms.whole] + list(terms.words)
    for needles in candidates:
        if any(_word_start(fields[i], n) for i in spots for n in needles if n):
            if needles is terms.whole or all(
                any(_word_start(v, n) for v in fields for n in g) for g in terms.words
            ):
                return RANK_WORD_PREFIX
    return RANK_SUBSTRING


def _label(fields: list[str], spots: list[int], terms: Terms, row) -> tuple[str, bool]:
    """(what to show of the match when it is not in the shown columns, contact only?)."""
    customer_spots = [i for i in spots if i < _CUSTOMER_FIELDS]
    own = SEARCH_SEPARATOR.join(fields[:_CUSTOMER_FIELDS])
    if not customer_spots or (terms.words and any(
        not _where(own, g) for g in terms.words
    ) and not _where(own, terms.whole)):
        return "", True
    shown = {_FIELD[n] for n in _SHOWN_FIELDS}
    if any(i in shown for i in customer_spots):
        return "", False
    name = SEARCH_FIELDS[customer_spots[0]]
    email, phone, mobile, reference, vat, coc, iban, street, house = row[6:15]
    value = {
        "email": email, "phone": phone, "mobile": mobile, "vat": vat, "reference": reference,
        "coc": coc, "iban": iban, "street": f"{street} {house}".strip(),
    }.get(name, "")
    label = _(_FIELD_LABELS[name]) if name in _FIELD_LABELS else name
    return (f"{label} {value}".strip() if value else ""), False


def _hit(row, matched: str = "", contact: str = "", rank: int = RANK_SUBSTRING) -> CustomerHit:
    cid, number, name, city, postcode, country, email, phone, mobile, reference = row[:10]
    return CustomerHit(
        id=int(cid),
        number=int(number),
        name=name or "",
        city=city or "",
        postcode=postcode or "",
        country=country or "",
        email=email or "",
        phone=phone or mobile or "",
        reference=reference or "",
        matched=matched,
        contact=contact,
        rank=rank,
    )


def _run(query: Query) -> list[tuple]:
    if query.force_index and is_postgres():
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            return database.execute_sql(query.sql, query.params).fetchall()
    return database.execute_sql(query.sql, query.params).fetchall()


def _contacts_matching(customer_ids: list[int], terms: Terms) -> dict[int, str]:
    """Per customer, the name of its first contact person the text matches in (a contact's
    part of the search text, laid out as db.sql.SEARCH_CONTACT_FIELDS)."""
    if not customer_ids:
        return {}
    marks = ", ".join([database.param] * len(customer_ids))
    rows = database.execute_sql(
        f"SELECT customer_id, name, email, phone, mobile FROM contact "
        f"WHERE customer_id IN ({marks}) ORDER BY customer_id, id",
        tuple(customer_ids),
    ).fetchall()
    out: dict[int, str] = {}
    for cid, name, email, phone, mobile in rows:
        if cid in out:
            continue
        digits = ["".join(ch for ch in (v or "") if ch.isdigit()) for v in (phone, mobile)]
        doc = SEARCH_SEPARATOR.join([(name or "").lower(), (email or "").lower(), *digits])
        if _matches(doc, terms) is not None or any(_where(doc, g) for g in terms.words):
            out[int(cid)] = name or ""
    return out


def search_customers(text: str, limit: int = DEFAULT_LIMIT) -> list[CustomerHit]:
    """Customers matching ``text`` (see the module text for what and in which order).

    Never raises for any input text; an empty text gives an empty list.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    cleaned = clean_query(text)
    if not cleaned:
        return []
    home = _home_country()
    terms = terms_for(cleaned, home)
    queries = plan(cleaned, limit, home=home)
    prefix = cleaned.lower()
    digits = cleaned if cleaned.isdigit() and cleaned.isascii() else ""

    found: dict[int, tuple] = {}  # id -> (rank, row, matched, contact_only)
    for query in queries:
        if len(found) >= limit:
            break
        for row in _run(query):
            cid = int(row[0])
            if cid in found:
                continue
            doc = (row[-1] or "").lower()
            fields = doc.split(SEARCH_SEPARATOR)
            spots = _matches(doc, terms) or []
            if query.tier == _FROM_EXACT:
                rank = RANK_EXACT
            elif query.tier == _FROM_IDENTIFIER:
                rank = RANK_IDENTIFIER
            elif query.tier == _FROM_NUMBER_PREFIX:
                rank = RANK_NUMBER_PREFIX
            elif query.tier == _FROM_NAME_PREFIX:
                if not (row[2] or "").lower().startswith(prefix):
                    continue  # a cut SQLite variant, or a case SQL folds differently
                rank = RANK_NAME_PREFIX
            else:
                if not spots:
                    continue  # a word too short for the index is not there
                rank = _rank(fields, spots, terms)
                if digits and str(row[1]).startswith(digits) and rank > RANK_NUMBER_PREFIX:
                    rank = RANK_NUMBER_PREFIX
            matched, contact_only = _label(fields, spots, terms, row) if spots else ("", False)
            found[cid] = (rank, row, matched, contact_only)

    def order(item: tuple) -> tuple:
        rank, row = item[0], item[1]
        if rank == RANK_EXACT:
            return (rank, str(row[1]) != cleaned, int(row[1]), "")
        if rank == RANK_NUMBER_PREFIX:
            return (rank, len(str(row[1])), int(row[1]), "")
        return (rank, 0, 0, (row[2] or "").lower(), int(row[1]))

    chosen = sorted(found.values(), key=order)[:limit]
    via = _contacts_matching([int(item[1][0]) for item in chosen if item[3]], terms)
    hits = []
    for rank, row, matched, contact_only in chosen:
        contact = via.get(int(row[0]), "") if contact_only else ""
        if contact:
            matched = _("via contact {name}").format(name=contact)
        hits.append(_hit(row, matched, contact, rank))
    return (_merged_number_hits(cleaned, hits) + hits)[:limit]


def _merged_number_hits(text: str, hits: list[CustomerHit]) -> list[CustomerHit]:
    """The survivor of a merge, first, when the exact number typed is a merged-away one."""
    if not (text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER):
        return []
    if any(h.number == int(text) for h in hits):
        return []
    from tradium_tui.services.merge import alias_customer

    survivor = alias_customer(int(text))
    if survivor is None:
        return []
    hits[:] = [h for h in hits if h.id != survivor]
    row = database.execute_sql(
        f"SELECT {_HIT_COLUMNS} FROM customer c WHERE c.id = {database.param}", (survivor,)
    ).fetchone()
    return [_hit(row)] if row else []


def highlight_terms(text: str) -> list[str]:
    """The strings to mark in the finder's result list for ``text`` (lower-case, longest first)."""
    cleaned = clean_query(text)
    return terms_for(cleaned).needles() if cleaned else []


def lookup_code(code: str) -> int | None:
    """The customer a scanned code names: exact reference, else exact customer number.

    For a barcode scanner that types the reference followed by Enter.  Deleted customers
    are not found.
    """
    text = clean_query(code)
    if not text:
        return None
    alive = Customer.deleted_at.is_null()
    found = Customer.select(Customer.id).where((Customer.reference == text) & alive).scalar()
    if found is None and text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER:
        found = Customer.select(Customer.id).where((Customer.number == int(text)) & alive).scalar()
    if found is None:  # a merged-away customer's reference or number finds the survivor
        from tradium_tui.services import merge

        found = merge.alias_reference_customer(text)
        if found is None and text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER:
            found = merge.alias_customer(int(text))
    return int(found) if found is not None else None


# --------------------------------------------------------------------------- recent


def recent_customers(user_id: int, limit: int = 10) -> list[CustomerHit]:
    """The customers this user opened most recently, newest first (deleted ones left out)."""
    rows = database.execute_sql(
        f"SELECT {_HIT_COLUMNS} FROM recent_customer r JOIN customer c ON c.id = r.customer_id "
        f"WHERE r.user_id = {database.param} AND c.deleted_at IS NULL "
        f"ORDER BY r.opened_at DESC, r.id DESC LIMIT {database.param}",
        (user_id, max(1, int(limit))),
    ).fetchall()
    return [_hit(row) for row in rows]


def record_opened(user_id: int, customer_id: int) -> None:
    """Remember that the user opened the customer now (keeps the newest ``KEEP_RECENT``)."""
    now = utcnow()
    try:
        with write_transaction():
            (
                RecentCustomer.insert(user=user_id, customer=customer_id, opened_at=now)
                .on_conflict(
                    conflict_target=[RecentCustomer.user, RecentCustomer.customer],
                    update={RecentCustomer.opened_at: now},
                )
                .execute()
            )
            keep = (
                RecentCustomer.select(RecentCustomer.id)
                .where(RecentCustomer.user == user_id)
                .order_by(RecentCustomer.opened_at.desc(), RecentCustomer.id.desc())
                .limit(KEEP_RECENT)
            )
            RecentCustomer.delete().where(
                (RecentCustomer.user == user_id) & RecentCustomer.id.not_in(keep)
            ).execute()
    except peewee.IntegrityError as exc:
        if not User.select().where(User.id == user_id).exists():
            raise NotFound(_("The user #{user_id} does not exist.").format(user_id=user_id)) from exc
        raise NotFound(_("The customer #{customer_id} does not exist.").format(customer_id=customer_id)) from exc


def last_opened(user_id: int | None) -> int | None:
    """The customer to open on start: this user's last one, else the lowest number.

    None only when there is no (not deleted) customer at all.
    """
    if user_id is not None:
        recent = (
            RecentCustomer.select(RecentCustomer.customer)
            .join(Customer, on=(Customer.id == RecentCustomer.customer))
            .where((RecentCustomer.user == user_id) & Customer.deleted_at.is_null())
            .order_by(RecentCustomer.opened_at.desc(), RecentCustomer.id.desc())
            .limit(1)
            .scalar()
        )
        if recent is not None:
            return int(recent)
    first = (
        Customer.select(Customer.id)
        .where(Customer.deleted_at.is_null())
        .order_by(Customer.number)
        .limit(1)
        .scalar()
    )
    return int(first) if first is not None else None
