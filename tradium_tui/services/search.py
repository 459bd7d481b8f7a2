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

import itertools
import re
from dataclasses import dataclass

import peewee

from tradium_tui.db import database, is_postgres, write_transaction
from tradium_tui.migrations import PG_SEARCH_EXPR
from tradium_tui.models import Customer, RecentCustomer, User, utcnow
from tradium_tui.services.errors import NotFound

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_QUERY_LENGTH = 100  # longer input is cut (nobody types more; keeps queries bounded)
KEEP_RECENT = 50  # recently opened customers kept per user
TRIGRAM = 3
OVERFETCH = 4  # index rows read per hit shown, so name matches can be put first
PG_PROBE_ROWS = 400  # customers looked at before the trigram index on PostgreSQL
MAX_NUMBER = 2**63 - 1

_HIT_COLUMNS = (
    "c.id, c.number, c.name, c.visit_city, c.visit_postcode, c.visit_country, c.email, "
    "c.phone, c.mobile, c.reference"
)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_TIER_EXACT, _TIER_PREFIX, _TIER_NAME, _TIER_OTHER, _TIER_NUMBER_PREFIX = range(5)
_TIER_TEXT = _TIER_OTHER  # rows of the index query; those matching in the name move up


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


@dataclass(frozen=True)
class Query:
    """One statement of a search: SQL with its parameters and the group its rows go to."""

    tier: int
    sql: str
    params: tuple
    # PostgreSQL: run with seq scans off.  Its estimate for a trigram LIKE depends only on
    # the number of trigrams, so with a LIMIT it picks a seq scan for any 3-letter text —
    # seconds at a million rows when the text is rare.
    force_index: bool = False


# --------------------------------------------------------------------------- input


def clean_query(text: object) -> str:
    """The search text as searched: printable, single-spaced, trimmed, bounded."""
    if text is None:
        return ""
    value = _UNPRINTABLE.sub(" ", str(text))
    return _SPACES.sub(" ", value).strip()[:MAX_QUERY_LENGTH].strip()


def _fts_phrase(text: str) -> str:
    """``text`` as one FTS5 string: every character literal."""
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _substrings(text: str) -> tuple[list[str], list[str]]:
    """(alternatives, all_of): the text matches where any alternative or all words do.

    Alternatives are the whole text (or its space-less form for digits typed with spaces);
    ``all_of`` are the words of three or more characters when there are several words.
    Only strings of at least three characters are returned (the index needs trigrams).
    """
    words = text.split(" ")
    long_words = [w for w in words if len(w) >= TRIGRAM]
    alternatives: list[str] = []
    all_of: list[str] = []
    if len(words) > 1 and long_words:
        all_of = long_words
    elif len(text) >= TRIGRAM:
        alternatives.append(text)
    compact = text.replace(" ", "")
    if compact != text and len(compact) >= TRIGRAM:
        alternatives.append(compact)
    return alternatives, all_of


def _fts_expression(alternatives: list[str], all_of: list[str]) -> str:
    parts = [_fts_phrase(a) for a in alternatives]
    if all_of:
        parts.append("(" + " AND ".join(_fts_phrase(w) for w in all_of) + ")")
    return " OR ".join(parts)


def _pg_condition(column_sql: str, alternatives: list[str], all_of: list[str]) -> tuple[str, list]:
    parts: list[str] = []
    params: list = []
    for alt in alternatives:
        parts.append(f"{column_sql} LIKE %s")
        params.append(f"%{_like_escape(alt.lower())}%")
    if all_of:
        parts.append("(" + " AND ".join(f"{column_sql} LIKE %s" for _ in all_of) + ")")
        params.extend(f"%{_like_escape(w.lower())}%" for w in all_of)
    return "(" + " OR ".join(parts) + ")", params


def _pg_trigram_usable(text: str) -> bool:
    """Whether pg_trgm can take a trigram from ``LIKE '%text%'`` (else it reads the whole index).

    pg_trgm keeps only letters and digits; a run of them gets two spaces in front when a
    separator precedes it inside the text and one behind when one follows, and needs three
    characters in all.
    """
    for run in _ALNUM_RUN.finditer(text):
        size = len(run.group()) + (2 if run.start() > 0 else 0) + (1 if run.end() < len(text) else 0)
        if size >= TRIGRAM:
            return True
    return False


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


