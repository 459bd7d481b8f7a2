"""The customer header and status-bar data: fields, flags, VAT, balance, advisory credit, ranking."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from tradium_tui import config
from tradium_tui.db import database as db_proxy
from tradium_tui.models import (
    ConditionGroup,
    Customer,
    CustomerGroup,
    CustomerTag,
    CustomFieldDef,
    Invoice,
    Mark,
    Order,
    Role,
    Tag,
    User,
)
from tradium_tui.services import audit, countries, invoices
from tradium_tui.services.customer_view import (
    CustomerView,
    InvoiceFacts,
    RevenueRank,
    advisory_credit,
    load_customer_view,
    revenue_by_customer,
    revenue_rank,
)
from tradium_tui.services.errors import NotFound
from tradium_tui.services.money import as_money

TODAY = dt.date(2026, 6, 15)
_numbers = iter(range(100, 10**6))
_docs = iter(range(1, 10**6))


@pytest.fixture(autouse=True)
def home_nl():
    """A known home country and locale whatever the machine's config says."""
    before = config._settings
    config.set_settings(config.Settings(home_country="NL", locale="en_GB"))
    yield
    config._settings = before


def make(name: str = "Klant", **values) -> Customer:
    values.setdefault("number", next(_numbers))
    return Customer.create(name=name, **values)


def order(customer: Customer, total: str, status: str = "delivered") -> Order:
    return Order.create(
        customer=customer.id, number=f"O{next(_docs)}", order_date=TODAY, status=status,
        total_excl=Decimal(total),
    )


def invoice(customer: Customer, amount: str, paid: str = "0", status: str = "open",
            invoice_date: dt.date = TODAY, due_date: dt.date | None = None,
            paid_on: dt.date | None = None) -> Invoice:
    return Invoice.create(
        customer=customer.id, number=f"F{next(_docs)}", invoice_date=invoice_date,
        due_date=due_date or invoice_date + dt.timedelta(days=30), amount_incl=Decimal(amount),
        paid_amount=Decimal(paid), status=status, paid_on=paid_on,
        customer_number=customer.number, customer_name=customer.name,
    )


def billed(customer: Customer, excl: str, status: str = "paid") -> Invoice:
    """An invoice counting ``excl`` as revenue (21 % VAT on top, which never counts)."""
    amount = Decimal(excl)
    incl = (amount * Decimal("1.21")).quantize(Decimal("0.01"))
    return Invoice.create(
        customer=customer.id, number=f"F{next(_docs)}", invoice_date=TODAY,
        due_date=TODAY + dt.timedelta(days=30), amount_excl=amount, vat_amount=incl - amount,
        amount_incl=incl, paid_amount=incl if status == "paid" else Decimal("0"), status=status,
        paid_on=TODAY if status == "paid" else None,
        customer_number=customer.number, customer_name=customer.name,
    )


def view(customer: Customer, user_id: int | None = None) -> CustomerView:
    return load_customer_view(customer.id, user_id, today=TODAY)


# --------------------------------------------------------------------------- fields


def test_unknown_customer_is_not_found(database):
    with pytest.raises(NotFound):
        load_customer_view(424242, None)
    with pytest.raises(NotFound):
        load_customer_view("abc", None)  # type: ignore[arg-type]


