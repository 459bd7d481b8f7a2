"""What a demo seed wrote, and how long it took."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SeedReport:
    """What :func:`~tradium_tui.demo.seed.seed_demo` wrote, and how long it took."""

    customers: int = 0
    contacts: int = 0
    actions: int = 0
    notes: int = 0
    quotes: int = 0
    quote_lines: int = 0
    orders: int = 0
    order_lines: int = 0
    invoices: int = 0
    conditions: int = 0
    tag_links: int = 0
    marks: int = 0
    audit_rows: int = 0
    first_number: int | None = None
    last_number: int | None = None
    seconds: float = 0.0
    by_country: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return (
            self.customers + self.contacts + self.actions + self.notes + self.quotes
            + self.quote_lines + self.orders + self.order_lines + self.invoices
            + self.conditions + self.tag_links + self.marks + self.audit_rows
        )

    def summary(self) -> str:
        numbers = (
            f" (numbers {self.first_number}–{self.last_number})" if self.first_number else ""
        )
        return (
            f"Seeded {self.customers:,} customers{numbers}, {self.contacts:,} contacts, "
            f"{self.actions:,} actions, {self.quotes:,} quotes, {self.orders:,} orders, "
            f"{self.invoices:,} invoices, {self.conditions:,} conditions, {self.notes:,} notes "
            f"({self.rows:,} rows) in {self.seconds:.2f} s."
        )
