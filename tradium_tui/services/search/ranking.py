"""How well a found row matches the text, and what of the match to show: the fields
of the search text (laid out as ``db.sql.SEARCH_FIELDS``) the text is in, its rank in the
list, and the hit the finder shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradium_tui.db.sql import SEARCH_FIELDS, SEARCH_SEPARATOR
from tradium_tui.i18n import N_, _
from tradium_tui.services.search.terms import Terms

# How well a row matches: the order of the list.
(
    RANK_EXACT, RANK_IDENTIFIER, RANK_NUMBER_PREFIX, RANK_NAME_PREFIX, RANK_WORD_PREFIX,
    RANK_SUBSTRING,
) = range(6)
_CUSTOMER_FIELDS = len(SEARCH_FIELDS)
_FIELD = {name: i for i, name in enumerate(SEARCH_FIELDS)}
_IDENTIFIER_FIELDS = ("postcode_compact",)
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


def _word_start(value: str, needle: str) -> bool:
    at = value.find(needle)
    while at >= 0:
        if at == 0 or not value[at - 1].isalnum():
            return True
        at = value.find(needle, at + 1)
    return False


def fields_holding(doc: str, needles: tuple[str, ...]) -> list[int]:
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


def matches(doc: str, terms: Terms) -> list[int] | None:
    """The fields (indexes) the text matches in, or None when it does not match."""
    found = fields_holding(doc, terms.whole)
    if found:
        return found
    if not terms.words:
        return None
    spots: set[int] = set()
    for group in terms.words:
        where = fields_holding(doc, group)
        if not where:
            return None
        spots.update(where)
    return sorted(spots)


def rank_of(fields: list[str], spots: list[int], terms: Terms) -> int:
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


def match_label(fields: list[str], spots: list[int], terms: Terms, row) -> tuple[str, bool]:
    """(what to show of the match when it is not in the shown columns, contact only?)."""
    customer_spots = [i for i in spots if i < _CUSTOMER_FIELDS]
    own = SEARCH_SEPARATOR.join(fields[:_CUSTOMER_FIELDS])
    if not customer_spots or (terms.words and any(
        not fields_holding(own, g) for g in terms.words
    ) and not fields_holding(own, terms.whole)):
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


def identifier_label(row, terms: Terms) -> str:
    """What an exact VAT, KvK or IBAN match shows ("KvK 12345678"): these numbers are not in
    the search text but looked up whole; "" when ``row`` matches none of them."""
    ident = terms.identifier
    if not ident:
        return ""
    vat, coc, iban = row[10:13]
    for name, value in (("vat", vat), ("coc", coc), ("iban", iban)):
        if value and value == ident:
            return f"{_(_FIELD_LABELS[name]) if name != 'iban' else 'IBAN'} {value}"
    return ""


def hit_of(row, matched: str = "", contact: str = "", rank: int = RANK_SUBSTRING) -> CustomerHit:
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
