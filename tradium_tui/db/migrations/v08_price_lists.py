"""Step 8: the article catalogue and price lists (from the customers' price-list names)."""

from __future__ import annotations

from datetime import UTC, datetime

import peewee

from tradium_tui.db.migrations import tables


def apply(db: peewee.Database) -> None:
    tables.create(db, ["article", "price_list", "price_list_item"])
    # Every price-list name customers already carry becomes a price list of that name, so
    # the text on the customer refers to a list (its prices are then filled in).
    # (Run again after step 12 the text column is gone: the names are references by then.)
    names = {
        (name or "").strip()
        for (name,) in db.execute_sql("SELECT DISTINCT price_list FROM customer").fetchall()
    } if "price_list" in {c.name for c in db.get_columns("customer")} else set()
    known = {name for (name,) in db.execute_sql("SELECT name FROM price_list").fetchall()}
    mark = db.param
    for name in sorted(n for n in names if n and n not in known):
        now = datetime.now(UTC).replace(tzinfo=None)
        db.execute_sql(
            "INSERT INTO price_list (version, created_at, updated_at, name, currency) "
            f"VALUES (1, {mark}, {mark}, {mark}, 'EUR')",
            (now, now, name[:60]),
        )
    # A condition may start from a minimum quantity.
    columns = {c.name for c in db.get_columns("condition")}
    if "min_quantity" not in columns:
        db.execute_sql('ALTER TABLE "condition" ADD COLUMN min_quantity DECIMAL(14, 3)')
