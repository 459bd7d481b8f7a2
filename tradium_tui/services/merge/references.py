"""What a merge moves: every table with a key to the customer, and the decision
for each (move, move unless the survivor has the same, one primary contact)."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from tradium_tui.i18n import N_
from tradium_tui.models import (
    ALL_MODELS,
    Customer,
)

MOVE = "move"  # every row follows the survivor
UNIQUE = "unique"  # move, except rows the survivor already has (removed, kept for undo)
PRIMARY = "move, one primary"  # contacts: the survivor's primary contact stays the only one

# The decision for every table with a foreign key to the customer.
RULES: dict[str, str] = {
    "customer_tag": UNIQUE,
    "mark": UNIQUE,
    "recent_customer": UNIQUE,
    "contact": PRIMARY,
    "action": MOVE,
    "note": MOVE,
    "quote": MOVE,
    "order": MOVE,
    "invoice": MOVE,  # the invoice's customer snapshot stays as issued
    "condition": MOVE,
    "customer_alias": MOVE,  # aliases of earlier merges follow too
}

# What moves, as the merge dialog names it ("orders: 3"; translated where it is shown).
LABELS: dict[str, str] = {
    "customer_tag": N_("tags"), "mark": N_("marks"), "recent_customer": N_("recent-list entries"),
    "contact": N_("contacts"), "action": N_("actions"), "note": N_("notes"), "quote": N_("quotes"),
    "order": N_("orders"), "invoice": N_("invoices"), "condition": N_("conditions"),
    "customer_alias": N_("earlier numbers"),
}


@dataclass(frozen=True)
class Reference:
    model: type[peewee.Model]
    field: peewee.ForeignKeyField
    # Other columns of a unique index holding the customer key (empty: none).
    unique_with: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.model._meta.table_name

    @property
    def rule(self) -> str:
        return RULES.get(self.table) or (UNIQUE if self.unique_with else MOVE)

    @property
    def label(self) -> str:
        return LABELS.get(self.table, self.table.replace("_", " "))


def customer_references() -> list[Reference]:
    """Every (model, foreign key) that points at a customer, from :data:`ALL_MODELS`."""
    found: list[Reference] = []
    for model in ALL_MODELS:
        if model is Customer:
            continue
        for fld in model._meta.sorted_fields:
            if isinstance(fld, peewee.ForeignKeyField) and fld.rel_model is Customer:
                partners: tuple[str, ...] = ()
                for columns, unique in model._meta.indexes:
                    names = tuple(c if isinstance(c, str) else c.name for c in columns)
                    if unique and fld.name in names:
                        partners = tuple(n for n in names if n != fld.name)
                found.append(Reference(model, fld, partners))
    return found

