"""Snapshots of the main screen at 80×24 and 120×40 on a fixed customer.

Everything shown is fixed: the customer, its contacts and actions are made through the
services with fixed values, their timestamps are set to one fixed moment, times are shown
in UTC, and nothing shown depends on today's date.  So the pictures are the same on
SQLite and PostgreSQL (the customer: ``fixed_customer`` in conftest.py).  Update with ``pytest tests/app/test_snapshots.py --snapshot-update``
after checking the new pictures by eye.
"""

from __future__ import annotations

from support.app import ready_for_snapshot


def test_main_screen_120x40(snap_compare, new_app, fixed_customer):
    assert snap_compare(new_app(fixed_customer["admin"]), terminal_size=(120, 40),
                        run_before=ready_for_snapshot())


def test_main_screen_80x24(snap_compare, new_app, fixed_customer):
    assert snap_compare(new_app(fixed_customer["admin"]), terminal_size=(80, 24),
                        run_before=ready_for_snapshot())


def test_actions_tab_120x40(snap_compare, new_app, fixed_customer):
    assert snap_compare(new_app(fixed_customer["admin"]), terminal_size=(120, 40),
                        run_before=ready_for_snapshot(tab="actions"))


def test_log_contact_dialog_80x24(snap_compare, new_app, fixed_customer):
    assert snap_compare(new_app(fixed_customer["admin"]), terminal_size=(80, 24),
                        run_before=ready_for_snapshot("l"))
