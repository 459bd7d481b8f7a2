"""Customer and document numbers: unique under concurrent creation, hand-set numbers skipped."""

from __future__ import annotations

import threading

import pytest

from tradium_tui import db as dbmod
from tradium_tui.models import Counter, Customer, Role, User
from tradium_tui.services import customers, numbering
from tradium_tui.services.access import actor_for

THREADS = 6
PER_THREAD = 12


def _in_threads(work, count: int = THREADS) -> list:
    """Run ``work(i)`` in ``count`` threads started together; each has its own connection."""
    results: list = [None] * count
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            dbmod.database.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def admin(database):
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    return database


def test_concurrent_customer_creation_gives_unique_numbers(admin):
    def create(i: int) -> list[int]:
        actor = actor_for("anna")
        made = []
        for j in range(PER_THREAD):
            result = customers.create_customer(
                actor, {"kind": "company", "name": f"Parallel {i}-{j} BV"}, check_online=False)
            made.append(result.customer.number)
        return made

    numbers = [n for made in _in_threads(create) for n in made]
    assert len(numbers) == THREADS * PER_THREAD
    assert len(set(numbers)) == len(numbers), "two customers got the same number"
    stored = [n for (n,) in Customer.select(Customer.number).tuples()]
    assert sorted(stored) == sorted(numbers)
    # No gaps either: the counter hands out each number once.
    assert sorted(numbers) == list(range(1001, 1001 + len(numbers)))
    assert Counter.get(Counter.name == "customer").value == max(numbers)


def test_concurrent_counter_values_are_unique(database):
    def take(_i: int) -> list[int]:
        return [numbering.next_value("order") for _ in range(25)]

    values = [v for chunk in _in_threads(take) for v in chunk]
    assert sorted(values) == list(range(1, THREADS * 25 + 1))


def test_concurrent_document_numbers(database):
    def take(_i: int) -> list[str]:
        return [numbering.next_document_number("invoice", "F", 2026) for _ in range(10)]

    numbers = [n for chunk in _in_threads(take) for n in chunk]
    assert len(set(numbers)) == len(numbers) == THREADS * 10
    assert min(numbers) == "F2026-000001" and max(numbers) == f"F2026-{THREADS * 10:06d}"


def test_hand_set_numbers_are_skipped(admin):
    actor = actor_for("anna")
    typed = customers.create_customer(
        actor, {"kind": "company", "name": "Typed BV", "number": 1002}, check_online=False)
    assert typed.customer.number == 1002
    made = [
        customers.create_customer(actor, {"kind": "consumer", "first_name": "A", "last_name": f"B{i}"},
                                  check_online=False).customer.number
        for i in range(3)
    ]
    assert 1002 not in made and len(set(made)) == 3
    # A number stored ahead of the counter (e.g. by an import) is skipped when the counter
    # gets there.
    ahead = max(made) + 2
    Customer.create(number=ahead, name="Ahead BV")
    following = [numbering.next_customer_number(), numbering.next_customer_number()]
    assert following == [ahead - 1, ahead + 1]


def test_raise_to_only_raises(database):
    numbering.raise_to("quote", 40)
    numbering.raise_to("quote", 12)
    assert Counter.get(Counter.name == "quote").value == 40
    assert numbering.next_value("quote") == 41
