"""Addresses as people write them: postcodes and house numbers per country and culture,
the address block on documents, and ASCII slugs for e-mail addresses and domains."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from tradium_tui.demo.randomness import DemoRandom
from tradium_tui.demo.tables import COUNTRY_NAMES, GB_OUTWARD

_ASCII_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "å": "a",
                             "ł": "l", "&": " "})


@lru_cache(maxsize=200_000)
def slug(text: str, sep: str = "") -> str:
    """ASCII letters and digits for e-mail addresses and domains ("Müller & Zn." → "mullerzn")."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    kept = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -'.")).lower()
    parts = [p for p in kept.replace("'", "").replace(".", " ").replace("-", " ").split() if p]
    return sep.join(parts)


def postcode(country: str, city: tuple, rng: DemoRandom) -> str:
    """A postcode in ``city``'s range (a :data:`~tradium_tui.demo.tables.CITIES` row)."""
    name, low, high = city[0], city[1], city[2]
    if country == "NL":
        while True:
            letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
            if letters not in ("SA", "SD", "SS"):
                return f"{rng.randint(low, high):04d} {letters}"
    if country == "GB":
        outward = rng.choice(GB_OUTWARD[name])
        return f"{outward} {rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if country in ("BE", "CH", "NO"):
        return f"{rng.randint(low, high):04d}"
    return f"{rng.randint(low, high):05d}"


def house_number(culture: str, rng: DemoRandom) -> str:
    """A house number with the additions usual in ``culture`` ("12A", "7 bus 3", "4 bis")."""
    n = rng.randint(1, 180) if culture != "en_US" else rng.randint(100, 9800)
    x = rng.random()
    if culture == "nl_NL" and x < 0.15:
        return f"{n}{rng.choice(('A', 'B', '-1', '-2', ' bis'))}"
    if culture == "nl_BE" and x < 0.1:
        return f"{n} bus {rng.randint(1, 12)}"
    if culture in ("de_DE", "de_CH") and x < 0.1:
        return f"{n}{rng.choice('abc')}"
    if culture in ("fr_FR", "fr_BE", "fr_CH") and x < 0.08:
        return f"{n} bis"
    return str(n)


def address_text(name: str, street: str, house: str, postcode: str, city: str, country: str,
                 home: str) -> str:
    """A postal address block for documents (the country line only for abroad)."""
    if country in ("GB", "US"):
        lines = [name, f"{house} {street}", f"{city} {postcode}"]
    elif country in ("FR",):
        lines = [name, f"{house} {street}".replace(" bis ", " bis, "), f"{postcode} {city}"]
    else:
        lines = [name, f"{street} {house}", f"{postcode} {city}"]
    if country != home:
        lines.append(COUNTRY_NAMES.get(country, country).upper())
    return "\n".join(lines)