def test_every_header_field(database):
    role = Role.get(Role.name == "account_manager")
    manager = User.create(username="piet", display_name="Piet de Vries", role=role)
    group = CustomerGroup.create(name="Groothandel", discount_percent=Decimal("7.5"))
    cgroup = ConditionGroup.create(code="A1", name="Bouw")
    c = make(
        "Bakkerij De Vries B.V.", number=1001, kind="company", visit_street="Damrak",
        visit_house_number="1", visit_postcode="1012 LG", visit_city="Amsterdam",
        visit_country="NL", postal_street="Postbus", postal_house_number="123",
        postal_postcode="1000 AA", postal_city="Amsterdam", opening_hours="ma–vr 8–17",
        website="https://devries.nl", email="inkoop@devries.nl", phone="020 123 4567",
        mobile="06 1234 5678", fax="020 765 4321", coc_number="34123456",
        vat_number="NL004495445B01", vat_status="valid", vat_message="",
        iban="NL91ABNA0417164300", bic="ABNANL2A", bank_name="ABN AMRO",
        credit_limit=Decimal("5000"), mailing_code=12, region="Noord", account_manager=manager,
        customer_group=group, condition_group=cgroup, reference="8712345678906",
        ledger_account="1310", language="nl",
    )
    for name in ("vip", "bakker"):
        CustomerTag.create(customer=c, tag=Tag.create(name=name))
    v = view(c)
    assert (v.id, v.number, v.kind, v.name) == (c.id, 1001, "company", "Bakkerij De Vries B.V.")
    assert v.visit_lines == ("Damrak 1", "1012 LG Amsterdam")
    assert v.postal_lines == ("Postbus 123", "1000 AA Amsterdam")
    assert (v.country, v.country_name, v.flag, v.is_eu) == ("NL", "Netherlands", "🇳🇱", True)
    assert v.opening_hours == "ma–vr 8–17"
    assert (v.website, v.email, v.phone, v.mobile, v.fax) == (
        "https://devries.nl", "inkoop@devries.nl", "020 123 4567", "06 1234 5678", "020 765 4321",
    )
    assert (v.coc_number, v.vat_number, v.vat_status) == ("34123456", "NL004495445B01", "valid")
    assert (v.iban, v.bic, v.bank_name) == ("NL91ABNA0417164300", "ABNANL2A", "ABN AMRO")
    assert v.credit_limit == Decimal("5000.00")
    assert (v.mailing_code, v.region, v.account_manager) == (12, "Noord", "Piet de Vries")
    assert (v.customer_group, v.group_discount) == ("Groothandel", Decimal("7.50"))
    assert v.condition_group == "A1 – Bouw"
    assert (v.reference, v.ledger_account, v.language) == ("8712345678906", "1310", "nl")
    assert v.tags == ("bakker", "vip")
    assert (v.version, v.deleted, v.marked) == (1, False, False)
    assert v.custom_fields == ()


def test_empty_customer_has_empty_values(database):
    v = view(make("Leeg", visit_country="NL"))
    assert v.visit_lines == () and v.postal_lines == ()
    assert v.account_manager == "" and v.customer_group == "" and v.condition_group == ""
    assert v.group_discount == Decimal("0.00")
    assert v.advisory_credit is None and v.open_balance == Decimal("0.00")
    assert v.reference == "" and v.tags == () and v.last_change is None


def test_foreign_addresses_name_their_country_and_follow_local_order(database):
    v = view(make("Bistro", visit_street="Rue de la Paix", visit_house_number="12",
                  visit_postcode="75002", visit_city="Paris", visit_country="FR"))
    assert v.visit_lines == ("12 Rue de la Paix", "75002 Paris", "France")
    v = view(make("Pub", visit_street="High Street", visit_house_number="5",
                  visit_postcode="EC1A 1BB", visit_city="London", visit_country="GB",
                  postal_street="PO Box", postal_house_number="9", postal_postcode="9999",
                  postal_city="Antwerpen", postal_country="BE"))
    assert v.visit_lines == ("5 High Street", "London EC1A 1BB", "United Kingdom")
    assert v.postal_lines == ("PO Box 9", "9999 Antwerpen", "Belgium")


@pytest.mark.parametrize(
    ("country", "eu"),
    [("NL", True), ("DE", True), ("GR", True), ("FR", True), ("CH", False), ("GB", False),
     ("NO", False), ("US", False)],
)
def test_eu_flag_only_for_eu_countries(database, country, eu):
    v = view(make(f"Firma {country}", visit_country=country))
    assert v.is_eu is eu
    assert v.flag == countries.flag_emoji(country) and len(v.flag) == 2
    assert v.country_name == countries.country_name(country, "en_GB")


@pytest.mark.parametrize(
    ("kind", "country", "required"),
    [
        ("company", "DE", True),  # another EU country
        ("company", "BE", True),
        ("company", "NL", False),  # home country
        ("company", "CH", False),  # outside the EU
        ("consumer", "DE", False),  # consumers never
    ],
)
def test_vat_required_for_companies_in_another_eu_country(database, kind, country, required):
    v = view(make("X", kind=kind, visit_country=country))
    assert v.vat_required is required


