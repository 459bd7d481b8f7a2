"""The Analysis and Graph tabs in a tiny app: loading, switching customers, the table toggle."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.console import Console
from rich.table import Table
from support.analysis import TODAY, actor_with_levels, build_data_set
from support.app import TabApp, finish_workers, settle_tab
from textual.widgets import DataTable, Static

from tradium_tui import formatting
from tradium_tui.services.access import system_actor
from tradium_tui.widgets.tabs import tab_widget
from tradium_tui.widgets.tabs.analysis import AnalysisTab, change_text
from tradium_tui.widgets.tabs.graph import GraphTab, label_step, nice_ticks


@pytest.fixture
def ids(database):
    formatting.set_locale("nl_NL")
    return build_data_set()


def plain(static: Static, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))
    console.print(static.content)
    return console.export_text().replace("\xa0", " ")


def text(value) -> str:
    """A cell or content as plain text, babel's non-breaking spaces as spaces."""
    return str(value).replace("\xa0", " ")


def test_both_tabs_are_found_by_tab_id():
    assert tab_widget("analysis") is AnalysisTab
    assert tab_widget("graph") is GraphTab


async def test_analysis_tab_shows_the_figures(ids):
    tab = AnalysisTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(100, 60)) as pilot:
        await settle_tab(pilot, tab, 1)
        assert tab.analysis is not None and tab.analysis.customer_id == ids["main"]
        figures = plain(tab.query_one("#analysis-figures", Static))
        assert "2025 to date" in figures and "All time" in figures
        revenue_line = next(line for line in figures.splitlines() if line.startswith("Revenue ("))
        assert revenue_line.split()[-6:] == ["€", "1.300,00", "€", "1.100,00", "€", "2.600,00"]
        assert "45,5 %" in figures and "€ 201,67" in figures
        patterns = plain(tab.query_one("#analysis-patterns", Static))
        assert "Days since the last order" in patterns and " 36 " in patterns
        assert "130" in patterns and "over 4 paid invoices" in patterns
        comparisons = plain(tab.query_one("#analysis-comparisons", Static))
        assert "↑ +62,5 %" in comparisons
        assert "↓ -21,4 %" in comparisons
        assert "↑ +15,7 pt" in comparisons
        table = tab.query_one("#analysis-table", DataTable)
        assert table.row_count == 5
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == "B200"
        assert text(table.get_row_at(0)[3]) == "€ 456,50"


async def test_comparison_arrows_are_coloured(ids):
    tab = AnalysisTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(100, 60)) as pilot:
        await settle_tab(pilot, tab, 1)
        palette = tab.palette()
        table = tab.query_one("#analysis-comparisons", Static).content
        assert isinstance(table, Table)
        change_cells = list(table.columns[3].cells)
        by_key = dict(zip((c.key for c in tab.analysis.comparisons), change_cells, strict=True))
        assert str(by_key["revenue_ytd"]).startswith("↑")
        assert palette["success"] in str(by_key["revenue_ytd"].style)
        assert str(by_key["aov_ytd"]).startswith("↓")
        assert palette["error"] in str(by_key["aov_ytd"].style)
        assert palette["success"] != palette["error"]
        flat = [c for c in tab.analysis.comparisons if c.key == "revenue_ytd"][0]
        assert text(change_text(flat, palette).plain) == "↑ +62,5 %"


async def test_analysis_tab_switches_customers(ids):
    tab = AnalysisTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(100, 60)) as pilot:
        await settle_tab(pilot, tab, 1)
        tab.load(ids["empty"])
        await settle_tab(pilot, tab, 2)
        assert tab.analysis.customer_id == ids["empty"]
        summary = tab.query_one(".tab-summary", Static)
        assert summary.display and "No orders or invoices" in str(summary.content)
        assert "no order lines yet" in plain(tab.query_one("#analysis-articles-title", Static))
        assert not tab.query_one("#analysis-table", DataTable).display
        # A quick second switch: only the last customer's figures stay on screen.
        tab.load(ids["main"])
        tab.load(ids["orders_only"])
        await settle_tab(pilot, tab, 3)
        await finish_workers(pilot)
        await pilot.pause()
        assert tab.customer_id == ids["orders_only"]
        assert tab.analysis.customer_id == ids["orders_only"]
        assert tab.analysis.all_time.revenue == Decimal("0.00")
        assert tab.analysis.all_time.orders == 1


