"""Several programs opening a new database at once build the schema exactly once."""

from __future__ import annotations

import subprocess
import sys

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import SchemaVersion

OPEN = ("import sys; from tradium_tui.db import schema; schema.init(sys.argv[1]); "
        "print(schema.current_version())")


def test_three_processes_opening_a_new_database_at_once(db_url):
    procs = [
        subprocess.Popen([sys.executable, "-c", OPEN, db_url], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == str(schema.latest_version())
    dbmod.connect(db_url)
    versions = [row.version for row in SchemaVersion.select().order_by(SchemaVersion.version)]
    assert versions == list(range(1, schema.latest_version() + 1))
    dbmod.database.close()
