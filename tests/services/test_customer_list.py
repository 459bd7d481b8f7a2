"""The customer list service: filters, sorts, keyset pages, saved views, marks, bulk actions."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from tradium_tui.models import (
    Action,
    AuditRecord,
    ConditionGroup,
    Customer,
    CustomerGroup,
    CustomerTag,
    Invoice,
    Mark,
    Order,
    Tag,
    User,
    utcnow,
)
from tradium_tui.services import users
from tradium_tui.services.access import actor_for
from tradium_tui.services.customer_list import (
    bulk_actions,
    filtering,
    listing,
    marking,
    paging,
    saved_views,
)
from tradium_tui.services.errors import PermissionDenied, ValidationError

TODAY = dt.date(2026, 3, 1)
CITIES = ["Breda", "Amsterdam", "Breda", "Utrecht", "Amsterdam", "Zwolle", "Breda", "Gent", "Lyon", "Zürich"]
COUNTRIES = ["NL", "NL", "NL", "NL", "NL", "NL", "NL", "BE", "FR", "CH"]


@pytest.fixture
def world(database):
    users.bootstrap_first_admin("alice")
    admin = actor_for("alice")
    users.add_user(admin, "sam", "sales")
    users.add_user(admin, "anna", "account_manager")
    anna = User.get(User.username == "anna")
    group = CustomerGroup.create(name="Retail", version=1)
    cond = ConditionGroup.create(code="C1", name="Dealers", version=1)
    tag = Tag.create(name="VIP")
    now = utcnow()
    for i in range(10):
        c = Customer.create(
            number=1000 + i, name=f"Customer {9 - i:02d}", visit_city=CITIES[i],
            visit_country=COUNTRIES[i], region="Zuid" if i % 2 == 0 else "Noord",
            account_manager=anna.id if i < 4 else None,
            customer_group=group.id if i in (1, 2) else None,
            condition_group=cond.id if i == 3 else None,
            vat_status="valid" if i % 3 == 0 else "unchecked", mailing_code=7 if i == 5 else None,
            credit_limit=Decimal("100"), email=f"c{i}@example.com",
            version=1, created_at=now, updated_at=now,
        )
        if i == 4:
            CustomerTag.create(customer=c.id, tag=tag.id)
        if i in (0, 2):  # overdue, over the limit
            Invoice.create(customer=c.id, number=f"F{i}", invoice_date=dt.date(2026, 1, 1),
                           due_date=dt.date(2026, 1, 31), amount_incl=Decimal("250.00"),
                           customer_number=c.number, customer_name=c.name, version=1,
                           created_at=now, updated_at=now)
        if i == 6:  # open, not yet due
            Invoice.create(customer=c.id, number=f"F{i}", invoice_date=dt.date(2026, 2, 20),
                           due_date=dt.date(2026, 3, 20), amount_incl=Decimal("50.00"),
                           customer_number=c.number, customer_name=c.name, version=1,
                           created_at=now, updated_at=now)
        if i in (1, 3):
            Order.create(customer=c.id, number=f"O{i}", order_date=dt.date(2025, 6 + i, 1),
                         version=1, created_at=now, updated_at=now)
    # A deleted customer is never listed.
    Customer.create(number=2000, name="Gone", region="Zuid", deleted_at=now, version=1,
                    created_at=now, updated_at=now)
    return admin


def numbers(actor, query, **kw):
    return [r.number for r in paging.page(actor, query, limit=100, today=TODAY, **kw)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, list(range(1000, 1010))),
        ({"region": "Zuid"}, [1000, 1002, 1004, 1006, 1008]),
        ({"account_manager": "anna"}, [1000, 1001, 1002, 1003]),
        ({"account_manager": "-"}, list(range(1004, 1010))),
        ({"group": "Retail"}, [1001, 1002]),
        ({"condition_group": "C1"}, [1003]),
        ({"tag": "vip"}, [1004]),
        ({"country": "be"}, [1007]),
        ({"eu": "eu"}, list(range(1000, 1009))),
        ({"eu": "non-eu"}, [1009]),
        ({"vat_status": "valid"}, [1000, 1003, 1006, 1009]),
        ({"mailing_code": "7"}, [1005]),
        ({"over_limit": "yes"}, [1000, 1002]),
        ({"overdue": True}, [1000, 1002]),
        ({"no_order_since": "2025-08-01"}, [n for n in range(1000, 1010) if n != 1003]),
        ({"region": "Zuid", "account_manager": "anna", "overdue": True}, [1000, 1002]),
    ],
)
def test_every_filter(world, filters, expected):
    query = listing.ListQuery(filters=filtering.clean_filters(world, filters))
    assert numbers(world, query) == expected
    assert paging.count(world, query, today=TODAY) == len(expected)


def test_marked_filter_and_mark_all(world):
    query = listing.ListQuery(filters={"region": "Zuid"})
    assert marking.mark_all(world, query) == 5
    assert marking.mark_all(world, query) == 0
    assert numbers(world, listing.ListQuery(filters={"marked": True})) == [1000, 1002, 1004, 1006, 1008]
    assert marking.marked_count(world) == 5
    sam = actor_for("sam")
    assert numbers(sam, listing.ListQuery(filters={"marked": True})) == []  # marks are personal
    assert marking.unmark_all(world) == 5


def test_bad_filters_are_named(world):
    with pytest.raises(ValidationError) as exc:
        filtering.clean_filters(world, {"account_manager": "nobody", "mailing_code": "x",
                                 "no_order_since": "31-12", "eu": "maybe", "bogus": "1"})
    assert set(exc.value.errors) == {"account_manager", "mailing_code", "no_order_since", "eu", "bogus"}


def test_text_filter_uses_the_search(world):
    query = listing.ListQuery(text="Zwolle")
    assert numbers(world, query) == [1005]


@pytest.mark.parametrize("column", list(listing.COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_sort_and_keyset_pages(world, column, descending):
    """Pages of 3 give exactly the full sorted list: nothing skipped or repeated,
    also across equal sort values, forward and backward."""
    query = listing.ListQuery(sort=column, descending=descending)
    full = paging.page(world, query, limit=100, today=TODAY)
    assert sorted(r.number for r in full) == list(range(1000, 1010))
    keys = [r.key for r in full]
    assert keys == sorted(keys, reverse=descending)
    walked, after = [], None
    while True:
        rows = paging.page(world, query, after=after, limit=3, today=TODAY)
        if not rows:
            break
        walked += [r.id for r in rows]
        after = rows[-1].key
    assert walked == [r.id for r in full]
    back, before = [], full[-1].key
    back = [full[-1].id]
    while True:
        rows = paging.page(world, query, before=before, limit=3, today=TODAY)
        if not rows:
            break
        back = [r.id for r in rows] + back
        before = rows[0].key
    assert back == [r.id for r in full]


def test_sort_by_city_ties_broken_by_id(world):
    rows = paging.page(world, listing.ListQuery(sort="city"), limit=100)
    assert [r.city for r in rows][:5] == ["Amsterdam", "Amsterdam", "Breda", "Breda", "Breda"]
    assert [r.number for r in rows][2:5] == [1000, 1002, 1006]


def test_row_values(world):
    rows = {r.number: r for r in paging.page(world, listing.ListQuery(), limit=100, today=TODAY)}
    assert rows[1000].open_balance == Decimal("250.00") and rows[1000].account_manager == "anna"
    assert rows[1001].group == "Retail" and rows[1001].last_order == dt.date(2025, 7, 1)
    assert rows[1005].open_balance == Decimal("0.00") and rows[1005].last_order is None


def test_sales_without_invoices_tab_sees_no_money(world):
    users.grant(world, "sales", "invoices", "hidden")
    sam = actor_for("sam")
    assert "open_balance" not in listing.visible_columns(sam)
    assert "overdue" not in listing.allowed_filters(sam)
    with pytest.raises(ValidationError):
        filtering.clean_filters(sam, {"overdue": True})
    assert all(r.open_balance is None for r in paging.page(sam, listing.ListQuery(sort="open_balance")))


def test_saved_views_own_default_and_role_default(world):
    sam = actor_for("sam")
    zuid = listing.ListQuery(filters={"region": "Zuid"}, sort="city", columns=["number", "name"])
    saved_views.save_view(sam, "Zuid", zuid, make_default=True)
    saved_views.save_view(sam, "All", listing.ListQuery())
    views = saved_views.list_views(actor_for("sam"))
    assert [v.name for v in views] == ["All", "Zuid"]
    default = saved_views.default_view(actor_for("sam"))
    assert default.name == "Zuid" and default.query.sort == "city"
    assert default.query.columns == ["number", "name"] and default.query.filters == {"region": "Zuid"}
    assert saved_views.list_views(actor_for("anna")) == []
    with pytest.raises(PermissionDenied):
        saved_views.share_view(sam, "sales", "Team", listing.ListQuery())
    saved_views.share_view(world, "account_manager", "Team", listing.ListQuery(sort="region"))
    assert saved_views.default_view(actor_for("anna")).name == "Team"
    saved_views.save_view(actor_for("anna"), "Mine", listing.ListQuery(), make_default=True)
    assert saved_views.default_view(actor_for("anna")).name == "Mine"  # own default wins
    with pytest.raises(ValidationError):
        saved_views.save_view(sam, "  ", listing.ListQuery())
    saved_views.delete_view(sam, default.id)
    assert saved_views.default_view(actor_for("sam")) is None
    assert AuditRecord.select().where(AuditRecord.table == "saved_list_view").count() >= 4


@pytest.mark.parametrize(
    ("action", "value", "column", "expected"),
    [
        ("mailing_code", "12", "mailing_code", 12),
        ("region", "Oost", "region", "Oost"),
        ("account_manager", "anna", "account_manager_id", "anna"),
        ("group", "Retail", "customer_group_id", "Retail"),
    ],
)
def test_bulk_set_fields_are_audited_and_versioned(world, action, value, column, expected):
    query = listing.ListQuery(filters={"region": "Zuid"})
    plan = bulk_actions.preview(world, query, False, action, value)
    assert plan.selected == 5
    changed = bulk_actions.apply(world, plan, query, False)
    assert changed == plan.changing
    rows = list(Customer.select().where(Customer.region == ("Oost" if action == "region" else "Zuid"),
                                        Customer.deleted_at.is_null()))
    assert len(rows) == 5
    audits = AuditRecord.select().where(AuditRecord.action == "update", AuditRecord.table == "customer")
    assert audits.count() == changed
    bumped = [r for r in rows if r.version == 2]
    assert len(bumped) == changed
    assert bulk_actions.preview(world, query if action != "region" else listing.ListQuery(filters={"region": "Oost"}),
                      False, action, value).changing == 0


def test_bulk_tags_and_log_action(world):
    marking.mark_all(world, listing.ListQuery(filters={"country": "NL"}))
    plan = bulk_actions.preview(world, listing.ListQuery(), True, "add_tag", "Spring")
    assert (plan.selected, plan.changing) == (7, 7)
    assert bulk_actions.apply(world, plan, listing.ListQuery(), True) == 7
    assert CustomerTag.select().join(Tag).where(Tag.name == "Spring").count() == 7
    plan = bulk_actions.preview(world, listing.ListQuery(), True, "remove_tag", "vip")
    assert plan.changing == 1 and bulk_actions.apply(world, plan, listing.ListQuery(), True) == 1
    plan = bulk_actions.preview(world, listing.ListQuery(), True, "log_action", "sent the spring mailing")
    assert bulk_actions.apply(world, plan, listing.ListQuery(), True) == 7
    assert Action.select().where(Action.subject == "sent the spring mailing").count() == 7
    assert AuditRecord.select().where(AuditRecord.table == "action").count() >= 7


def test_bulk_permission_and_validation(world):
    sam = actor_for("sam")
    with pytest.raises(PermissionDenied):
        bulk_actions.preview(sam, listing.ListQuery(), False, "region", "Oost")
    with pytest.raises(PermissionDenied):
        bulk_actions.apply(sam, bulk_actions.BulkPlan("region", "Oost", "Oost", 10, 10), listing.ListQuery(), False)
    assert bulk_actions.preview(sam, listing.ListQuery(), False, "log_action", "called").changing == 10
    with pytest.raises(ValidationError):
        bulk_actions.preview(world, listing.ListQuery(), False, "mailing_code", "-3")
    with pytest.raises(ValidationError):
        bulk_actions.preview(world, listing.ListQuery(), False, "account_manager", "nobody")


def test_bulk_cancel_changes_nothing(world):
    query = listing.ListQuery()
    plan = bulk_actions.preview(world, query, False, "mailing_code", "99")
    seen = []
    with pytest.raises(bulk_actions.BulkCancelled):
        bulk_actions.apply(world, plan, query, False, progress=lambda d, t: seen.append(d),
                 cancelled=lambda: True)
    assert Customer.select().where(Customer.mailing_code == 99).count() == 0
    assert AuditRecord.select().where(AuditRecord.table == "customer").count() == 0
    assert Customer.select().where(Customer.version > 1).count() == 0


def test_export_mailing_of_the_selection(world):
    marking.mark_all(world, listing.ListQuery(filters={"region": "Zuid"}))
    out = io.StringIO()
    result = bulk_actions.export(world, listing.ListQuery(), True, "mailing", out)
    assert result.rows == 5
    assert "c0@example.com" in out.getvalue() and "c1@example.com" not in out.getvalue()
    out = io.StringIO()
    assert bulk_actions.export(world, listing.ListQuery(filters={"group": "Retail"}), False, "customers", out).rows == 2
    with pytest.raises(PermissionDenied):
        bulk_actions.export(actor_for("sam"), listing.ListQuery(), False, "mailing", io.StringIO())
    assert Mark.select().count() == 5


def test_selection_count_is_what_a_bulk_action_would_touch(world):
    marking.mark_all(world, listing.ListQuery(filters={"region": "Zuid"}))
    assert bulk_actions.selection_count(world, listing.ListQuery(), True) == 5
    assert bulk_actions.selection_count(world, listing.ListQuery(filters={"group": "Retail"}), False) == 2
    assert bulk_actions.selection_count(world, listing.ListQuery(), False) == 10  # the deleted one is not