def plan(text: str, limit: int = DEFAULT_LIMIT, postgres: bool | None = None) -> list[Query]:
    """The statements a search for ``text`` runs, in order (stopping once ``limit`` is reached).

    Public so the benchmark can time the very same SQL without this module around it.
    """
    text = clean_query(text)
    if not text:
        return []
    pg = is_postgres() if postgres is None else postgres
    p = "%s" if pg else "?"
    alive = "c.deleted_at IS NULL"
    queries: list[Query] = []

    # Exact reference (as typed) or exact number.
    exact = [f"c.reference = {p}"]
    params: list = [text]
    if text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER:
        exact.append(f"c.number = {p}")
        params.append(int(text))
    queries.append(
        Query(
            _TIER_EXACT,
            f"SELECT {_HIT_COLUMNS} FROM customer c WHERE ({' OR '.join(exact)}) AND {alive}",
            tuple(params),
        )
    )

    # Names starting with the text: a range scan of the lower(name) index.
    if pg:
        low = text.lower()
        high = _next_after(low)
        bound = " AND lower(c.name) ~<~ %s" if high else ""
        queries.append(
            Query(
                _TIER_PREFIX,
                f"SELECT {_HIT_COLUMNS} FROM customer c WHERE lower(c.name) ~>=~ %s{bound} "
                f"AND {alive} ORDER BY lower(c.name) USING ~<~ LIMIT %s",
                (low, high, limit) if high else (low, limit),
            )
        )
    else:
        _, variants = _sqlite_case_variants(text)
        for low in variants:
            high = _next_after(low)
            bound = " AND lower(c.name) < ?" if high else ""
            queries.append(
                Query(
                    _TIER_PREFIX,
                    f"SELECT {_HIT_COLUMNS} FROM customer c WHERE lower(c.name) >= ?{bound} "
                    f"AND {alive} ORDER BY lower(c.name) LIMIT ?",
                    (low, high, limit) if high else (low, limit),
                )
            )

    alternatives, all_of = _substrings(text)
    if pg:
        alternatives = [a for a in alternatives if _pg_trigram_usable(a)]
        if not any(_pg_trigram_usable(w) for w in all_of):
            all_of = []
    if alternatives or all_of:
        # One index query; name matches are put first among its rows (see search_customers).
        # A column filter (FTS5 ``name : ...``) would cost a scan of the whole trigram
        # lists whenever the text is common in other fields ("info@", "+31 6").
        fetch = limit * OVERFETCH
        if pg:
            # A very common text ("info", a shared barcode prefix) costs the GIN index a
            # bitmap of most of the table; the first PG_PROBE_ROWS customers (by id, so the
            # answer does not depend on where a seq scan starts) already hold enough matches
            # for it, so they are looked at first and the index only when they do not.
            anywhere, any_params = _pg_condition(PG_SEARCH_EXPR, alternatives, all_of)
            queries.append(
                Query(
                    _TIER_TEXT,
                    f"SELECT {_HIT_COLUMNS} FROM "
                    f"(SELECT * FROM customer ORDER BY id LIMIT {PG_PROBE_ROWS}) c "
                    f"WHERE {anywhere} AND {alive} LIMIT %s",
                    (*any_params, fetch),
                )
            )
            queries.append(
                Query(
                    _TIER_TEXT,
                    f"SELECT {_HIT_COLUMNS} FROM customer c WHERE {anywhere} AND {alive} LIMIT %s",
                    (*any_params, fetch),
                    force_index=True,
                )
            )
        else:
            queries.append(
                Query(
                    _TIER_TEXT,
                    f"SELECT {_HIT_COLUMNS} FROM customer_fts f JOIN customer c ON c.id = f.rowid "
                    f"WHERE customer_fts MATCH ? AND {alive} LIMIT ?",
                    (_fts_expression(alternatives, all_of), fetch),
                )
            )
    elif text.isdigit() and text.isascii() and not text.startswith("0"):
        # Too short for the index: customer numbers starting with these digits — one index
        # range per length (the number itself is the exact match above), in one statement.
        start = int(text)
        parts: list[str] = []
        range_params: list[int] = []
        width = 10
        while start * width <= MAX_NUMBER // 10:
            parts.append(
                f"SELECT * FROM (SELECT {_HIT_COLUMNS} FROM customer c "
                f"WHERE c.number BETWEEN {p} AND {p} AND {alive} ORDER BY c.number LIMIT {p}) "
                f"AS r{len(parts)}"
            )
            range_params += [start * width, (start + 1) * width - 1, limit]
            width *= 10
        queries.append(Query(_TIER_NUMBER_PREFIX, " UNION ALL ".join(parts), tuple(range_params)))
    return queries


# --------------------------------------------------------------------------- search


def _hit(row) -> CustomerHit:
    cid, number, name, city, postcode, country, email, phone, mobile, reference = row
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
    )


def _run(query: Query) -> list[tuple]:
    if query.force_index and is_postgres():
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            return database.execute_sql(query.sql, query.params).fetchall()
    return database.execute_sql(query.sql, query.params).fetchall()


def _sort_key(hit: CustomerHit) -> tuple:
    return (hit.name.lower(), hit.number)


def search_customers(text: str, limit: int = DEFAULT_LIMIT) -> list[CustomerHit]:
    """Customers matching ``text`` (see the module text for what and in which order).

    Never raises for any input text; an empty text gives an empty list.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    cleaned = clean_query(text)
    queries = plan(cleaned, limit)
    prefix = cleaned.lower()
    alternatives, all_of = _substrings(cleaned)
    alternatives = [a.lower() for a in alternatives]
    all_of = [w.lower() for w in all_of]

    def in_name(hit: CustomerHit) -> bool:
        name = hit.name.lower()
        return any(a in name for a in alternatives) or bool(all_of) and all(w in name for w in all_of)

    found: dict[int, CustomerHit] = {}
    groups: dict[int, list[CustomerHit]] = {}
    for query in queries:
        if len(found) >= limit:
            break
        rows = _run(query)
        for row in rows:
            hit = _hit(row)
            if hit.id in found:
                continue
            tier = query.tier
            if tier == _TIER_PREFIX and not hit.name.lower().startswith(prefix):
                continue  # a cut SQLite variant, or a case SQL folds differently
            if tier == _TIER_TEXT and in_name(hit):
                tier = _TIER_NAME
            found[hit.id] = hit
            groups.setdefault(tier, []).append(hit)
    ordered: list[CustomerHit] = []
    for tier in sorted(groups):
        group = groups[tier]
        if tier == _TIER_EXACT:
            group.sort(key=lambda h: (str(h.number) != cleaned, h.number))
        elif tier == _TIER_NUMBER_PREFIX:
            group.sort(key=lambda h: (len(str(h.number)), h.number))
        else:
            group.sort(key=_sort_key)
        ordered.extend(group)
    return (_merged_number_hits(cleaned, ordered) + ordered)[:limit]


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
            raise NotFound(f"The user #{user_id} does not exist.") from exc
        raise NotFound(f"The customer #{customer_id} does not exist.") from exc


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
