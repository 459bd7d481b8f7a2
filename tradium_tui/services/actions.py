"""Actions: contact moments, appointments and tasks, with a follow-up date and a status.

An action with a follow-up date is ``open`` until someone completes it; it is overdue
when its follow-up date lies before today.  Logging a contact moment is one call
(:func:`log_contact_moment`), which is what the one-key dialog of the main screen uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee

from tradium_tui.i18n import _
from tradium_tui.models import (
    ACTION_STATUSES,
    ACTION_TYPES,
    Action,
    Contact,
    Customer,
    User,
    utcnow,
)
from tradium_tui.services import records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound
from tradium_tui.services.forms import Form, customer_for_write, record_key

TAB = "actions"
FIELDS = (
    "type", "subject", "text", "happened_at", "follow_up_on", "status", "contact", "user",
)
LABELS = {
    "type": "Type",
    "subject": "Subject",
    "text": "Text",
    "happened_at": "Date and time",
    "follow_up_on": "Follow-up date",
    "status": "Status",
    "contact": "Contact",
    "user": "User",
}


def _validate(values: dict[str, Any], stored: Action | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    form = Form(values, stored, FIELDS, LABELS, "an action")
    if stored is None:
        customer_for_write(customer_id)
        form.set("customer", customer_id)
    form.choice("type", ACTION_TYPES, default="call")
    form.text("subject", required=True, max_length=200)
    form.text("text")
    form.datetime_utc("happened_at", default=utcnow().replace(microsecond=0))
    follow_up = form.date("follow_up_on")
    default_status = "open" if follow_up else "done"
    status = form.choice("status", ACTION_STATUSES, default=default_status)
    if stored is None or form.given("status"):
        if status == "done" and (stored is None or stored.status != "done"):
            form.set("completed_at", utcnow().replace(microsecond=0))
        elif status == "open" and stored is not None and stored.status != "open":
            form.set("completed_at", None)
    if form.given("contact"):
        raw = values.get("contact")
        if raw in (None, "", 0, "0"):
            form.set("contact", None)
        else:
            contact_id = record_key(raw, below=2**31)
            owner = Contact.select(Contact.customer).where(Contact.id == contact_id).scalar()
            if owner is None or owner != customer_id:
                form.error("contact", _("Contact: choose one of this customer's contacts."))
            else:
                form.set("contact", contact_id)
    if form.given("user"):
        raw = values.get("user")
        user_id = getattr(raw, "id", raw)
        if user_id is not None and not User.select().where(User.id == user_id).exists():
            form.error("user", _("User: there is no such user."))
        else:
            form.set("user", user_id)
    return form.finish()


SPEC = records.RecordSpec(model=Action, tab=TAB, label="action", validate=_validate)


@dataclass(frozen=True)
class ActionRow:
    """One line of the Actions tab."""

    id: int
    version: int
    customer_id: int
    type: str
    subject: str
    text: str
    happened_at: dt.datetime  # UTC
    follow_up_on: dt.date | None
    status: str
    completed_at: dt.datetime | None
    username: str
    contact_name: str
    overdue: bool


@dataclass(frozen=True)
class OpenActionRow:
    """One line of "my open actions" across customers."""

    id: int
    version: int
    customer_id: int
    customer_number: int
    customer_name: str
    type: str
    subject: str
    happened_at: dt.datetime
    follow_up_on: dt.date | None
    overdue: bool


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def is_overdue(action: Any, today: dt.date | None = None) -> bool:
    """Open, with a follow-up date before today."""
    follow_up = getattr(action, "follow_up_on", None)
    return (
        getattr(action, "status", None) == "open"
        and follow_up is not None
        and follow_up < _today(today)
    )


def _user_id(actor: Actor) -> int | None:
    return getattr(actor.user, "id", None)


# --------------------------------------------------------------------------- reading


def list_actions(actor: Actor, customer_id: int, today: dt.date | None = None) -> list[ActionRow]:
    """The customer's actions: open ones first (soonest follow-up first), then the rest newest first."""
    actor.require(TAB, "view")
    day = _today(today)
    query = (
        Action.select(
            Action.id, Action.version, Action.type, Action.subject, Action.text,
            Action.happened_at, Action.follow_up_on, Action.status, Action.completed_at,
            User.username, Contact.name,
        )
        .join(User, peewee.JOIN.LEFT_OUTER, on=(Action.user == User.id))
        .switch(Action)
        .join(Contact, peewee.JOIN.LEFT_OUTER, on=(Action.contact == Contact.id))
        .where(Action.customer == customer_id)
        .order_by(
            peewee.Case(None, [(Action.status == "open", 0)], 1),
            peewee.Case(None, [(Action.follow_up_on.is_null(), 1)], 0),
            Action.follow_up_on,
            Action.happened_at.desc(),
            Action.id.desc(),
        )
        .tuples()
    )
    rows = []
    for (key, version, kind, subject, text, happened_at, follow_up_on, status, completed_at,
         username, contact_name) in query:
        rows.append(
            ActionRow(
                id=key, version=version, customer_id=customer_id, type=kind, subject=subject,
                text=text, happened_at=happened_at, follow_up_on=follow_up_on, status=status,
                completed_at=completed_at, username=username or "",
                contact_name=contact_name or "",
                overdue=status == "open" and follow_up_on is not None and follow_up_on < day,
            )
        )
    return rows