def test_vat_required_follows_the_home_country(database):
    c = make("Y", kind="company", visit_country="BE")
    assert view(c).vat_required is True
    config.set_settings(config.Settings(home_country="BE", locale="en_GB"))
    v = view(c)
    assert v.vat_required is False
    assert v.visit_lines == ()


def test_marks_are_per_user(database):
    role = Role.get(Role.name == "sales")
    uma, vic = User.create(username="uma", role=role), User.create(username="vic", role=role)
    c = make("Gemarkeerd")
    Mark.create(user=uma, customer=c)
    assert view(c, uma.id).marked is True
    assert view(c, vic.id).marked is False
    assert view(c, None).marked is False


def test_last_change_is_the_latest_audit_of_the_base_data(database):
    c = make("Historie")
    assert view(c).last_change is None
    audit.record("anna", "customer", c.id, "create", {"name": (None, "Historie")},
                 customer_id=c.id, at=dt.datetime(2026, 3, 1, 9, 30))
    audit.record("anna", "customer", c.id, "update", {"name": ("Historie", "H2")},
                 customer_id=c.id, at=dt.datetime(2026, 4, 2, 10, 15, 5))
    # A change of a contact of this customer is not a change of its base data.
    audit.record("anna", "contact", 77, "update", {"name": ("a", "b")},
                 customer_id=c.id, at=dt.datetime(2026, 5, 1))
    v = view(c)
    assert v.last_change == dt.datetime(2026, 4, 2, 10, 15, 5)
    assert v.last_change == audit.last_base_change(c.id)


def test_custom_fields_with_their_labels(database):
    CustomFieldDef.create(slot=0, label="Floor area m²", kind="number", active=True)
    CustomFieldDef.create(slot=2, label="Branch", kind="text", active=True)
    CustomFieldDef.create(slot=3, label="Empty one", kind="text", active=True)
    CustomFieldDef.create(slot=5, label="Switched off", kind="text", active=False)
    c = make("Velden", custom_num=Decimal("1250.5000"), custom_1="no label", custom_2="Bakery",
             custom_5="hidden")
    assert view(c).custom_fields == (("Floor area m²", "1250.5"), ("Branch", "Bakery"))
    Customer.update(custom_num=Decimal("40")).where(Customer.id == c.id).execute()
    assert view(c).custom_fields[0] == ("Floor area m²", "40")


def test_a_deleted_customer_still_loads_without_a_rank(database):
    c = make("Weg", deleted_at=dt.datetime(2026, 1, 1))
    order(c, "100")
    v = view(c)
    assert v.deleted is True and v.rank is None


# --------------------------------------------------------------------------- balance


def test_open_balance_and_over_limit(database):
    c = make("Schuld", credit_limit=Decimal("200"))
    invoice(c, "100.00")  # open: 100
    invoice(c, "200.00", paid="50.00", status="partly_paid")  # 150
    invoice(c, "300.00", paid="300.00", status="paid", paid_on=TODAY)  # 0
    invoice(c, "400.00", status="cancelled")  # never
    invoice(c, "-20.00")  # an open credit note lowers it
    v = view(c)
    assert v.open_balance == Decimal("230.00")
    assert v.open_balance == invoices.open_balance(c.id)
    assert v.over_limit is True
    Customer.update(credit_limit=Decimal("230")).where(Customer.id == c.id).execute()
    assert view(c).over_limit is False  # at the limit is not over it
    Customer.update(credit_limit=Decimal("0")).where(Customer.id == c.id).execute()
    assert view(c).over_limit is False  # no limit set


def test_open_balance_counts_old_open_invoices_too(database):
    c = make("Oud")
    invoice(c, "80.00", invoice_date=TODAY - dt.timedelta(days=900))
    assert view(c).open_balance == Decimal("80.00")


# --------------------------------------------------------------------------- advisory credit


def facts(amount: str, days_ago: int, late: int | None, status: str = "paid") -> InvoiceFacts:
    """An invoice dated ``days_ago``, due 30 days later, paid ``late`` days after that."""
    day = TODAY - dt.timedelta(days=days_ago)
    due = day + dt.timedelta(days=30)
    return InvoiceFacts(
        invoice_date=day, due_date=due, amount_incl=Decimal(amount),
        paid_amount=Decimal(amount) if status == "paid" else Decimal(0),
        paid_on=due + dt.timedelta(days=late) if late is not None else None, status=status,
    )


