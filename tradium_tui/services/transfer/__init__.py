"""Import and export: files of customers, webshop orders, invoices and mailing lists.

One concept per module:

- :mod:`.paths` — which files an import may read and an export may write;
- :mod:`.files` — reading a file's bytes and replacing an export's file safely;
- :mod:`.tabular` — reading CSV and ``.xlsx`` tables and recognising their headers;
- :mod:`.writing` — writing tables (CSV, ``.xlsx``) that a spreadsheet never runs;
- :mod:`.reports` — what an import or export tells its caller (reports, row issues, the
  errors that stop a whole file);
- :mod:`.customer_format` — the customer file's columns, header names and value texts,
  shared by the customer export and import;
- :mod:`.exports` — the customer, accounting and mailing exports.

Nothing is imported here, so that importing one module does not load the others.
"""
