"""The Conditions tab: customer-specific prices and discounts with validity, the group
discount, the condition group and the payment term."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _, pgettext
from tradium_tui.services import conditions as conditions_service
from tradium_tui.widgets.form import FieldSpec
from tradium_tui.widgets.tabs.base import (
    TabView,
    cell,
    count_text,
    detail_lines,
    record_bindings,
    right,
)


def kind_label(kind: str) -> str:
    return {
        "price": pgettext("condition kind", "Price"),
        "discount": pgettext("condition kind", "Discount"),
        "payment_term": pgettext("condition kind", "Payment term"),
    }.get(kind, conditions_service.KIND_LABELS.get(kind, kind))


def kind_choices() -> list[tuple[str, str]]:
    return [(kind_label(kind), kind) for kind in conditions_service.KIND_LABELS]


def condition_value(row: Any) -> str:
    if row.kind == "price":
        return fmt.money(row.price)
    if row.kind == "discount":
        return fmt.percent(row.discount_percent)
    if row.payment_term_days is not None:
        return count_text(row.payment_term_days, "{count} day", "{count} days")
    return ""


def validity(row: Any) -> str:
    start, end = fmt.date_short(row.valid_from), fmt.date_short(row.valid_until)
    if start and end:
        return f"{start} – {end}"
    if start:
        return _("from {date}").format(date=start)
    if end:
        return _("until {date}").format(date=end)
    return _("always")


class ConditionsTab(TabView):
    TAB = "conditions"
    TITLE = N_("Conditions")
    RECORD = "condition"
    EMPTY = N_("No customer-specific conditions.")
    COLUMNS = ((N_("Kind"), 13), (N_("Article / group"), 20), (N_("Description"), None),
               (N_("Value"), 14), (N_("Valid"), 24))
    TEXTS = {"new": N_("New condition"), "edit": N_("Edit condition"),
             "saved": N_("Condition saved."), "deleted": N_("Condition deleted.")}
    BINDINGS = record_bindings("conditions", N_("New condition"))

    def fetch(self, customer_id: int) -> Sequence[Any]:
        return conditions_service.list_conditions(self.actor, customer_id)

    def fetch_extra(self, customer_id: int) -> Any:
        return conditions_service.conditions_summary(customer_id, actor=self.actor)

    def cells(self, row: Any, palette: dict[str, str]) -> Sequence[Any]:
        style = "dim" if not row.active else ""
        target = row.article or (_("group {group}").format(group=row.article_group)
                                 if row.article_group else "")
        valid = validity(row)
        if not row.active:
            valid = (_("{valid} (expired)") if row.expired else _("{valid} (not yet)")).format(
                valid=valid)
        return (
            cell(kind_label(row.kind), style),
            cell(target, style),
            cell(row.description, style),
            right(condition_value(row), style),
            cell(valid, style),
        )

    def summary(self) -> Content:
        s = self.extra
        if s is None:
            return Content("")
        parts: list[Content] = []
        group = s.customer_group or _("no group")
        parts.append(Content.assemble(
            Content.styled(pgettext("customer group", "Group") + " ", "$text-muted"), group,
            f" ({fmt.percent(s.group_discount_percent)})" if s.customer_group else ""))
        if s.customer_discount_percent:
            parts.append(Content.assemble(Content.styled(_("Own discount") + " ", "$text-muted"),
                                          fmt.percent(s.customer_discount_percent)))
        parts.append(Content.assemble(Content.styled(_("Effective") + " ", "$text-muted"),
                                      (fmt.percent(s.effective_discount_percent), "bold")))
        cgroup = s.condition_group_code
        if cgroup:
            cgroup = f"{cgroup} {s.condition_group_name}".strip()
        parts.append(Content.assemble(Content.styled(_("Condition group") + " ", "$text-muted"),
                                      cgroup or "—"))
        term = count_text(s.payment_term_days, "{count} day", "{count} days")
        if s.payment_term_source != "condition":
            term = _("{term} (default)").format(term=term)
        parts.append(Content.assemble(Content.styled(_("Payment term") + " ", "$text-muted"),
                                      term))
        return Content("  ·  ").join(parts)

    def detail(self, row: Any) -> Content:
        return detail_lines([
            (_("Kind"), kind_label(row.kind)),
            (_("Article"), row.article),
            (_("Article group"), row.article_group),
            (_("Description"), row.description),
            (_("Value"), condition_value(row)),
            (_("Valid"), validity(row)),
            (_("Status"), pgettext("condition", "active") if row.active
             else (pgettext("condition", "expired") if row.expired else _("not yet valid"))),
        ])

    def form_fields(self, row: Any | None) -> Sequence[FieldSpec]:
        return [
            FieldSpec("kind", _("Kind"), kind="select", choices=kind_choices(),
                      allow_blank=False),
            FieldSpec("article", _("Article"), max_length=40,
                      help=_("An article, or an article group below (not both).")),
            FieldSpec("article_group", _("Article group"), max_length=40),
            FieldSpec("description", _("Description"), max_length=200),
            FieldSpec("price", _("Price"), placeholder=_("for a price condition, e.g. 12,50")),
            FieldSpec("discount_percent", _("Discount %"),
                      placeholder=_("for a discount, e.g. 5")),
            FieldSpec("payment_term_days", _("Payment term (days)"),
                      placeholder=_("for a payment term, e.g. 30")),
            FieldSpec("valid_from", _("Valid from"), placeholder=_("2026-01-01 or 01-01-2026")),
            FieldSpec("valid_until", _("Valid until")),
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

    def delete_question(self, row: Any) -> str:
        target = row.article or row.article_group
        kind = kind_label(row.kind)
        if target:
            return _("Delete the condition ({kind}) for {target}?").format(kind=kind,
                                                                          target=target)
        return _("Delete the condition ({kind})?").format(kind=kind)


WIDGET = ConditionsTab
