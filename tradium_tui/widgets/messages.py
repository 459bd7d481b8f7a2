"""Typed messages that workers and widgets post to the screens.

Workers run database work in threads and report back with these; nothing in the UI
reads the database on the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class CustomerLoaded(Message):
    """The header data of a customer is ready."""

    view: Any  # services.customer_view.CustomerView


@dataclass
class CustomerLoadFailed(Message):
    """Opening a customer failed; ``text`` is one sentence for the user."""

    customer_id: int | None
    text: str


@dataclass
class OpenCustomer(Message):
    """Somebody (finder, palette, my actions) asks the main screen to open a customer."""

    customer_id: int


@dataclass
class DataChanged(Message):
    """A write changed data of a customer; ``tab`` is the tab that wrote (or "base")."""

    customer_id: int | None
    tab: str


@dataclass
class TabLoaded(Message):
    """A tab's rows arrived from its worker."""

    tab: str
    customer_id: int
    rows: list[Any]
    extra: Any = None


@dataclass
class TabLoadFailed(Message):
    tab: str
    text: str


@dataclass
class SearchResults(Message):
    """Finder hits for ``query`` (stale results are recognised by their query)."""

    query: str
    hits: list[Any]
    recent: bool = False


@dataclass
class CodeMatched(Message):
    """A typed or scanned code matched one customer exactly (or nothing: ``None``)."""

    query: str
    customer_id: int | None


@dataclass
class SaveSucceeded(Message):
    """A form's save went through; ``record`` is what the service returned."""

    record: Any


@dataclass
class SaveFailed(Message):
    """A form's save was refused; ``error`` is the ServiceError (validation, conflict…)."""

    error: Exception


@dataclass
class DetailLoaded(Message):
    """Extra data for the detail view of one row (e.g. the lines of a quote)."""

    tab: str
    row_key: str
    data: Any
