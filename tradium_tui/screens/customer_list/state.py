"""What the customer list holds, kept by the main screen between two visits."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradium_tui.services.customer_list import (
    listing,
)


@dataclass
class ListState:
    """What the list holds, kept by the main screen so Esc comes back to the same place."""

    query: listing.ListQuery = field(default_factory=listing.ListQuery)
    rows: list[listing.ListRow] = field(default_factory=list)
    offset: int = 0  # position of rows[0] in the whole list
    cursor: int = 0
    at_start: bool = True
    at_end: bool = False
    total: int | None = None
    loaded: bool = False
    view_name: str = ""
    # Customers merged away from this list → the customer they were merged into.
    merged: dict[int, int] = field(default_factory=dict)

