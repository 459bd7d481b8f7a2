"""Optimistic locking under real concurrency: two sessions save the same customer at once."""

from __future__ import annotations

import threading

import pytest

from tradium_tui.db import database
from tradium_tui.models import AuditRecord, Customer, Role, User
from tradium_tui.services import customers as cs
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import ConflictError


@pytest.fixture
def actors(database):
    for name in ("anna", "bob", "carl", "dora"):
        User.create(username=name, role=Role.get(Role.name == "account_manager"))
    return [actor_for(n) for n in ("anna", "bob", "carl", "dora")]


def _race(actors, customer_id, values_for, *, overlap: bool, monkeypatch=None):
    """Run one update per actor in its own thread, all based on version 1."""
    n = len(actors)
    start = threading.Barrier(n)
    if overlap:
        # Hold every thread after it has read and validated the record, so that all
        # of them try to write on top of the same version.
        read_done = threading.Barrier(n)
        real_clean = cs.clean_customer

        def clean_then_wait(*args, **kwargs):
            result = real_clean(*args, **kwargs)
            read_done.wait(timeout=60)
            return result

        monkeypatch.setattr(cs, "clean_customer", clean_then_wait)
    outcomes: list[object] = [None] * n

    def work(i: int) -> None:
        try:
            start.wait(timeout=60)
            outcomes[i] = cs.update_customer(actors[i], customer_id, values_for(i), 1)
        except Exception as exc:  # collected and checked below
            outcomes[i] = exc
        finally:
            database.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def _check_one_winner(actors, outcomes, customer_id, values_for):
    winners = [i for i, o in enumerate(outcomes) if isinstance(o, cs.CustomerResult)]
    losers = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(outcomes) - 1, outcomes
    [w] = winners
    stored = Customer.get_by_id(customer_id)
    assert stored.version == 2
    assert stored.email == values_for(w)["email"]
    rows = list(
        AuditRecord.select().where(
            (AuditRecord.table == "customer")
            & (AuditRecord.record_id == customer_id)
            & (AuditRecord.action == "update")
        )
    )
    assert [(r.field, r.new_value, r.version) for r in rows] == [
        ("email", values_for(w)["email"], 2)
    ]
    winner_name = actors[w].username
    assert rows[0].username == winner_name
    for exc in losers:
        assert exc.current_version == 2
        [clash] = exc.conflicts
        assert clash.field == "email" and clash.by == winner_name
        assert clash.theirs == values_for(w)["email"]
    return w


def _new_customer(actor):
    return cs.create_customer(actor, {"name": "Race B.V.", "email": "start@race.nl"}).customer


def test_two_threads_same_version_exactly_one_wins(actors):
    c = _new_customer(actors[0])

    def values_for(i):
        return {"email": f"user{i}@race.nl"}

    outcomes = _race(actors[:2], c.id, values_for, overlap=False)
    _check_one_winner(actors[:2], outcomes, c.id, values_for)


def test_two_threads_that_both_read_before_writing(actors, monkeypatch):
    c = _new_customer(actors[0])

    def values_for(i):
        return {"email": f"user{i}@race.nl"}

    outcomes = _race(actors[:2], c.id, values_for, overlap=True, monkeypatch=monkeypatch)
    _check_one_winner(actors[:2], outcomes, c.id, values_for)


def test_four_threads_overlapping(actors, monkeypatch):
    c = _new_customer(actors[0])

    def values_for(i):
        return {"email": f"user{i}@race.nl"}

    outcomes = _race(actors, c.id, values_for, overlap=True, monkeypatch=monkeypatch)
    _check_one_winner(actors, outcomes, c.id, values_for)
