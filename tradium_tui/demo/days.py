"""Days and moments of the demo's history, written as the database drivers write them.

Days are handled as ordinals and written as ISO text, moments as ``YYYY-MM-DD HH:MM:SS``
text (UTC): exactly what the drivers would make of ``date``/``datetime`` objects, without
a conversion call per value.
"""

from __future__ import annotations

import datetime as dt

from tradium_tui.demo.randomness import DemoRandom

DAY = 86_400  # seconds


class ClockTexts(dict):
    """``HH:MM:SS`` of a second of the day, made the first time it is asked for (all
    86,400 up front cost more than a small demo database needs)."""

    def __missing__(self, second: int) -> str:
        text = self[second] = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        return text


CLOCK_TEXTS = ClockTexts()


def moment_text(moment: dt.datetime) -> str:
    """A moment as the drivers write it (whole seconds)."""
    return moment.replace(microsecond=0).isoformat(sep=" ")


class Calendar:
    """Random days up to ``today`` and moments in office hours, drawn from ``rng``, and
    their texts (each day's text and year made once)."""

    def __init__(self, rng: DemoRandom, today: dt.date, now: dt.datetime):
        self.rng = rng
        self.today = today.toordinal()
        self.now = now
        self.now_text = moment_text(now)
        self.now_second = now.toordinal() * DAY + now.hour * 3600 + now.minute * 60 + now.second
        self.clock = CLOCK_TEXTS
        self.day_text: dict[int, str] = {}
        self.day_year: dict[int, int] = {}

    def day(self, start: int, end: int) -> int:
        """A day (ordinal) from ``start`` to ``end`` inclusive."""
        return start + int(self.rng.random() * (max(end - start, 0) + 1))

    def text(self, day: int) -> str:
        text = self.day_text.get(day)
        if text is None:
            date = dt.date.fromordinal(day)
            text = self.day_text[day] = date.isoformat()
            self.day_year[day] = date.year
        return text

    def moment(self, day: int) -> tuple[str, int]:
        """A moment in office hours (06:30–16:00 UTC) on ``day``: its text and its second."""
        second = 23_400 + int(self.rng.random() * 34_200)
        return f"{self.text(day)} {self.clock[second]}", second