def test_advisory_credit_without_history_is_none():
    assert advisory_credit([], TODAY) is None
    assert advisory_credit([facts("500", 400, 0)], TODAY) is None  # outside the 12 months
    assert advisory_credit([facts("500", 10, 0, status="cancelled")], TODAY) is None


def test_advisory_credit_is_two_months_of_purchases_for_punctual_payers():
    history = [facts("1200.00", d, late=-5) for d in (60, 120, 180, 240, 300, 360)]
    # 7,200 a year = 600 a month; two months = 1,200; always on time.
    assert advisory_credit(history, TODAY) == Decimal("1200.00")


def test_advisory_credit_drops_with_late_payment():
    on_time = [facts("1200.00", d, late=0) for d in (60, 120, 180, 240, 300, 360)]
    some_late = on_time[:3] + [facts("1200.00", d, late=12) for d in (240, 300, 360)]
    # half late (−0.25), on average 6 days late (−0.1): punctuality 0.65 → 780
    assert advisory_credit(some_late, TODAY) == Decimal("780.00")
    always_late = [facts("1200.00", d, late=30) for d in (60, 120, 180, 240, 300, 360)]
    assert advisory_credit(always_late, TODAY) == Decimal("0.00")


def test_advisory_credit_counts_unpaid_overdue_invoices_as_late():
    overdue = facts("1200.00", 50, late=None, status="open")  # due 20 days ago, unpaid
    not_due = facts("1200.00", 10, late=None, status="open")  # due in 20 days: not judged
    # 2,400 / 12 × 2 = 400; the one judged invoice is 20 days late: 1 − 0.5 − 1/3 = 1/6
    assert advisory_credit([overdue, not_due], TODAY) == Decimal("60.00")
    assert advisory_credit([not_due], TODAY) == Decimal("200.00")


def test_advisory_credit_rounds_down_and_ignores_credit_notes():
    history = [facts("1000.00", 30, late=0), facts("-400.00", 20, late=0)]
    assert advisory_credit(history, TODAY) == Decimal("160.00")  # 166.67 → 160


def test_advisory_credit_in_the_view(database):
    c = make("Betaler")
    for days in (60, 120, 180, 240, 300, 360):
        day = TODAY - dt.timedelta(days=days)
        invoice(c, "1200.00", paid="1200.00", status="paid", invoice_date=day,
                paid_on=day + dt.timedelta(days=20))
    invoice(c, "999.00", paid="999.00", status="paid", invoice_date=TODAY - dt.timedelta(days=700),
            paid_on=TODAY - dt.timedelta(days=500))
    assert view(c).advisory_credit == Decimal("1200.00")


# --------------------------------------------------------------------------- ranking


def ranks(*customers: Customer) -> list[tuple[int | None, int]]:
    return [(view(c).rank, view(c).rank_total) for c in customers]


def test_ranking_by_invoiced_revenue_with_ties(database):
    a, b, c, d, e = (make(n) for n in "ABCDE")
    gone = make("F", deleted_at=dt.datetime(2026, 1, 1))
    billed(a, "600.00")
    billed(a, "400.00", status="open")  # A: 1000
    billed(b, "500.00")  # B: 500
    billed(c, "250.25")
    billed(c, "249.75")  # C: 500 (tie with B)
    billed(d, "9999.00", status="cancelled")  # D: cancelled invoices do not count → 0
    order(e, "5000.00")  # E: orders are not revenue until invoiced → 0
    billed(gone, "100000.00")  # deleted customers do not take part
    assert ranks(a, b, c, d, e) == [(1, 5), (2, 5), (2, 5), (4, 5), (4, 5)]
    assert view(gone).rank is None
    assert revenue_rank(gone.id) == RevenueRank(position=None, of=5, revenue=Decimal("0.00"))
    assert revenue_rank(b.id) == RevenueRank(position=2, of=5, revenue=Decimal("500.00"))


