"""The schema's history: forward steps in order; ``MIGRATIONS[n]`` takes version n to n+1.

This is fixed history.  A database in use stands at some version of this list and runs
only the steps after it, so a step, once released, never changes — not when a model
changes and not when a rule of the services changes.  Hence the steps build tables from
their own SQL (:mod:`.tables`), never from the models, and import nothing outside
:mod:`tradium_tui.db`; data a step writes, such as the default roles, is written in it.
A change to the schema is a new module ``vNN_what.py`` with an ``apply(db)``, added at the
end of the list below.

A fresh database runs every step; an older one runs the steps it has not had.  Steps that
add columns or indexes check first, so running one on a schema that already has the object
is harmless.  :mod:`tradium_tui.db.schema` runs them and records the versions.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee

from tradium_tui.db.migrations import (
    v01_tables_and_roles,
    v02_search_index,
    v03_name_prefix,
    v04_revenue_ranking,
    v05_audit_time_index,
    v06_invoicing,
    v07_merge_tables,
    v08_price_lists,
    v09_search_wider,
    v10_customer_list,
    v11_user_language,
    v12_customer_price_list,
    v13_list_sort_keys,
    v14_search_identifiers,
)

Step = Callable[[peewee.Database], None]

# (description, step); the descriptions are stored with each version a database reaches.
MIGRATIONS: list[tuple[str, Step]] = [
    ("create the tables and the default roles", v01_tables_and_roles.apply),
    ("customer search index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)",
     v02_search_index.apply),
    ("name prefix index for SQLite (the finder's 1–2 character lookups)", v03_name_prefix.apply),
    ("invoiced revenue per customer with bucket counts, kept by triggers, for the ranking",
     v04_revenue_ranking.apply),
    ("drop the unused index on the audit trail's time", v05_audit_time_index.apply),
    ("invoices from orders: invoiced quantities, invoice lines, totals per VAT rate, credit notes",
     v06_invoicing.apply),
    ("merged customers: aliases of merged-away numbers and the undo record of a merge",
     v07_merge_tables.apply),
    ("the article catalogue and price lists (from the customers' price-list names)",
     v08_price_lists.apply),
    ("customer search: contacts, KvK, IBAN, street and phone digits in the index",
     v09_search_wider.apply),
    ("customer list: saved views and the indexes its sorts and filters walk",
     v10_customer_list.apply),
    ("a language per user (the interface language; empty: the config's)",
     v11_user_language.apply),
    ("the customer's price list refers to a price list (the names become references)",
     v12_customer_price_list.apply),
    ("customer list: sort keys (account manager, group, open balance, last order) kept by "
     "triggers, with an index per sort", v13_list_sort_keys.apply),
    ("customer search: VAT, KvK and IBAN looked up whole through their own indexes, out of "
     "the search index", v14_search_identifiers.apply),
]
