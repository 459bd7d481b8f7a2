"""Step 12: the customer's price list becomes a reference to a price list (names → ids).

Until now a customer carried the *name* of its price list as text.  The step adds
``customer.price_list_id`` (a foreign key that refuses deleting a list still in use),
gives every customer the id of the list its text names, and drops the text column.

A name is matched as written (surrounding spaces ignored); failing that, without regard to
case when exactly one list matches.  A name that matches no list at all (a list renamed or
removed since step 8 made one for every name) gets a list of that name again, as step 8
did, so no customer loses its price list and nothing is refused: the new list is empty and
prices as the name did before (the article's own price).
"""

from __future__ import annotations

from datetime import UTC, datetime

import peewee


def _columns(db: peewee.Database) -> set[str]:
    return {c.name for c in db.get_columns("customer")}


def _list_id(db: peewee.Database, name: str, lists: dict[str, int]) -> int:
    if name in lists:
        return lists[name]
    folded = [ident for known, ident in lists.items() if known.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    mark = db.param
    db.execute_sql(
        "INSERT INTO price_list (version, created_at, updated_at, name, currency) "
        f"VALUES (1, {mark}, {mark}, {mark}, 'EUR')",
        (now, now, name),
    )
    (ident,) = db.execute_sql(f"SELECT id FROM price_list WHERE name = {mark}", (name,)).fetchone()
    lists[name] = ident
    return ident


def apply(db: peewee.Database) -> None:
    if "price_list_id" not in _columns(db):
        db.execute_sql(
            'ALTER TABLE "customer" ADD COLUMN "price_list_id" INTEGER '
            'REFERENCES "price_list" ("id") ON DELETE RESTRICT'
        )
    if "price_list" in _columns(db):
        lists = dict(db.execute_sql("SELECT name, id FROM price_list").fetchall())
        raw_names = [
            raw for (raw,) in db.execute_sql(
                'SELECT DISTINCT "price_list" FROM "customer" ORDER BY 1').fetchall()
            if raw is not None and raw.strip()
        ]
        mark = db.param
        for raw in raw_names:
            ident = _list_id(db, raw.strip()[:60], lists)
            db.execute_sql(
                f'UPDATE "customer" SET "price_list_id" = {mark} WHERE "price_list" = {mark}',
                (ident, raw),
            )
        db.execute_sql('ALTER TABLE "customer" DROP COLUMN "price_list"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_price_list_id" ON "customer" ("price_list_id")'
    )
