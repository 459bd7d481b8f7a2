"""The customer list: filters, sorts, keyset pages, saved views and bulk actions.

One module per concept: ``listing`` (columns, filters, :class:`~listing.ListQuery`, rows),
``filtering`` (checking filter values, their SQL), ``paging`` (sorting and keyset pages),
``marking`` (a user's marks), ``saved_views`` and ``bulk_actions``.

A list is described by a :class:`ListQuery` (filters, sort column, direction, text).  Pages
are fetched by keyset: a page after (or before) a row's sort key ``(value, id)`` — never
an ``OFFSET`` — so the millionth row costs what the first one costs, and rows with equal
sort values are neither skipped nor repeated (the id breaks every tie).

Deleted customers are never listed.  The open balance, overdue and over-limit columns and
filters belong to the Invoices tab: a role that cannot view it neither sees nor filters by
them.

Bulk actions work on a selection (the user's marks, or everything matching the filter) and
go through the same rules as a single change: permission, validation, a version bump and
an audit row per changed field of each customer, all in one transaction, so a cancelled or
failed run leaves nothing changed.
"""
