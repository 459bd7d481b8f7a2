"""Merging duplicate customers into one, and undoing a merge.

Everything that belongs to the merged-away customer moves to the survivor.  Which tables
that is, is found from the models: every model in :data:`ALL_MODELS` with a foreign key to
:class:`Customer` is moved (an ``UPDATE`` of that key).  Where a unique index holds the key
together with other columns (a user's mark or recent list, a tag), a row the survivor
already has the same of is removed instead and kept for undo.  :data:`RULES` names the
decision for every table known today; a test fails when a model with a customer key is
added without a decision here.

Per field the survivor keeps its own value unless asked otherwise; an empty field is filled
from the other customer (not with a field of the other kind: see :data:`KIND_FIELDS`).  The merged-away customer is soft-deleted and its number (and
reference) kept as a :class:`CustomerAlias` of the survivor, so a search or scan of the old
number finds the survivor and the accounting export can map the old number.  Invoices move
too; their snapshot of the customer (number, name, address, VAT number) stays as issued.

One transaction per merge, the base-data right, one ``merge`` audit entry on each customer
(the survivor's lists every changed field and what moved).  :func:`undo_merge` puts every row
back exactly as it was, as long as neither customer has had new audited activity since.

One concept a module: ``references`` (what moves), ``planning`` (the fields side by side,
what the survivor keeps), ``images`` (rows kept for undo), ``merging`` (carrying it out),
``undo`` and ``aliases`` (the old numbers of merged-away customers).
"""
