"""Orders: ordered / delivered / backorder quantities, derived status, totals, locking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tradium_tui.models import AuditRecord, Order, OrderLine
from tradium_tui.services import orders
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError

LINES = [
    {"article": "MEEL-25", "description": "Tarwebloem 25 kg", "quantity": "4", "unit_price": "18,40",
     "cost_price": "12,10", "vat_rate": "9"},
    {"article": "GIST", "description": "Gist 500 g", "quantity": "10", "unit_price": "3,15",
     "cost_price": "1,90", "discount_percent": "10", "vat_rate": "9"},
]


def _lines(order_id):
    return list(OrderLine.select().where(OrderLine.order == order_id).order_by(OrderLine.position))


def test_create_with_lines(admin, customer):
    order = orders.create_order(admin, customer.id, {"order_date": "15-03-2026", "reference": "PO-88"}, LINES)
    assert order.number == "O2026-000001"
    assert (order.status, order.source, order.reference) == ("open", "manual", "PO-88")
    # 4 × 18.40 = 73.60; 10 × 3.15 − 10% = 28.35; base 101.95 at 9% → 9.1755 → 9.18
    assert (order.total_excl, order.total_vat, order.total_incl) == (D("101.95"), D("9.18"), D("111.13"))
    assert [(ln.quantity, ln.delivered_quantity, ln.backorder_quantity, ln.cost_price) for ln in _lines(order.id)] == [
        (D("4"), D("0"), D("4"), D("12.1")), (D("10"), D("0"), D("10"), D("1.9")),
    ]
    row = orders.list_orders(admin, customer.id)[0]
    assert (row.number, row.backorder_lines, row.total_incl, row.username) == (
        order.number, 2, D("111.13"), "anna",
    )


def test_create_bad_input(admin, customer):
    with pytest.raises(ValidationError) as info:
        orders.create_order(
            admin, customer.id,
            {"order_date": "2026-02-30", "status": "delivered", "source": "fax"},
        )
    assert set(info.value.errors) == {"order_date", "status", "source"}
    with pytest.raises(ValidationError) as info:
        orders.create_order(admin, customer.id, {}, [
            {"description": "x", "quantity": "2", "delivered_quantity": "3"},
            {"description": "y", "cost_price": "-1"},
        ])
    assert set(info.value.errors) == {"lines.0.delivered_quantity", "lines.1.cost_price"}
    assert Order.select().count() == 0 and OrderLine.select().count() == 0


def test_delivery_drives_status_and_backorders(admin, customer):
    order = orders.create_order(admin, customer.id, {}, LINES)
    partly = orders.set_order_lines(
        admin, order.id,
        [{**LINES[0], "delivered_quantity": "4"}, {**LINES[1], "delivered_quantity": "6"}],
        order.version,
    )
    assert partly.status == "partly_delivered"
    assert [ln.backorder_quantity for ln in _lines(order.id)] == [D("0"), D("4")]
    assert orders.backorder_total(order.id) == D("4")
    assert orders.list_orders(admin, customer.id)[0].backorder_lines == 1

    delivered = orders.deliver_all(admin, order.id, partly.version)
    assert delivered.status == "delivered"
    assert all(ln.backorder_quantity == 0 for ln in _lines(order.id))
    statuses = [
        (r.old_value, r.new_value)
        for r in AuditRecord.select()
        .where((AuditRecord.table == "order") & (AuditRecord.field == "status"))
        .order_by(AuditRecord.id)
    ]
    assert statuses == [(None, "open"), ("open", "partly_delivered"), ("partly_delivered", "delivered")]
    with pytest.raises(ValidationError) as info:
        orders.cancel_order(admin, order.id, delivered.version)
    assert "delivered order cannot be cancelled" in info.value.errors["status"]


def test_status_cannot_be_set_against_the_lines(admin, customer):
    order = orders.create_order(admin, customer.id, {}, LINES)
    with pytest.raises(ValidationError) as info:
        orders.update_order(admin, order.id, {"status": "delivered"}, order.version)
    assert "record deliveries" in info.value.errors["status"]
    assert Order.get_by_id(order.id).status == "open"


def test_cancel_and_reopen(admin, customer):
    order = orders.create_order(admin, customer.id, {}, LINES)
    order = orders.set_order_lines(admin, order.id, [{**LINES[0], "delivered_quantity": "1"}], order.version)
    cancelled = orders.cancel_order(admin, order.id, order.version)
    assert cancelled.status == "cancelled"
    with pytest.raises(ValidationError) as info:
        orders.set_order_lines(admin, order.id, LINES, cancelled.version)
    assert "reopen" in info.value.errors["lines"]
    reopened = orders.reopen_order(admin, order.id, cancelled.version)
    assert reopened.status == "partly_delivered"


def test_update_bad_input_and_conflict(admin, customer):
    order = orders.create_order(admin, customer.id, {"reference": "A"})
    with pytest.raises(ValidationError) as info:
        orders.update_order(admin, order.id, {"order_date": "", "reference": "x" * 81}, order.version)
    assert set(info.value.errors) == {"order_date", "reference"}
    with pytest.raises(ValidationError):
        orders.update_order(admin, order.id, {"number": "O1"}, order.version)
    changed = orders.update_order(admin, order.id, {"reference": "B"}, order.version)
    with pytest.raises(ConflictError):
        orders.update_order(admin, order.id, {"reference": "C"}, order.version)
    with pytest.raises(ConflictError):
        orders.set_order_lines(admin, order.id, LINES, order.version)
    assert _lines(order.id) == [] and Order.get_by_id(order.id).version == changed.version


def test_delete(admin, customer):
    order = orders.create_order(admin, customer.id, {}, LINES)
    orders.delete_order(admin, order.id, order.version)
    assert Order.select().count() == 0 and OrderLine.select().count() == 0
    deleted = AuditRecord.select().where(
        (AuditRecord.table == "order") & (AuditRecord.action == "delete") & (AuditRecord.field == "lines")
    ).get()
    assert "Tarwebloem" in deleted.old_value and deleted.customer_id == customer.id
    with pytest.raises(NotFound):
        orders.get_order(admin, order.id)


def test_derive_status():
    assert orders.derive_status([]) == "open"
    assert orders.derive_status([{"quantity": D(2), "delivered_quantity": D(0)}]) == "open"
    assert orders.derive_status([
        {"quantity": D(2), "delivered_quantity": D(2)}, {"quantity": D(1), "delivered_quantity": D(0)},
    ]) == "partly_delivered"
    assert orders.derive_status([{"quantity": D(2), "delivered_quantity": D(2)}]) == "delivered"
