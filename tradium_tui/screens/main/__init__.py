"""The main screen: customer header, the tabs in the user's order, status bar, Footer.

Nothing here reads the database on the event loop: the start-up, opening a customer and
every tab load run in thread workers that post typed messages back.

Imports marked ``# lazy: start-up`` load a screen or service the first time it is used,
so the first frame does not wait for it (bench/README.md has the start-up figures).

One concept a module:

- ``screen``: :class:`~.screen.MainScreen` itself: its keys, layout, which keys are
  enabled, its palette commands and the language switch;
- ``startup``: what the first frame shows (read in a worker, or before the app runs);
- ``loading``: opening, reloading and showing a customer, the start-up worker and the
  database status;
- ``tabs``: the tab row over the panes, their order and switching between them;
- ``customer_actions``: what the keys do to the open customer (mark, delete and undo,
  merge and undo merge, personal data, address and bank, new and edit, log contact);
- ``navigation``: the other screens opened from here (finder, list, my actions, deleted
  customers, admin, import/export);
- ``rights``: following a rights change an admin makes while the user works.
"""
