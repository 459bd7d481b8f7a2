"""The fixed data set of the analysis tests (figures, tabs and their snapshots), made
straight in the tables.  Today is fixed at 2025-06-15.

Customer "Main" (all amounts excl. VAT unless said otherwise):

  invoices  2025-02-10  1000.00 (incl 1210.00) paid 2025-03-12  → 30 days
            2025-05-20   500.00 (incl  605.00) open
            2025-04-01  -200.00 credit note, "paid" 2025-04-05 (not a payment)
            2024-03-01   800.00 paid 2024-03-15                 → 14 days
            2024-09-10   300.00 paid 2024-10-10                 → 30 days
            2025-01-05   999.99 cancelled
            2023-07-01   150.00 paid 2023-07-11                 → 10 days
            2025-06-20    50.00 open (after today)
  orders    2025-03-01  A100 10 × 25.00 −10% cost 15  = 225.00 / 150.00
                        B200  2 × 100.00      cost 60 = 200.00 / 120.00
            2025-05-10  A100  4 × 25.00       cost 15 = 100.00 /  60.00
            2025-05-10  (no code) Installation 1 × 80 = 80.00 / 0   (split order, same day)
            2024-04-15  B200  3 × 90.00 −5%   cost 60 = 256.50 / 180.00
            2024-11-20  C300 100 × 1.50 −20% cost 0.80 = 120.00 / 80.00
            2025-04-01  A100 1000 × 25 cancelled
            2025-07-01  D400 1 × 10.00 cost 5 = 10.00 / 5.00 (after today)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tradium_tui.models import Customer, Invoice, Order, OrderLine, Role, TabPermission, User
from tradium_tui.services.access import TABS, actor_for

TODAY = date(2025, 6, 15)
D = Decimal

_counter = {"customer": 0, "invoice": 0, "order": 0}


def _next(kind: str) -> int:
    _counter[kind] += 1
    return _counter[kind]


def make_customer(name: str, **extra) -> Customer:
    return Customer.create(number=1000 + _next("customer"), name=name, **extra)


def make_invoice(customer, when, excl, incl=None, status="open", paid_on=None, vat=None):
    excl = D(excl)
    incl = D(incl) if incl is not None else (excl * D("1.21")).quantize(D("0.01"))
    return Invoice.create(
        customer=customer,
        number=f"F{_next('invoice'):05d}",
        invoice_date=when,
        due_date=when,
        amount_excl=excl,
        vat_amount=D(vat) if vat is not None else incl - excl,
        amount_incl=incl,
        paid_amount=incl if status == "paid" else 0,
        paid_on=paid_on,
        status=status,
        customer_number=customer.number,
        customer_name=customer.name,
    )


def make_order(customer, when, lines, status="delivered"):
    order = Order.create(
        customer=customer, number=f"O{_next('order'):05d}", order_date=when, status=status
    )
    for pos, (article, description, qty, price, discount, cost) in enumerate(lines):
        OrderLine.create(
            order=order,
            position=pos,
            article=article,
            description=description,
            quantity=D(qty),
            unit_price=D(price),
            discount_percent=D(discount),
            cost_price=D(cost),
        )
    return order


def build_data_set() -> dict[str, int]:
    """The fixed data set of this module's docstring; returns customer ids by role."""
    empty = make_customer("Empty BV")
    orders_only = make_customer("Orders Only BV")
    main = make_customer("Main Trading BV")
    no_vat = make_customer("Export Ltd", charge_vat=False, visit_country="GB")
    with_vat = make_customer("Binnenland BV")
    credit_only = make_customer("Credit Only BV")
    gone = make_customer("Gone BV", deleted_at=date(2025, 1, 1))

    make_order(orders_only, date(2025, 1, 10), [("X1", "Thing", "2", "50", "0", "30")])

    make_invoice(main, date(2025, 2, 10), "1000.00", "1210.00", "paid", date(2025, 3, 12))
    make_invoice(main, date(2025, 5, 20), "500.00", "605.00")
    make_invoice(main, date(2025, 4, 1), "-200.00", "-242.00", "paid", date(2025, 4, 5))
    make_invoice(main, date(2024, 3, 1), "800.00", None, "paid", date(2024, 3, 15))
    make_invoice(main, date(2024, 9, 10), "300.00", None, "paid", date(2024, 10, 10))
    make_invoice(main, date(2025, 1, 5), "999.99", None, "cancelled", date(2025, 1, 6))
    make_invoice(main, date(2023, 7, 1), "150.00", None, "paid", date(2023, 7, 11))
    make_invoice(main, date(2025, 6, 20), "50.00")

    make_order(main, date(2025, 3, 1), [
        ("A100", "Widget", "10", "25.00", "10", "15.00"),
        ("B200", "Gadget", "2", "100.00", "0", "60.00"),
    ])
    make_order(main, date(2025, 5, 10), [("A100", "Widget", "4", "25.00", "0", "15.00")], "open")
    make_order(main, date(2025, 5, 10), [("", "Installation", "1", "80.00", "0", "0")])
    make_order(main, date(2024, 4, 15), [("B200", "Gadget", "3", "90.00", "5", "60.00")])
    make_order(main, date(2024, 11, 20), [("C300", "Cable", "100", "1.50", "20", "0.80")])
    make_order(main, date(2025, 4, 1), [("A100", "Widget", "1000", "25", "0", "15")], "cancelled")
    make_order(main, date(2025, 7, 1), [("D400", "Future", "1", "10.00", "0", "5.00")], "open")

    # VAT-exclusive and VAT-inclusive customers with the same net revenue.
    make_invoice(no_vat, date(2025, 3, 3), "100.00", "100.00", vat="0")
    make_invoice(with_vat, date(2025, 3, 3), "100.00", "121.00")
    make_invoice(credit_only, date(2025, 2, 2), "-50.00", "-60.50")
    make_invoice(gone, date(2025, 2, 2), "10000.00")
    return {
        "empty": empty.id,
        "orders_only": orders_only.id,
        "main": main.id,
        "no_vat": no_vat.id,
        "with_vat": with_vat.id,
        "credit_only": credit_only.id,
        "gone": gone.id,
    }


def actor_with_levels(name: str, levels: dict[str, str]):
    role = Role.create(name=name, label=name)
    for tab in TABS:
        TabPermission.create(role=role, tab=tab, level=levels.get(tab, "hidden"))
    User.create(username=name, role=role)
    return actor_for(name)
