"""What a typed search text means: cleaned (printable, single-spaced, bounded), split into
words, phone numbers in their international forms, and the identifier form of a postcode,
VAT, KvK or IBAN number (see the package description)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 100  # longer input is cut (nobody types more; keeps queries bounded)
TRIGRAM = 3  # the shortest text the search index can look up

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]+$")
_IDENTIFIER_JUNK = re.compile(r"[\s.\-]")


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


def clean_query(text: object) -> str:
    """The search text as searched: printable, single-spaced, trimmed, bounded."""
    if text is None:
        return ""
    value = _UNPRINTABLE.sub(" ", str(text))
    return _SPACES.sub(" ", value).strip()[:MAX_QUERY_LENGTH].strip()


def home_country() -> str:
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
    forms, notations = _phone_forms(text, (home or home_country()).upper())
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


def highlight_terms(text: str) -> list[str]:
    """The strings to mark in the finder's result list for ``text`` (lower-case, longest first)."""
    cleaned = clean_query(text)
    return terms_for(cleaned).needles() if cleaned else []
