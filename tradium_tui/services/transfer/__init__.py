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
- :mod:`.customer_import` — the customer import: read, plan every row, then write;
- :mod:`.customer_plan` — what each row of a customer file will do;
- :mod:`.row_validation` — the form's validation over many rows (a process pool);
- :mod:`.duplicates` — the duplicate guard for a whole file of new customers;
- :mod:`.customer_writer` — writing the planned customers in one transaction;
- :mod:`.bulk` — many rows per statement: look-ups, inserts, updates, audit rows;
- :mod:`.order_file` — reading webshop order files (JSON lines, CSV or ``.xlsx``);
- :mod:`.order_import` — the webshop order import (customers created from orders);
- :mod:`.exports` — the customer, accounting and mailing exports.

Nothing is imported here, so that importing one module does not load the others.
"""
