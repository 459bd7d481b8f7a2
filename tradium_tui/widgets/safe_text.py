"""Cells and texts made safe to draw: stored text never reaches the terminal as control
characters (see services.text_safety), whatever was stored before the rules existed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.content import Content

from tradium_tui.services.text_safety import shown


def _unsafe(text: str) -> bool:
    return shown(text) != text


def safe_cell(cell: Any) -> Any:
    if isinstance(cell, str):
        return shown(cell)
    if isinstance(cell, Text) and _unsafe(cell.plain):
        return Text(shown(cell.plain), style=cell.style, justify=cell.justify)
    if isinstance(cell, Content) and _unsafe(cell.plain.replace("\n", " ")):
        return Content(shown(cell.plain, multiline=True))
    return cell


def safe_cells(cells: Iterable[Any]) -> list[Any]:
    return [safe_cell(cell) for cell in cells]
