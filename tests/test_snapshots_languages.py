"""Snapshots of the main screen in each language, at 80×24 and 120×40, on the fixed demo
customer of test_snapshots.py (the same data, only the language differs).

Dutch and French words are longer than English ones: these pictures show that header,
tab row, table headings, status bar and Footer still fit.  Update with ``pytest
tests/test_snapshots_languages.py --snapshot-update`` after checking the pictures by eye.
"""

from __future__ import annotations

import dataclasses

import pytest
from app_support import settings_for
from test_snapshots import _ready, fixed_customer  # noqa: F401  (the fixture)

from tradium_tui.app import make_app

LANGUAGES = ("nl", "fr", "es", "en")


def _app(database, world, language: str):
    settings = dataclasses.replace(settings_for(database), language=language)
    return make_app(settings=settings, actor=world["admin"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screen_120x40(snap_compare, database, fixed_customer, language):  # noqa: F811
    assert snap_compare(_app(database, fixed_customer, language), terminal_size=(120, 40),
                        run_before=_ready())


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screen_80x24(snap_compare, database, fixed_customer, language):  # noqa: F811
    assert snap_compare(_app(database, fixed_customer, language), terminal_size=(80, 24),
                        run_before=_ready())
