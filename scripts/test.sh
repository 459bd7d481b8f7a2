#!/usr/bin/env bash
# Install everything the tests need, start a throw-away PostgreSQL server on 127.0.0.1,
# run ruff and the whole suite against SQLite and against PostgreSQL, stop the server.
# Exits non-zero on any failure.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup-venv.sh --test
if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; } \
    || echo "note: tmux could not be installed; terminal tests will say so." >&2
fi

work="$root/.ci-tmp"
mkdir -p "$work"
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
if [ "$(id -u)" = 0 ]; then
  # The server then runs as the 'postgres' user, which may not be able to reach this
  # checkout (a clone in a private directory): its data lives under /tmp instead.
  pgdir=$(mktemp -d /tmp/tradium-pg.XXXXXX)
else
  pgdir="$work/pg-$port"
fi
cleanup() { scripts/pg.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap cleanup EXIT
pg_url=$(scripts/pg.sh start "$pgdir" "$port")
echo "PostgreSQL test server: $pg_url"

status=0
echo "== ruff"
.venv/bin/ruff check tradium_tui tests bench || status=1

# One worker per core for the unit and screen tests; the end-to-end tests (servers, OS
# users, tmux) run on their own, one at a time.
workers=$(.venv/bin/python -c 'import os; print(max(1, min(4, len(os.sched_getaffinity(0)))))')
run_pytest() {
  local backend=$1; shift
  set +e
  TRADIUM_TEST_BACKEND=$backend TRADIUM_TEST_PG_URL=$pg_url .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
  local rc=$?
  set -e
  if [ $rc -ne 0 ]; then status=1; fi
}
run_suite() {
  local backend=$1; shift
  if [ $# -gt 0 ]; then
    echo "== pytest on $backend: $*"
    run_pytest "$backend" "$@"
    return
  fi
  echo "== pytest on $backend ($workers workers)"
  run_pytest "$backend" -n "$workers" --dist worksteal --ignore=tests/e2e tests
  echo "== end-to-end tests on $backend"
  run_pytest "$backend" tests/e2e
}
run_suite sqlite "$@"
run_suite postgresql "$@"
if [ $status -eq 0 ]; then echo "== all checks passed"; else echo "== some checks FAILED"; fi
exit $status
