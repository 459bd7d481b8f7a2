"""Finding customers: the ranked list for a typed text and the customer a scanned code
names (see the package description for what is searched and in which order)."""

from __future__ import annotations

from tradium_tui.db import database, is_postgres
from tradium_tui.db.sql import SEARCH_SEPARATOR
from tradium_tui.i18n import _
from tradium_tui.models import Customer
from tradium_tui.services.search.plans import (
    DEFAULT_LIMIT,
    FROM_EXACT,
    FROM_IDENTIFIER,
    FROM_NAME_PREFIX,
    FROM_NUMBER_PREFIX,
    HIT_COLUMNS,
    MAX_NUMBER,
    Query,
    plan,
)
from tradium_tui.services.search.ranking import (
    RANK_EXACT,
    RANK_IDENTIFIER,
    RANK_NAME_PREFIX,
    RANK_NUMBER_PREFIX,
    CustomerHit,
    fields_holding,
    hit_of,
    identifier_label,
    match_label,
    matches,
    rank_of,
)
from tradium_tui.services.search.terms import Terms, clean_query, home_country, terms_for

MAX_LIMIT = 500


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
        if matches(doc, terms) is not None or any(fields_holding(doc, g) for g in terms.words):
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
    home = home_country()
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
            spots = matches(doc, terms) or []
            if query.tier == FROM_EXACT:
                rank = RANK_EXACT
            elif query.tier == FROM_IDENTIFIER:
                rank = RANK_IDENTIFIER
            elif query.tier == FROM_NUMBER_PREFIX:
                rank = RANK_NUMBER_PREFIX
            elif query.tier == FROM_NAME_PREFIX:
                if not (row[2] or "").lower().startswith(prefix):
                    continue  # a cut SQLite variant, or a case SQL folds differently
                rank = RANK_NAME_PREFIX
            else:
                if not spots:
                    continue  # a word too short for the index is not there
                rank = rank_of(fields, spots, terms)
                if digits and str(row[1]).startswith(digits) and rank > RANK_NUMBER_PREFIX:
                    rank = RANK_NUMBER_PREFIX
            matched, contact_only = match_label(fields, spots, terms, row) if spots else ("", False)
            if query.tier == FROM_IDENTIFIER and (label := identifier_label(row, terms)):
                matched, contact_only = label, False  # a VAT, KvK or IBAN number, whole
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
        hits.append(hit_of(row, matched, contact, rank))
    return (_merged_number_hits(cleaned, hits) + hits)[:limit]


def _merged_number_hits(text: str, hits: list[CustomerHit]) -> list[CustomerHit]:
    """The survivor of a merge, first, when the exact number typed is a merged-away one."""
    if not (text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER):
        return []
    if any(h.number == int(text) for h in hits):
        return []
    from tradium_tui.services.merge.aliases import alias_customer

    survivor = alias_customer(int(text))
    if survivor is None:
        return []
    hits[:] = [h for h in hits if h.id != survivor]
    row = database.execute_sql(
        f"SELECT {HIT_COLUMNS} FROM customer c WHERE c.id = {database.param}", (survivor,)
    ).fetchone()
    return [hit_of(row)] if row else []


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
        from tradium_tui.services.merge import aliases

        found = aliases.alias_reference_customer(text)
        if found is None and text.isdigit() and text.isascii() and int(text) <= MAX_NUMBER:
            found = aliases.alias_customer(int(text))
    return int(found) if found is not None else None
