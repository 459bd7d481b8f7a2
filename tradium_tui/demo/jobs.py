"""The generation job: the rows of a seed batch by batch, made in this process or, for
big seeds, in a child Python while this one writes (the data is the same either way)."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from tradium_tui import db as dbmod
from tradium_tui.demo.batch import Batch
from tradium_tui.demo.days import DAY
from tradium_tui.demo.generator import Generator
from tradium_tui.demo.ids import DocumentNumbers, Ids
from tradium_tui.demo.randomness import DemoRandom
from tradium_tui.demo.report import SeedReport
from tradium_tui.models import Customer

CHILD_PROCESS_FROM = 10_000  # customers from which a seed generates in a child process


@dataclass
class Job:
    """Everything the row generator needs; picklable, so it can run in a child process."""

    seed: int
    customers: int
    batch_size: int
    today: dt.date
    now: dt.datetime
    home: str
    users: dict[str, int]
    groups: dict[str, int]
    condition_groups: dict[str, int]
    tags: list[int]
    custom: dict[int, tuple]
    document_numbers: dict[str, int]
    id_starts: dict[str, int]
    next_number: int = 0
    taken: set[int] = field(default_factory=set)
    price_lists: dict[str, int] = field(default_factory=dict)  # name → id


@dataclass
class JobOutcome:
    """What the generator knows at the end: counts, number and id ranges, next numbers."""

    report: SeedReport = field(default_factory=SeedReport)
    first_id: int | None = None
    last_id: int | None = None
    document_numbers: dict[str, int] = field(default_factory=dict)

    def merge_into(self, report: SeedReport) -> None:
        """Add the generator's counts; the writer counted customers, tags, marks, audit."""
        own = self.report
        for name in ("contacts", "actions", "notes", "quotes", "quote_lines", "orders",
                     "order_lines", "invoices", "conditions"):
            setattr(report, name, getattr(own, name))
        report.first_number, report.last_number = own.first_number, own.last_number
        report.by_country = dict(own.by_country)


def run_job(job: Job, ids: Ids, outcome: JobOutcome) -> Iterator[Batch]:
    """Generate the customers of ``job`` batch by batch, in number order, spread over the
    last eight years."""
    rng = DemoRandom(job.seed)
    numbers = DocumentNumbers(job.document_numbers)
    gen = Generator(rng, job.today, job.now, job.home, job.users, job.groups,
                     job.condition_groups, job.tags, job.custom, ids, numbers,
                    price_lists=job.price_lists)
    report = outcome.report
    origin = job.today.toordinal() * DAY - 8 * 365 * DAY
    # Up to "now", which is yesterday evening: no demo record is dated in the future.
    span = job.now.toordinal() * DAY + job.now.hour * 3600 - origin
    rand = rng.random
    next_number = job.next_number
    done = 0
    while done < job.customers:
        size = min(job.batch_size, job.customers - done)
        batch = Batch()
        block = ids.block(Customer, size)
        outcome.first_id = block[0] if outcome.first_id is None else min(outcome.first_id, block[0])
        outcome.last_id = block[-1] if outcome.last_id is None else max(outcome.last_id, block[-1])
        for i, cid in enumerate(block):
            number = next_number
            while number in job.taken:
                number += 1
            next_number = number + 1
            created = origin + int(span * (done + i + rand()) / job.customers)
            gen.customer(batch, cid, number, created, report)
            if report.first_number is None:
                report.first_number = number
            report.last_number = number
        done += size
        outcome.document_numbers = dict(numbers.next)
        yield batch
    outcome.document_numbers = dict(numbers.next)


def pg_params(database: peewee.Database) -> tuple[str, dict] | None:
    """How a child process reaches the same PostgreSQL database (for sequence values)."""
    if not dbmod.is_postgres(database):
        return None
    return database.database, dict(database.connect_params)


def generate_in_child(job: Job, pg: tuple[str, dict] | None,
                       outcome: JobOutcome) -> Iterator[Batch]:
    """Run :func:`run_job` in a child Python, about one batch ahead of the writer.

    The child gets the job on its stdin and sends pickled messages through a pipe of its
    own; the pipe's buffer is the back-pressure.  The child is ended when this generator
    is closed early (an error or Ctrl-C in the writer).
    """
    read_fd, write_fd = os.pipe()
    errors = tempfile.TemporaryFile()
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD_CODE, str(write_fd)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
            pass_fds=(write_fd,), env=env,
        )
    finally:
        os.close(write_fd)
    reader = os.fdopen(read_fd, "rb")
    try:
        assert child.stdin is not None
        pickle.dump((job, pg), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        child.stdin.close()
        while True:
            try:
                message = pickle.load(reader)
            except EOFError:
                child.wait()
                errors.seek(0)
                error = RuntimeError(
                    f"The demo row generator stopped unexpectedly (exit code {child.returncode})."
                )
                error.add_note(errors.read().decode("utf-8", "replace")[-4000:])
                raise error from None
            if message[0] == "batch":
                yield message[1]
            elif message[0] == "done":
                done: JobOutcome = message[1]
                outcome.report = done.report
                outcome.first_id, outcome.last_id = done.first_id, done.last_id
                outcome.document_numbers = done.document_numbers
                return
            else:
                error = RuntimeError(f"Generating the demo rows failed: {message[1]}")
                error.add_note(message[2])
                raise error
    finally:
        reader.close()
        if child.poll() is None:
            child.kill()
        child.wait()
        errors.close()


CHILD_CODE = "import sys; from tradium_tui.demo.jobs import child_main; child_main(int(sys.argv[1]))"


def child_main(fd: int) -> None:
    """Entry point of the child Python: read the job, send the batches (see above)."""
    database = None
    with os.fdopen(fd, "wb") as out:
        try:
            job, pg = pickle.load(sys.stdin.buffer)
            if pg is not None:
                database = peewee.PostgresqlDatabase(pg[0], **pg[1])
                database.connect()
            outcome = JobOutcome()
            for batch in run_job(job, Ids(database, job.id_starts), outcome):
                pickle.dump(("batch", batch), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
            pickle.dump(("done", outcome), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            pass  # the writer stopped; nothing to tell it
        except BaseException as exc:
            pickle.dump(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()), out)
        finally:
            if database is not None:
                database.close()
