"""Dialogs about the open customer: address and bank details, log a contact moment.

The generic ones they build on (confirm, conflict, read-only details) are in
:mod:`tradium_tui.widgets.modals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tradium_tui import formatting as fmt
from tradium_tui.i18n import _
from tradium_tui.services import actions
from tradium_tui.services.access import Actor
from tradium_tui.widgets.form import RecordForm
from tradium_tui.widgets.modals import InfoDialog
from tradium_tui.widgets.tabs.actions import action_fields
from tradium_tui.widgets.tabs.base import detail_lines


def _lines(lines: Sequence[str]) -> str:
    return "\n".join(line for line in lines if line)


class AddressDialog(InfoDialog):
    """The full visiting and postal address of the open customer."""

    def __init__(self, view: Any) -> None:
        visit = _lines(list(view.visit_lines) + [view.country_name or view.country])
        postal = _lines(view.postal_lines or ())
        country = (_("{country} ({code}) — EU member") if view.is_eu
                   else _("{country} ({code})")).format(country=view.country_name,
                                                        code=view.country)
        body = detail_lines([
            (_("Customer"), _("{name} ({number})").format(name=view.name, number=view.number)),
            (_("Visiting address"), visit),
            (_("Postal address"), postal or _("same as visiting address")),
            (_("Country"), country),
            (_("Opening hours"), view.opening_hours),
            (_("Phone"), view.phone),
            (_("Mobile"), view.mobile),
            (_("E-mail"), view.email),
            (_("Website"), view.website),
        ])
        super().__init__(_("Address"), body)


class BankDialog(InfoDialog):
    """IBAN, BIC and bank name of the open customer."""

    def __init__(self, view: Any) -> None:
        body = detail_lines([
            (_("Customer"), _("{name} ({number})").format(name=view.name, number=view.number)),
            ("IBAN", view.iban or _("none")),
            ("BIC", view.bic or _("unknown")),
            (_("Bank"), view.bank_name or _("unknown")),
            (_("Credit limit"), fmt.money(view.credit_limit)),
            (_("Open balance"), fmt.money(view.open_balance)),
            (_("Advisory credit"), fmt.money(view.advisory_credit)),
            (_("Ledger account"), view.ledger_account),
        ])
        super().__init__(_("Bank details"), body)


class LogContactDialog(RecordForm):
    """Log a contact moment with the open customer: type, subject, text, follow-up."""

    def __init__(self, actor: Actor, view: Any) -> None:
        def save(values: dict[str, Any], _version: int | None) -> Any:
            return actions.log_contact_moment(
                actor, view.id, values.get("type") or "call", values.get("subject", ""),
                values.get("text", ""), values.get("follow_up_on") or None,
            )

        super().__init__(
            _("Log contact moment — {name} ({number})").format(name=view.name,
                                                               number=view.number),
            action_fields(with_status=False),
            {"type": "call"},
            save=save,
            save_label=_("Log"),
            focus="subject",
        )
        self.add_class("log-contact")
