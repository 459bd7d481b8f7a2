"""Seeding demo data: :func:`seed_demo` is what ``tradium-tui --demo`` (through
:mod:`.database`), ``tradium-tui demo`` (``--append`` too), the benchmarks and the tests run.

It sets up what the customers point at (the demo users, groups, condition groups, tags,
the article catalogue and price lists, custom fields), holds the document counters, runs
the generation job (:mod:`.jobs`) and writes its batches (:mod:`.batch`), then builds what
the per-row triggers would have kept (:class:`~tradium_tui.db.bulk.DerivedData`),
moves the counters on, and gives the demo users a few recently opened customers.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable

import peewee

from tradium_tui import db as dbmod
from tradium_tui.config import get_settings
from tradium_tui.db.bulk import DerivedData
from tradium_tui.demo.batch import write_batch
from tradium_tui.demo.database import DEFAULT_CUSTOMERS, DEFAULT_SEED, DEMO_AUDIT_USER
from tradium_tui.demo.ids import DOCUMENT_KINDS, Ids, hold_counter, release_counters
from tradium_tui.demo.jobs import (
    CHILD_PROCESS_FROM,
    Job,
    JobOutcome,
    generate_in_child,
    pg_params,
    run_job,
)
from tradium_tui.demo.report import SeedReport
from tradium_tui.demo.tables import (
    ARTICLES,
    CONDITION_GROUPS,
    CUSTOM_FIELDS,
    CUSTOMER_GROUPS,
    DEMO_USERS,
    PRICE_LISTS,
    TAGS,
)
from tradium_tui.models import (
    Action,
    Article,
    AuditRecord,
    Condition,
    ConditionGroup,
    Contact,
    Customer,
    CustomerGroup,
    CustomFieldDef,
    Invoice,
    Note,
    Order,
    PriceList,
    PriceListItem,
    Quote,
    RecentCustomer,
    Setting,
    Tag,
    User,
    utcnow,
)
from tradium_tui.services import legacy_invoices, numbering
from tradium_tui.services.access import Actor, system_actor
from tradium_tui.services.custom_fields import define
from tradium_tui.services.errors import PermissionDenied
from tradium_tui.services.money import CENT
from tradium_tui.services.users import add_user

__all__ = ["SeedReport", "require_seed_right", "seed_demo"]

Progress = Callable[[int, int], None]

BATCH = 5000  # customers per batch


# =========================================================================== set-up rows


def require_seed_right(actor: Actor) -> None:
    """Seeding demo data into a database in use is an admin's decision."""
    if not actor.is_admin:
        raise PermissionDenied(
            f"Your role '{actor.role.name}' may not add demo data to this database; "
            "only an admin may."
        )


# The records the generator adds per customer, audited set-based when an actor seeds.
_AUDITED_CHILDREN = (Contact, Action, Note, Quote, Order, Invoice, Condition)


def _audit_as(username: str, first_id: int, last_id: int) -> int:
    """The seeded customers' create rows under ``username``, and a create row for every
    record added with them.  Returns the number of rows added."""
    AuditRecord.update(username=username).where(
        (AuditRecord.table == "customer") & (AuditRecord.action == "create")
        & (AuditRecord.username == DEMO_AUDIT_USER)
        & AuditRecord.record_id.between(first_id, last_id)
    ).execute()
    added = 0
    for model in _AUDITED_CHILDREN:
        query = model.select(
            model.created_at, peewee.Value(username), model.customer,
            peewee.Value(model._meta.table_name), model.id, peewee.Value("create"),
            peewee.Value(1), peewee.Value(""),
        ).where(model.customer.between(first_id, last_id))
        added += AuditRecord.insert_from(query, [
            AuditRecord.at, AuditRecord.username, AuditRecord.customer_id, AuditRecord.table,
            AuditRecord.record_id, AuditRecord.action, AuditRecord.version, AuditRecord.field,
        ]).as_rowcount().execute()
    return added


