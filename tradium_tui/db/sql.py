"""SQL that the schema is built from and the services query with.

The finder's search text and the invoiced revenue per customer are kept by triggers that
schema steps create from these texts; the services use the same texts to search, to
rank, and to fill those tables themselves after a bulk write (the demo, a copy).

These texts are history as well as current: a change to one of them needs a new schema
step that rebuilds what was made from it, and the steps that used the old text get a copy
of it, so that they still build what they built (an older step may run on a schema that
lacks a column the new text reads).
"""

from __future__ import annotations

# --------------------------------------------------------------------------- search
#
# The finder's index holds one text per not-deleted customer: its fields and those of its
# contact persons, separated by SEARCH_SEPARATOR (a control character the search text can
# never hold, so no match runs across two fields).  Phone numbers are stored in the
# international notation the validation gives them; the index keeps their digits only.
# SQLite: an FTS5 trigram table ``customer_fts(doc)`` keyed by customer id.  PostgreSQL: a
# table ``customer_search(customer_id, doc)`` with the text lower-cased and a pg_trgm GIN
# index.  Both are kept by triggers on customer and contact.

SEARCH_SEPARATOR = "\x1f"
# The customer's fields in the text, in order; then name, e-mail, phone, mobile per contact.
# VAT, KvK and IBAN numbers are not in it (since schema step 14): they are looked up whole,
# normalised, through their own plain indexes — digit-heavy, they tripled the index's
# digits and made digit texts its slowest look-ups.
SEARCH_FIELDS = (
    "name", "number", "city", "postcode", "postcode_compact", "email", "phone", "mobile",
    "reference", "street",
)
SEARCH_CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "contact_mobile")
# The letters after a Dutch postcode's four digits ("RW" of "5014 RW"): typed alone, two
# letters are too short for the trigram index, so they are looked up here.
POSTCODE_TAIL_SQL = "upper(substr(replace(visit_postcode, ' ', ''), 5))"


def _digits_sql(column: str) -> str:
    out = f"coalesce({column}, '')"
    for ch in " +-().":
        out = f"replace({out}, '{ch}', '')"
    return out


def search_doc_sql(postgres: bool, alias: str = "c") -> str:
    """The SQL expression of a customer's search text (``alias`` names the customer row);
    its parts in the order of :data:`SEARCH_FIELDS`, then :data:`SEARCH_CONTACT_FIELDS`
    per contact."""
    sep = f" || '{SEARCH_SEPARATOR}' || "
    a = alias
    parts = [
        f"{a}.name", f"CAST({a}.number AS TEXT)", f"{a}.visit_city", f"{a}.visit_postcode",
        f"replace({a}.visit_postcode, ' ', '')", f"{a}.email", _digits_sql(f"{a}.phone"),
        _digits_sql(f"{a}.mobile"), f"coalesce({a}.reference, '')",
        f"trim({a}.visit_street || ' ' || {a}.visit_house_number)",
    ]
    contact = sep.join(
        ["t.name", "t.email", _digits_sql("t.phone"), _digits_sql("t.mobile")]
    )
    agg = (
        f"string_agg({contact}, '{SEARCH_SEPARATOR}' ORDER BY t.id)" if postgres
        else f"group_concat({contact}, '{SEARCH_SEPARATOR}')"
    )
    contacts = (
        f"coalesce((SELECT '{SEARCH_SEPARATOR}' || {agg} FROM contact t "
        f"WHERE t.customer_id = {a}.id), '')"
    )
    return "(" + sep.join(parts) + " || " + contacts + ")"


# --------------------------------------------------------------------------- ranking
#
# Invoiced revenue per customer, kept by triggers, for the status-bar ranking (the same
# figure as the analysis tab's all-time revenue).  ``customer_revenue`` has one row per
# not-deleted customer: revenue = ROUND(SUM(amount_excl), 2) over its invoices whose status
# is not REVENUE_EXCLUDED_STATUS (excl. VAT; credit notes are negative invoices; 0 without
# such invoices; the same rule as services.customer_view.customer_revenue_expr) and
# ``bucket``, a coarse non-decreasing function of the revenue (number of digits and first
# two digits).  ``revenue_bucket`` counts the customers per bucket.  "How many customers
# have more revenue than X" is then the sum of the counts of the higher buckets (a few
# hundred rows at most) plus a range count inside X's own bucket — no scan of a million
# rows, on either database.

