"""The form's validation over many rows, in a pool of processes for big files.

Each row goes through :func:`customer_rules.clean_customer` exactly as in the form.  The
stored customer (for an update) and the look-ups by name (groups, condition groups,
price lists, users, custom choices) travel to the worker processes as plain, picklable data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.models import ConditionGroup, CustomerGroup, PriceList, User
from tradium_tui.services import custom_fields, customer_rules, validation
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.forms import NO_SUCH
from tradium_tui.services.transfer.reports import Progress, report_progress
from tradium_tui.services.values import FieldError

# Rows per validation task, and from how many rows on a process pool is worth its start-up.
CHUNK = 2000
PARALLEL_FROM = 4000


class StoredCustomer:
    """A stored customer as :func:`customer_rules.clean_customer` reads it (picklable)."""

    def __init__(self, data: dict[str, Any]):
        self.__data__ = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["__data__"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getstate__(self):
        return self.__data__

    def __setstate__(self, state):
        self.__data__ = state


class NameResolver:
    """Resolves a group / condition group / user typed by name (or id) from a preloaded map."""

    def __init__(self, kind: str, by_name: dict[str, int], ids: set[int]):
        self.kind = kind
        self.by_name = by_name
        self.ids = ids

    def __call__(self, raw: Any) -> int | None:
        text = validation.clean_text(raw, 200) if raw is not None else ""
        if not text:
            return None
        if text in self.by_name:
            return self.by_name[text]
        folded = text.casefold()
        for name, ident in self.by_name.items():
            if name.casefold() == folded:
                return ident
        if text.isascii() and text.isdigit() and int(text) in self.ids:
            return int(text)
        raise FieldError(_(NO_SUCH.get(self.kind, "There is no {kind} '{text}'.")).format(
            kind=self.kind, text=text[:40]), sentence=True)


def load_resolvers() -> dict[str, Any]:
    groups = dict(CustomerGroup.select(CustomerGroup.name, CustomerGroup.id).tuples())
    conditions: dict[str, int] = {}
    for ident, code, name in ConditionGroup.select(
        ConditionGroup.id, ConditionGroup.code, ConditionGroup.name
    ).tuples():
        conditions.setdefault(name, ident)
        conditions[code] = ident
    users = dict(User.select(User.username, User.id).tuples())
    lists = dict(PriceList.select(PriceList.name, PriceList.id).tuples())
    return {
        "customer_group": NameResolver("customer group", groups, set(groups.values())),
        "condition_group": NameResolver("condition group", conditions, set(conditions.values())),
        "account_manager": NameResolver("user", users, set(users.values())),
        "price_list": NameResolver("price list", lists, set(lists.values())),
        "custom_choices": custom_fields.ChoiceChecker.from_database(),
    }


# (index, values, stored data or None) → (index, cleaned or None, warnings, errors)
Task = tuple[int, dict[str, Any], dict[str, Any] | None]
Outcome = tuple[int, dict[str, Any] | None, dict[str, str], dict[str, str]]


def validate_chunk(
    tasks: Sequence[Task], home_country: str, resolvers: dict[str, NameResolver]
) -> list[Outcome]:
    """Run the form validation over a chunk of rows (in this process or a worker)."""
    out: list[Outcome] = []
    for index, values, stored in tasks:
        proxy = StoredCustomer(stored) if stored is not None else None
        try:
            cleaned, warns = customer_rules.clean_customer(
                values, proxy, home_country, resolvers=resolvers
            )
        except ValidationError as exc:
            out.append((index, None, dict(exc.warnings), dict(exc.errors)))
            continue
        out.append((index, cleaned, dict(warns), {}))
    return out


def _validate_star(args):
    return validate_chunk(*args)


def run_validation(
    tasks: list[Task],
    home_country: str,
    resolvers: dict[str, NameResolver],
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Outcome]:
    """Validate every task; a pool of processes for big files, in order."""
    total = len(tasks)
    chunks = [tasks[i : i + CHUNK] for i in range(0, total, CHUNK)]
    results: list[Outcome] = []
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and total >= PARALLEL_FROM:
        try:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                args = ((chunk, home_country, resolvers) for chunk in chunks)
                for part in pool.map(_validate_star, args):
                    results.extend(part)
                    report_progress(progress, "validating", len(results), total)
            return results
        except (OSError, BrokenProcessPool):  # no processes allowed here: do it in-process
            results = []
    for chunk in chunks:
        results.extend(validate_chunk(chunk, home_country, resolvers))
        report_progress(progress, "validating", len(results), total)
    return results
