"""The numbers and references of merged-away customers: a search or scan of an old
number finds the survivor, and the accounting export maps the old numbers."""

from __future__ import annotations

from tradium_tui.models import (
    Customer,
    CustomerAlias,
    CustomerMerge,
)


def alias_customer(number: int) -> int | None:
    """The (not deleted) customer a merged-away number now belongs to."""
    row = (CustomerAlias.select(CustomerAlias.customer).join(Customer)
           .where((CustomerAlias.number == number) & Customer.deleted_at.is_null()).scalar())
    return int(row) if row is not None else None


def alias_reference_customer(reference: str) -> int | None:
    row = (CustomerAlias.select(CustomerAlias.customer).join(Customer)
           .where((CustomerAlias.reference == reference) & Customer.deleted_at.is_null())
           .order_by(CustomerAlias.id.desc()).scalar())
    return int(row) if row is not None else None


def alias_numbers() -> dict[int, int]:
    """Merged-away number → the number of the customer it belongs to now."""
    return {old: new for old, new in CustomerAlias.select(CustomerAlias.number, Customer.number)
            .join(Customer).tuples()}


def merged_into(customer_id: int) -> str:
    """"Name (number)" of the customer this one was merged into (not undone), else ""."""
    row = (CustomerMerge.select().where((CustomerMerge.other_id == customer_id)
                                        & CustomerMerge.undone_at.is_null())
           .order_by(CustomerMerge.id.desc()).first())
    if row is None:
        return ""
    keep = Customer.get_or_none(Customer.id == row.keep_id)
    return f"{keep.name} ({keep.number})" if keep else f"#{row.keep_id}"