def _ensure_users(by: Actor | None = None) -> dict[str, int]:
    """The demo users admin, manager and sales (created when missing)."""
    actor = by or system_actor(DEMO_AUDIT_USER)
    ids: dict[str, int] = {}
    for username, role, display, _share in DEMO_USERS:
        user = User.get_or_none(User.username == username)
        if user is None:
            add_user(actor, username, role, display)
            user = User.get(User.username == username)
        ids[username] = user.id
    return ids


def _ensure_lookup_rows(now: dt.datetime) -> tuple[dict[str, int], dict[str, int], list[int]]:
    for name, discount in CUSTOMER_GROUPS:
        CustomerGroup.get_or_create(
            name=name,
            defaults={"discount_percent": discount, "created_at": now, "updated_at": now},
        )
    for code, name, description in CONDITION_GROUPS:
        ConditionGroup.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "created_at": now,
                      "updated_at": now},
        )
    for name in TAGS:
        Tag.get_or_create(name=name)
    _ensure_catalogue(now)
    groups = {g.name: g.id for g in CustomerGroup.select(CustomerGroup.id, CustomerGroup.name)}
    condition_groups = {
        g.code: g.id for g in ConditionGroup.select(ConditionGroup.id, ConditionGroup.code)
    }
    tags = [t.id for t in Tag.select(Tag.id).where(Tag.name.in_(TAGS)).order_by(Tag.id)]
    return groups, condition_groups, tags


def _ensure_catalogue(now: dt.datetime) -> None:
    """The article catalogue and the price lists (kept where they exist)."""
    known = {code for (code,) in Article.select(Article.code).tuples()}
    rows = [
        {"code": code, "description": desc, "article_group": group, "sales_price": price,
         "cost_price": cost, "vat_class": vat_class,
         "unit": "hour" if code == "SVC-HOUR" else "pcs", "created_at": now, "updated_at": now}
        for code, desc, group, price, cost, vat_class in ARTICLES if code not in known
    ]
    for start in range(0, len(rows), 200):
        Article.insert_many(rows[start:start + 200]).execute()
    ids = dict(Article.select(Article.code, Article.id).tuples())
    for name, factor in PRICE_LISTS:
        price_list, created = PriceList.get_or_create(
            name=name, defaults={"created_at": now, "updated_at": now})
        if not created:
            continue
        items = [
            {"price_list": price_list.id, "article": ids[code], "price": (price * factor).quantize(CENT),
             "created_at": now, "updated_at": now}
            for code, _desc, group, price, _cost, _cls in ARTICLES if group != "SERVICE"
        ]
        for start in range(0, len(items), 200):
            PriceListItem.insert_many(items[start:start + 200]).execute()
    Setting.get_or_create(key="seller_vat_number", defaults={"value": "NL853746333B01"})


def _ensure_custom_fields(by: Actor | None = None) -> dict[int, tuple]:
    """Label some of the seven variable fields (slots an admin already defined are kept)."""
    actor = by or system_actor(DEMO_AUDIT_USER)
    existing = {row.slot: row for row in CustomFieldDef.select()}
    out: dict[int, tuple] = {}
    for slot, label, kind, choices in CUSTOM_FIELDS:
        row = existing.get(slot)
        if row is None:
            define(actor, slot, label, kind, list(choices))
            out[slot] = tuple(choices)
        elif row.active and row.label == label and row.kind == kind:
            out[slot] = tuple(c for c in (row.choices or "").split("\n") if c)
    return out


