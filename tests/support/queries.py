"""Search texts as people type them, drawn from stored values: the generated queries the
search and list tests compare between the finder, the list and the two databases."""

from __future__ import annotations

import random

CITIES = ["Utrecht", "Tilburg", "Den Haag", "Besançon", "A Coruña", "Düsseldorf", "Sneek"]


def typed_fragments(rng: random.Random, values: list[str], count: int) -> list[str]:
    """``count`` pieces of ``values``: a few characters from anywhere, some upper-cased,
    some followed by the start of a city, some digits typed as a national number."""
    out = []
    for _ in range(count):
        value = rng.choice(values)
        start = rng.randrange(len(value))
        part = value[start:start + rng.randrange(1, 9)]
        kind = rng.random()
        if kind < 0.2:
            part = part.upper()
        elif kind < 0.3:
            part = f"{part} {rng.choice(CITIES)[:rng.randrange(2, 6)]}"
        elif kind < 0.4 and any(ch.isdigit() for ch in part):
            part = "0" + "".join(ch for ch in part if ch.isdigit())
        out.append(part)
    return out
