"""One module per customer tab; each defines ``WIDGET``, a :class:`TabView` subclass.

:func:`tab_widget` finds the widget class for a tab id; a tab without a module is
left out of the screen (a later change can add one without touching the main screen).
"""

from __future__ import annotations

import importlib

from tradium_tui.widgets.tabs.base import TabView


def tab_widget(tab: str) -> type[TabView] | None:
    try:
        module = importlib.import_module(f"tradium_tui.widgets.tabs.{tab}")
    except ModuleNotFoundError as exc:
        if exc.name == f"tradium_tui.widgets.tabs.{tab}":
            return None
        raise
    return getattr(module, "WIDGET", None)