REVENUE_EXCLUDED_STATUS = "cancelled"


def sqlite_bucket_sql(x: str) -> str:
    """SQLite: the bucket of the revenue expression ``x`` (PostgreSQL has the function
    ``revenue_bucket_of``)."""

    def code(v: str) -> str:
        whole = f"CAST(CAST({v} AS INTEGER) AS TEXT)"
        return f"(length({whole}) * 100 + CAST(substr({whole}, 1, 2) AS INTEGER))"

    return f"(CASE WHEN {x} >= 0 THEN {code(x)} ELSE -{code(f'-({x})')} - 1 END)"


def revenue_fill_sql(sqlite: bool, mark: str | None = None) -> str:
    """Insert-or-update the ``customer_revenue`` rows of every not-deleted customer from its
    invoices, in one set-based statement; with ``mark`` (the driver's placeholder) only of
    the customer ids between two parameters, which are then passed twice:
    ``(first, last, first, last)``."""
    bucket = sqlite_bucket_sql("rev") if sqlite else "revenue_bucket_of(rev)"
    invoices = f" AND customer_id BETWEEN {mark} AND {mark}" if mark else ""
    customers = f" AND c.id BETWEEN {mark} AND {mark}" if mark else ""
    return (
        f"INSERT INTO customer_revenue (customer_id, revenue, bucket) SELECT id, rev, {bucket} "
        "FROM (SELECT c.id AS id, ROUND(COALESCE(i.total, 0), 2) AS rev FROM customer c "
        "LEFT JOIN (SELECT customer_id, SUM(amount_excl) AS total FROM invoice "
        f"WHERE status <> '{REVENUE_EXCLUDED_STATUS}'{invoices} GROUP BY customer_id) i "
        f"ON i.customer_id = c.id WHERE c.deleted_at IS NULL{customers}) AS r WHERE true "
        "ON CONFLICT (customer_id) DO UPDATE SET revenue = excluded.revenue, "
        "bucket = excluded.bucket"
    )

# The customers per bucket, counted again from ``customer_revenue``.
RECOUNT_BUCKETS_SQL = (
    "UPDATE revenue_bucket SET customers = (SELECT COUNT(*) FROM customer_revenue r "
    "WHERE r.bucket = revenue_bucket.bucket)"
)


# --------------------------------------------------------------------------- list sorts
#
# The customer list sorts by values that are not columns of the customer: the account
# manager's user name, the group's name, the open balance (amount incl. VAT less paid, over
# the invoices not cancelled) and the last order date.  ``customer_list_key`` keeps them,
# one row per customer, kept by triggers, with an index ``(value, customer_id)`` per sort
# so a keyset page walks an index instead of computing the value for every customer.  A
# customer without a manager or group has '', without invoices 0, without orders
# LIST_KEY_NO_ORDER (the list's order for "none").

LIST_KEY_NO_ORDER = "0001-01-01"
LIST_KEY_COLUMNS = {"account_manager": "manager", "group": "grp", "open_balance": "balance",
                    "last_order": "last_order"}


def list_key_fill_sql(where: str) -> str:
    """Insert-or-update the ``customer_list_key`` rows of the customers ``where`` selects
    (a condition on the customer ``c``), from their current manager, group, invoices and
    orders, in one set-based statement."""
    return (
        "INSERT INTO customer_list_key (customer_id, manager, grp, balance, last_order) "
        "SELECT c.id, COALESCE(u.username, ''), COALESCE(g.name, ''), "
        "ROUND(COALESCE((SELECT SUM(i.amount_incl - i.paid_amount) FROM invoice i "
        "WHERE i.customer_id = c.id AND i.status <> 'cancelled'), 0), 2), "
        "COALESCE((SELECT MAX(o.order_date) FROM \"order\" o WHERE o.customer_id = c.id), "
        f"'{LIST_KEY_NO_ORDER}') "
        'FROM customer c LEFT JOIN "user" u ON u.id = c.account_manager_id '
        "LEFT JOIN customer_group g ON g.id = c.customer_group_id "
        f"WHERE {where} "
        "ON CONFLICT (customer_id) DO UPDATE SET manager = excluded.manager, "
        "grp = excluded.grp, balance = excluded.balance, last_order = excluded.last_order"
    )
