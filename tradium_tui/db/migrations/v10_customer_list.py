"""Step 10: the customer list — saved views and the indexes its sorts and filters walk."""

from __future__ import annotations

import peewee

from tradium_tui.db.migrations import tables


def apply(db: peewee.Database) -> None:
    tables.create(db, ["saved_list_view"])
    # Keyset paging walks (sort column, id) of the customers not deleted.
    partial = " WHERE deleted_at IS NULL"
    for name, columns in (
        ("customer_list_name", "name, id"),
        ("customer_list_city", "visit_city, id"),
        ("customer_list_country", "visit_country, id"),
        ("customer_list_region", "region, id"),
        ("customer_list_manager", "account_manager_id, id"),
        ("customer_list_group", "customer_group_id, id"),
        ("customer_list_condition", "condition_group_id, id"),
        ("customer_list_vat", "vat_status, id"),
        ("customer_list_mailing", "mailing_code, id"),
    ):
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON customer ({columns}){partial}")
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS invoice_open_due ON invoice (customer_id, due_date) '
        "WHERE status IN ('open', 'partly_paid')"
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS order_customer_date ON "order" (customer_id, order_date)'
    )
