#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv and install the package.
#   scripts/setup-venv.sh [--test]    --test also installs the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3 /usr/bin/python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python) || { echo "Python 3.11 or newer with the venv module is needed." >&2; exit 2; }
  "$py" -m venv .venv
fi
extra=""
[ "${1:-}" = "--test" ] && extra="[test]"
stamp=".venv/.installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  PYTHONWARNINGS=ignore .venv/bin/python -m pip install --quiet -e ".$extra" 2>&1 | grep -v "is ignored: it is neither" || true
  .venv/bin/python -c "import tradium_tui.cli" || { echo "Installing tradium-tui failed." >&2; exit 2; }
  touch "$stamp"
fi
# The package is installed editable, which pip does not byte-compile; where
# PYTHONDONTWRITEBYTECODE is set (common in containers) Python would then compile every
# module on every start.  compileall only rewrites what changed, so this is cheap.
.venv/bin/python -m compileall -q tradium_tui >/dev/null 2>&1 || true
