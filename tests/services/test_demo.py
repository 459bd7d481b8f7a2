"""Demo data: complete, valid, consistent and deterministic, on both backends."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from decimal import Decimal

import peewee
import phonenumbers
import pytest
from schwifty import IBAN
from stdnum import ean
from stdnum.eu import vat as eu_vat

from tradium_tui import db as dbmod
from tradium_tui.db import bulk, schema
from tradium_tui.demo import addresses, identities, tables
from tradium_tui.demo import batch as demo_batch
from tradium_tui.demo import database as demo_database
from tradium_tui.demo.randomness import DemoRandom
from tradium_tui.demo.seed import SeedReport, seed_demo
from tradium_tui.models import (
    Action,
    AuditRecord,
    Condition,
    ConditionGroup,
    Contact,
    Counter,
    Customer,
    CustomerGroup,
    CustomerTag,
    CustomFieldDef,
    Invoice,
    Mark,
    Note,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    RecentCustomer,
    Tag,
    User,
)
from tradium_tui.services import numbering
from tradium_tui.services.customer_rules import clean_customer
from tradium_tui.services.money import Line, compute_totals
from tradium_tui.services.validation import check_vat

TODAY = dt.date(2025, 6, 15)
EU_ABROAD = {"BE", "DE", "FR", "ES"}


def seed(customers: int = 400, seed: int = 42, **kwargs) -> SeedReport:
    return seed_demo(customers=customers, seed=seed, today=TODAY, home_country="NL", **kwargs)


@pytest.fixture
def seeded(database):
    return seed()


def test_counts_match_the_report(seeded):
    r = seeded
    assert r.customers == Customer.select().count() == 400
    assert r.contacts == Contact.select().count() > 0
    assert r.actions == Action.select().count() > 0
    assert r.notes == Note.select().count() > 0
    assert r.quotes == Quote.select().count() > 0
    assert r.quote_lines == QuoteLine.select().count() > 0
    assert r.orders == Order.select().count() > 0
    assert r.order_lines == OrderLine.select().count() > 0
    assert r.invoices == Invoice.select().count() > 0
    assert r.conditions == Condition.select().count() > 0
    assert r.tag_links == CustomerTag.select().count() > 0
    assert r.marks == Mark.select().count() > 0
    assert r.by_country and sum(r.by_country.values()) == 400
    assert (r.first_number, r.last_number) == (1001, 1400)
    assert "400 customers" in r.summary()


def test_countries_kinds_titles_and_languages(seeded):
    rows = list(Customer.select())
    countries = Tally(c.visit_country for c in rows)
    assert {"NL", "BE", "DE", "FR", "ES"} <= set(countries)
    assert set(countries) & {"GB", "CH", "NO", "US"}
    assert countries.most_common(1)[0][0] == "NL"
    kinds = Tally(c.kind for c in rows)
    assert kinds["consumer"] > 50 and kinds["company"] > 50
    for c in rows:
        if c.kind == "consumer":
            assert c.title and c.first_name and c.last_name
            assert c.name == f"{c.first_name} {c.last_name}"
        else:
            assert c.title == "" and c.name
        assert c.visit_street and c.visit_house_number and c.visit_postcode and c.visit_city
    languages = {c.visit_country: set() for c in rows}
    for c in rows:
        languages[c.visit_country].add(c.language)
    assert languages["NL"] == {"nl"} and languages["DE"] == {"de"} and languages["FR"] == {"fr"}


def test_every_customer_passes_the_customer_validation(seeded):
    """What the demo stores is what the customer form would accept and store."""
    fields = (
        "kind", "title", "first_name", "last_name", "name", "visit_street", "visit_house_number",
        "visit_postcode", "visit_city", "visit_country", "postal_street", "postal_house_number",
        "postal_postcode", "postal_city", "postal_country", "email", "phone", "mobile", "fax",
        "website", "coc_number", "vat_number", "iban", "bic", "credit_limit", "mailing_code",
        "reference", "language", "discount_percent",
    )
    for c in Customer.select():
        values = {name: getattr(c, name) for name in fields}
        values = {k: v for k, v in values.items() if v not in (None, "")}
        cleaned, _warnings = clean_customer(values, None, "NL")
        for name in ("email", "phone", "mobile", "fax", "visit_postcode", "iban", "bic",
                     "vat_number", "coc_number", "website"):
            if name in values:
                assert cleaned[name] == values[name], (c.number, name, values[name], cleaned[name])
        assert cleaned.get("vat_status", c.vat_status) == c.vat_status, c.number


def test_ibans_are_valid_with_national_check_digits(seeded):
    with_iban = list(Customer.select().where(Customer.iban != ""))
    assert len(with_iban) > 200
    countries = set()
    for c in with_iban:
        iban = IBAN(c.iban, validate_bban=True)
        assert iban.country_code == c.visit_country
        assert c.bic == str(iban.bic.compact) and c.bank_name
        countries.add(c.visit_country)
    assert {"NL", "BE", "DE", "FR", "ES"} <= countries
    assert not Customer.select().where((Customer.visit_country == "US") & (Customer.iban != "")).exists()


def test_vat_numbers_valid_invalid_and_missing(seeded):
    statuses = Tally()
    for c in Customer.select():
        statuses[c.vat_status] += 1
        if c.kind == "consumer":
            assert (c.vat_number, c.vat_status) == ("", "not_required")
            continue
        checked = check_vat(c.vat_number, c.visit_country, "company", "NL")
        assert (checked.normalized, checked.status) == (c.vat_number, c.vat_status), c.number
        if c.vat_status == "valid" and c.visit_country not in ("GB", "CH", "NO"):
            assert eu_vat.is_valid(c.vat_number)
        if c.vat_status == "invalid":
            assert c.vat_number and not eu_vat.is_valid(c.vat_number) or c.visit_country in ("GB", "CH", "NO")
        if c.vat_status == "missing":
            assert c.visit_country in EU_ABROAD and c.vat_number == ""
        if c.visit_country in EU_ABROAD and c.vat_status == "valid":
            assert c.charge_vat is False  # intra-community supply
        if c.visit_country == "NL":
            assert c.charge_vat is True
    assert statuses["valid"] > statuses["invalid"] > 0
    assert statuses["missing"] > 0 and statuses["not_required"] > 0


def test_phone_numbers_are_valid_and_international(seeded):
    numbers = [(c.visit_country, p) for c in Customer.select()
               for p in (c.phone, c.mobile, c.fax) if p]
    numbers += [(c.customer.visit_country, p)
                for c in Contact.select(Contact, Customer).join(Customer)
                for p in (c.phone, c.mobile) if p]
    assert len(numbers) > 500
    for country, text in numbers:
        parsed = phonenumbers.parse(text)
        assert phonenumbers.is_valid_number(parsed), text
        assert phonenumbers.region_code_for_number(parsed) == country, text
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL) == text


def test_document_totals_are_consistent_decimals(seeded):
    def check(doc, lines, excl, vat, incl):
        totals = compute_totals(
            Line(quantity=ln.quantity, unit_price=ln.unit_price,
                 discount_percent=ln.discount_percent, vat_rate=ln.vat_rate)
            for ln in lines
        )
        assert isinstance(excl, Decimal) and isinstance(incl, Decimal)
        assert (excl, vat, incl) == (totals.excl, totals.vat, totals.incl), doc.number

    quotes = {q.id: q for q in Quote.select()}
    by_quote: dict[int, list] = {}
    for line in QuoteLine.select():
        by_quote.setdefault(line.quote_id, []).append(line)
    for qid, q in quotes.items():
        check(q, by_quote[qid], q.total_excl, q.total_vat, q.total_incl)
    by_order: dict[int, list] = {}
    for line in OrderLine.select():
        by_order.setdefault(line.order_id, []).append(line)
        assert line.delivered_quantity + line.backorder_quantity <= line.quantity
        assert line.cost_price > 0
    orders = {o.id: o for o in Order.select()}
    for oid, o in orders.items():
        check(o, by_order[oid], o.total_excl, o.total_vat, o.total_incl)
        lines = by_order[oid]
        if o.status == "delivered":
            assert all(ln.delivered_quantity == ln.quantity for ln in lines)
        if o.status == "partly_delivered":
            assert any(ln.backorder_quantity > 0 for ln in lines)
    assert {o.status for o in orders.values()} >= {"delivered", "partly_delivered", "open"}
    assert {o.source for o in orders.values()} >= {"manual", "webshop", "quote"}
    from_quotes = [o for o in orders.values() if o.quote_id]
    assert from_quotes and all(quotes[o.quote_id].status == "accepted" for o in from_quotes)


def test_invoices_overdue_partly_paid_and_snapshot(seeded):
    customers = {c.id: c for c in Customer.select()}
    orders = {o.id: o for o in Order.select()}
    statuses = Tally()
    overdue = 0
    for inv in Invoice.select():
        statuses[inv.status] += 1
        order = orders[inv.order_id]
        assert order.status == "delivered" and order.customer_id == inv.customer_id
        assert (inv.amount_excl, inv.vat_amount, inv.amount_incl) == (
            order.total_excl, order.total_vat, order.total_incl)
        customer = customers[inv.customer_id]
        assert (inv.customer_number, inv.customer_name, inv.customer_vat_number) == (
            customer.number, customer.name, customer.vat_number)
        assert customer.visit_city in inv.customer_address
        assert inv.due_date > inv.invoice_date <= TODAY
        if inv.status == "paid":
            assert inv.paid_amount == inv.amount_incl and inv.paid_on <= TODAY
        elif inv.status == "partly_paid":
            assert 0 < inv.paid_amount < inv.amount_incl and inv.paid_on
        else:
            assert inv.status == "open" and inv.paid_amount == 0 and inv.paid_on is None
        if inv.status in ("open", "partly_paid") and inv.due_date < TODAY:
            overdue += 1
    assert statuses["paid"] > statuses["open"] > 0 and statuses["partly_paid"] > 0
    assert overdue > 0


def test_actions_notes_conditions_groups_tags_marks(seeded):
    actions = list(Action.select())
    assert any(a.status == "open" and a.follow_up_on and a.follow_up_on < TODAY for a in actions)
    assert any(a.status == "open" and a.follow_up_on and a.follow_up_on >= TODAY for a in actions)
    assert any(a.status == "done" and a.follow_up_on for a in actions)
    assert all(a.completed_at is not None for a in actions if a.status == "done")
    assert {a.type for a in actions} >= {"call", "email", "visit", "task", "appointment"}
    notes = list(Note.select())
    assert any(n.pinned for n in notes) and any(not n.pinned for n in notes)
    conditions = list(Condition.select())
    assert {c.kind for c in conditions} == {"discount", "price", "payment_term"}
    for c in conditions:
        if c.kind == "discount":
            assert c.article_group and c.discount_percent > 0
        elif c.kind == "price":
            assert c.article and c.price > 0
        else:
            assert c.payment_term_days in (14, 45, 60)
    groups = {g.name: g.discount_percent for g in CustomerGroup.select()}
    assert groups["Key accounts"] == Decimal("10") and groups["Retail"] == 0
    assert Customer.select().where(Customer.customer_group.is_null(False)).count() > 200
    assert ConditionGroup.select().count() >= 3
    assert Customer.select().where(Customer.condition_group.is_null(False)).exists()
    assert {m.user.username for m in Mark.select(Mark, User).join(User)} <= {"admin", "manager", "sales"}
    contacts = list(Contact.select())
    primaries = Tally(c.customer_id for c in contacts if c.is_primary)
    assert primaries and max(primaries.values()) == 1
    assert any(c.kind == "branch" and c.city for c in contacts)


def test_users_roles_managers_custom_fields(seeded):
    users = {u.username: u.role.name for u in User.select()}
    assert users == {"admin": "admin", "manager": "account_manager", "sales": "sales"}
    managers = Tally(c.account_manager_id for c in Customer.select())
    assert set(managers) - {None} == {u.id for u in User.select()}
    assert managers[User.get(User.username == "manager").id] > managers[None]
    defs = {d.slot: d for d in CustomFieldDef.select()}
    assert 0 in defs and defs[0].kind == "number"
    assert 1 <= len(set(range(7)) - set(defs))  # some slots stay unlabelled
    for slot in range(1, 7):
        column = getattr(Customer, f"custom_{slot}")
        values = {v for (v,) in Customer.select(column).tuples()} - {""}
        if slot not in defs:
            assert not values
        else:
            assert values and values <= set(defs[slot].choices.split("\n"))
    assert Customer.select().where(Customer.custom_num.is_null(False)).exists()
    assert RecentCustomer.select().count() == 15


def test_counters_audit_and_search_index(seeded, database):
    top = Customer.select(peewee.fn.MAX(Customer.number)).scalar()
    assert Counter.get(Counter.name == "customer").value == top
    assert numbering.next_customer_number() == top + 1
    for model, kind in ((Quote, "quote"), (Order, "order"), (Invoice, "invoice")):
        used = max(int(n.split("-")[1]) for (n,) in model.select(model.number).tuples())
        assert Counter.get(Counter.name == kind).value == used
    creates = AuditRecord.select().where(
        (AuditRecord.username == demo_database.DEMO_AUDIT_USER) & (AuditRecord.table == "customer"))
    assert creates.count() == 400
    assert {r.record_id for r in creates} == {c.id for c in Customer.select(Customer.id)}
    alive = Customer.select().where(Customer.deleted_at.is_null()).count()
    if dbmod.is_sqlite():
        names = {n for (n,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
        assert "customer_fts_ai" in names  # restored after the bulk load
        assert database.execute_sql("SELECT count(*) FROM customer_fts").fetchone()[0] == alive
        # The bulk-built row of a customer is what the schema's own trigger makes of it.
        some = Customer.select().where(Customer.deleted_at.is_null()).order_by(Customer.id.desc()).first()
        query = "SELECT * FROM customer_fts WHERE rowid = ?"
        before = database.execute_sql(query, (some.id,)).fetchall()
        database.execute_sql("UPDATE customer SET name = name WHERE id = ?", (some.id,))
        assert database.execute_sql(query, (some.id,)).fetchall() == before
    from tradium_tui.services.search.customers import search_customers

    target = Customer.select().where(Customer.deleted_at.is_null()).order_by(Customer.id).first()
    hits = search_customers(target.name)
    assert target.id in [h.id for h in hits]


def test_revenue_per_customer_matches_its_invoices(seeded, database):
    tables = set(database.get_tables())
    if "customer_revenue" not in tables:
        pytest.skip("this schema keeps no revenue table")
    from tradium_tui.services.customer_view import revenue_by_customer

    live = {row.customer_id: row.revenue for row in revenue_by_customer()}
    stored = dict(database.execute_sql("SELECT customer_id, revenue FROM customer_revenue").fetchall())
    assert live and any(Decimal(str(revenue)) for revenue in live.values())
    for customer_id, revenue in live.items():
        assert Decimal(str(stored[customer_id])) == Decimal(str(revenue))
    for customer_id in set(stored) - set(live):
        assert Decimal(str(stored[customer_id])) == 0
    if "revenue_bucket" in tables:
        counts = dict(database.execute_sql(
            "SELECT bucket, customers FROM revenue_bucket WHERE customers <> 0").fetchall())
        actual = dict(database.execute_sql(
            "SELECT bucket, count(*) FROM customer_revenue GROUP BY bucket").fetchall())
        assert counts == actual


def _snapshot() -> list[tuple]:
    customers = list(
        Customer.select(Customer.number, Customer.name, Customer.kind, Customer.visit_city,
                        Customer.iban, Customer.vat_number, Customer.vat_status, Customer.phone,
                        Customer.email, Customer.credit_limit, Customer.created_at)
        .order_by(Customer.number).tuples()
    )
    orders = list(Order.select(Order.number, Order.order_date, Order.status, Order.total_incl)
                  .order_by(Order.number).tuples())
    invoices = list(Invoice.select(Invoice.number, Invoice.amount_incl, Invoice.paid_amount,
                                   Invoice.status).order_by(Invoice.number).tuples())
    actions = list(Action.select(Action.subject, Action.happened_at, Action.status)
                   .order_by(Action.id).tuples())
    return customers + orders + invoices + actions


def test_same_seed_same_data_other_seed_other_data(database, db_url, tmp_path):
    first = seed(150, seed=7)
    snapshot = _snapshot()
    dbmod.database.close()
    # A second, empty database (on SQLite db_url names the same file as ``database``).
    schema.init(db_url if db_url.startswith("postgres") else f"sqlite:///{tmp_path / 'other.db'}")
    try:
        again = seed(150, seed=7)
        assert _snapshot() == snapshot
        assert (again.rows, again.by_country) == (first.rows, first.by_country)
    finally:
        dbmod.database.close()
    schema.init(database.test_url)
    seed(150, seed=8)
    other = [row for row in _snapshot() if len(row) == 11 and row[0] > 1150]
    assert other and other != snapshot[: len(other)]


def test_numbers_skip_hand_set_ones_and_continue_counters(database):
    Customer.create(number=1003, name="Hand-set BV")
    Counter.create(name="invoice", value=500)
    report = seed(20)
    numbers = [n for (n,) in Customer.select(Customer.number).order_by(Customer.number).tuples()]
    assert len(numbers) == len(set(numbers)) == 21
    assert numbers[:4] == [1001, 1002, 1003, 1004]
    assert Customer.get(Customer.number == 1003).name == "Hand-set BV"
    assert report.last_number == 1021
    first_invoice = Invoice.select().order_by(Invoice.number).first()
    assert first_invoice is None or int(first_invoice.number.split("-")[1]) >= 501
    seqs = sorted(int(n.split("-")[1]) for (n,) in Invoice.select(Invoice.number).tuples())
    assert seqs == list(range(501, 501 + len(seqs)))  # no gaps, no clashes
    assert numbering.next_customer_number() == 1022


def test_append_keeps_users_and_numbers_unique(database):
    seed(40)
    report = seed(30, seed=99)
    assert Customer.select().count() == 70
    assert (report.first_number, report.last_number) == (1041, 1070)
    assert User.select().count() == 3
    assert CustomerGroup.select().count() == len(tables.CUSTOMER_GROUPS)
    numbers = [n for (n,) in Order.select(Order.number).tuples()]
    assert len(numbers) == len(set(numbers))


def test_a_failing_seed_writes_nothing(database, monkeypatch):
    original = bulk.bulk_insert

    def failing(model, columns, rows):
        if model is Invoice:
            raise peewee.IntegrityError("simulated clash")
        return original(model, columns, rows)

    monkeypatch.setattr(demo_batch, "bulk_insert", failing)
    with pytest.raises(peewee.IntegrityError):
        seed(30)
    assert Customer.select().count() == 0
    assert not User.select().exists()
    assert not Counter.select().where(Counter.name == "customer").exists()
    if dbmod.is_sqlite():
        names = {n for (n,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
        assert "customer_fts_ai" in names


def test_zero_customers_sets_up_users_and_lookups_only(database):
    report = seed(0)
    assert report.customers == 0 and report.rows == 0
    assert User.select().count() == 3 and Tag.select().count() == len(tables.TAGS)
    assert not Customer.select().exists()
    assert not Counter.select().where(Counter.name == "customer").exists()


def test_ensure_demo_database_creates_once_and_makes_the_login_admin(db_url):
    try:
        report = demo_database.ensure_demo_database(db_url, "jdoe", customers=25)
        assert report is not None and report.customers == 25
        assert User.get(User.username == "jdoe").role.name == "admin"
        # Second start: nothing seeded again; a demoted or deactivated login is admin again.
        jdoe = User.get(User.username == "jdoe")
        from tradium_tui.models import Role

        User.update(role=Role.get(Role.name == "sales"), active=False).where(User.id == jdoe.id).execute()
        assert demo_database.ensure_demo_database(db_url, "jdoe", customers=25) is None
        again = User.get(User.username == "jdoe")
        assert again.role.name == "admin" and again.active
        assert Customer.select().count() == 25
        # The admin user of the demo is there too.
        assert demo_database.ensure_demo_database(db_url, "admin") is None
        assert User.get(User.username == "admin").role.name == "admin"
    finally:
        dbmod.database.close()


def test_ensure_demo_database_refuses_a_bad_login(db_url):
    from tradium_tui.services.errors import ValidationError

    with pytest.raises(ValidationError):
        demo_database.ensure_demo_database(db_url, "bad name!")


def test_number_helpers():
    rng = DemoRandom(3)
    for _ in range(200):
        for country in tables.BANKS:
            bban = identities.random_bban(country, rng)
            IBAN(identities.make_iban(country, bban), validate_bban=True)
        for country, maker in identities.VAT_MAKERS.items():
            number = maker(rng)
            assert check_vat(number, country, "company", "NL").status == "valid", number
    code = identities.ean13(1001)
    assert code.startswith("29") and len(code) == 13 and ean.is_valid(code)
    assert addresses.slug("Müller & Söhne Ø") == "mullersohneo"



def test_rows_made_in_a_child_process_are_the_same(database, db_url, tmp_path):
    """Big seeds generate in a child process; the data must not depend on that."""
    here = seed(60, seed=11, child_process=False, batch_size=25)
    snapshot = _snapshot()
    dbmod.database.close()
    schema.init(db_url if db_url.startswith("postgres") else f"sqlite:///{tmp_path / 'child.db'}")
    try:
        there = seed(60, seed=11, child_process=True, batch_size=25)
        assert _snapshot() == snapshot
        assert (there.rows, there.by_country, there.last_number) == (
            here.rows, here.by_country, here.last_number)
        assert Customer.select().count() == 60
    finally:
        dbmod.database.close()


def test_two_first_starts_at_once_seed_once(db_url, tmp_path):
    """Two programs opening the missing demo at the same moment: one seeds, one waits."""
    import subprocess
    import sys

    url = db_url if db_url.startswith("postgres") else f"sqlite:///{tmp_path / 'race.db'}"
    schema.init(url)  # the schema exists; the race is about the seeding
    dbmod.database.close()
    code = (
        "import sys; from tradium_tui.demo.database import ensure_demo_database; "
        "r = ensure_demo_database(sys.argv[1], sys.argv[2], customers=150); "
        "print('seeded' if r else 'found')"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url, login], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for login in ("first", "second")
    ]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["found", "seeded"]
    dbmod.connect(url)
    try:
        assert Customer.select().count() == 150
        admins = {u.username for u in User.select() if u.role.name == "admin"}
        assert {"first", "second", "admin"} <= admins
    finally:
        dbmod.database.close()


def test_nothing_is_dated_after_now(seeded):
    start_of_today = dt.datetime(TODAY.year, TODAY.month, TODAY.day)
    checks = [
        (Customer, (Customer.created_at, Customer.updated_at, Customer.vat_checked_at, Customer.deleted_at)),
        (Action, (Action.happened_at, Action.completed_at, Action.created_at)),
        (Note, (Note.created_at,)),
        (Quote, (Quote.created_at,)), (Order, (Order.created_at,)), (Invoice, (Invoice.created_at,)),
        (Mark, (Mark.marked_at,)), (Condition, (Condition.created_at,)),
    ]
    for model, fields in checks:
        for field in fields:
            latest = model.select(peewee.fn.MAX(field)).scalar()
            if isinstance(latest, str):
                latest = dt.datetime.fromisoformat(latest)
            assert latest is None or latest < start_of_today, (model.__name__, field.name, latest)
    for model, field in ((Order, Order.order_date), (Invoice, Invoice.invoice_date),
                         (Quote, Quote.quote_date), (Invoice, Invoice.paid_on)):
        latest = model.select(peewee.fn.MAX(field)).scalar()
        if isinstance(latest, str):
            latest = dt.date.fromisoformat(latest)
        assert latest < TODAY, (model.__name__, field.name)


def test_appointments_are_made_before_their_date(seeded):
    for a in Action.select().where((Action.type == "appointment") & (Action.status == "open")):
        assert a.happened_at.date() < a.follow_up_on, (a.id, a.happened_at, a.follow_up_on)
