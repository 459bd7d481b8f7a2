"""Finding customers as you type, by barcode, and the recently opened ones.

One module per step: ``terms`` (what the typed text means), ``plans`` (the SQL per
database), ``matching`` (the same rules as one condition, without a limit), ``ranking`` (how well a row matches and what to show of it), ``customers`` (the
search itself and barcode lookup) and ``recent`` (recently opened customers).

What is searched: name, number, city, postcode (with and without its space), e-mail,
phone and mobile (spaces ignored), reference, street + house number and the contact
persons — substring and case-insensitive; VAT, KvK and IBAN numbers whole (spaces, dots and
dashes ignored, any case), through their own plain indexes: they are not in the search
index (long digit runs, they tripled its digits and made digit texts its slowest
look-ups).  Deleted customers never appear.  ``matching`` turns the same rules into one SQL
condition over all customers, for the customer list's text filter.

How it stays fast at a million customers (never a table scan per keystroke):

* Three or more characters go through the search index of schema step 2 — an FTS5
  trigram table (``customer_fts``) on SQLite, a ``pg_trgm`` GIN index on the expression
  ``PG_SEARCH_EXPR`` on PostgreSQL.  The typed text is data: it is quoted as FTS5
  phrases (``"`` doubled) or escaped for ``LIKE`` (``\\``, ``%``, ``_``), never parsed as
  query syntax, so ``*``, ``NEAR``, ``AND``/``OR``, brackets and quotes are just characters.
* One or two characters are too short for trigrams: they are looked up by exact and
  prefix customer number and by name prefix, which are index range scans (``number``'s
  unique index; ``lower(name)`` in the ``customer_name_lower`` index).  Name prefixes are
  written as ranges (``>=``/``<``, on PostgreSQL the ``text_pattern_ops`` operators
  ``~>=~``/``~<~``), not ``LIKE``/``ILIKE``, so both databases use the index whatever the
  text holds.

On PostgreSQL, text from which ``pg_trgm`` can take no trigram (it indexes letters and
digits only, so e.g. "@@@" or "-+") is not looked up there — that would read the whole
index — and finds only exact and prefix matches.  The trigram query runs with seq scans
switched off (the planner's guess for a trigram ``LIKE`` with a ``LIMIT`` otherwise picks
a seq scan, seconds for a rare text), after a look at the first ``PG_PROBE_ROWS``
customers, which answers a very common text ("info") without the index's bitmap of most
of the table.

Several words are matched each on their own ("jan rotterdam" finds Jan in Rotterdam);
words shorter than three characters are then left out, as the index cannot look them up.
Digits typed with spaces also match without them, so "06 1234" finds "0612345678".

Order of the hits: the exact customer number or exact reference first, then names
starting with the text (alphabetically), then the index matches — those containing the
text in the name before those matching another field; within each group by name, then
number.  The index matches are the first ``limit × OVERFETCH`` in index order, so with a
very common text a name match far down that order may give way to other matches (the
price of never reading the whole trigram list per keystroke).  The same data and text
always give the same list.
"""
