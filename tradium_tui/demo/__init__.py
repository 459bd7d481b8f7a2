"""Demo data: a realistic, deterministic customer base for trying the app and for benchmarks.

:func:`~tradium_tui.demo.seed.seed_demo` fills the connected database with customers in the
Netherlands, Belgium, Germany, France and Spain plus a few outside the EU (United Kingdom,
Switzerland, Norway, United States): consumers and companies, valid IBANs (national check
digits included), mostly valid and some invalid VAT numbers, EU companies abroad without
one, phone numbers in international format, contacts, actions, quotes, orders, invoices,
conditions, notes, groups, tags, marks and custom fields, and the users ``admin``,
``manager`` and ``sales``.  The same seed and day give the same data.

Speed: rows are generated in memory in batches and written with one multi-row statement
per table and batch (``executemany`` on SQLite, ``COPY`` on PostgreSQL), all in a single
transaction.  Big seeds generate in a child Python while this one writes.  What the schema
keeps by per-row triggers (the search index, the revenue per customer) is built with one
set-based statement per table at the end (:class:`~tradium_tui.db.bulk.DerivedData`).
Each customer gets one ``create`` row in the audit trail (user ``demo``), so the History
tab is not empty.

One module per job:

- :mod:`.database` — the demo database ``tradium-tui --demo`` opens, seeded on first use
  (light: it imports the seeder only when it has to seed);
- :mod:`.seed` — :func:`~.seed.seed_demo`, the entry point, and the rows the customers
  point at (users, groups, tags, the catalogue, custom fields);
- :mod:`.jobs` — the generation job, in this process or in a child Python;
- :mod:`.generator` — the rows of one customer; :mod:`.documents` its quotes, orders and
  invoices; :mod:`.days` the dates and moments of its history;
- :mod:`.batch` — a batch of rows and how it is written;
- :mod:`.ids` — primary keys and document numbers handed out before the rows are written;
- :mod:`.identities` — valid IBANs, VAT and company-register numbers, barcodes, phones;
- :mod:`.addresses` — postcodes, house numbers, address blocks, e-mail slugs;
- :mod:`.randomness` — the seeded random draws;
- :mod:`.tables` — the reference data (cities, names, streets, articles, how much history);
- :mod:`.report` — what a seed wrote.

This module imports nothing, so that importing :mod:`.database` stays light.
"""
