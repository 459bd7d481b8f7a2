"""Step 1: the tables (:mod:`.tables`) and the three default roles with their tab levels.

The roles are written here as rows, not taken from the rules of the services: what a new
database starts with must not change when those rules do.
"""

from __future__ import annotations

from datetime import UTC, datetime

import peewee

from tradium_tui.db.migrations import tables

TAB_ORDER = "contacts,actions,quotes,orders,invoices,conditions,notes,history,analysis,graph"
# name, label, may edit base data, may manage users, may import and export
ROLES = (
    ("admin", "Administrator", True, True, True),
    ("account_manager", "Account manager", True, False, True),
    ("sales", "Sales", False, False, False),
)
_EVERY_TAB_EDIT = {tab: "edit" for tab in TAB_ORDER.split(",")}
LEVELS = {
    "admin": _EVERY_TAB_EDIT,
    "account_manager": _EVERY_TAB_EDIT,
    "sales": {
        "contacts": "edit", "actions": "edit", "quotes": "view", "orders": "view",
        "invoices": "view", "conditions": "view", "notes": "edit", "history": "view",
        "analysis": "view", "graph": "view",
    },
}


def apply(db: peewee.Database) -> None:
    tables.create(db)
    seed_default_roles(db)


def seed_default_roles(db: peewee.Database) -> None:
    """The default roles and their tab levels, where missing."""
    mark = db.param
    now = datetime.now(UTC).replace(tzinfo=None)
    for name, label, base, users, bulk in ROLES:
        db.execute_sql(
            'INSERT INTO "role" ("version", "created_at", "updated_at", "name", "label", '
            '"can_edit_base", "can_manage_users", "can_import_export", "tab_order") '
            f"SELECT 1, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark}, {mark} "
            f'WHERE NOT EXISTS (SELECT 1 FROM "role" WHERE "name" = {mark})',
            (now, now, name, label, base, users, bulk, TAB_ORDER, name),
        )
        (role_id,) = db.execute_sql(
            f'SELECT "id" FROM "role" WHERE "name" = {mark}', (name,)
        ).fetchone()
        for tab, level in LEVELS[name].items():
            db.execute_sql(
                'INSERT INTO "tab_permission" ("role_id", "tab", "level") '
                f"SELECT {mark}, {mark}, {mark} WHERE NOT EXISTS (SELECT 1 FROM "
                f'"tab_permission" WHERE "role_id" = {mark} AND "tab" = {mark})',
                (role_id, tab, level, role_id, tab),
            )
