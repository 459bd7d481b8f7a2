"""The Graph tab: invoiced revenue per month as a bar chart, the year before beside it.

The series comes from :func:`tradium_tui.services.analysis.graph_for` (one GROUP BY
query, loaded in the tab's thread worker).  The chart is drawn with textual-plotext;
a key toggles a table with the numbers behind it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _
from tradium_tui.services import analysis as analysis_service
from tradium_tui.services.access import Actor
from tradium_tui.widgets.safe_text import SafeDataTable
from tradium_tui.widgets.tabs.base import TabView, cell, right

MONTHS = 24
# Plot columns taken by the y axis labels and the frame.
_AXIS_WIDTH = 10


def month_label(month: date, with_year: bool = True) -> str:
    pattern = "MMM yy" if with_year else "MMM"
    return babel_dates.format_date(month, pattern, locale=fmt.current_locale()).rstrip(".")


def month_name(month: date) -> str:
    return babel_dates.format_date(month, "MMM yyyy", locale=fmt.current_locale())


def compact(value: float) -> str:
    """Short axis label: 2,5K / 1,2 mln. (the currency is named in the title)."""
    if value == 0:
        return "0"
    return babel_numbers.format_compact_decimal(
        value, locale=fmt.current_locale(), fraction_digits=1
    )


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values from ``low`` (≤ 0) to ``high`` (≥ 0), about ``count`` of them."""
    span = high - low
    if span <= 0:
        return [0.0]
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.5:
        ticks.append(round(value, 6))
        value += step
    return ticks


def label_step(months: int, plot_width: int, label_width: int = 7) -> int:
    """Show a month label every ``n`` months so the labels do not collide."""
    per_month = max(plot_width - _AXIS_WIDTH, 1) / max(months, 1)
    for step in (1, 2, 3, 4, 6, 12):
        if per_month * step >= label_width + 1:
            return step
    return 12


