"""Snapshots of the Graph tab (and the Analysis tab) on the fixed data set of test_analysis.

The data and "today" are fixed, so the pictures are the same on SQLite and PostgreSQL.
Update with ``pytest tests/app/test_snapshots_analysis.py --snapshot-update`` after checking
the new pictures by eye.
"""

from __future__ import annotations

import pytest
from support.analysis import TODAY, build_data_set
from support.app import TabApp, settle_tab
from textual.widgets import DataTable

from tradium_tui import formatting
from tradium_tui.services.access import system_actor
from tradium_tui.widgets.tabs.analysis import AnalysisTab
from tradium_tui.widgets.tabs.graph import GraphTab


@pytest.fixture
def main_customer(database):
    formatting.set_locale("nl_NL")
    return build_data_set()["main"]


def _loaded(*keys: str):
    async def run_before(pilot) -> None:
        tab = pilot.app.tab
        await settle_tab(pilot, tab, 1)
        tab.focus()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        await _tables_measured(pilot)

    return run_before


async def _tables_measured(pilot) -> None:
    """Wait until every table has worked out its column widths.

    A DataTable measures its columns on an idle moment after rows are added; on a busy
    machine the picture could otherwise be taken with the headings' widths only.
    """
    for _ in range(200):
        tables = list(pilot.app.screen.query(DataTable))
        if not any(table._require_update_dimensions or table._new_rows for table in tables):
            await pilot.pause()
            return
        await pilot.pause()
    raise AssertionError("a table did not measure its columns")


def test_graph_tab_80x24(snap_compare, main_customer):
    app = TabApp(GraphTab(system_actor(), main_customer, today=TODAY))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_loaded())


def test_graph_tab_120x40(snap_compare, main_customer):
    app = TabApp(GraphTab(system_actor(), main_customer, today=TODAY))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_loaded())


def test_graph_tab_table_80x24(snap_compare, main_customer):
    app = TabApp(GraphTab(system_actor(), main_customer, today=TODAY))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_loaded("t"))


def test_analysis_tab_120x40(snap_compare, main_customer):
    app = TabApp(AnalysisTab(system_actor(), main_customer, today=TODAY))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_loaded())
