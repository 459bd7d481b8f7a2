"""Work beside the start: a child process whose errors come back as the same errors."""

from __future__ import annotations

import os

import pytest

from tradium_tui.cli.beside import Beside
from tradium_tui.db import DatabaseUnavailable
from tradium_tui.services.errors import NotFound, ServiceError


def write_pid(path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


def fail_with(error: BaseException) -> None:
    raise error


@pytest.mark.parametrize("fork", [True, False])
def test_the_work_is_done_in_a_child_process_when_it_can_fork(tmp_path, fork):
    target = tmp_path / "pid"
    work = Beside(write_pid, target, fork=fork)
    work.wait()
    child = int(target.read_text(encoding="utf-8"))
    assert (child != os.getpid()) is fork


@pytest.mark.parametrize("fork", [True, False])
def test_a_database_error_comes_back_as_one(fork):
    work = Beside(fail_with, DatabaseUnavailable("The database folder /x cannot be created."),
                  fork=fork)
    with pytest.raises(DatabaseUnavailable, match="^The database folder /x cannot be created.$"):
        work.wait()


@pytest.mark.parametrize("fork", [True, False])
def test_a_service_error_comes_back_with_its_sentence(fork):
    work = Beside(fail_with, NotFound("There is no user 'x'."), fork=fork)
    with pytest.raises(ServiceError, match="^There is no user 'x'.$"):
        work.wait()


def test_an_unexpected_error_in_the_child_is_not_swallowed():
    work = Beside(fail_with, ZeroDivisionError("division by zero"), fork=True)
    with pytest.raises(RuntimeError, match="ZeroDivisionError: division by zero"):
        work.wait()


def test_a_child_that_ends_without_an_answer_is_reported():
    work = Beside(os._exit, 3, fork=True)
    with pytest.raises(RuntimeError, match="exit status 3"):
        work.wait()


def test_waiting_twice_is_harmless(tmp_path):
    work = Beside(write_pid, tmp_path / "pid", fork=True)
    work.wait()
    work.wait()
