"""The demo's random draws: one seeded stream, and weighted choices from fixed tables."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from random import Random
from typing import Any


class DemoRandom:
    """The few random draws the demo needs, each one call of ``Random.random``.

    ``random.Random.choice``/``randint`` cost several Python calls per draw; at 100,000
    customers with a few hundred draws each that dominates the seed time.  Same seed,
    same sequence.
    """

    __slots__ = ("random",)

    def __init__(self, seed: int):
        self.random = Random(seed).random

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))


class Weighted:
    """Fast weighted choice with a fixed table."""

    def __init__(self, pairs: Iterable[tuple[Any, int]]):
        self.items: list[Any] = []
        self.cumulative: list[int] = []
        total = 0
        for item, weight in pairs:
            total += weight
            self.items.append(item)
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: DemoRandom) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

