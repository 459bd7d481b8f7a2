"""Helpers the tests import as a package (test modules never import each other): waiting
for workers and reading the screen (``support.app``), a row in every table that points at a
customer and a fingerprint of the database (``support.lifecycle``, ``support.fingerprint``).
Fixtures live in the ``conftest.py`` files."""
