"""Snapshots of the main screen in each language, at 80×24 and 120×40, on the fixed demo
customer of test_snapshots.py (the same data, only the language differs).

Dutch and French words are longer than English ones: these pictures show that header,
tab row, table headings, status bar and Footer still fit.  Update with ``pytest
tests/app/test_snapshots_languages.py --snapshot-update`` after checking the pictures by eye.
"""

from __future__ import annotations

import dataclasses

import pytest
from support.app import ready_for_snapshot, settings_for

LANGUAGES = ("nl", "fr", "es", "en")


def _settings(database, language: str):
    settings = dataclasses.replace(settings_for(database), language=language)
    return settings


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screen_120x40(snap_compare, new_app, database, fixed_customer, language):
    assert snap_compare(new_app(fixed_customer["admin"], _settings(database, language)), terminal_size=(120, 40),
                        run_before=ready_for_snapshot())


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screen_80x24(snap_compare, new_app, database, fixed_customer, language):
    assert snap_compare(new_app(fixed_customer["admin"], _settings(database, language)), terminal_size=(80, 24),
                        run_before=ready_for_snapshot())
