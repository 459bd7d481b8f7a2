"""Countries: names in the user's language, flags, EU membership, and a typed country read.

Apart from :mod:`tradium_tui.services.validation` so the customer header can be drawn
without loading the validation libraries (IBAN, phone, e-mail), which only forms and
imports need; pycountry too is loaded only when a country is first looked up.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale

from tradium_tui.i18n import _
from tradium_tui.services.values import FieldError, as_text

# Codes people type that are not ISO 3166 alpha-2 but mean one: the VAT prefix of
# Greece, the common "UK", and Northern Ireland's VAT prefix (a part of GB).
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB", "XI": "GB"}


@lru_cache(maxsize=2048)
def country_name(code: str, locale: str = "en") -> str:
    """The country's name in ``locale`` (babel: a language such as ``nl`` or a locale),
    falling back to English (pycountry).  The header and the finder pass the interface
    language (:func:`tradium_tui.i18n.current_language`), so names follow it."""
    code = (code or "").upper()
    code = COUNTRY_ALIASES.get(code, code)
    if not code:
        return ""
    try:
        name = Locale.parse(locale).territories.get(code)
        if name:
            return name
    except Exception:  # unknown or malformed locale: fall back to English
        pass
    found = pycountry_countries().get(alpha_2=code)  # a code babel has no name for
    return found.name if found else code


def shown_country(code: str) -> str:
    """The country's name in the reader's language, for messages (``DE`` → ``Duitsland``)."""
    from tradium_tui.i18n import current_language

    return country_name(code, current_language())


def pycountry_countries():
    """pycountry's country table, loaded on first use (~40 ms: the header does not need it)."""
    import pycountry

    return pycountry.countries


def vat_cc(country: str) -> str:
    """Lower-case code as stdnum's VAT tables use it (Greece is ``gr`` there)."""
    return (country or "").lower()


def flag_emoji(country: str) -> str:
    """The flag as two regional-indicator symbols (``NL`` → 🇳🇱); empty for a bad code."""
    code = (country or "").strip().upper()
    if code == "EL":
        code = "GR"
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code)


EU_FLAG = "🇪🇺"


@lru_cache(maxsize=512)
def _lookup_country(text: str) -> str | None:
    key = text.strip()
    if not key:
        return None
    upper = key.upper()
    upper = COUNTRY_ALIASES.get(upper, upper)
    if len(upper) == 2 and upper.isascii() and upper.isalpha():
        found = pycountry_countries().get(alpha_2=upper)
        return found.alpha_2 if found else None
    if len(upper) == 3 and upper.isascii() and upper.isalpha():
        found = pycountry_countries().get(alpha_3=upper)
        if found:
            return found.alpha_2
    try:
        return pycountry_countries().lookup(key).alpha_2
    except LookupError:
        return _country_by_local_name(key.casefold())


@lru_cache(maxsize=1)
def _local_country_names() -> dict[str, str]:
    """Country names in the languages of the seeds (Dutch, French, Spanish, German)."""
    names: dict[str, str] = {}
    for loc in ("en", "nl", "fr", "es", "de"):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def _country_by_local_name(folded: str) -> str | None:
    code = _local_country_names().get(folded)
    if code and pycountry_countries().get(alpha_2=code):
        return code
    return None


def check_country(code: Any) -> str:
    """An ISO 3166 alpha-2 code from a code (``nl``, ``NLD``, ``EL``, ``UK``) or a name."""
    text = as_text(code)
    found = _lookup_country(text)
    if found is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise FieldError(
            _("'{text}' is not a country; use a two-letter ISO code such as NL, BE or DE.")
            .format(text=shown), sentence=True
        )
    return found
