"""Step 14: VAT, KvK and IBAN numbers leave the customer search index; the finder looks
them up whole through their own indexes (the search text is now
:func:`tradium_tui.db.sql.search_doc_sql` as of this step)."""

from __future__ import annotations

import peewee

from tradium_tui.db import is_postgres, is_sqlite
from tradium_tui.db.migrations import v09_search_wider
from tradium_tui.db.sql import SEARCH_SEPARATOR


def _digits_sql(column: str) -> str:
    out = f"coalesce({column}, '')"
    for ch in " +-().":
        out = f"replace({out}, '{ch}', '')"
    return out


def search_doc_sql_v14(postgres: bool, alias: str = "c") -> str:
    """This step's search text: name, number, city, postcode, compact postcode, e-mail,
    phone and mobile digits, reference, street; then name, e-mail, phone, mobile per
    contact (a copy, so the step keeps building what it built)."""
    sep = f" || '{SEARCH_SEPARATOR}' || "
    a = alias
    parts = [
        f"{a}.name", f"CAST({a}.number AS TEXT)", f"{a}.visit_city", f"{a}.visit_postcode",
        f"replace({a}.visit_postcode, ' ', '')", f"{a}.email", _digits_sql(f"{a}.phone"),
        _digits_sql(f"{a}.mobile"), f"coalesce({a}.reference, '')",
        f"trim({a}.visit_street || ' ' || {a}.visit_house_number)",
    ]
    contact = sep.join(["t.name", "t.email", _digits_sql("t.phone"), _digits_sql("t.mobile")])
    agg = (
        f"string_agg({contact}, '{SEARCH_SEPARATOR}' ORDER BY t.id)" if postgres
        else f"group_concat({contact}, '{SEARCH_SEPARATOR}')"
    )
    contacts = (
        f"coalesce((SELECT '{SEARCH_SEPARATOR}' || {agg} FROM contact t "
        f"WHERE t.customer_id = {a}.id), '')"
    )
    return "(" + sep.join(parts) + " || " + contacts + ")"


def apply(db: peewee.Database) -> None:
    if not (is_sqlite(db) or is_postgres(db)):
        return
    # The exact look-ups use the plain indexes the tables step made on these columns.
    v09_search_wider.build(db, search_doc_sql_v14)
