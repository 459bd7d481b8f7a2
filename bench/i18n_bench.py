"""What the translations cost at start-up: importing the i18n module and reading one
catalogue, each in a fresh interpreter (as the program starts).

    .venv/bin/python bench/i18n_bench.py [--runs N]

The app imports babel for its formatting anyway, so the import is measured after
``tradium_tui.formatting``; the load is ``set_language(code)`` for each language (only the
active language's catalogue is read).  Prints min / median / max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROBE = r"""
import json, sys, time
import tradium_tui.formatting
t0 = time.perf_counter()
import tradium_tui.i18n as i18n
t1 = time.perf_counter()
i18n.set_language(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import": (t1 - t0) * 1000, "load": (t2 - t1) * 1000}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for language in ("nl", "fr", "es", "en"):
        imports, loads = [], []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", PROBE, language], check=True,
                                 capture_output=True, text=True).stdout
            figures = json.loads(out)
            imports.append(figures["import"])
            loads.append(figures["load"])
        print(f"{language}: import {_summary(imports)}; catalogue {_summary(loads)}; "
              f"together median {statistics.median(a + b for a, b in zip(imports, loads, strict=True)):.1f} ms")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]}")
    return 0


def _summary(values: list[float]) -> str:
    return (f"min {min(values):.1f} / median {statistics.median(values):.1f} / "
            f"max {max(values):.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
