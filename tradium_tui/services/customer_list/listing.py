"""What a customer list is: its columns and filters (and which a role may use), the
:class:`ListQuery` that describes one list, its rows, and how a list reads for the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tradium_tui.services.access import Actor

# id → (title, needs the Invoices tab)
COLUMNS: dict[str, tuple[str, bool]] = {
    "number": ("Number", False),
    "name": ("Name", False),
    "city": ("City", False),
    "country": ("Country", False),
    "account_manager": ("Account manager", False),
    "region": ("Region", False),
    "group": ("Group", False),
    "open_balance": ("Open balance", True),
    "last_order": ("Last order", False),
    "vat_status": ("VAT status", False),
}
MONEY_TAB = "invoices"
# Filters and what their value is.
FILTERS: dict[str, str] = {
    "region": "text",
    "account_manager": "user name",
    "group": "group name",
    "condition_group": "condition group code",
    "tag": "tag name",
    "country": "country code",
    "eu": "eu / non-eu",
    "vat_status": "VAT status",
    "marked": "yes",
    "mailing_code": "number",
    "over_limit": "yes",
    "overdue": "yes",
    "no_order_since": "date (YYYY-MM-DD)",
}
MONEY_FILTERS = frozenset({"over_limit", "overdue"})


@dataclass
class ListQuery:
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = "number"
    descending: bool = False
    text: str = ""
    columns: list[str] = field(default_factory=lambda: list(COLUMNS))

    def to_spec(self) -> dict[str, Any]:
        return {"filters": self.filters, "sort": self.sort, "descending": self.descending,
                "text": self.text, "columns": self.columns}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> ListQuery:
        query = cls(
            filters=dict(spec.get("filters") or {}),
            sort=str(spec.get("sort") or "number"),
            descending=bool(spec.get("descending")),
            text=str(spec.get("text") or ""),
            columns=[c for c in spec.get("columns") or COLUMNS if c in COLUMNS] or list(COLUMNS),
        )
        if query.sort not in COLUMNS:
            query.sort = "number"
        return query


@dataclass(frozen=True)
class ListRow:
    id: int
    number: int
    name: str
    city: str
    country: str
    account_manager: str
    region: str
    group: str
    open_balance: Decimal | None
    last_order: dt.date | None
    vat_status: str
    marked: bool
    key: tuple  # (sort value, id): where the next page starts


def visible_columns(actor: Actor, wanted: Iterable[str] | None = None) -> list[str]:
    """The columns the actor may see, in the wanted order (default all)."""
    money = actor.can(MONEY_TAB, "view")
    return [c for c in (wanted or COLUMNS) if c in COLUMNS and (money or not COLUMNS[c][1])]


def allowed_filters(actor: Actor) -> list[str]:
    money = actor.can(MONEY_TAB, "view")
    return [f for f in FILTERS if money or f not in MONEY_FILTERS]


def sort_label(query: ListQuery) -> str:
    return f"{COLUMNS[query.sort][0]} {'↓' if query.descending else '↑'}"


def describe_filters(query: ListQuery) -> str:
    parts = []
    for name, value in query.filters.items():
        label = name.replace("_", " ")
        parts.append(label if value is True else f"{label}: {value}")
    if query.text:
        parts.append(f"text: {query.text}")
    return "; ".join(parts) or "all customers"
