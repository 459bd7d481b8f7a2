"""The customer list's sort keys (account manager, group, open balance, last order) kept
per customer by the schema, after every kind of write and after a bulk seed, and the
keyset page walking their index."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tradium_tui import db as dbmod
from tradium_tui.db.sql import LIST_KEY_NO_ORDER
from tradium_tui.demo.seed import seed_demo
from tradium_tui.models import Customer, CustomerGroup, Invoice, Order, User, utcnow
from tradium_tui.services import users
from tradium_tui.services.access import actor_for
from tradium_tui.services.customer_list import listing, paging


def _expected() -> dict[int, tuple]:
    out = {}
    for c in Customer.select():
        manager = User.get_by_id(c.account_manager_id).username if c.account_manager_id else ""
        group = CustomerGroup.get_by_id(c.customer_group_id).name if c.customer_group_id else ""
        balance = sum((i.amount_incl - i.paid_amount for i in
                       Invoice.select().where(Invoice.customer == c.id, Invoice.status != "cancelled")),
                      Decimal("0"))
        dates = [o.order_date for o in Order.select().where(Order.customer == c.id)]
        out[c.id] = (manager, group, balance.quantize(Decimal("0.01")),
                     str(max(dates)) if dates else LIST_KEY_NO_ORDER)
    return out


def _stored() -> dict[int, tuple]:
    rows = dbmod.database.execute_sql(
        "SELECT customer_id, manager, grp, balance, last_order FROM customer_list_key").fetchall()
    return {cid: (m, g, Decimal(str(b)).quantize(Decimal("0.01")), str(d)[:10])
            for cid, m, g, b, d in rows}


def _customer(number: int, **values) -> Customer:
    now = utcnow()
    return Customer.create(number=number, name=f"Klant {number}", visit_country="NL", version=1,
                           created_at=now, updated_at=now, **values)


def _invoice(customer: Customer, number: str, amount: str, **values) -> Invoice:
    now = utcnow()
    return Invoice.create(customer=customer.id, number=number, invoice_date=dt.date(2026, 1, 1),
                          due_date=dt.date(2026, 1, 31), amount_incl=Decimal(amount),
                          customer_number=customer.number, customer_name=customer.name,
                          version=1, created_at=now, updated_at=now, **values)


def _order(customer: Customer, number: str, day: dt.date) -> Order:
    now = utcnow()
    return Order.create(customer=customer.id, number=number, order_date=day, version=1,
                        created_at=now, updated_at=now)


def test_the_keys_follow_every_write(database):
    users.bootstrap_first_admin("alice")
    admin = actor_for("alice")
    users.add_user(admin, "anna", "account_manager")
    anna = User.get(User.username == "anna")
    retail = CustomerGroup.create(name="Retail", version=1)
    a = _customer(1, account_manager=anna.id, customer_group=retail.id)
    b = _customer(2)
    c = _customer(3)
    assert _stored() == _expected()
    first = _invoice(a, "F1", "121.00")
    _invoice(a, "F2", "50.00", status="cancelled")
    second = _invoice(b, "F3", "10.10")
    _order(a, "O1", dt.date(2025, 5, 1))
    moving = _order(a, "O2", dt.date(2025, 9, 1))
    assert _stored() == _expected()
    assert _stored()[a.id] == ("anna", "Retail", Decimal("121.00"), "2025-09-01")
    first.paid_amount = Decimal("21.00")
    first.save()
    second.status = "cancelled"
    second.save()
    moving.customer = c.id
    moving.save()
    assert _stored()[a.id] == ("anna", "Retail", Decimal("100.00"), "2025-05-01")
    assert _stored()[c.id][3] == "2025-09-01"
    moving.delete_instance()
    first.customer = b.id
    first.save()
    anna.username = "anna.b"
    anna.save()
    retail.name = "Detailhandel"
    retail.save()
    b.account_manager = anna.id
    b.customer_group = retail.id
    b.save()
    a.account_manager = None
    a.save()
    assert _stored() == _expected()
    assert _stored()[b.id] == ("anna.b", "Detailhandel", Decimal("100.00"), LIST_KEY_NO_ORDER)
    Invoice.delete().where(Invoice.customer == b.id).execute()
    Customer.delete().where(Customer.id == c.id).execute()
    assert _stored() == _expected()
    assert c.id not in _stored()


def test_a_bulk_seed_builds_the_keys(database):
    seed_demo(customers=120, seed=3, today=dt.date(2026, 3, 1), home_country="NL")
    stored = _stored()
    assert stored == _expected()
    assert any(v[2] != 0 for v in stored.values()) and any(v[0] for v in stored.values())
    assert any(v[3] != LIST_KEY_NO_ORDER for v in stored.values())


@pytest.mark.parametrize("column", ["account_manager", "group", "open_balance", "last_order"])
def test_the_page_walks_the_sort_index(database, column):
    if not dbmod.is_sqlite(database):
        pytest.skip("reads SQLite's plan (PostgreSQL's depends on its statistics)")
    seed_demo(customers=60, seed=4, today=dt.date(2026, 3, 1), home_country="NL")
    admin = actor_for("admin") if User.select().where(User.username == "admin").exists() else None
    if admin is None:
        users.bootstrap_first_admin("alice")
        admin = actor_for("alice")
    for descending in (False, True):
        query = listing.ListQuery(sort=column, descending=descending)
        first = paging.page(admin, query, limit=10)
        sql, params = paging.page_query(admin, query, after=first[-1].key, limit=10).sql()
        plan = " | ".join(
            str(row[-1]) for row in dbmod.database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "customer_list_key_" in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        # The pages still hold every customer once, in order.
        seen, after = [], None
        while rows := paging.page(admin, query, after=after, limit=7):
            seen += rows
            after = rows[-1].key
        assert len(seen) == len({r.id for r in seen}) == paging.count(admin, query)
        keys = [(r.key[0], r.id) for r in seen]
        assert keys == sorted(keys, reverse=descending)
