"""One module per customer tab; each defines ``WIDGET``, a :class:`TabView` subclass.

:func:`tab_widget` finds the widget class for a tab id (importing its module);
:func:`has_tab_widget` only checks that the module exists.  A tab without a module is
left out of the screen (a later change can add one without touching the main screen).
"""

from __future__ import annotations

import importlib
import importlib.util

from tradium_tui.widgets.tabs.base import TabView


def _module_name(tab: str) -> str:
    return f"tradium_tui.widgets.tabs.{tab}"


def has_tab_widget(tab: str) -> bool:
    """Whether the tab has a module, without importing it (cheap)."""
    return importlib.util.find_spec(_module_name(tab)) is not None


def tab_widget(tab: str) -> type[TabView] | None:
    try:
        module = importlib.import_module(_module_name(tab))
    except ModuleNotFoundError as exc:
        if exc.name == _module_name(tab):
            return None
        raise
    return getattr(module, "WIDGET", None)
