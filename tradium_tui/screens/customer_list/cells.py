"""The customer list's columns: their widths and headings, and how a value is
drawn in a cell."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, NP_, _
from tradium_tui.services.customer_list import (
    listing,
)
from tradium_tui.widgets.safe_text import safe_cell

WIDTHS = {"number": 7, "name": 22, "city": 11, "country": 4, "account_manager": 8,
          "region": 9, "group": 9, "open_balance": 10, "last_order": 10, "vat_status": 9}
# The column headings (each fits its width above, in every language) and the columns'
# names in the sort choice; translated where they are drawn.
# TRANSLATORS: "list heading" texts are the customer list's column headings; each must fit
# its column: Number 7, Country 4, Manager 8, Region 9, Group 9, Open 10, Last order 10,
# VAT 9 characters (an arrow is added to the sorted one).
HEADERS = {
    "number": NP_("list heading", "Number"), "name": NP_("list heading", "Name"),
    "city": NP_("list heading", "City"), "country": NP_("list heading", "Ctry"),
    "account_manager": NP_("list heading", "Manager"), "region": NP_("list heading", "Region"),
    "group": NP_("list heading", "Group"), "open_balance": NP_("list heading", "Open"),
    "last_order": NP_("list heading", "Last order"), "vat_status": NP_("list heading", "VAT"),
}
COLUMN_NAMES = {
    "number": N_("Number"), "name": N_("Name"), "city": N_("City"), "country": N_("Country"),
    "account_manager": N_("Account manager"), "region": N_("Region"), "group": N_("Group"),
    "open_balance": N_("Open balance"), "last_order": N_("Last order"),
    "vat_status": N_("VAT status"),
}
RIGHT = {"number", "open_balance"}


# TRANSLATORS: "list VAT status" texts fill the customer list's VAT column: 9 characters.
VAT_TEXTS = {
    "valid": NP_("list VAT status", "valid"), "invalid": NP_("list VAT status", "invalid"),
    "missing": NP_("list VAT status", "missing"),
    "unchecked": NP_("list VAT status", "unchecked"),
    "not_required": NP_("list VAT status", "n/a"),
}



def cell(column: str, row: listing.ListRow) -> Text:
    value: Any = getattr(row, column)
    if column == "open_balance":
        text = fmt.amount(value) if value is not None else ""
    elif column == "last_order":
        text = fmt.date_short(value) if value else ""
    elif column == "number":
        text = ("● " if row.marked else "") + str(value)
    elif column == "vat_status":
        text = _(VAT_TEXTS[value]) if value in VAT_TEXTS else str(value or "")
    else:
        text = str(value or "")
    return safe_cell(Text(text, justify="right" if column in RIGHT else "left"))