def test_ranking_follows_every_invoice_write(database):
    a, b, c = make("A"), make("B"), make("C")
    big = billed(a, "1000.00")
    billed(b, "500.00")
    order(c, "2000.00")  # order writes leave the ranking alone
    assert ranks(a, b, c) == [(1, 3), (2, 3), (3, 3)]
    Invoice.update(status="cancelled").where(Invoice.id == big.id).execute()
    assert ranks(a, b, c) == [(2, 3), (1, 3), (2, 3)]
    Invoice.update(status="open", customer=c.id).where(Invoice.id == big.id).execute()
    assert ranks(a, b, c) == [(3, 3), (2, 3), (1, 3)]
    Invoice.update(amount_excl=Decimal("100.00")).where(Invoice.id == big.id).execute()
    assert ranks(a, b, c) == [(3, 3), (1, 3), (2, 3)]
    Invoice.update(amount_incl=Decimal("99999.00")).where(Invoice.id == big.id).execute()
    assert ranks(a, b, c) == [(3, 3), (1, 3), (2, 3)]  # VAT-inclusive amounts do not count
    Invoice.delete().where(Invoice.id == big.id).execute()
    assert ranks(a, b, c) == [(2, 3), (1, 3), (2, 3)]
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.id == b.id).execute()
    assert ranks(a, c) == [(1, 2), (1, 2)]
    Customer.update(deleted_at=None).where(Customer.id == b.id).execute()
    assert ranks(a, b, c) == [(2, 3), (1, 3), (2, 3)]
    new = make("D")
    billed(new, "800.00")
    assert ranks(new, b) == [(1, 4), (2, 4)]
    Invoice.delete().where(Invoice.customer == new.id).execute()
    Customer.delete().where(Customer.id == new.id).execute()
    assert ranks(a, b, c) == [(2, 3), (1, 3), (2, 3)]


def test_negative_revenue_ranks_below_customers_without_invoices(database):
    a, b, c = make("A"), make("B"), make("C")
    billed(a, "10.00")
    billed(c, "-50.00", status="open")  # a credit note
    assert ranks(a, b, c) == [(1, 3), (2, 3), (3, 3)]


def test_status_bar_rank_and_analysis_agree(database):
    """One revenue definition: the status bar's rank and the analysis tab's all-time figure."""
    from tradium_tui.services import analysis

    mixed, rival, idle = make("Gemengd"), make("Rivaal"), make("Stil")
    order(mixed, "5000.00")  # orders alone are no revenue
    order(mixed, "700.00", status="cancelled")
    billed(mixed, "1200.00")
    billed(mixed, "300.00", status="open")
    billed(mixed, "-250.00", status="open")  # credit note
    billed(mixed, "9000.00", status="cancelled")
    billed(rival, "1250.00")  # exactly equal to mixed: a shared position
    order(idle, "100000.00")
    figures = analysis.compute_analysis(mixed.id, today=TODAY)
    assert figures.all_time.revenue == Decimal("1250.00")
    assert figures.all_time.orders == 1
    status_bar = view(mixed)
    rank = analysis.revenue_rank(mixed.id)
    assert (status_bar.rank, status_bar.rank_total) == (rank.position, rank.of) == (1, 3)
    assert rank.revenue == figures.all_time.revenue == analysis.customer_revenue(mixed.id)
    assert view(idle).rank == 3
    assert analysis.compute_analysis(idle.id, today=TODAY).all_time.revenue == Decimal("0.00")
    live = {cid: as_money(rev) for cid, rev in revenue_by_customer().tuples()}
    assert live == {mixed.id: Decimal("1250.00"), rival.id: Decimal("1250.00"),
                    idle.id: Decimal("0.00")}
    _check_ranking_tables()


def _cached_revenue() -> dict[int, Decimal]:
    return {
        cid: Decimal(str(rev)).quantize(Decimal("0.01"))
        for cid, rev in db_proxy.execute_sql("SELECT customer_id, revenue FROM customer_revenue")
    }


