"""What the first frame of the main screen shows: the customer and the tabs, read in
the start-up worker or, by the command line, before the app runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tradium_tui.services import customer_view, tab_order
from tradium_tui.services.access import (
    Actor,
)
from tradium_tui.services.search import recent
from tradium_tui.widgets.tabs import has_tab_widget, tab_widget


@dataclass
class Started(Message):
    """The start-up worker found the tab order and the customer to open."""

    order: list[str]
    view: Any | None



def start_view(actor: Actor, start_customer: int | None = None) -> Any | None:
    """The customer to show first: the one asked for, else the one this user had open
    last, else the lowest number (``None`` on an empty database).  Database work."""
    user_id = actor.user.id if actor.user is not None else None
    customer_id = start_customer if start_customer is not None else recent.last_opened(user_id)
    if customer_id is None:
        return None
    return customer_view.load_customer_view(customer_id, user_id, actor=actor)


def start_tabs(actor: Actor) -> list[str]:
    """This user's visible tabs in their order; the first one's module is imported."""
    order = [tab for tab in tab_order.visible_tabs(actor) if has_tab_widget(tab)]
    if order:
        tab_widget(order[0])  # imported here (a worker or before the app), not on the event loop
    return order


def load_start(actor: Actor, start_customer: int | None = None) -> Started:
    """Everything the first frame shows, read before the app runs (the command line does
    this so header and tabs appear at once; without it the screen reads it in a worker)."""
    view = start_view(actor, start_customer)
    return Started(start_tabs(actor), view)