async def test_analysis_tab_refuses_without_view_permission(ids):
    actor = actor_with_levels("graphonly", {"graph": "view"})
    tab = AnalysisTab(actor, ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(100, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert tab.analysis is None and tab.load_count == 0
        assert plain(tab.query_one("#analysis-figures", Static)).strip() == ""


async def test_graph_tab_loads_series_and_table(ids):
    tab = GraphTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(80, 24)) as pilot:
        await settle_tab(pilot, tab, 1)
        assert len(tab.series) == 24
        assert tab.series[-1].revenue == Decimal("50.00")
        table = tab.query_one("#graph-table", DataTable)
        assert table.row_count == 25  # 24 months and the total
        total = table.get_row("total")
        assert [text(v) for v in total[:3]] == ["Total", "€ 2.600,00", "€ 950,00"]
        feb = table.get_row("2025-02-01")
        assert text(feb[1]) == "€ 1.000,00" and str(feb[3]).startswith("↑")
        mar = table.get_row("2025-03-01")
        assert text(mar[2]) == "€ 800,00" and str(mar[3]).startswith("↓")
        summary = text(tab.query_one(".tab-summary", Static).content)
        assert "€ 2.600,00" in summary and "€ 950,00" in summary
        built = tab.plot.plt.build()
        assert "year before" in built and "revenue" in built


async def test_graph_table_toggle_key_in_footer(ids):
    tab = GraphTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(80, 24)) as pilot:
        await settle_tab(pilot, tab, 1)
        tab.focus()
        await pilot.pause()
        bindings = pilot.app.screen.active_bindings
        assert bindings["t"].binding.id == "graph_toggle_table"
        assert bindings["t"].binding.description
        plot = tab.query_one("#graph-plot")
        table = tab.query_one("#graph-table", DataTable)
        assert plot.display and not table.display
        await pilot.press("t")
        await pilot.pause()
        assert tab.show_table and table.display and not plot.display
        assert table.has_focus
        await pilot.press("t")
        await pilot.pause()
        assert not tab.show_table and plot.display and not table.display


async def test_graph_tab_switches_customers_and_refuses_without_permission(ids):
    tab = GraphTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(80, 24)) as pilot:
        await settle_tab(pilot, tab, 1)
        tab.load(ids["orders_only"])
        await settle_tab(pilot, tab, 2)
        assert all(m.revenue == 0 and m.previous_year == 0 for m in tab.series)
        assert "No invoiced revenue" in str(tab.query_one(".tab-summary", Static).content)

    actor = actor_with_levels("analysisonly", {"analysis": "view"})
    hidden = GraphTab(actor, ids["main"], today=TODAY)
    async with TabApp(hidden).run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert hidden.series == [] and hidden.load_count == 0


def test_axis_helpers():
    assert nice_ticks(0, 1000) == [0, 250, 500, 750, 1000]
    assert nice_ticks(-200, 1000) == [-500, 0, 500, 1000]
    assert nice_ticks(0, 0) == [0.0]
    assert label_step(24, 80) == 3
    assert label_step(24, 300) == 1


async def test_activation_focus_keeps_the_figures_in_view(ids):
    """The main screen activates a tab and focuses its table; the figures stay on top."""
    tab = AnalysisTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(80, 24)) as pilot:
        await settle_tab(pilot, tab, 1)
        tab.activate()
        tab.query_one(DataTable).focus()
        await pilot.pause()
        await pilot.pause()
        body = tab.query_one("#analysis-body")
        assert pilot.app.focused is body
        assert body.scroll_y == 0
        # r is left to the main screen (Recent customers); F5 there computes again.
        assert "r" not in pilot.app.screen.active_bindings
        # Later the articles table can be focused like any widget.
        tab.query_one(DataTable).focus()
        await pilot.pause()
        assert pilot.app.focused is tab.query_one(DataTable)


async def test_graph_activation_focuses_the_tab_while_the_chart_shows(ids):
    tab = GraphTab(system_actor(), ids["main"], today=TODAY)
    async with TabApp(tab).run_test(size=(80, 24)) as pilot:
        await settle_tab(pilot, tab, 1)
        tab.activate()
        tab.query_one(DataTable).focus()
        await pilot.pause()
        await pilot.pause()
        assert pilot.app.focused is tab
        assert "t" in pilot.app.screen.active_bindings