def seed_demo(
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
    home_country: str | None = None,
    batch_size: int = BATCH,
    child_process: bool | None = None,
    actor: Actor | None = None,
) -> SeedReport:
    """Add ``customers`` demo customers (and everything around them) to the connected database.

    Deterministic for the same ``seed``, ``today`` and starting database.  Runs in one
    transaction: on any error nothing is written.  ``progress(done, total)`` is called
    after each batch of customers.  Customer numbers come from the customer counter
    (numbers typed by hand are skipped), and the counter is raised past the last one.

    From :data:`~.jobs.CHILD_PROCESS_FROM` customers on (or with ``child_process=True``) the rows
    are generated in a child process while this one writes the previous batch; the data
    is the same either way.

    ``actor``: who seeds a database that is in use (one with users).  Only an admin may
    (:func:`require_seed_right`); everything added is then in the audit trail under their
    name: a ``create`` row for every customer, contact, action, note, quote, order,
    invoice and condition, and the users and custom fields through their services.
    """
    if actor is not None:
        require_seed_right(actor)
    if customers < 0:
        raise ValueError("customers must be 0 or more")
    started = time.perf_counter()
    if home_country is None:
        home_country = get_settings().home_country
    today = today or dt.date.today()
    now = dt.datetime(today.year, today.month, today.day) - dt.timedelta(hours=6)
    if child_process is None:
        child_process = customers >= CHILD_PROCESS_FROM
    report = SeedReport()
    database = dbmod.database.obj
    with dbmod.write_transaction():
        users = _ensure_users(actor)
        groups, condition_groups, tags = _ensure_lookup_rows(now)
        custom = _ensure_custom_fields(actor)
        derived = DerivedData(database)
        derived.suspend()
        job = Job(
            seed=seed, customers=customers, batch_size=batch_size, today=today, now=now,
            home=(home_country or "NL").upper(), users=users, groups=groups,
            condition_groups=condition_groups, tags=tags, custom=custom,
            document_numbers={kind: hold_counter(kind) + 1 for kind in DOCUMENT_KINDS},
            id_starts={} if dbmod.is_postgres(database)
            else Ids.starts(database, (Customer, Contact, Quote, Order)),
            price_lists=dict(PriceList.select(PriceList.name, PriceList.id).tuples()),
        )
        if customers:
            job.next_number = numbering.next_customer_number()
            job.taken = {
                n for (n,) in Customer.select(Customer.number)
                .where(Customer.number > job.next_number).tuples()
            }
        outcome = JobOutcome()
        if child_process and customers and os.name == "posix":
            batches = generate_in_child(job, pg_params(database), outcome)
        else:
            batches = run_job(job, Ids(database if dbmod.is_postgres(database) else None,
                                       job.id_starts), outcome)
        done = 0
        for batch in batches:
            write_batch(batch, report)
            done += len(batch.customers)
            if progress is not None:
                progress(done, customers)
        outcome.merge_into(report)
        derived.rebuild(outcome.first_id, outcome.last_id)
        if actor is not None and outcome.first_id is not None and outcome.last_id is not None:
            report.audit_rows += _audit_as(actor.username, outcome.first_id, outcome.last_id)
        if report.last_number is not None:
            numbering.raise_to("customer", report.last_number)
        release_counters(job.document_numbers, outcome.document_numbers)
        legacy_invoices.adopt_legacy_invoices()  # lines and VAT rows from the orders
        _add_recent(users, report)
    report.seconds = time.perf_counter() - started
    return report


def _add_recent(users: dict[str, int], report: SeedReport) -> None:
    """Give each demo user a few recently opened customers, so the app opens on one."""
    if not report.first_number:
        return
    recent = list(
        Customer.select(Customer.id)
        .where(
            (Customer.number >= report.first_number) & (Customer.number <= report.last_number)
            & Customer.deleted_at.is_null()
        )
        .order_by(Customer.number)
        .limit(5)
        .tuples()
    )
    rows = []
    base = utcnow()
    for user_id in users.values():
        existing = {
            c for (c,) in RecentCustomer.select(RecentCustomer.customer)
            .where(RecentCustomer.user == user_id).tuples()
        }
        for offset, (customer_id,) in enumerate(recent):
            if customer_id not in existing:
                rows.append({"user": user_id, "customer": customer_id,
                             "opened_at": base - dt.timedelta(minutes=offset)})
    if rows:
        RecentCustomer.insert_many(rows).execute()
