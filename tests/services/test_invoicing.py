"""Invoicing orders: never twice, credit notes, gap-free numbers, VAT rows, the accounting
export, the credit limit, default remarks and the automatic backorder split."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from decimal import Decimal as D

import pytest

from tradium_tui import db as dbmod
from tradium_tui.models import (
    AuditRecord,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceVat,
    Order,
    OrderLine,
    Role,
    TabPermission,
    User,
)
from tradium_tui.services import (
    audit,
    conditions,
    credit_notes,
    invoice_vat,
    invoices,
    invoicing,
    legacy_invoices,
    orders,
)
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.orders import CreditLimitExceeded
from tradium_tui.services.transfer import exports

DAY = "2026-06-01"


def read_csv_file(path) -> list[list[str]]:
    import csv

    text = open(path, encoding="utf-8-sig", newline="").read()
    return list(csv.reader(text.splitlines(), delimiter=";" if ";" in text.split("\n")[0] else ","))

# Rates as a document line stores them (the rules that pick them live elsewhere).
HIGH, LOW = "21", "9"


@pytest.fixture
def customer(database):
    return Customer.create(number=1001, name="Bakkerij De Korenschoof", visit_country="NL",
                           ledger_account="1310")


def _order(actor, customer, delivered=("0", "0"), **values):
    lines = [
        {"article": "MEEL-25", "description": "Meel 25 kg", "quantity": "10",
         "delivered_quantity": delivered[0], "unit_price": "20", "vat_rate": LOW},
        {"article": "OVEN-1", "description": "Oven", "quantity": "2",
         "delivered_quantity": delivered[1], "unit_price": "500", "discount_percent": "10",
         "vat_rate": HIGH},
    ]
    return orders.create_order(actor, customer.id, {"order_date": DAY, **values}, lines)


def test_invoice_whole_order_stores_lines_rates_and_refuses_twice(admin, customer):
    order = _order(admin, customer)
    invoice = invoicing.invoice_order(admin, order.id, invoice_date=DAY)
    assert invoice.number == "F2026-000001" and invoice.order_id == order.id
    # 10 × 20 at 9 % and 2 × 500 − 10 % at 21 %.
    assert invoice_vat.vat_rows(invoice.id) == [
        invoice_vat.VatRow(D("9"), D("200.00"), D("18.00")),
        invoice_vat.VatRow(D("21"), D("900.00"), D("189.00")),
    ]
    assert (invoice.amount_excl, invoice.vat_amount, invoice.amount_incl) == (
        D("1100.00"), D("207.00"), D("1307.00"))
    assert [line.quantity for line in InvoiceLine.select().order_by(InvoiceLine.position)] == [
        D("10"), D("2")]
    assert [line.invoiced_quantity for line in orders.order_lines(admin, order.id)] == [D("10"), D("2")]
    with pytest.raises(ValidationError) as info:
        invoicing.invoice_order(admin, order.id)
    assert info.value.errors["order"] == (
        f"Order {order.number} is invoiced already: F2026-000001 covers it.")
    with pytest.raises(ValidationError) as info:
        invoicing.invoice_order(admin, order.id, delivered_only=True)
    assert "has been delivered" in info.value.errors["order"]
    with pytest.raises(ValidationError) as info:  # the invoice form's order field: the same rule
        invoices.create_invoice(admin, customer.id, {"order": order.number})
    assert "F2026-000001 covers it" in info.value.errors["order"]
    assert Invoice.select().count() == 1


def _lines_of(invoice) -> list[tuple]:
    return [(line.order_position, line.quantity)
            for line in invoices.invoice_detail(actor_for("anna"), invoice.id).lines]


def test_invoice_what_was_delivered_then_the_rest(admin, customer):
    order = _order(admin, customer, delivered=("4", "0"))
    first = invoicing.invoice_order(admin, order.id, delivered_only=True, invoice_date=DAY)
    assert (first.amount_excl, first.vat_amount) == (D("80.00"), D("7.20"))
    with pytest.raises(ValidationError) as info:
        invoicing.invoice_order(admin, order.id, delivered_only=True)
    assert info.value.errors["order"] == (
        f"Everything delivered on order {order.number} is invoiced already: {first.number} covers it.")
    stored = orders.get_order(admin, order.id)
    lines = [{name: getattr(line, name) for name in orders.ORDER_LINE_FIELDS}
             for line in orders.order_lines(admin, order.id)]
    lines[1]["delivered_quantity"] = "1"
    orders.set_order_lines(admin, order.id, lines, stored.version)
    second = invoicing.invoice_order(admin, order.id, delivered_only=True, invoice_date=DAY)
    assert _lines_of(second) == [(2, D("1"))]
    rest = invoicing.invoice_order(admin, order.id, invoice_date=DAY)
    assert _lines_of(rest) == [(1, D("6")), (2, D("1"))]
    assert [i.number for i in Invoice.select().order_by(Invoice.id)] == [
        "F2026-000001", "F2026-000002", "F2026-000003"]
    with pytest.raises(ValidationError) as info:
        invoicing.invoice_order(admin, order.id)
    assert "F2026-000001, F2026-000002, F2026-000003 cover it" in info.value.errors["order"]


def test_invoiced_lines_keep_what_was_invoiced(admin, customer):
    order = _order(admin, customer, delivered=("10", "0"))
    invoicing.invoice_order(admin, order.id, delivered_only=True)
    order = orders.get_order(admin, order.id)
    lines = [{name: getattr(line, name) for name in orders.ORDER_LINE_FIELDS}
             for line in orders.order_lines(admin, order.id)]
    for change, field in (({"unit_price": "19"}, "description"), ({"quantity": "9",
                          "delivered_quantity": "9"}, "quantity")):
        with pytest.raises(ValidationError) as info:
            orders.set_order_lines(admin, order.id, [{**lines[0], **change}, lines[1]], order.version)
        assert "invoiced" in info.value.errors[f"lines.0.{field}"]
    with pytest.raises(ValidationError) as info:
        orders.set_order_lines(admin, order.id, [lines[1]], order.version)
    assert "is invoiced" in " ".join(info.value.errors.values())
    more = orders.set_order_lines(admin, order.id, [{**lines[0], "quantity": "12"}, lines[1]],
                                  order.version)
    assert orders.order_lines(admin, more.id)[0].invoiced_quantity == D("10")


def test_invoiced_order_cannot_be_deleted_and_invoice_never(admin, customer):
    order = _order(admin, customer)
    blank = orders.create_order(admin, customer.id, {})
    orders.delete_order(admin, blank.id, blank.version)  # not invoiced: may go
    invoice = invoicing.invoice_order(admin, order.id)
    order = orders.get_order(admin, order.id)
    with pytest.raises(ValidationError) as info:
        orders.delete_order(admin, order.id, order.version)
    assert info.value.errors["order"] == (
        f"Order {order.number} is invoiced ({invoice.number}); an invoiced order cannot be deleted.")
    with pytest.raises(ValidationError) as info:
        invoices.delete_invoice(admin, invoice.id, invoice.version)
    assert "credit" in info.value.errors["invoice"]
    assert Order.get_or_none(Order.id == order.id) is not None
    assert Invoice.get_or_none(Invoice.id == invoice.id) is not None


def test_credit_note_negates_refers_settles_and_frees_the_order(admin, customer):
    order = _order(admin, customer, delivered=("10", "2"))
    invoice = invoicing.invoice_order(admin, order.id, invoice_date=DAY)
    paid = invoices.register_payment(admin, invoice.id, "300", DAY, invoice.version)
    credit = credit_notes.credit_invoice(admin, invoice.id, paid.version, "2026-06-05")
    assert credit.number == "F2026-000002" and credit.credited_invoice_id == invoice.id
    assert (credit.amount_excl, credit.vat_amount, credit.amount_incl) == (
        D("-1100.00"), D("-207.00"), D("-1307.00"))
    assert invoice_vat.vat_rows(credit.id) == [
        invoice_vat.VatRow(D("9"), D("-200.00"), D("-18.00")),
        invoice_vat.VatRow(D("21"), D("-900.00"), D("-189.00")),
    ]
    assert [q for _p, q in _lines_of(credit)] == [D("-10"), D("-2")]
    # The credit settles what was open on the invoice; the 300 paid is owed back.
    original = Invoice.get_by_id(invoice.id)
    assert (original.status, original.paid_amount) == ("paid", D("1307.00"))
    assert (credit.status, credit.paid_amount) == ("partly_paid", D("-1007.00"))
    assert invoices.open_balance(customer.id) == D("-300.00")
    rows = {r.number: r for r in invoices.list_invoices(admin, customer.id)}
    assert rows[credit.number].credited_number == invoice.number
    assert rows[invoice.number].credit_note_number == credit.number
    assert AuditRecord.select().where(
        (AuditRecord.table == "invoice") & (AuditRecord.record_id == invoice.id)
        & (AuditRecord.field == "credit_note")).get().new_value == credit.number
    for target, text in ((original, "credited already by F2026-000002"),
                         (credit, "is a credit note")):
        with pytest.raises(ValidationError) as info:
            credit_notes.credit_invoice(admin, target.id, Invoice.get_by_id(target.id).version)
        assert text in info.value.errors["invoice"]
    with pytest.raises(ValidationError) as info:
        invoices.cancel_invoice(admin, original.id, original.version)
    assert "credit" in info.value.errors["status"]
    # The order's quantities are free again: it can be invoiced anew, still not deleted.
    assert [line.invoiced_quantity for line in orders.order_lines(admin, order.id)] == [D("0"), D("0")]
    again = invoicing.invoice_order(admin, order.id, invoice_date="2026-06-05")
    assert again.number == "F2026-000003" and again.amount_incl == D("1307.00")


def test_cancelled_invoice_frees_the_order_and_stays_cancelled(admin, customer):
    order = _order(admin, customer)
    invoice = invoicing.invoice_order(admin, order.id)
    cancelled = invoices.cancel_invoice(admin, invoice.id, invoice.version)
    assert orders.order_lines(admin, order.id)[0].invoiced_quantity == D("0")
    with pytest.raises(ValidationError) as info:
        invoices.update_invoice(admin, invoice.id, {"status": "open"}, cancelled.version)
    assert "invoice the order again" in info.value.errors["status"]
    with pytest.raises(ValidationError) as info:
        credit_notes.credit_invoice(admin, invoice.id, cancelled.version)
    assert "cancelled" in info.value.errors["invoice"]
    assert invoicing.invoice_order(admin, order.id).number == "F2026-000002"


def test_due_date_and_payment_term(admin, customer):
    order = _order(admin, customer)
    plain = invoicing.invoice_order(admin, order.id, invoice_date=DAY)
    assert (plain.payment_term_days, plain.due_date) == (30, dt.date(2026, 7, 1))
    conditions.create_condition(admin, customer.id, {"kind": "payment_term", "payment_term_days": "14"})
    second = _order(admin, customer)
    termed = invoicing.invoice_order(admin, second.id, invoice_date=DAY)
    assert (termed.payment_term_days, termed.due_date) == (14, dt.date(2026, 6, 15))
    assert invoices.invoice_detail(admin, termed.id).payment_term_days == 14
    typed = invoices.create_invoice(admin, customer.id, {"invoice_date": DAY, "amount_excl": "10",
                                                        "vat_rate": LOW})
    assert typed.payment_term_days == 14
    assert invoice_vat.vat_rows(typed.id) == [invoice_vat.VatRow(D("9"), D("10.00"), D("0.90"))]


def test_failed_save_burns_no_number(admin, customer, monkeypatch):
    order = _order(admin, customer)
    real = audit.record

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        invoicing.invoice_order(admin, order.id)
    with pytest.raises(RuntimeError):
        invoices.create_invoice(admin, customer.id, {"amount_excl": "10"})
    monkeypatch.setattr(audit, "record", real)
    assert Invoice.select().count() == 0 and OrderLine.get(OrderLine.position == 1).invoiced_quantity == 0
    assert invoicing.invoice_order(admin, order.id).number == "F2026-000001"
    assert invoices.create_invoice(admin, customer.id, {"amount_excl": "10"}).number == "F2026-000002"


def test_numbers_per_year_continue_stored_ones(admin, customer):
    Invoice.create(customer=customer, number="F2025-000007", invoice_date=dt.date(2025, 12, 30),
                   due_date=dt.date(2026, 1, 30), amount_excl=D("1"), vat_amount=D("0"),
                   amount_incl=D("1"), customer_number=1001, customer_name="x")
    assert invoices.create_invoice(admin, customer.id, {"invoice_date": "2025-12-31",
                                                        "amount_excl": "5"}).number == "F2025-000008"
    assert invoices.create_invoice(admin, customer.id, {"invoice_date": "2026-01-02",
                                                        "amount_excl": "5"}).number == "F2026-000001"
    assert invoices.create_invoice(admin, customer.id, {"invoice_date": "2025-12-31",
                                                        "amount_excl": "5"}).number == "F2025-000009"


THREADS, PER_THREAD = 4, 5


def _expected(count: int) -> list[str]:
    return [f"F2026-{n:06d}" for n in range(1, count + 1)]


def test_concurrent_invoicing_in_threads_is_gap_free(admin, customer):
    made = [_order(admin, customer) for _ in range(THREADS * PER_THREAD)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        try:
            start.wait(timeout=30)
            actor = actor_for("anna")
            for order in made[index::THREADS]:
                invoicing.invoice_order(actor, order.id, invoice_date=DAY)
                # A refused second attempt in between takes no number either.
                with pytest.raises(ValidationError):
                    invoicing.invoice_order(actor, order.id, invoice_date=DAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            dbmod.database.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[0]
    numbers = sorted(n for (n,) in Invoice.select(Invoice.number).tuples())
    assert numbers == _expected(THREADS * PER_THREAD)


def _invoice_in_process(url: str, customer_id: int, count: int, barrier) -> None:
    dbmod.connect(url)
    actor = actor_for("anna")
    barrier.wait(timeout=60)
    for _ in range(count):
        invoices.create_invoice(actor, customer_id, {"invoice_date": DAY, "amount_excl": "10"})
    dbmod.database.close()


def test_concurrent_invoicing_in_processes_is_gap_free(admin, customer, database):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    database.close()
    workers = [context.Process(target=_invoice_in_process,
                               args=(database.test_url, customer.id, PER_THREAD, barrier))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    database.connect(reuse_if_open=True)
    numbers = sorted(n for (n,) in Invoice.select(Invoice.number).tuples())
    assert numbers == _expected(3 * PER_THREAD)
    assert InvoiceVat.select().count() == 3 * PER_THREAD


def test_accounting_export_rows_per_rate_credit_negative_cancelled_out(admin, customer, tmp_path):
    order = _order(admin, customer)
    invoice = invoicing.invoice_order(admin, order.id, invoice_date=DAY)
    credit_notes.credit_invoice(admin, invoice.id, invoice.version, "2026-06-02")
    dropped = invoices.create_invoice(admin, customer.id, {"invoice_date": DAY, "amount_excl": "50"})
    invoices.cancel_invoice(admin, dropped.id, dropped.version)
    target = tmp_path / "acc.csv"
    result = exports.export_accounting(admin, target, "1300", delimiter=";", decimal_comma=True)
    assert (result.invoices, result.rows, result.cancelled) == (2, 4, 1)
    assert result.total_incl == D("0.00")
    assert "1 cancelled left out" in result.summary()
    raw = target.read_text(encoding="utf-8-sig").splitlines()
    assert raw[1] == ("F2026-000001;2026-06-01;2026-07-01;invoice;;1001;Bakkerij De Korenschoof;"
                      "1310;;9;200,00;18,00;218,00;paid;1001")
    rows = read_csv_file(target)
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["invoice_number"], r["document"], r["vat_rate"], r["net"], r["vat"]) for r in table] == [
        ("F2026-000001", "invoice", "9", "200,00", "18,00"),
        ("F2026-000001", "invoice", "21", "900,00", "189,00"),
        ("F2026-000002", "credit_note", "9", "-200,00", "-18,00"),
        ("F2026-000002", "credit_note", "21", "-900,00", "-189,00"),
    ]
    assert {r["credited_invoice"] for r in table if r["document"] == "credit_note"} == {"F2026-000001"}
    assert "F2026-000003" not in target.read_text(encoding="utf-8-sig")
    plain = exports.export_accounting(admin, tmp_path / "p.csv", "1300")
    assert read_csv_file(tmp_path / "p.csv")[1][10] == "200.00" and plain.rows == 4


def test_accounting_command_decimal_comma(cli_runner, database):
    User.create(username="founder", role=Role.get(name="admin"))
    customer = Customer.create(number=5, name="Klant", visit_country="NL")
    invoices.create_invoice(actor_for("founder"), customer.id,
                            {"invoice_date": DAY, "amount_excl": "1234.5", "vat_rate": LOW})
    code, out, err = cli_runner("export", "accounting", "-", "--decimal-comma")
    assert code == 0, err
    assert out.splitlines()[1].endswith(";9;1234,50;111,11;1345,61;open;5")
    code, out, err = cli_runner("export", "accounting", "-", "--decimal-comma", "--delimiter", ",")
    assert code == 2 and "--decimal-comma" in err


def test_credit_limit_warns_with_figures_and_only_base_editors_override(admin, customer):
    Customer.update(credit_limit=D("1000")).where(Customer.id == customer.id).execute()
    invoices.create_invoice(admin, customer.id, {"amount_excl": "100", "vat_rate": "0"})  # open 100
    other = orders.create_order(admin, customer.id, {}, [
        {"description": "Open", "quantity": "2", "unit_price": "100", "vat_rate": "0"},
        {"description": "Half", "quantity": "4", "delivered_quantity": "2", "unit_price": "50",
         "vat_rate": "0"},
    ])
    # The order is partly delivered: what is not delivered is on backorder.
    assert orders.credit_use(customer.id) == (D("100.00"), D("100.00"), D("300.00"))
    big = [{"description": "Big", "quantity": "1", "unit_price": "600", "vat_rate": "0"}]
    with pytest.raises(CreditLimitExceeded) as info:
        orders.create_order(admin, customer.id, {}, big)
    check = info.value.check
    assert (check.open_invoices, check.open_orders, check.backorders, check.this_order,
            check.total, check.over) == (D("100.00"), D("100.00"), D("300.00"), D("600.00"),
                                         D("1100.00"), D("100.00"))
    assert info.value.may_override
    assert "over the credit limit 1000.00 by 100.00" in info.value.errors["lines"]
    assert Order.select().count() == 1
    saved = orders.create_order(admin, customer.id, {}, big, override_credit_limit=True)
    override = AuditRecord.get((AuditRecord.record_id == saved.id)
                               & (AuditRecord.field == "credit_limit_override"))
    assert (override.username, override.action) == ("anna", "override")
    assert "= 1100.00" in override.new_value
    # A role without the base-edit right is refused, also when asking to override.
    desk = Role.create(name="order_desk", can_edit_base=False)
    TabPermission.create(role=desk, tab="orders", level="edit")
    User.create(username="sam", role=desk)
    sales = actor_for("sam")
    assert not sales.role.can_edit_base
    for override_flag in (False, True):
        with pytest.raises(CreditLimitExceeded) as info:
            orders.create_order(sales, customer.id, {}, big, override_credit_limit=override_flag)
        assert not info.value.may_override and "Only a role" in info.value.errors["lines"]
    # Lowering an order over the limit is no new credit: allowed.
    saved = orders.get_order(admin, saved.id)
    orders.set_order_lines(sales, saved.id, [{**big[0], "unit_price": "500"}], saved.version)
    assert other.id


def test_new_orders_copy_default_remarks(admin, customer):
    Customer.update(order_remarks="Deliver at the back entrance.").where(
        Customer.id == customer.id).execute()
    assert orders.create_order(admin, customer.id, {}).remarks == "Deliver at the back entrance."
    assert orders.create_order(admin, customer.id, {"remarks": "Own"}).remarks == "Own"


def test_auto_split_moves_the_backorder_when_invoicing_delivered(admin, customer):
    Customer.update(auto_split_orders=True).where(Customer.id == customer.id).execute()
    order = _order(admin, customer, delivered=("4", "2"), reference="PO-77")
    invoice = invoicing.invoice_order(admin, order.id, delivered_only=True, invoice_date=DAY)
    assert invoice.amount_excl == D("980.00")  # 4 × 20 + 2 × 450
    kept = orders.get_order(admin, order.id)
    assert kept.status == "delivered"
    assert [(line.quantity, line.invoiced_quantity) for line in orders.order_lines(admin, kept.id)] == [
        (D("4"), D("4")), (D("2"), D("2"))]
    backorder = Order.get(Order.id != order.id)
    assert backorder.reference == "PO-77" and f"Backorder of {order.number}" in backorder.remarks
    assert [(line.article, line.quantity, line.delivered_quantity, line.backorder_quantity)
            for line in orders.order_lines(admin, backorder.id)] == [("MEEL-25", D("6"), D("0"), D("6"))]
    assert backorder.status == "open"
    assert AuditRecord.select().where((AuditRecord.action == "split")
                                      & (AuditRecord.record_id == order.id)).count() == 1
    # Without the setting the order stays whole.
    Customer.update(auto_split_orders=False).where(Customer.id == customer.id).execute()
    whole = _order(admin, customer, delivered=("4", "0"))
    invoicing.invoice_order(admin, whole.id, delivered_only=True)
    assert len(orders.order_lines(admin, whole.id)) == 2 and Order.select().count() == 3


def test_legacy_invoices_get_rows_from_their_order(admin, customer):
    order = _order(admin, customer)
    legacy = Invoice.create(customer=customer, number="F2024-000001", order=order,
                            invoice_date=dt.date(2024, 1, 1), due_date=dt.date(2024, 1, 31),
                            amount_excl=D("1100"), vat_amount=D("207"), amount_incl=D("1307"),
                            customer_number=1001, customer_name="x")
    typed = Invoice.create(customer=customer, number="F2024-000002", invoice_date=dt.date(2024, 1, 1),
                           due_date=dt.date(2024, 1, 31), amount_excl=D("100"), vat_amount=D("9"),
                           amount_incl=D("109"), customer_number=1001, customer_name="x")
    assert legacy_invoices.adopt_legacy_invoices() == 2
    assert [r.rate for r in invoice_vat.vat_rows(legacy.id)] == [D("9"), D("21")]
    assert invoice_vat.vat_rows(typed.id) == [invoice_vat.VatRow(D("9"), D("100.00"), D("9.00"))]
    with pytest.raises(ValidationError) as info:
        invoicing.invoice_order(admin, order.id)
    assert "F2024-000001 covers it" in info.value.errors["order"]
    assert legacy_invoices.adopt_legacy_invoices() == 0


def test_auto_split_never_moves_invoiced_quantities(admin, customer):
    Customer.update(auto_split_orders=True).where(Customer.id == customer.id).execute()
    order = _order(admin, customer)  # nothing delivered
    invoicing.invoice_order(admin, order.id)  # all of it invoiced in advance
    order = orders.get_order(admin, order.id)
    lines = [{name: getattr(line, name) for name in orders.ORDER_LINE_FIELDS}
             for line in orders.order_lines(admin, order.id)]
    lines.append({"description": "Extra", "quantity": "5", "delivered_quantity": "5",
                  "unit_price": "1", "vat_rate": LOW})
    orders.set_order_lines(admin, order.id, lines, order.version)
    extra = invoicing.invoice_order(admin, order.id, delivered_only=True)
    assert extra.amount_excl == D("5.00")
    assert Order.select().count() == 1  # invoiced in advance stays on the order, not a backorder
    assert [(line.quantity, line.invoiced_quantity) for line in orders.order_lines(admin, order.id)] == [
        (D("10"), D("10")), (D("2"), D("2")), (D("5"), D("5"))]


def test_the_invoice_view_gives_the_vat_note_that_fits_what_was_charged(admin, database):
    german = Customer.create(number=1002, name="Alpen Elektrotechnik GmbH", kind="company",
                             visit_country="DE", vat_number="DE136695976", vat_status="valid")
    zero = invoices.create_invoice(admin, german.id, {"invoice_date": DAY, "amount_excl": "100"})
    assert zero.vat_amount == D("0.00")  # reverse charge: the rate follows the customer
    note = invoices.invoice_detail(admin, zero.id).vat_note
    assert "reverse-charged" in note and "DE136695976" in note
    # An invoice that charged VAT (typed rate) does not claim a reverse charge.
    charged = invoices.create_invoice(admin, german.id,
                                      {"invoice_date": DAY, "amount_excl": "100", "vat_rate": "21"})
    assert invoices.invoice_detail(admin, charged.id).vat_note == ""
    # Without a valid number at invoicing the invoice warns that it could not apply.
    german.vat_number, german.vat_status = "", "missing"
    german.save()
    missing = invoices.create_invoice(admin, german.id, {"invoice_date": DAY, "amount_excl": "50"})
    assert missing.vat_amount == D("10.50")
    assert "cannot be applied" in invoices.invoice_detail(admin, missing.id).vat_note
    home = Customer.create(number=1003, name="Thuis BV", visit_country="NL")
    plain = invoices.create_invoice(admin, home.id, {"invoice_date": DAY, "amount_excl": "10"})
    assert invoices.invoice_detail(admin, plain.id).vat_note == ""
