"""The customer list: every customer as a row, filtered, sorted, marked and changed in bulk.

Rows are read a page at a time by keyset (:mod:`tradium_tui.services.customer_list`) in a
worker as the cursor nears either end of the rows held; at most :data:`WINDOW` rows are
held, so scrolling through a million customers never loads them all.  Enter opens the
customer on the main screen; Esc there comes back here, where the list was left.

One concept a module: ``screen`` (the list screen: paging, marking, merging the marked
customers, saved views), ``state`` (what the list holds between two visits), ``cells``
(columns and how a value is drawn in them), ``filters`` (the filter dialog and the filters
described), ``choice`` (choosing from a list, typing a name: sort, saved views, merge
survivor) and ``bulk`` (a bulk action with its preview and progress).
"""
