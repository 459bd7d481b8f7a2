"""Stored text made safe to draw: never a terminal control, never markup.

Data stored before the validation rules existed (or written straight into the database)
may hold control characters (see :mod:`tradium_tui.services.text_safety`) and text that
Rich or Textual would read as markup: ``[bold red]``, ``[@click=app.quit]`` (a clickable
action), ``[link=file:///…]`` or an unbalanced ``[/]`` that raises a markup error and
ends the app.  The shared points that keep it out:

- :func:`safe_cell` / :func:`plain`: a value as a :class:`rich.text.Text` that is drawn
  as it reads (a DataTable parses a ``str`` cell as markup; a ``Text`` cell it does not);
- :class:`SafeDataTable`: the only DataTable the app builds; every cell and heading goes
  through :func:`safe_cell`;
- :func:`markup_escaped`: for the few places Textual parses a string as markup whatever
  we do (the command palette's help line);
- the app's ``notify`` shows every message as plain text (``TradiumApp.notify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tradium_tui.services.text_safety import shown


def _unsafe(text: str) -> bool:
    return shown(text) != text


def plain(value: Any, style: str = "") -> Text:
    """``value`` as text that is drawn literally: control characters made visible, no
    markup read."""
    return Text(shown(value), style=style, end="")


def safe_cell(cell: Any) -> Any:
    """A cell or text safe to draw: a ``str`` becomes a plain :class:`Text` (never parsed
    as markup), a ``Text`` or ``Content`` holding control characters gets them made
    visible; anything else (numbers, tables the app builds) is left as it is."""
    if isinstance(cell, str):
        return plain(cell)
    if isinstance(cell, Text) and _unsafe(cell.plain):
        safe = Text(shown(cell.plain), style=cell.style, justify=cell.justify,
                    no_wrap=cell.no_wrap, end=cell.end)
        if len(safe.plain) == len(cell.plain):  # same positions: keep the inner styles
            for span in cell.spans:
                safe.stylize(span.style, span.start, span.end)
        return safe
    if isinstance(cell, Content) and _unsafe(cell.plain.replace("\n", " ")):
        return Content(shown(cell.plain, multiline=True))
    return cell


def safe_cells(cells: Iterable[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in cells]


def markup_escaped(value: Any) -> str:
    """``value`` for a place that parses markup: every ``[`` escaped, controls visible."""
    return shown(value).replace("[", "\\[")


class SafeDataTable(DataTable):
    """A DataTable whose cells, row labels and column headings are drawn as they read:
    a ``str`` is never parsed as markup, control characters are made visible."""

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: Any = None) -> ColumnKey:
        return super().add_column(safe_cell(label), width=width, key=key,
                                  default=None if default is None else safe_cell(default))

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*safe_cells(cells), height=height, key=key,
                               label=None if label is None else safe_cell(label))

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: Any, *,
                    update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, safe_cell(value), update_width=update_width)
