"""The Conditions tab: customer-specific prices and discounts with validity, the group
discount, the condition group and the payment term."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.services import conditions as conditions_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import TabView, cell, detail_lines, record_bindings, right

KIND_CHOICES = [(label, kind) for kind, label in conditions_service.KIND_LABELS.items()]


def condition_value(row: Any) -> str:
    if row.kind == "price":
        return fmt.money(row.price)
    if row.kind == "discount":
        return fmt.percent(row.discount_percent)
    if row.payment_term_days is not None:
        return f"{row.payment_term_days} days"
    return ""


def validity(row: Any) -> str:
    start, end = fmt.date_short(row.valid_from), fmt.date_short(row.valid_until)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return "always"


class ConditionsTab(TabView):
    TAB = "conditions"
    TITLE = "Conditions"
    RECORD = "condition"
    EMPTY = "No customer-specific conditions."
    COLUMNS = (("Kind", 13), ("Article / group", 20), ("Description", None), ("Value", 14),
               ("Valid", 24))
    BINDINGS = record_bindings("conditions", "New condition")

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return conditions_service.list_conditions(self.actor, customer_id)

    def fetch_extra(self, customer_id: int) -> Any:
        return conditions_service.conditions_summary(customer_id, actor=self.actor)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = "dim" if not row.active else ""
        target = row.article or (f"group {row.article_group}" if row.article_group else "")
        return (
            cell(conditions_service.KIND_LABELS.get(row.kind, row.kind), style),
            cell(target, style),
            cell(row.description, style),
            right(condition_value(row), style),
            cell(validity(row) + ("" if row.active else (" (expired)" if row.expired else
                                                          " (not yet)")), style),
        )

    def summary(self) -> Content:
        s = self.extra
        if s is None:
            return Content("")
        parts: list[Content] = []
        group = s.customer_group or "no group"
        parts.append(Content.assemble(Content.styled("Group ", "$text-muted"), group,
                                      f" ({fmt.percent(s.group_discount_percent)})"
                                      if s.customer_group else ""))
        if s.customer_discount_percent:
            parts.append(Content.assemble(Content.styled("Own discount ", "$text-muted"),
                                          fmt.percent(s.customer_discount_percent)))
        parts.append(Content.assemble(Content.styled("Effective ", "$text-muted"),
                                      (fmt.percent(s.effective_discount_percent), "bold")))
        cgroup = s.condition_group_code
        if cgroup:
            cgroup = f"{cgroup} {s.condition_group_name}".strip()
        parts.append(Content.assemble(Content.styled("Condition group ", "$text-muted"),
                                      cgroup or "—"))
        source = "" if s.payment_term_source == "condition" else " (default)"
        parts.append(Content.assemble(Content.styled("Payment term ", "$text-muted"),
                                      f"{s.payment_term_days} days{source}"))
        return Content("  ·  ").join(parts)

    def detail(self, row: Any) -> Content:
        return detail_lines([
            ("Kind", conditions_service.KIND_LABELS.get(row.kind, row.kind)),
            ("Article", row.article),
            ("Article group", row.article_group),
            ("Description", row.description),
            ("Value", condition_value(row)),
            ("Valid", validity(row)),
            ("Status", "active" if row.active else ("expired" if row.expired else "not yet valid")),
        ])

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return [
            FieldSpec("kind", "Kind", kind="select", choices=KIND_CHOICES, allow_blank=False),
            FieldSpec("article", "Article", max_length=40,
                      help="An article, or an article group below (not both)."),
            FieldSpec("article_group", "Article group", max_length=40),
            FieldSpec("description", "Description", max_length=200),
            FieldSpec("price", "Price", placeholder="for a price condition, e.g. 12,50"),
            FieldSpec("discount_percent", "Discount %", placeholder="for a discount, e.g. 5"),
            FieldSpec("payment_term_days", "Payment term (days)",
                      placeholder="for a payment term, e.g. 30"),
            FieldSpec("valid_from", "Valid from", placeholder="2026-01-01 or 01-01-2026"),
            FieldSpec("valid_until", "Valid until"),
        ]

    def form_values(self, row: Any | None) -> dict[str, Any]:
        if row is None:
            return {"kind": "discount"}
        return {
            "kind": row.kind, "article": row.article, "article_group": row.article_group,
            "description": row.description,
            "price": fmt.amount(row.price, 4) if row.price is not None else "",
            "discount_percent": fmt.number(row.discount_percent)
            if row.discount_percent is not None else "",
            "payment_term_days": "" if row.payment_term_days is None else str(row.payment_term_days),
            "valid_from": row.valid_from.isoformat() if row.valid_from else "",
            "valid_until": row.valid_until.isoformat() if row.valid_until else "",
        }

    def create_record(self, values: dict[str, Any]) -> Any:
        return conditions_service.create_condition(self.actor, self.customer_id, values)

    def update_record(self, row: Any, values: dict[str, Any], version: int | None) -> Any:
        return conditions_service.update_condition(self.actor, row.id, values, version)

    def delete_record(self, row: Any) -> None:
        conditions_service.delete_condition(self.actor, row.id, row.version)

    def describe(self, row: Any) -> str:
        label = conditions_service.KIND_LABELS.get(row.kind, row.kind).lower()
        target = row.article or row.article_group
        return f"the {label} condition{f' for {target}' if target else ''}"


WIDGET = ConditionsTab