def _rgb(value: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        return Color.parse(value).rgb
    except Exception:
        return fallback


class GraphTab(TabView):
    """Bar chart of invoiced revenue per month (24 months) with the year before."""

    TAB = "graph"
    TITLE = N_("Graph")
    RECORD = "month"
    EMPTY = N_("No invoiced revenue in these months.")
    COLUMNS = ((N_("Month"), None), (N_("Revenue"), None), (N_("Year before"), None),
               (N_("Change"), None))
    can_focus = True
    BINDINGS = [
        Binding("t", "toggle_table", N_("Table/chart"), id="graph_toggle_table",
                tooltip=N_("Show the numbers behind the chart as a table, or the chart again.")),
    ]

    DEFAULT_CSS = """
    GraphTab .tab-summary { height: auto; margin: 0 1; }
    GraphTab #graph-plot { height: 1fr; min-height: 8; }
    GraphTab #graph-table { height: 1fr; display: none; margin: 0 1; }
    GraphTab.-table #graph-plot { display: none; }
    GraphTab.-table #graph-table { display: block; }
    """

    show_table: reactive[bool] = reactive(False)

    def __init__(
        self,
        actor: Actor,
        customer_id: int | None = None,
        *,
        today: date | None = None,
        months: int = MONTHS,
        **kwargs: Any,
    ) -> None:
        super().__init__(actor, **kwargs)
        self.today = today
        self.months = months
        self._initial_customer = customer_id

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static("", classes="tab-summary", markup=False)
        yield PlotextPlot(id="graph-plot")
        yield SafeDataTable(id="graph-table", cursor_type="row", zebra_stripes=True,
                        classes="tab-table")

    def on_mount(self) -> None:
        # (The base class adds the table's columns in its own handler.)
        if self._initial_customer is not None:
            self.load(self._initial_customer)

    @property
    def plot(self) -> PlotextPlot:
        return self.query_one("#graph-plot", PlotextPlot)

    # ----------------------------------------------------------------- loading

    @property
    def series(self) -> list[analysis_service.MonthRevenue]:
        """The months on show (empty until loaded)."""
        return list(self.rows)

    def load(self, customer_id: int | None) -> None:
        """Show ``customer_id`` and load its series now (also when not the visible tab)."""
        self.set_customer(customer_id)
        if customer_id is not None and not self.active:
            self.reload()

    def set_customer(self, customer_id: int | None) -> None:
        changed = customer_id != self.customer_id
        super().set_customer(customer_id)
        if changed:
            self._draw()

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return analysis_service.graph_for(
            self.actor, customer_id, months=self.months, today=self.today
        )

    def row_id(self, row: Any) -> Any:
        return row.month.isoformat()

    # ----------------------------------------------------------------- actions

    def action_toggle_table(self) -> None:
        self.show_table = not self.show_table

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # The screen focuses the tab's table on activation: while the chart is on show
        # the tab itself takes focus (its keys stay in the Footer).
        if event.widget is self.table and not self.show_table:
            self.focus(scroll_visible=False)

    def watch_show_table(self, show: bool) -> None:
        self.set_class(show, "-table")
        if show:
            self.table.focus()
        elif self.table.has_focus:
            self.focus()

    # ----------------------------------------------------------------- showing

    def _fill(self) -> None:
        table = self.table
        table.clear()
        palette = self.palette()
        for row in self.rows:
            table.add_row(*self._cells(row, palette), key=self.row_id(row))
        if self.rows:
            current, previous = analysis_service.totals(self.rows)
            table.add_row(
                cell(_("Total"), "bold"),
                right(fmt.money(current), "bold"),
                right(fmt.money(previous), "bold"),
                self._change_cell(current, previous, palette),
                key="total",
            )
        self._set_summary(self._summary_content())
        self._draw()
        self.refresh_bindings()

    def _summary_content(self) -> Content:
        if not self.rows:
            return Content("")
        first, last = self.rows[0].month, self.rows[-1].month
        current, previous = analysis_service.totals(self.rows)
        head = Content.assemble(
            (_("Revenue excl. VAT"), "bold"),
            Content.styled(f" {month_name(first)} – {month_name(last)}: ", "$text-muted"),
            (fmt.money(current), "bold"),
        )
        if current == 0 and previous == 0:
            return Content.assemble(head, Content.styled("  " + _(self.EMPTY), "$text-muted"))
        return Content.assemble(
            head, Content.styled(" · " + _("year before") + " ", "$text-muted"),
            fmt.money(previous)
        )

    def _cells(self, row: analysis_service.MonthRevenue, palette: dict[str, str]) -> list:
        return [
            cell(month_name(row.month)),
            right(fmt.money(row.revenue)),
            right(fmt.money(row.previous_year), palette["muted"]),
            self._change_cell(row.revenue, row.previous_year, palette),
        ]

    @staticmethod
    def _change_cell(current: Decimal, previous: Decimal, palette: dict[str, str]):
        change = current - previous
        if change == 0:
            return right("", palette["muted"])
        style = palette["success"] if change > 0 else palette["error"]
        arrow = "↑" if change > 0 else "↓"
        sign = "+" if change > 0 else ""
        return right(f"{arrow} {sign}{fmt.money(change)}", style)

    def _draw(self) -> None:
        """(Re)draw the chart from the rows for the plot's current width."""
        try:
            plot = self.plot
        except Exception:  # not composed yet
            return
        plt = plot.plt
        plt.clear_figure()
        rows = self.rows
        if not rows:
            plot.refresh()
            return
        variables = self.app.get_css_variables()
        current_colour = _rgb(variables.get("primary", ""), (0, 120, 215))
        previous_colour = _rgb(variables.get("foreground-darken-3", "")
                               or variables.get("secondary", ""), (128, 128, 128))
        xs = list(range(1, len(rows) + 1))
        previous = [float(r.previous_year) for r in rows]
        current = [float(r.revenue) for r in rows]
        # One bar per call: plotext scales a bar's width by the average gap of the x values
        # of a call and paints zero bars as blank cells over their neighbours.  Empty
        # months get no bar at all.
        for offset, values, marker, colour, label in (
            (-0.22, previous, "▒", previous_colour, _("year before")),
            (0.22, current, "█", current_colour, _("revenue")),
        ):
            first = True
            for x, value in zip(xs, values, strict=True):
                if value == 0:
                    continue
                plt.bar([x + offset], [value], width=0.4, marker=marker, color=colour,
                        label=label if first else None, reset_ticks=False)
                first = False
        width = plot.size.width or 80
        step = label_step(len(rows), width)
        ticks, labels = [], []
        for index, row in enumerate(rows):
            if (row.month.month - 1) % step == 0:
                ticks.append(xs[index])
                labels.append(month_label(row.month, with_year=row.month.month == 1 or not labels))
        plt.xticks(ticks, labels)
        low = min([0.0, *previous, *current])
        high = max([0.0, *previous, *current])
        y_ticks = [v for v in nice_ticks(low, high) if low <= v <= high] or [0.0]
        plt.yticks(y_ticks, [compact(v) for v in y_ticks])
        plt.xlim(0.4, len(rows) + 0.6)
        if high > low:
            pad = (high - low) * 0.04
            plt.ylim(low - (pad if low < 0 else 0), high + pad)
        plot.refresh()

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self._draw)

    def _show_detail(self, row: Any | None) -> None:
        """No detail pane here: the table row is the detail."""
        return None


WIDGET = GraphTab
