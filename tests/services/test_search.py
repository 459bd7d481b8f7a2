"""Customer search: every field kind, case, deleted customers, barcodes, hostile input, recent."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradium_tui.db import database as db_proxy
from tradium_tui.db import is_postgres
from tradium_tui.models import Customer, RecentCustomer, Role, User
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import NotFound
from tradium_tui.services.search import plans, terms
from tradium_tui.services.search.customers import lookup_code, search_customers
from tradium_tui.services.search.ranking import CustomerHit
from tradium_tui.services.search.recent import (
    KEEP_RECENT,
    last_opened,
    recent_customers,
    record_opened,
)

_next_number = iter(range(5000, 10**6))


def make(name: str, **values) -> Customer:
    values.setdefault("number", next(_next_number))
    values.setdefault("visit_country", "NL")
    return Customer.create(name=name, **values)


def numbers(text: str, limit: int = 50) -> list[int]:
    return [hit.number for hit in search_customers(text, limit)]


@pytest.fixture
def people(database):
    return {
        "bakker": make(
            "Bakkerij De Vries B.V.", number=1001, visit_city="Amsterdam",
            visit_postcode="1012 LG", email="inkoop@devries.nl", phone="020 123 4567",
            mobile="06 9876 5432", vat_number="NL004495445B01", reference="8712345678906",
        ),
        "muller": make(
            "Müller Großhandel GmbH", number=1002, visit_city="Düsseldorf", visit_country="DE",
            visit_postcode="40213", email="info@mueller-gh.de", phone="+49 211 555 0101",
            vat_number="DE136695976",
        ),
        "elodie": make(
            "Élodie Lefèvre", number=1003, kind="consumer", visit_city="Besançon",
            visit_country="FR", visit_postcode="25000", email="elodie@example.fr",
            phone="+33 3 81 00 00 00",
        ),
        "garcia": make(
            "Construcciones García S.L.", number=1004, visit_city="A Coruña",
            visit_country="ES", visit_postcode="15001", email="obra@garcia.es",
            phone="+34 981 000 111", reference="GARCIA-7",
        ),
    }


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("kkerij de", "bakker"),  # name, middle of a word
        ("1001", "bakker"),  # number
        ("msterd", "bakker"),  # city
        ("1012 LG", "bakker"),  # postcode with its space
        ("1012lg", "bakker"),  # postcode without it
        ("@devries", "bakker"),  # e-mail fragment
        ("0201234567", "bakker"),  # phone, spaces ignored in the data
        ("020 123 45", "bakker"),  # phone typed with spaces
        ("98765432", "bakker"),  # mobile
        ("NL 0044.95.445 B01", "bakker"),  # VAT number, whole (spaces and dots ignored)
        ("2345678906", "bakker"),  # reference (loyalty-card barcode)
        ("Düsseldorf", "muller"),
        ("mueller-gh", "muller"),
        ("DE136695976", "muller"),
        ("2115550101", "muller"),
        ("CIA-7", "garcia"),  # reference with a dash
        ("Coruña", "garcia"),
    ],
)
def test_each_field_kind_is_found_by_a_substring(people, text, who):
    assert people[who].number in numbers(text)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("BAKKERIJ", "bakker"),
        ("bakkerij de vries", "bakker"),
        ("AMSTERDAM", "bakker"),
        ("1012 lg", "bakker"),
        ("INKOOP@DEVRIES.NL", "bakker"),
        ("nl004495445b01", "bakker"),
        ("MÜLLER", "muller"),
        ("müller großhandel", "muller"),
        ("ÉLODIE", "elodie"),
        ("élodie", "elodie"),
        ("BESANÇON", "elodie"),
        ("garcía s.l.", "garcia"),
    ],
)
def test_search_is_case_insensitive(people, text, who):
    assert people[who].number in numbers(text)


def test_hits_carry_what_the_finder_shows(people):
    [hit] = search_customers("Bakkerij De Vries")
    assert hit == CustomerHit(
        id=people["bakker"].id, number=1001, name="Bakkerij De Vries B.V.", city="Amsterdam",
        postcode="1012 LG", country="NL", email="inkoop@devries.nl", phone="020 123 4567",
        reference="8712345678906",
    )


def test_nothing_matching_and_empty_text(people):
    assert search_customers("zzqqxx") == []
    assert search_customers("") == []
    assert search_customers("   ") == []


def test_several_words_each_match_somewhere(database):
    make("Jan Jansen", visit_city="Rotterdam", number=2001)
    make("Jan Pietersen", visit_city="Utrecht", number=2002)
    make("Karel Jan", visit_city="Rotterdam", number=2003)
    assert sorted(numbers("jan rotterdam")) == [2001, 2003]
    assert sorted(numbers("rotterdam jan")) == [2001, 2003]


def test_limit_is_respected(database):
    for i in range(30):
        make(f"Kaashandel {i:02d}", number=3000 + i)
    assert len(search_customers("kaas", limit=7)) == 7
    assert len(search_customers("k", limit=7)) == 7
    assert len(search_customers("kaas")) == 30


# --------------------------------------------------------------------------- order


def test_exact_number_then_name_prefix_then_name_contains_then_other_fields(database):
    other = make("Zeeman", number=1300, visit_city="Rotterdam")
    contains = make("Van Rotterdam Transport", number=1200)
    prefix_b = make("Rotterdamse Bakkerij", number=1100)
    prefix_a = make("Rotterdam Shipping", number=1400)
    assert [h.id for h in search_customers("rotterdam")] == [
        prefix_a.id, prefix_b.id, contains.id, other.id,
    ]
    exact = make("Zwart", number=1234)
    phone = make("Aarts", number=1500, phone="+31 10 1234 999")
    named = make("1234 Bikes", number=1600)
    assert [h.id for h in search_customers("1234")] == [exact.id, named.id, phone.id]


def test_exact_reference_comes_first(database):
    a = make("Alpha", number=1, reference="X1000")
    b = make("Beta X1000 Trading", number=2)
    c = make("Gamma", number=3, reference="X10001")
    assert [h.id for h in search_customers("X1000")] == [a.id, b.id, c.id]


def test_order_is_stable(people):
    for text in ("a", "an", "ande", "e", "00"):
        assert search_customers(text) == search_customers(text)


# --------------------------------------------------------------------------- short text


def test_one_or_two_characters_use_number_and_name_prefix(database):
    make("Bakker", number=7)
    b2 = make("bouw & co", number=70)
    b1 = make("Brink", number=8)
    make("Abel", number=71)
    o = make("Öztürk Import", number=9)
    make("Maas", number=12)
    make("Jansen", number=120)
    make("Pieters", number=1205)
    make("Visser", number=31)
    assert numbers("b") == [7, 70, 8]  # Bakker, bouw & co, Brink (by name)
    assert [h.id for h in search_customers("BO")] == [b2.id]
    assert [h.id for h in search_customers("Br")] == [b1.id]
    assert [h.id for h in search_customers("ö")] == [o.id]
    assert [h.id for h in search_customers("ÖZ")] == [o.id]
    assert [h.id for h in search_customers("öz")] == [o.id]
    assert numbers("7") == [7, 70, 71]  # exact first, then by length and value
    assert numbers("12") == [12, 120, 1205]
    assert numbers("07") == [7]  # the number 7; no prefix search behind a leading zero
    assert numbers("x") == []


def test_short_text_with_like_wildcards_is_literal(database):
    make("%Procent", number=1)
    make("_Under", number=2)
    make("Anders", number=3)
    assert numbers("%") == [1]
    assert numbers("_") == [2]
    assert numbers("_u") == [2]


# --------------------------------------------------------------------------- deleted & sync


def test_deleted_customers_never_appear(people):
    gone = make("Bakkerij Verdwenen", number=4001, reference="GONE-1")
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.id == gone.id).execute()
    for text in ("Verdwenen", "bakkerij", "b", "ba", "4001", "GONE-1"):
        assert gone.id not in [h.id for h in search_customers(text)], text
    assert lookup_code("GONE-1") is None
    assert lookup_code("4001") is None
    Customer.update(deleted_at=None).where(Customer.id == gone.id).execute()
    assert gone.id in [h.id for h in search_customers("Verdwenen")]


def test_index_follows_updates_and_hard_deletes(people):
    Customer.update(name="Broodfabriek Noord", visit_city="Zwolle").where(
        Customer.id == people["bakker"].id
    ).execute()
    assert numbers("Bakkerij De") == []
    assert numbers("broodfabriek") == [1001]
    assert numbers("zwolle") == [1001]
    Customer.delete().where(Customer.id == people["bakker"].id).execute()
    assert numbers("broodfabriek") == []


def test_customers_saved_through_the_service_are_found(database):
    from tradium_tui.services import customers as cs

    User.create(username="anna", role=Role.get(Role.name == "admin"))
    anna = actor_for("anna")
    created = cs.create_customer(
        anna, {"name": "Tegelhandel Oost", "visit_city": "Enschede", "visit_postcode": "7511 AB"}
    ).customer
    assert [h.id for h in search_customers("tegelhandel")] == [created.id]
    cs.update_customer(anna, created.id, {"name": "Tegelhuis West"}, created.version)
    assert search_customers("tegelhandel") == []
    assert [h.id for h in search_customers("tegelhuis")] == [created.id]
    current = Customer.get_by_id(created.id)
    cs.delete_customer(anna, created.id, current.version)
    assert search_customers("tegelhuis") == []


# --------------------------------------------------------------------------- barcode


def test_lookup_code_by_reference_or_number(people):
    assert lookup_code("8712345678906") == people["bakker"].id
    assert lookup_code(" 8712345678906\n") == people["bakker"].id
    assert lookup_code("GARCIA-7") == people["garcia"].id
    assert lookup_code("1003") == people["elodie"].id
    assert lookup_code("871234567890") is None  # a prefix is not a scan
    assert lookup_code("garcia-7") is None  # a scan is exact
    assert lookup_code("") is None
    assert lookup_code("99999999999999999999999") is None
    assert lookup_code("'; DROP TABLE customer; --") is None
    assert Customer.select().count() == 4


def test_reference_wins_over_a_number_that_looks_the_same(database):
    by_number = make("By number", number=5555)
    by_reference = make("By reference", number=6666, reference="5555")
    assert lookup_code("5555") == by_reference.id
    assert by_number.id != by_reference.id


# --------------------------------------------------------------------------- hostile input

NASTY = [
    '"', '""', '"abc', 'abc"', "'", "*", "**", "abc*", "*abc", "NEAR", "NEAR(abc def)",
    "abc NEAR def", "AND", "OR", "NOT", "abc AND", "OR abc", "a OR b", "NOT abc", "^abc",
    "abc:def", "name:abc", "{name}: abc", "-abc", "+abc", "%", "%%", "_", "__", "%abc%",
    "a_c", "[", "]", "[abc", "abc)", "(abc", "((", "))", "{", "}", "\\", "\\\\", "abc\\",
    "\\%", "\x00", "abc\x00def", "\ud800abc", "\u2028", "\t\n", "😀", "😀😀😀", "ß", "İ",
    "ﬁ", "ǅ", "\u0301\u0301\u0301", "x" * 5000, "1" * 40, "9" * 19, "-1", "1e5", "0x10",
    "NULL", "' OR 1=1 --", "$$", "$1", "?", "%s", "%(x)s", ":name", "@x", "col:", "  a  b  ",
]


@pytest.mark.parametrize("text", NASTY)
def test_hostile_text_never_raises(people, text):
    hits = search_customers(text)
    assert all(isinstance(h, CustomerHit) for h in hits)
    assert lookup_code(text) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_never_raises(people, text):
    hits = search_customers(text)
    assert all(isinstance(h, CustomerHit) for h in hits)
    assert len({h.id for h in hits}) == len(hits)
    lookup_code(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from('ab"*%_()[]\\:^-+ N'), min_size=1, max_size=12))
def test_query_syntax_is_searched_literally(database, text):
    Customer.delete().execute()
    inside = make(f"q{text}q", number=1)
    plain = make("plain", number=2)
    cleaned = terms.clean_query(text)
    found = [h.id for h in search_customers(cleaned)]
    if not cleaned:
        assert found == []
    elif len(cleaned) >= 3 and " " not in cleaned:
        if not is_postgres() or plans.pg_trigram_usable(cleaned):
            assert inside.id in found
    # Nothing in the alphabet occurs in "plain" / 2: syntax never widens the match.
    assert plain.id not in found


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("abc", True), ("ab", False), ("@@@", False), ("-+*", False), ("a--", False),
        ("%%%", False), ("a@b", True), ("@ab", True), ("ab@", True), ("@a@", True),
        ("+31 6", True), ("x_y", True), ("info@", True), ("éçà", True),
    ],
)
def test_postgres_skips_texts_pg_trgm_cannot_index(text, usable):
    assert plans.pg_trigram_usable(text) is usable
    kinds = [q.tier for q in plans.plan(text, 10, postgres=True)]
    assert (plans.TIER_TEXT in kinds) is (usable and len(text) >= 3)
    sqlite_kinds = [q.tier for q in plans.plan(text, 10, postgres=False)]
    assert (plans.TIER_TEXT in sqlite_kinds) is (len(text) >= 3)


def test_wildcards_in_long_text_are_literal(database):
    make("Prijs 100% netto", number=1)
    make("Prijs 1000 netto", number=2)
    make("a_b_c trading", number=3)
    make("axbxc trading", number=4)
    assert numbers("100%") == [1]
    assert numbers("a_b_c") == [3]
    assert numbers('"100%"') == []


def test_quotes_and_operators_in_names_are_found(database):
    make('Café "De Hoek" (Oost)', number=1)
    make("Bakkerij NEAR* OR AND", number=2)
    assert numbers('"De Hoek"') == [1]
    assert numbers("(Oost)") == [1]
    assert numbers("NEAR*") == [2]
    assert numbers("OR AND") == [2]


# --------------------------------------------------------------------------- recent


@pytest.fixture
def users(database):
    role = Role.get(Role.name == "sales")
    return User.create(username="uma", role=role), User.create(username="vic", role=role)


def test_recent_customers_newest_first_and_per_user(people, users):
    uma, vic = users
    record_opened(uma.id, people["bakker"].id)
    record_opened(uma.id, people["muller"].id)
    record_opened(uma.id, people["garcia"].id)
    record_opened(vic.id, people["elodie"].id)
    assert [h.number for h in recent_customers(uma.id)] == [1004, 1002, 1001]
    record_opened(uma.id, people["bakker"].id)  # opened again: moves to the top, once
    assert [h.number for h in recent_customers(uma.id)] == [1001, 1004, 1002]
    assert [h.number for h in recent_customers(uma.id, limit=2)] == [1001, 1004]
    assert [h.number for h in recent_customers(vic.id)] == [1003]
    assert RecentCustomer.select().where(RecentCustomer.user == uma.id).count() == 3


def test_recent_leaves_out_deleted_and_keeps_a_bounded_list(database, users):
    uma, _ = users
    made = [make(f"Klant {i}", number=100 + i) for i in range(KEEP_RECENT + 5)]
    for customer in made:
        record_opened(uma.id, customer.id)
    assert RecentCustomer.select().where(RecentCustomer.user == uma.id).count() == KEEP_RECENT
    newest = made[-1]
    Customer.update(deleted_at=dt.datetime(2026, 1, 1)).where(Customer.id == newest.id).execute()
    assert recent_customers(uma.id)[0].id == made[-2].id
    assert last_opened(uma.id) == made[-2].id


def test_last_opened_falls_back_to_the_lowest_number(database, users):
    uma, vic = users
    assert last_opened(uma.id) is None
    assert last_opened(None) is None
    high = make("Hoog", number=900)
    low = make("Laag", number=20)
    gone = make("Weg", number=10, deleted_at=dt.datetime(2026, 1, 1))
    assert last_opened(uma.id) == low.id
    assert last_opened(None) == low.id
    record_opened(uma.id, high.id)
    assert last_opened(uma.id) == high.id
    assert last_opened(vic.id) == low.id
    assert gone.id not in (last_opened(uma.id), last_opened(vic.id))


def test_record_opened_for_unknown_customer_or_user(database, users):
    uma, _ = users
    c = make("Echt", number=1)
    with pytest.raises(NotFound, match="customer"):
        record_opened(uma.id, 424242)
    with pytest.raises(NotFound, match="user"):
        record_opened(99999, c.id)
    assert RecentCustomer.select().count() == 0
    assert db_proxy.obj is not None


# --------------------------------------------------------------------------- plans


@pytest.mark.parametrize("text", ["a", "ab", "Öz", "12", "7", "abc", "jan amst", "1234", "+31 6 12", "x%_y"])
def test_every_statement_uses_an_index(people, text):
    """No statement of a search reads the whole customer table (EXPLAIN says how it runs)."""
    # On PostgreSQL the tiny test table makes any plan cheap: seq scans are switched off
    # for every statement, so one in the plan means that no index can serve it.
    if is_postgres():
        db_proxy.execute_sql("SET enable_seqscan = off")
    try:
        for query in plans.plan(text, 50):
            if f"ORDER BY id LIMIT {plans.PG_PROBE_ROWS})" in query.sql:
                continue  # the bounded look at the first rows before the trigram index
            explain = "EXPLAIN " if is_postgres() else "EXPLAIN QUERY PLAN "
            rows = db_proxy.execute_sql(explain + query.sql, query.params).fetchall()
            plan = "\n".join(str(r[-1]) for r in rows)
            if is_postgres():
                assert "Seq Scan" not in plan, plan
            else:
                assert not any(line.startswith("SCAN c") for line in plan.splitlines()), plan
    finally:
        if is_postgres():
            db_proxy.execute_sql("RESET enable_seqscan")
