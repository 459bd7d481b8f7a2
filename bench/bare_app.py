"""The peer the start-up and memory benches compare with: a bare Textual app of the same shape.

    .venv/bin/python bench/bare_app.py

A header block of six lines (its fifth holds "Limit", as the customer header's credit
line does), seven tabs — Contacts, Actions, Quotes, Orders, Invoices, Conditions, Notes —
each with a table of a few rows, and a Footer.  ``]`` and ``[`` move between the tabs and
``ctrl+q`` quits, as in tradium-tui.  No database, no translations, no validation
libraries: what Textual itself costs for this screen, so the benches can print how many
times that tradium-tui needs.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

TABS = ("Contacts", "Actions", "Quotes", "Orders", "Invoices", "Conditions", "Notes")
HEADER = (
    "Lumen Verlichting B.V. (1001)  NL  EU  company",
    "Wilhelminastraat 6, 5014 RW Tilburg, Netherlands",
    "+31 13 415 5479  inkoop@lumenverlichting.nl",
    "CoC 59731157  VAT NL258926569B02 (valid)",
    "Open € 1.073,83  Limit € 25.000,00  Region South",
    "Source: Trade fair",
)


class BareApp(App):
    CSS = """
    #header { height: 6; padding: 0 1; }
    TabbedContent { height: 1fr; }
    DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("]", "tab(1)", "Next tab", id="next_tab"),
        Binding("[", "tab(-1)", "Previous tab", id="previous_tab"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("\n".join(HEADER), id="header")
        with TabbedContent():
            for index, title in enumerate(TABS):
                with TabPane(title, id=f"tab-{index}"):
                    yield DataTable(id=f"table-{index}")
        yield Footer()

    def on_mount(self) -> None:
        for index, title in enumerate(TABS):
            table = self.query_one(f"#table-{index}", DataTable)
            table.add_columns("Number", "Date", "Subject", "Amount", "Status")
            for row in range(5):
                table.add_row(f"{index}{row:04d}", "08-12-2026", f"{title} {row}",
                              f"€ {row * 125},00", "open")

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [f"tab-{index}" for index in range(len(TABS))]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(current + step) % len(ids)]


if __name__ == "__main__":
    BareApp().run()
