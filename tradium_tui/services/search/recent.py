"""The customers a user opened recently: the finder's list before anything is typed,
and the customer the main screen starts on."""

from __future__ import annotations

import peewee

from tradium_tui.db import database, write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import Customer, RecentCustomer, User, utcnow
from tradium_tui.services.errors import NotFound
from tradium_tui.services.search.plans import HIT_COLUMNS
from tradium_tui.services.search.ranking import CustomerHit, hit_of

KEEP_RECENT = 50  # recently opened customers kept per user


def recent_customers(user_id: int, limit: int = 10) -> list[CustomerHit]:
    """The customers this user opened most recently, newest first (deleted ones left out)."""
    rows = database.execute_sql(
        f"SELECT {HIT_COLUMNS} FROM recent_customer r JOIN customer c ON c.id = r.customer_id "
        f"WHERE r.user_id = {database.param} AND c.deleted_at IS NULL "
        f"ORDER BY r.opened_at DESC, r.id DESC LIMIT {database.param}",
        (user_id, max(1, int(limit))),
    ).fetchall()
    return [hit_of(row) for row in rows]


def record_opened(user_id: int, customer_id: int) -> None:
    """Remember that the user opened the customer now (keeps the newest ``KEEP_RECENT``)."""
    now = utcnow()
    try:
        with write_transaction():
            (
                RecentCustomer.insert(user=user_id, customer=customer_id, opened_at=now)
                .on_conflict(
                    conflict_target=[RecentCustomer.user, RecentCustomer.customer],
                    update={RecentCustomer.opened_at: now},
                )
                .execute()
            )
            keep = (
                RecentCustomer.select(RecentCustomer.id)
                .where(RecentCustomer.user == user_id)
                .order_by(RecentCustomer.opened_at.desc(), RecentCustomer.id.desc())
                .limit(KEEP_RECENT)
            )
            RecentCustomer.delete().where(
                (RecentCustomer.user == user_id) & RecentCustomer.id.not_in(keep)
            ).execute()
    except peewee.IntegrityError as exc:
        if not User.select().where(User.id == user_id).exists():
            raise NotFound(_("The user #{user_id} does not exist.").format(user_id=user_id)) from exc
        raise NotFound(_("The customer #{customer_id} does not exist.").format(customer_id=customer_id)) from exc


def last_opened(user_id: int | None) -> int | None:
    """The customer to open on start: this user's last one, else the lowest number.

    None only when there is no (not deleted) customer at all.
    """
    if user_id is not None:
        recent = (
            RecentCustomer.select(RecentCustomer.customer)
            .join(Customer, on=(Customer.id == RecentCustomer.customer))
            .where((RecentCustomer.user == user_id) & Customer.deleted_at.is_null())
            .order_by(RecentCustomer.opened_at.desc(), RecentCustomer.id.desc())
            .limit(1)
            .scalar()
        )
        if recent is not None:
            return int(recent)
    first = (
        Customer.select(Customer.id)
        .where(Customer.deleted_at.is_null())
        .order_by(Customer.number)
        .limit(1)
        .scalar()
    )
    return int(first) if first is not None else None
