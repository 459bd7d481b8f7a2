"""Countries for display: names in the user's language, flags, EU membership.

Split from :mod:`tradium_tui.services.validation` so the customer header can be drawn
without loading the validation libraries (IBAN, phone, e-mail), which only forms and
imports need.
"""

from __future__ import annotations

from functools import lru_cache

from stdnum.eu import vat as eu_vat

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
        from babel import Locale

        name = Locale.parse(locale).territories.get(code)
        if name:
            return name
    except Exception:  # unknown or malformed locale: fall back to English
        pass
    found = pycountry_countries().get(alpha_2=code)  # a code babel has no name for
    return found.name if found else code


def pycountry_countries():
    """pycountry's country table, loaded on first use (~40 ms: the header does not need it)."""
    import pycountry

    return pycountry.countries


def vat_cc(country: str) -> str:
    """Lower-case code as stdnum's VAT tables use it (Greece is ``gr`` there)."""
    return (country or "").lower()


def is_eu(country: str) -> bool:
    """Whether the country is in the EU VAT area (``stdnum.eu.vat.MEMBER_STATES``).

    Greece may come as ``EL`` (its VAT prefix) and Northern Ireland as ``XI``.
    """
    cc = vat_cc(country)
    if cc == "el":
        cc = "gr"
    return cc in eu_vat.MEMBER_STATES


def flag_emoji(country: str) -> str:
    """The flag as two regional-indicator symbols (``NL`` → 🇳🇱); empty for a bad code."""
    code = (country or "").strip().upper()
    if code == "EL":
        code = "GR"
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code)


EU_FLAG = "🇪🇺"
