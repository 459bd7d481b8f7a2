"""The customer list's text filter: every customer the finder's rules match (not only the
finder's best hits), with the true count, mark all and bulk actions over all of them, and
the same customers on SQLite and PostgreSQL."""

from __future__ import annotations

import random

import pytest
from support.queries import CITIES, typed_fragments

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import AuditRecord, Contact, Customer, Mark, utcnow
from tradium_tui.services import users
from tradium_tui.services.access import actor_for
from tradium_tui.services.customer_list import bulk_actions, listing, marking, paging
from tradium_tui.services.search import customers as finder
from tradium_tui.services.search import matching
from tradium_tui.services.search.customers import MAX_LIMIT, search_customers

FIRST = "Iris Jan Sanne Luc Marie Pieter Émile".split()
LAST = "Jansen de Vries Meijer Bakker Müller García Lefèvre O'Brien Smit".split()


@pytest.fixture(autouse=True)
def _home_nl(monkeypatch):
    monkeypatch.setattr(finder, "home_country", lambda: "NL")
    monkeypatch.setattr(matching, "home_country", lambda: "NL")


def _admin():
    users.bootstrap_first_admin("alice")
    return actor_for("alice")


def _generate(rng: random.Random, count: int = 200) -> None:
    now = utcnow()
    for n in range(1, count + 1):
        name = f"{rng.choice(LAST)} {rng.choice(['Bouw', 'Handel', 'Transport', 'Keukens'])}"
        if rng.random() < 0.5:
            name += " " + rng.choice(["B.V.", "GmbH", "S.L.", "SARL"])
        c = Customer.create(
            name=name, number=10_000 + n, visit_country="NL", visit_city=rng.choice(CITIES),
            visit_postcode=f"{rng.randrange(1000, 9999)} {rng.choice('ABRW')}{rng.choice('HWX')}",
            visit_street=rng.choice(["Hoofdstraat", "Kerkweg", "Calle Mayor"]),
            visit_house_number=str(rng.randrange(1, 200)),
            phone=f"+31 {rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            email=f"info{n}@{rng.choice(['a', 'bb', 'ccc'])}.nl",
            coc_number=str(rng.randrange(10**7, 10**8)) if rng.random() < 0.5 else "",
            iban=f"NL{rng.randrange(10, 99)}INGB{rng.randrange(10**9, 10**10)}" if rng.random() < 0.5 else "",
            vat_number=f"NL{rng.randrange(10**8, 10**9)}B01" if rng.random() < 0.3 else "",
            reference=f"R-{n}" if rng.random() < 0.3 else None,
            version=1, created_at=now, updated_at=now,
        )
        for _ in range(rng.choice([0, 1, 2])):
            Contact.create(
                customer=c, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"{rng.choice(FIRST).lower()}@{rng.choice(['x', 'yy'])}.nl",
                mobile=f"+31 6 {rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else "",
            )
    gone = Customer.get(Customer.number == 10_001)
    gone.deleted_at = now
    gone.save()


def _queries(rng: random.Random) -> list[str]:
    values = [
        v for row in Customer.select(
            Customer.name, Customer.visit_city, Customer.visit_postcode, Customer.phone,
            Customer.email, Customer.coc_number, Customer.iban, Customer.visit_street,
            Customer.vat_number, Customer.reference,
        ).tuples() for v in row if v
    ] + [v for row in Contact.select(Contact.name, Contact.email, Contact.mobile).tuples()
         for v in row if v]
    out = ["q s", "jansen utrecht", "RW", "rw", "0612", "+31 6", "10", "1000", "100", "b.v",
           "Iris Meijer", "émile", "ÉMILE", "müller bouw", "o'brien", "R-1", "x", "ja", "%", "_",
           '"', "a*b", "NEAR(", "bouw b.v."]
    out += typed_fragments(rng, values, 150)
    # Whole identifiers, typed as people do.
    ibans = [i for (i,) in Customer.select(Customer.iban).where(Customer.iban != "").tuples()]
    out += [" ".join(i[k:k + 4] for k in range(0, len(i), 4)) for i in ibans[:3]]
    out += [i.lower() for i in ibans[3:5]]
    return out


def _listed(actor, text: str) -> list[int]:
    query = listing.ListQuery(text=text)
    return sorted(r.number for r in paging.page(actor, query, limit=2000))