def get_action(actor: Actor, action_id: int) -> Action:
    actor.require(TAB, "view")
    action = Action.get_or_none(Action.id == action_id)
    if action is None:
        raise NotFound(_("The action #{action_id} no longer exists.").format(action_id=action_id))
    return action


def my_open_actions(actor: Actor, today: dt.date | None = None) -> list[OpenActionRow]:
    """The open actions of the logged-in user across all (not deleted) customers.

    Overdue first, then by follow-up date (actions without one last).
    """
    actor.require(TAB, "view")
    user_id = _user_id(actor)
    if user_id is None:
        return []
    day = _today(today)
    query = (
        Action.select(
            Action.id, Action.version, Action.customer, Action.type, Action.subject,
            Action.happened_at, Action.follow_up_on, Customer.number, Customer.name,
        )
        .join(Customer, on=(Action.customer == Customer.id))
        .where(
            (Action.user == user_id)
            & (Action.status == "open")
            & Customer.deleted_at.is_null()
        )
        .order_by(
            peewee.Case(None, [(Action.follow_up_on.is_null(), 1)], 0),
            Action.follow_up_on,
            Action.happened_at,
            Action.id,
        )
        .tuples()
    )
    return [
        OpenActionRow(
            id=row[0], version=row[1], customer_id=row[2], type=row[3], subject=row[4],
            happened_at=row[5], follow_up_on=row[6], customer_number=row[7], customer_name=row[8],
            overdue=row[6] is not None and row[6] < day,
        )
        for row in query
    ]


# --------------------------------------------------------------------------- writing


def create_action(actor: Actor, customer_id: int, values: dict[str, Any]) -> Action:
    """A new action for the customer, logged by the actor's user.

    ``values``: type, subject (required), text, happened_at (default now), follow_up_on,
    status (default ``open`` when there is a follow-up date, else ``done``), contact (id).
    """
    data = {k: v for k, v in values.items() if k not in ("user", "customer")}
    data["customer"] = customer_id
    data["user"] = _user_id(actor)
    return records.create(actor, SPEC, data)


def log_contact_moment(
    actor: Actor,
    customer_id: int,
    type: str,  # noqa: A002 - the name the form uses
    subject: str,
    text: str = "",
    follow_up_on: Any = None,
) -> Action:
    """One call for the one-key dialog: happened now; open when a follow-up date is given."""
    return create_action(
        actor,
        customer_id,
        {"type": type, "subject": subject, "text": text, "follow_up_on": follow_up_on},
    )


def update_action(actor: Actor, action_id: int, values: dict[str, Any], expected_version: int) -> Action:
    data = {k: v for k, v in values.items() if k not in ("user", "customer")}
    return records.update(actor, SPEC, action_id, data, expected_version)


def complete_action(actor: Actor, action_id: int, expected_version: int) -> Action:
    """Mark the action done (records when)."""
    return records.update(actor, SPEC, action_id, {"status": "done"}, expected_version)


def reopen_action(actor: Actor, action_id: int, expected_version: int) -> Action:
    return records.update(actor, SPEC, action_id, {"status": "open"}, expected_version)


def delete_action(actor: Actor, action_id: int, expected_version: int) -> None:
    records.delete(actor, SPEC, action_id, expected_version)
