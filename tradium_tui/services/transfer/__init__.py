"""Import and export: files of customers, webshop orders, invoices and mailing lists.

One concept per module:

- :mod:`.paths` — which files an import may read and an export may write;
- :mod:`.reports` — what an import or export tells its caller (reports, row issues, the
  errors that stop a whole file).

Nothing is imported here, so that importing one module does not load the others.
"""
