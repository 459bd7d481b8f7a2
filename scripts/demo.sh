#!/usr/bin/env bash
# Install into .venv and run the app on the demo database (created and seeded on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
exec .venv/bin/tradium-tui --demo "$@"