def test_the_filter_is_what_the_finder_finds_without_a_limit(database):
    admin = _admin()
    _generate(random.Random(11))
    queries = _queries(random.Random(12))
    differing = []
    found = 0
    for text in [q for q in queries if q.strip()]:  # a blank text filters nothing
        expected = sorted(h.number for h in search_customers(text, MAX_LIMIT))
        listed = _listed(admin, text)
        found += bool(listed)
        if listed != expected:
            differing.append((text, sorted(set(listed) - set(expected)),
                              sorted(set(expected) - set(listed))))
        assert paging.count(admin, listing.ListQuery(text=text)) == len(listed)
    assert differing == [], differing[:8]
    assert found > 100  # most texts find something
    assert 10_001 not in _listed(admin, "10001")  # deleted customers never


def test_every_word_must_match_somewhere(database):
    admin = _admin()
    now = utcnow()
    for number, name, city in ((1, "Jansen Bouw", "Utrecht"), (2, "Jansen Bouw", "Breda"),
                               (3, "Utrecht Handel", "Zwolle"), (4, "Quint", "Sneek")):
        Customer.create(number=number, name=name, visit_city=city, visit_country="NL",
                        version=1, created_at=now, updated_at=now)
    assert _listed(admin, "jansen utrecht") == [1]
    assert _listed(admin, "JANSEN") == [1, 2]
    assert _listed(admin, "q s") == []  # no match across two fields
    assert _listed(admin, "%") == [] and _listed(admin, "_") == []


def test_more_than_the_finder_shows_count_mark_and_change_them_all(database):
    admin = _admin()
    now = utcnow()
    matches = MAX_LIMIT + 137
    Customer.insert_many(
        [{"number": 100_000 + i, "name": f"Polder {i:04d} Handel", "visit_country": "NL",
          "visit_city": "Zwolle" if i % 2 else "Gouda", "region": "Oost",
          "version": 1, "created_at": now, "updated_at": now} for i in range(matches)]
        + [{"number": 200_000 + i, "name": f"Dijk {i:03d}", "visit_country": "NL",
            "visit_city": "Zwolle", "region": "Oost", "version": 1, "created_at": now,
            "updated_at": now} for i in range(50)]
    ).execute()
    assert len(search_customers("polder", MAX_LIMIT)) == MAX_LIMIT  # the finder stops here
    query = listing.ListQuery(text="polder")
    assert paging.count(admin, query) == matches
    assert len(paging.matching_ids(admin, query)) == matches
    # Keyset pages through every match, in order, sorted by city then id.
    query = listing.ListQuery(text="polder", sort="city", descending=True)
    seen, after = [], None
    while rows := paging.page(admin, query, after=after, limit=100):
        seen += rows
        after = rows[-1].key
    assert len(seen) == matches == len({r.id for r in seen})
    assert [(r.city, r.id) for r in seen] == sorted(((r.city, r.id) for r in seen), reverse=True)
    # Combined with another filter.
    both = listing.ListQuery(text="polder handel", filters={"region": "Oost"})
    assert paging.count(admin, both) == matches
    # Mark all that match, then a bulk action on them.
    assert marking.mark_all(admin, listing.ListQuery(text="polder")) == matches
    assert Mark.select().count() == matches
    plan = bulk_actions.preview(admin, listing.ListQuery(text="polder"), False, "mailing_code", "42")
    assert (plan.selected, plan.changing) == (matches, matches)
    assert bulk_actions.apply(admin, plan, listing.ListQuery(text="polder"), False) == matches
    assert Customer.select().where(Customer.mailing_code == 42).count() == matches
    assert AuditRecord.select().where(AuditRecord.table == "customer",
                                      AuditRecord.action == "update").count() == matches
    on_marks = bulk_actions.preview(admin, listing.ListQuery(), True, "region", "West")
    assert on_marks.selected == matches
    assert not Customer.select().where(Customer.name.startswith("Dijk"),
                                       Customer.mailing_code == 42).exists()


def _all_answers(admin, queries: list[str]) -> list[list[int]]:
    return [_listed(admin, q) for q in queries]


def test_the_same_customers_on_sqlite_and_postgresql(database, tmp_path, request):
    if not dbmod.is_postgres(database):
        pytest.skip("compares with PostgreSQL: runs in the PostgreSQL test run")
    pg_url = request.getfixturevalue("pg_database_url")
    admin = _admin()
    _generate(random.Random(21))
    queries = _queries(random.Random(22))
    on_postgres = _all_answers(admin, queries)
    dbmod.database.close()
    schema.init(f"sqlite:///{tmp_path / 'same.db'}")
    try:
        admin = _admin()
        _generate(random.Random(21))
        on_sqlite = _all_answers(admin, queries)
    finally:
        dbmod.database.close()
        dbmod.connect(pg_url)
    differing = [(q, a, b) for q, a, b in zip(queries, on_sqlite, on_postgres, strict=True) if a != b]
    assert differing == []
    assert sum(1 for a in on_sqlite if a) > 100
