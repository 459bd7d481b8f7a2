"""A user's marks on customers: mark everything a list shows, unmark all, count."""

from __future__ import annotations

import datetime as dt

import peewee

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    Customer,
    Mark,
    utcnow,
)
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list.listing import ListQuery
from tradium_tui.services.customer_list.paging import base_select
from tradium_tui.services.errors import ServiceError


def user_id_of(actor: Actor) -> int:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        raise ServiceError(_("Marks belong to a user; this action has no user."))
    return user_id


def mark_all(actor: Actor, query: ListQuery, today: dt.date | None = None) -> int:
    """Mark every customer matching the query for this user; returns how many were new."""
    user_id = user_id_of(actor)
    now = utcnow()
    with write_transaction():
        have = Mark.select(Mark.customer).where(Mark.user == user_id)
        new = (
            base_select(actor, query, today)
            .where(Customer.id.not_in(have))
            .select(peewee.Value(user_id), Customer.id, peewee.Value(now))
        )
        before = Mark.select().where(Mark.user == user_id).count()
        Mark.insert_from(new, [Mark.user, Mark.customer, Mark.marked_at]).execute()
        return Mark.select().where(Mark.user == user_id).count() - before


def unmark_all(actor: Actor) -> int:
    user_id = user_id_of(actor)
    return Mark.delete().where(Mark.user == user_id).execute()


def marked_count(actor: Actor) -> int:
    user_id = actor.user.get_id() if actor.user is not None else None
    if user_id is None:
        return 0
    return (Mark.select().join(Customer)
            .where((Mark.user == user_id) & Customer.deleted_at.is_null()).count())
