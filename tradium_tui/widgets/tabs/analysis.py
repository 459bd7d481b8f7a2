"""The Analysis tab: what a customer brings in, margins, order and payment patterns.

The figures come from :func:`tradium_tui.services.analysis.analysis_for` (aggregate
queries, loaded in the tab's thread worker); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.widgets import Static

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, ngettext
from tradium_tui.services import analysis as analysis_service
from tradium_tui.services.access import Actor
from tradium_tui.widgets.safe_text import SafeDataTable
from tradium_tui.widgets.tabs.base import TabView, cell, right

ARROWS = {"up": "↑", "down": "↓", "flat": "→", "": ""}


def format_figure(kind: str, value: Any) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return fmt.money(value)
    if kind == "percent":
        return fmt.percent(value)
    return fmt.number(value)


def change_text(comparison: analysis_service.Comparison, palette: dict[str, str]) -> Text:
    """Arrow and change of a comparison, green when up, red when down."""
    direction = comparison.direction
    if not direction:
        return Text("—", style=palette.get("muted", "dim"), justify="right")
    style = {
        "up": f"bold {palette.get('success', 'green')}",
        "down": f"bold {palette.get('error', 'red')}",
    }.get(direction, palette.get("muted", "dim"))
    if comparison.kind == "percent":
        # TRANSLATORS: a change of a percentage in percentage points, e.g. "+2,5 pt"
        amount = _("{sign}{change} pt").format(sign="+" if comparison.change > 0 else "",
                                               change=fmt.number(comparison.change))
    elif comparison.change_percent is not None:
        pct = comparison.change_percent
        amount = f"{'+' if pct > 0 else ''}{fmt.percent(pct)}"
    elif comparison.kind == "money":
        amount = f"{'+' if comparison.change > 0 else ''}{fmt.money(comparison.change)}"
    else:
        amount = f"{'+' if comparison.change > 0 else ''}{fmt.number(comparison.change)}"
    return Text(f"{ARROWS[direction]} {amount}", style=style, justify="right", no_wrap=True)


def _table(title: str, *columns: tuple[str, str]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
        pad_edge=False,
        expand=False,
        header_style="dim",
    )
    for label, justify in columns:
        table.add_column(label, justify=justify, no_wrap=justify == "right")
    return table


def figures_table(result: analysis_service.CustomerAnalysis) -> Table:
    today = result.today
    table = _table(
        _("Revenue and orders"),
        ("", "left"),
        (_("{year} to date").format(year=today.year), "right"),
        (str(today.year - 1), "right"),
        (_("All time"), "right"),
    )
    periods = (result.this_year, result.last_year, result.all_time)
    table.add_row(_("Revenue (invoiced, excl. VAT)"), *(fmt.money(p.revenue) for p in periods))
    table.add_row(_("Orders"), *(fmt.number(p.orders) for p in periods))
    table.add_row(_("Average order value"), *(format_figure("money", p.average_order_value)
                                              for p in periods))
    table.add_row(_("Gross margin"), *(fmt.money(p.margin) for p in periods))
    table.add_row(_("Margin %"), *(format_figure("percent", p.margin_percent) for p in periods))
    return table


def pattern_table(result: analysis_service.CustomerAnalysis) -> Table:
    table = _table(_("Order and payment pattern"), ("", "left"), ("", "right"), ("", "left"))
    table.show_header = False
    last = result.last_order_date
    table.add_row(
        _("Days since the last order"),
        fmt.number(result.days_since_last_order) if last else "—",
        _("last order {date}").format(date=fmt.date_medium(last)) if last
        else _("no orders yet"),
    )
    between = result.average_days_between_orders
    table.add_row(
        _("Average days between orders"),
        fmt.number(between) if between is not None else "—",
        _("since {date}").format(date=fmt.date_medium(result.first_order_date))
        if between is not None else _("needs orders on two days"),
    )
    pay = result.average_days_to_pay
    table.add_row(
        _("Average days to pay"),
        fmt.number(pay) if pay is not None else "—",
        ngettext("over {count} paid invoice", "over {count} paid invoices",
                 result.paid_invoices).format(count=fmt.number(result.paid_invoices))
        if pay is not None else _("no paid invoices"),
    )
    return table


def comparison_table(result: analysis_service.CustomerAnalysis, palette: dict[str, str]) -> Table:
    table = _table(
        _("Compared with the previous period"),
        ("", "left"), (_("Now"), "right"), (_("Before"), "right"), (_("Change"), "right"),
    )
    for comparison in result.comparisons:
        table.add_row(
            _(comparison.label),
            format_figure(comparison.kind, comparison.current),
            format_figure(comparison.kind, comparison.previous),
            change_text(comparison, palette),
        )
    return table


class AnalysisTab(TabView):
    """Revenue this year / last year / all time, orders, margins, patterns, comparisons."""

    TAB = "analysis"
    TITLE = N_("Analysis")
    RECORD = "analysis"
    EMPTY = N_("No orders or invoices for this customer yet.")
    # No keys of its own: F5 (the main screen's Refresh) computes the figures again, and
    # r stays the main screen's Recent customers here as on every other tab.

    COLUMNS = ((N_("Article"), None), (N_("Description"), None), (N_("Quantity"), None),
               (N_("Revenue"), None), (N_("Margin"), None))

    DEFAULT_CSS = """
    AnalysisTab #analysis-body { height: 1fr; }
    AnalysisTab .analysis-part { height: auto; margin: 0 1 1 1; }
    AnalysisTab .analysis-part.-title { margin: 0 1; }
    AnalysisTab #analysis-table { height: auto; margin: 0 1 1 1; }
    AnalysisTab .tab-summary { height: auto; margin: 0 1; }
    """

    def __init__(
        self,
        actor: Actor,
        customer_id: int | None = None,
        *,
        today: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(actor, **kwargs)
        self.today = today
        self._initial_customer = customer_id
        self._focus_body = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static("", classes="tab-summary", markup=False)
        with VerticalScroll(id="analysis-body", can_focus=True):
            yield Static("", id="analysis-figures", classes="analysis-part")
            yield Static("", id="analysis-patterns", classes="analysis-part")
            yield Static("", id="analysis-comparisons", classes="analysis-part")
            yield Static("", id="analysis-articles-title", classes="analysis-part -title")
            yield SafeDataTable(id="analysis-table", cursor_type="row", zebra_stripes=True,
                            classes="tab-table")

    def on_mount(self) -> None:
        # (The base class adds the article table's columns in its own handler.)
        if self._initial_customer is not None:
            self.load(self._initial_customer)

    # ----------------------------------------------------------------- loading

    @property
    def analysis(self) -> analysis_service.CustomerAnalysis | None:
        """The figures on show (None until loaded)."""
        return self.extra

    def load(self, customer_id: int | None) -> None:
        """Show ``customer_id`` and compute its figures now (also when not the visible tab)."""
        self.set_customer(customer_id)
        if customer_id is not None and not self.active:
            self.reload()

    def set_customer(self, customer_id: int | None) -> None:
        if customer_id != self.customer_id:
            self._clear_parts()
        super().set_customer(customer_id)

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return []

    def fetch_extra(self, customer_id: int) -> Any:
        return analysis_service.analysis_for(self.actor, customer_id, today=self.today)

    def row_id(self, row: Any) -> Any:
        return row.article

    # ----------------------------------------------------------------- focus

    def activate(self) -> None:
        # The screen focuses the tab's table on activation; here the figures come first,
        # so that first focus goes to the scrolling body at its top instead.
        self._focus_body = True
        super().activate()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if self._focus_body and event.widget is self.table:
            self._focus_body = False
            body = self.query_one("#analysis-body", VerticalScroll)
            body.focus(scroll_visible=False)
            body.scroll_home(animate=False)

    # ----------------------------------------------------------------- showing

    def _clear_parts(self) -> None:
        for part in self.query(".analysis-part").results(Static):
            part.update("")

    def _fill(self) -> None:
        result: analysis_service.CustomerAnalysis | None = self.extra
        table = self.table
        table.clear()
        if result is None:
            self.rows = []
            self._clear_parts()
            return
        palette = self.palette()
        self._set_summary(
            Content("") if result.has_activity else Content.styled(_(self.EMPTY), "$text-muted")
        )
        self.query_one("#analysis-figures", Static).update(figures_table(result))
        self.query_one("#analysis-patterns", Static).update(pattern_table(result))
        self.query_one("#analysis-comparisons", Static).update(comparison_table(result, palette))
        self.rows = list(result.top_articles)
        title = self.query_one("#analysis-articles-title", Static)
        if self.rows:
            title.update(Text(ngettext("Top {count} article by revenue (all time)",
                                       "Top {count} articles by revenue (all time)",
                                       len(self.rows)).format(count=len(self.rows)),
                              style="bold"))
        else:
            title.update(Text(_("Top articles: no order lines yet."), style="dim"))
        table.display = bool(self.rows)
        for row in self.rows:
            description = "" if row.description == row.article else row.description
            table.add_row(
                cell(row.article),
                cell(description),
                right(fmt.number(row.quantity)),
                right(fmt.money(row.revenue)),
                right(fmt.money(row.margin)),
                key=str(row.article),
            )
        self.refresh_bindings()

    def _show_detail(self, row: Any | None) -> None:
        """No detail pane here: the figures are the detail."""
        return None


WIDGET = AnalysisTab