def _check_ranking_tables() -> None:
    """The trigger-kept tables agree with the live definition, and every rank with a brute force."""
    live = {
        cid: Decimal(str(rev)).quantize(Decimal("0.01"))
        for cid, rev in revenue_by_customer().tuples()
    }
    assert _cached_revenue() == live
    per_bucket = dict(
        db_proxy.execute_sql("SELECT bucket, COUNT(*) FROM customer_revenue GROUP BY bucket")
    )
    counted = {
        b: n for b, n in db_proxy.execute_sql("SELECT bucket, customers FROM revenue_bucket") if n
    }
    assert counted == per_bucket
    for cid, revenue in live.items():
        v = load_customer_view(cid, None, today=TODAY)
        assert v.rank == 1 + sum(1 for other in live.values() if other > revenue)
        assert v.rank_total == len(live)


def test_revenue_cache_equals_the_live_definition(database):
    customers = [make(f"K{i}") for i in range(6)]
    made = []
    for i, c in enumerate(customers):
        for j in range(i % 3 + 1):
            made.append(billed(c, f"{(i + 1) * 10 + j}.{j}5", status=("open", "cancelled", "paid")[j]))
    _check_ranking_tables()
    Invoice.update(status="cancelled").where(Invoice.id == made[0].id).execute()
    Invoice.update(customer=customers[5].id).where(Invoice.id == made[3].id).execute()
    Invoice.delete().where(Invoice.id == made[-1].id).execute()
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.id == customers[2].id).execute()
    _check_ranking_tables()
    assert customers[2].id not in _cached_revenue()
    Invoice.delete().where(Invoice.customer == customers[1].id).execute()
    Customer.delete().where(Customer.id == customers[1].id).execute()
    _check_ranking_tables()


def test_ranking_across_bucket_boundaries_and_signs(database):
    amounts = [
        "0.00", "0.50", "0.99", "1.00", "9.99", "10.00", "10.01", "99.99", "100.00", "109.99",
        "110.00", "999.99", "1000.00", "1000.00", "123456789.12", "-0.01", "-0.99", "-1.00",
        "-9.99", "-10.00", "-150.00",
    ]
    for i, amount in enumerate(amounts):
        c = make(f"R{i}")
        if amount != "0.00":
            billed(c, amount)
    make("Zonder facturen")
    _check_ranking_tables()
    top = Customer.get(Customer.name == "R14")
    assert view(top).rank == 1


def test_main_screen_reads_take_few_queries(database):
    c = make("Tel")
    invoice(c, "10.00")
    order(c, "10.00")
    statements = []
    real = db_proxy.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return real(sql, params, *args, **kwargs)

    db_proxy.obj.execute_sql = counting
    try:
        view(c, None)
    finally:
        del db_proxy.obj.execute_sql
    assert len(statements) <= 4, statements


@pytest.mark.skipif(
    os.environ.get("TRADIUM_TEST_BACKEND", "sqlite") != "postgresql",
    reason="SQLite has one writer at a time; the race exists only on PostgreSQL",
)
def test_concurrent_invoices_for_one_customer_are_both_counted(database):
    import threading
    import time

    import psycopg2

    c = make("Druk")
    insert = (
        "INSERT INTO invoice (version, created_at, updated_at, customer_id, number, invoice_date, "
        "due_date, amount_excl, vat_amount, amount_incl, paid_amount, status, customer_number, "
        "customer_name, customer_address, customer_vat_number) VALUES (1, now(), now(), %s, %s, "
        "current_date, current_date, %s, 0, 0, 0, 'open', 1, 'Druk', '', '')"
    )
    first, second = psycopg2.connect(database.test_url), psycopg2.connect(database.test_url)
    errors: list[BaseException] = []
    try:
        first.cursor().execute(insert, (c.id, "P1", Decimal("100.00")))  # transaction stays open

        def other() -> None:
            try:
                second.cursor().execute(insert, (c.id, "P2", Decimal("23.45")))
                second.commit()
            except BaseException as exc:  # reported below
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        pid = second.get_backend_pid()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until the second writer waits for the first
            waiting = db_proxy.execute_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
                (pid,),
            ).fetchone()[0]
            if waiting:
                break
        else:
            pytest.fail("the second writer never waited for the first")
        first.commit()
        thread.join(10)
    finally:
        first.close()
        second.close()
    assert errors == []
    assert view(c).rank == 1
    revenue = db_proxy.execute_sql(
        "SELECT revenue FROM customer_revenue WHERE customer_id = %s", (c.id,)
    ).fetchone()[0]
    assert revenue == Decimal("123.45")
