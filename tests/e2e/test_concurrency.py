"""Twenty clients at once on one PostgreSQL database, through the service layer.

Each client is its own process with its own connection and its own user.  For a bounded
time they create customers, log contact moments and edit a few shared customers from the
version they last read.  Afterwards the database must tell the same story as the
clients: unique customer numbers, every accepted edit in the audit trail and the final
state (versions without gaps), every refused edit a reported conflict that left no
trace, and no unexpected error anywhere.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import traceback
import uuid
from collections import Counter, defaultdict

import peewee

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import Action, AuditRecord, Customer
from tradium_tui.services import actions, customers, users
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import ConflictError

from .support import MEASUREMENTS

CLIENTS = 20
SECONDS = 10.0
SHARED = 3


def client(url: str, username: str, shared: list[int], stop_at: float, seed: int) -> dict:
    """One client: runs until ``stop_at`` (wall clock) and reports what it did."""
    out: dict = {"user": username, "created": [], "actions": [], "accepted": [],
                 "refused": [], "errors": [], "operations": 0}
    try:
        dbmod.connect(url)
        actor = actor_for(username)
        rng = random.Random(seed)
        step = 0
        while time.time() < stop_at:
            step += 1
            out["operations"] += 1
            roll = rng.random()
            try:
                if roll < 0.2:
                    rec = customers.create_customer(actor, {
                        "kind": "company", "name": f"Parallel {username} {step}",
                        "visit_country": "NL", "visit_city": "Utrecht",
                    }, check_online=False).customer
                    out["created"].append((rec.id, rec.number))
                elif roll < 0.45:
                    target = rng.choice(shared + [cid for cid, _ in out["created"][-3:]])
                    action = actions.log_contact_moment(
                        actor, target, "call", f"{username} call {step}")
                    out["actions"].append((action.id, target))
                else:
                    target = rng.choice(shared)
                    version = Customer.get_by_id(target).version
                    value = f"{username} edit {step}"
                    try:
                        rec = customers.update_customer(
                            actor, target, {"remarks": value}, version, check_online=False
                        ).customer
                    except ConflictError as exc:
                        out["refused"].append((target, version, value, exc.current_version))
                    else:
                        out["accepted"].append((target, rec.version, value))
            except Exception as exc:  # anything else is a failure of the test
                out["errors"].append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    except Exception as exc:
        out["errors"].append(f"client set-up: {type(exc).__name__}: {exc}")
    finally:
        if dbmod.database.obj is not None and not dbmod.database.is_closed():
            dbmod.database.close()
    return out


def test_twenty_clients_on_one_database(e2e_pg):
    name = f"e2e_conc_{uuid.uuid4().hex[:8]}"
    e2e_pg.admin(f'CREATE DATABASE "{name}"')
    url = e2e_pg.url_for(name)
    try:
        schema.init(url)
        users.bootstrap_first_admin("admin")
        admin = actor_for("admin")
        names = [f"client{n:02d}" for n in range(CLIENTS)]
        for username in names:
            users.add_user(admin, username, "account_manager")
        shared = [
            customers.create_customer(admin, {
                "kind": "company", "name": f"Shared {n}", "visit_country": "NL",
            }, check_online=False).customer.id
            for n in range(SHARED)
        ]
        start_versions = {cid: Customer.get_by_id(cid).version for cid in shared}
        dbmod.database.close()

        stop_at = time.time() + SECONDS
        started = time.monotonic()
        with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
            results = pool.starmap(
                client, [(url, username, shared, stop_at, n) for n, username in enumerate(names)]
            )
        elapsed = time.monotonic() - started

        dbmod.connect(url)
        errors = [e for r in results for e in r["errors"]]
        assert not errors, "\n\n".join(errors[:5])
        created = [c for r in results for c in r["created"]]
        logged = [a for r in results for a in r["actions"]]
        accepted = [(r["user"], *a) for r in results for a in r["accepted"]]
        refused = [(r["user"], *f) for r in results for f in r["refused"]]
        assert created and logged and accepted and refused, "too little happened to judge"

        # Customer numbers are unique, and every created customer has the number it was told.
        numbers = [n for (n,) in Customer.select(Customer.number).tuples()]
        assert len(numbers) == len(set(numbers))
        stored = dict(Customer.select(Customer.id, Customer.number).tuples())
        assert all(stored[cid] == number for cid, number in created)
        assert len({number for _, number in created}) == len(created)

        # Every logged action exists, with its creation in the audit trail.
        action_ids = [aid for aid, _ in logged]
        assert Action.select().where(Action.id.in_(action_ids)).count() == len(action_ids)
        audited_actions = set(
            AuditRecord.select(AuditRecord.record_id)
            .where((AuditRecord.table == "action") & (AuditRecord.action == "create"))
            .tuples()
        )
        assert {(aid,) for aid in action_ids} <= audited_actions

        # Edits of the shared customers: every accepted one is in the audit trail with its
        # version, the versions have no gaps, and the last one is the stored value.
        remarks = {
            (cid, version): (username, value)
            for cid, version, username, value in AuditRecord.select(
                AuditRecord.record_id, AuditRecord.version, AuditRecord.username,
                AuditRecord.new_value,
            ).where(
                (AuditRecord.table == "customer") & (AuditRecord.field == "remarks")
                & AuditRecord.record_id.in_(shared)
            ).tuples()
        }
        by_customer: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for username, cid, version, value in accepted:
            assert remarks.get((cid, version)) == (username, value), (cid, version, value)
            by_customer[cid].append((version, username, value))
        assert len(remarks) == len(accepted)  # no audited edit that nobody was told about
        for cid in shared:
            final = Customer.get_by_id(cid)
            versions = sorted(v for v, _, _ in by_customer[cid])
            assert versions == list(range(start_versions[cid] + 1, final.version + 1))
            if versions:
                assert final.remarks == max(by_customer[cid])[2]

        # Every refused edit was a reported conflict (a newer version existed) and left
        # no trace in the audit trail or the final state.
        audited_values = {value for _, value in remarks.values()}
        for _username, _cid, version, value, current in refused:
            assert current > version
            assert value not in audited_values
        conflicts_per_customer = Counter(cid for _, cid, *_ in refused)

        summary = (
            f"{CLIENTS} clients for {SECONDS:g} s (wall {elapsed:.1f} s): "
            f"{sum(r['operations'] for r in results)} operations, "
            f"{len(created)} customers created (numbers unique), {len(logged)} actions logged, "
            f"{len(accepted)} edits of {SHARED} shared customers accepted and audited, "
            f"{len(refused)} refused as conflicts "
            f"({', '.join(str(conflicts_per_customer[c]) for c in shared)} per customer), "
            f"0 errors"
        )
        print(summary)
        MEASUREMENTS["concurrency"] = summary
    finally:
        if dbmod.database.obj is not None and not dbmod.database.is_closed():
            try:
                dbmod.database.close()
            except peewee.DatabaseError:
                pass
        e2e_pg.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
