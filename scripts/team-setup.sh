#!/usr/bin/env bash
# Set up (or remove) a tradium-tui team server on a Debian-like machine, for testing:
# PostgreSQL as the shared database, a virtualenv every login can run, a config file,
# OS logins in one group with SSH keys, and an sshd of its own on loopback whose
# ForceCommand puts every login of that group straight into the program (never a shell).
# There is no database password: every login (and root, the first admin) is a PostgreSQL
# role of its own, authenticated by the server over its Unix socket from the OS identity
# (peer authentication); see docs/team.md for the threat model.
#
#   scripts/team-setup.sh install    [options]   packages, venv, config, database, logins, sshd config
#   scripts/team-setup.sh start-sshd --prefix DIR   start this set-up's sshd (in the background)
#   scripts/team-setup.sh stop-sshd  --prefix DIR
#   scripts/team-setup.sh remove     --prefix DIR [--keep-venv]   stop sshd, delete the logins it
#                                   made, drop its database and role, delete DIR (but DIR/venv)
# Options of install:
#   --prefix DIR          where everything lives (default /opt/tradium-tui): DIR/venv, DIR/sshd,
#                         DIR/keys (generated client keys), DIR/home/LOGIN
#   --config FILE         the config file (default /etc/tradium-tui/config.toml); another path is
#                         handed to the program through the sshd config (TRADIUM_CONFIG)
#   --source DIR          the project to install (default: the checkout holding this script)
#   --python PATH         the Python that makes the venv (default /usr/bin/python3; one inside a
#                         private home folder would not be runnable by the other logins)
#   --group NAME          OS group of the CRM logins (default tradium)
#   --ssh-port N          port of the sshd (default 2222); it listens on --listen (default 127.0.0.1)
#   --pg-admin-url URL    a PostgreSQL superuser URL of a server on this machine (peer
#                         authentication needs its pg_hba.conf and Unix socket); the roles and
#                         database are made there. Default: the local server of Debian's
#                         'postgresql' package (installed and started when missing), reached as
#                         the 'postgres' OS user.
#   --db-name NAME        database (default tradium)
#   --db-role NAME        its owner, a role nobody logs in as (default tradium); the logins are
#                         members of it and of NAME_logins, the role pg_hba.conf admits
#   --crm "ARGS"          a tradium-tui admin command to run once the database is ready, before the
#                         users are added (repeatable), e.g. --crm "roles grant sales invoices hidden"
#   --user LOGIN:ROLE[:PUBKEY]   a CRM login (repeatable): OS login LOGIN in the group, CRM user
#                         LOGIN with role ROLE, SSH key PUBKEY (a .pub file; default: a new key pair
#                         in DIR/keys/LOGIN)
#   --strict-modes yes|no sshd StrictModes (default yes; 'no' only for throw-away set-ups under /tmp)
#
# The login that runs this script (root) becomes the first admin of a new database.
set -euo pipefail

die() { echo "team-setup: $*" >&2; exit 2; }
say() { echo "team-setup: $*" >&2; }

cmd=${1:-}
[ -n "$cmd" ] || die "usage: team-setup.sh install|start-sshd|stop-sshd|remove [options]"
shift

prefix=/opt/tradium-tui
config=/etc/tradium-tui/config.toml
source_dir=$(cd "$(dirname "$0")/.." && pwd)
python=/usr/bin/python3
group=tradium
ssh_port=2222
listen=127.0.0.1
pg_admin_url=""
db_name=tradium
db_role=tradium
strict_modes=yes
keep_venv=""
users=()
crm_commands=()

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?}; shift 2 ;;
    --config) config=${2:?}; shift 2 ;;
    --source) source_dir=${2:?}; shift 2 ;;
    --python) python=${2:?}; shift 2 ;;
    --group) group=${2:?}; shift 2 ;;
    --ssh-port) ssh_port=${2:?}; shift 2 ;;
    --listen) listen=${2:?}; shift 2 ;;
    --pg-admin-url) pg_admin_url=${2:?}; shift 2 ;;
    --db-name) db_name=${2:?}; shift 2 ;;
    --db-role) db_role=${2:?}; shift 2 ;;
    --crm) crm_commands+=("${2:?}"); shift 2 ;;
    --user) users+=("${2:?}"); shift 2 ;;
    --strict-modes) strict_modes=${2:?}; shift 2 ;;
    --keep-venv) keep_venv=1; shift ;;
    *) die "unknown option $1" ;;
  esac
done

[ "$(id -u)" = 0 ] || die "run this as root (it creates OS users and an sshd configuration)."
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
case "$config" in /*) ;; *) config="$(pwd)/$config" ;; esac
[[ "$ssh_port" =~ ^[0-9]+$ ]] || die "--ssh-port must be a number."
[[ "$group" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--group must be a plain group name."
[[ "$db_name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db-name must be lower-case letters, digits and _."
[[ "$db_role" =~ ^[a-z_][a-z0-9_]*$ ]] || die "--db-role must be lower-case letters, digits and _."
case "$strict_modes" in yes|no) ;; *) die "--strict-modes is yes or no." ;; esac

venv="$prefix/venv"
sshd_dir="$prefix/sshd"
state="$prefix/setup.env"
sshd_config="$sshd_dir/sshd_config"
pidfile="$sshd_dir/sshd.pid"

# ---------------------------------------------------------------------------- helpers

apt_updated=""
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then apt-get update -qq >&2; apt_updated=1; fi
  say "installing $* (apt-get)"
  apt-get install -y -qq "$@" >&2
}

pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# Run SQL as the PostgreSQL superuser: "$1" is a small Python program (psycopg2, autocommit).
pg_admin_python() {
  local program=$1; shift
  if [ -n "$pg_admin_url" ]; then
    "$venv/bin/python" -c "$program" "$pg_admin_url" "$@"
  else
    runuser -u postgres -- "$venv/bin/python" -c "$program" "postgresql:///postgres" "$@"
  fi
}

PG_CREATE='
import sys, psycopg2
from psycopg2 import sql
url, role, logins, name = sys.argv[1:5]
conn = psycopg2.connect(url, connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
for r in (role, logins):
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (r,))
    verb = "ALTER" if cur.fetchone() else "CREATE"
    # Nobody logs in as the owner or the group, and neither has a password.
    cur.execute(sql.SQL(verb + " ROLE {} WITH NOLOGIN PASSWORD NULL").format(sql.Identifier(r)))
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
if not cur.fetchone():
    cur.execute(sql.SQL("CREATE DATABASE {} OWNER {} ENCODING %s TEMPLATE template0").format(
        sql.Identifier(name), sql.Identifier(role)), ("UTF8",))
cur.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))
cur.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
    sql.Identifier(name), sql.Identifier(logins)))
for setting in ("hba_file", "unix_socket_directories", "port"):
    cur.execute("SELECT current_setting(%s)", (setting,))
    print(cur.fetchone()[0].split(",")[0].strip())
conn.close()
from urllib.parse import urlparse
u = urlparse(url)
if u.netloc:
    target = u._replace(path="/" + name).geturl()
else:  # postgresql:///postgres (the local socket)
    target = f"{u.scheme}:///{name}" + (f"?{u.query}" if u.query else "")
conn = psycopg2.connect(target, connect_timeout=10)
conn.autocommit = True
conn.cursor().execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
conn.close()
'

# A login role: no password; a member of the owner (its rights) and of the group (pg_hba.conf);
# in this database it acts as the owner, so what it creates belongs to the owner.
PG_LOGIN='
import sys, psycopg2
from psycopg2 import sql
url, role, logins, name, login = sys.argv[1:6]
conn = psycopg2.connect(url, connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
made = not cur.fetchone()
verb = "CREATE" if made else "ALTER"
cur.execute(sql.SQL(verb + " ROLE {} WITH LOGIN PASSWORD NULL").format(sql.Identifier(login)))
cur.execute(sql.SQL("GRANT {}, {} TO {}").format(
    sql.Identifier(role), sql.Identifier(logins), sql.Identifier(login)))
cur.execute(sql.SQL("ALTER ROLE {} IN DATABASE {} SET role = {}").format(
    sql.Identifier(login), sql.Identifier(name), sql.Identifier(role)))
print("made" if made else "existed")
conn.close()
'

PG_RELOAD='
import sys, psycopg2
conn = psycopg2.connect(sys.argv[1], connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT pg_reload_conf()")
cur.execute("SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL")
bad = cur.fetchall()
conn.close()
if bad:
    sys.exit("pg_hba.conf has errors: " + "; ".join(f"line {n}: {e}" for n, e in bad))
'

PG_DROP='
import sys, psycopg2
from psycopg2 import sql
url, name, *roles = sys.argv[1:]
conn = psycopg2.connect(url, connect_timeout=10)
conn.autocommit = True
cur = conn.cursor()
cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
for role in roles:
    try:
        cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    except psycopg2.Error as exc:  # still used by another database
        print(f"team-setup: role {role} kept: {str(exc).strip()}", file=sys.stderr)
conn.close()
'

hba_begin() { echo "# tradium-tui database $db_name (team-setup.sh) begin"; }
hba_end() { echo "# tradium-tui database $db_name (team-setup.sh) end"; }

# pg_hba.conf without this set-up's lines (stdout).
hba_without_ours() {
  awk -v b="$(hba_begin)" -v e="$(hba_end)" '$0 == b {skip = 1; next} $0 == e {skip = 0; next} !skip' "$1"
}

# The sshd of this set-up is running when its pid file names a live sshd.
sshd_running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

wait_for_port() {  # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

start_sshd() {
  [ -f "$sshd_config" ] || die "no sshd configuration in $sshd_dir: run install first."
  if sshd_running; then say "sshd already running (pid $(cat "$pidfile"))"; return 0; fi
  mkdir -p /run/sshd
  chmod 755 /run/sshd
  /usr/sbin/sshd -t -f "$sshd_config" || die "the sshd configuration $sshd_config is not valid."
  /usr/sbin/sshd -f "$sshd_config" -E "$sshd_dir/sshd.log"
  local port listen_addr
  port=$(awk '$1 == "Port" {print $2}' "$sshd_config")
  listen_addr=$(awk '$1 == "ListenAddress" {print $2}' "$sshd_config")
  wait_for_port "$listen_addr" "$port" 10 || die "sshd did not start listening on $listen_addr:$port (see $sshd_dir/sshd.log)."
  say "sshd listening on $listen_addr:$port (pid $(cat "$pidfile"))"
}

stop_sshd() {
  if ! sshd_running; then return 0; fi
  local pid i
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$pidfile"
  say "sshd stopped"
}

# ---------------------------------------------------------------------------- remove

remove() {
  [ -f "$state" ] || die "$state not found: nothing of a set-up under $prefix to remove."
  # shellcheck disable=SC1090
  . "$state"
  stop_sshd
  local login pid
  for login in ${made_logins:-}; do
    if id "$login" >/dev/null 2>&1; then
      # Sessions still open for a login this script made: end them so it can be deleted.
      for pid in $(pgrep -u "$login" || true); do kill "$pid" 2>/dev/null || true; done
      for pid in $(pgrep -u "$login" || true); do kill -KILL "$pid" 2>/dev/null || true; done
      userdel -r "$login" >/dev/null 2>&1 || userdel "$login" >/dev/null 2>&1 || true
    fi
  done
  if [ "${made_group:-}" = 1 ] && getent group "$group" >/dev/null; then
    groupdel "$group" 2>/dev/null || true
  fi
  if [ -x "$venv/bin/python" ]; then
    pg_admin_url=${state_pg_admin_url:-}
    if [ -n "${hba_file:-}" ] && [ -f "$hba_file" ] && grep -qxF "$(hba_begin)" "$hba_file"; then
      local kept
      kept=$(hba_without_ours "$hba_file")
      printf '%s\n' "$kept" > "$hba_file"
      pg_admin_python "$PG_RELOAD" || say "could not reload the PostgreSQL configuration"
    fi
    # shellcheck disable=SC2086
    pg_admin_python "$PG_DROP" "$db_name" ${made_pg_roles:-} "${db_role}_logins" "$db_role" \
      || say "could not drop database $db_name and its roles"
  fi
  if [ "${made_config:-}" = 1 ]; then rm -f "$config"; fi
  if [ -n "${made_cluster:-}" ]; then
    # shellcheck disable=SC2086
    pg_ctlcluster ${made_cluster} stop || true  # it was not running before install
  fi
  if [ -n "$keep_venv" ]; then
    find "$prefix" -mindepth 1 -maxdepth 1 ! -name venv -exec rm -rf {} +
  else
    rm -rf "$prefix"
  fi
  say "removed the set-up under $prefix"
}

# ---------------------------------------------------------------------------- install

install() {
  # Packages (a fresh machine has none of them).
  local need=()
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
  command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  if [ -z "$pg_admin_url" ] && ! pg_bin >/dev/null; then need+=(postgresql); fi
  if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then need+=(python3-venv); fi
  if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
    || die "$python is older than Python 3.11."

  mkdir -p "$prefix" "$sshd_dir/authorized_keys" "$prefix/keys" "$prefix/home"
  chmod 755 "$prefix" "$sshd_dir" "$sshd_dir/authorized_keys" "$prefix/home"
  chmod 700 "$prefix/keys"

  # What remove needs to know (kept up to date as things are made).
  local made_logins="" made_group=0 made_config=0 made_cluster="" made_pg_roles="" hba_file=""
  if [ -f "$state" ]; then
    # shellcheck disable=SC1090
    made_logins=$(. "$state"; echo "${made_logins:-}")
    made_group=$(. "$state"; echo "${made_group:-0}")
    made_config=$(. "$state"; echo "${made_config:-0}")
    made_cluster=$(. "$state"; echo "${made_cluster:-}")
    made_pg_roles=$(. "$state"; echo "${made_pg_roles:-}")
  fi
  write_state() {
    cat > "$state" <<EOF
# written by team-setup.sh install
group=$(printf %q "$group")
config=$(printf %q "$config")
db_name=$(printf %q "$db_name")
db_role=$(printf %q "$db_role")
state_pg_admin_url=$(printf %q "$pg_admin_url")
made_logins=$(printf %q "$made_logins")
made_group=$made_group
made_config=$made_config
made_cluster=$(printf %q "$made_cluster")
made_pg_roles=$(printf %q "$made_pg_roles")
hba_file=$(printf %q "$hba_file")
EOF
    chmod 600 "$state"
  }
  write_state

  # The virtualenv: made from the system Python, in a world-readable place.
  if [ ! -x "$venv/bin/python" ]; then
    say "making the virtualenv $venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet "$source_dir" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
  else
    say "updating the program in $venv"
    "$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$source_dir" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
    "$venv/bin/python" -m pip install --quiet "$source_dir" 2>&1 | grep -v "is ignored: it is neither" >&2 || true
  fi
  "$venv/bin/python" -c "import tradium_tui.cli" || die "installing the program into $venv failed."
  chmod -R a+rX "$venv"
  local tt="$venv/bin/tradium-tui"

  # PostgreSQL: a server, the owner role and the logins' group role (neither can log in,
  # neither has a password), a database owned by the first that only the second may open.
  if [ -z "$pg_admin_url" ]; then
    if command -v pg_lsclusters >/dev/null 2>&1 && [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
      local version
      version=$(basename "$(dirname "$(pg_bin)")")
      pg_createcluster "$version" main >/dev/null
    fi
    local cluster
    cluster=$(pg_lsclusters -h | head -n 1)
    [ -n "$cluster" ] || die "no PostgreSQL cluster found (pg_lsclusters)."
    # shellcheck disable=SC2086
    set -- $cluster
    if [ "$4" != online ]; then
      pg_ctlcluster "$1" "$2" start
      made_cluster="$1 $2"
      write_state
    fi
  fi
  local logins_role="${db_role}_logins" server_facts db_socket db_port
  server_facts=$(pg_admin_python "$PG_CREATE" "$db_role" "$logins_role" "$db_name") \
    || die "could not create the PostgreSQL roles $db_role, $logins_role and database $db_name."
  { read -r hba_file; read -r db_socket; read -r db_port; } <<<"$server_facts"
  write_state
  [ -f "$hba_file" ] || die "the PostgreSQL server's $hba_file is not on this machine: peer authentication needs a server here (see docs/team.md)."
  [ -n "$db_socket" ] && [ -S "$db_socket/.s.PGSQL.$db_port" ] \
    || die "the PostgreSQL server has no Unix socket on this machine (unix_socket_directories)."
  # pg_hba.conf: the logins' group over the socket, each as its own OS login (peer); never
  # over TCP. The lines go first (the first matching line decides).
  local hba_new
  hba_new=$(mktemp "$(dirname "$hba_file")/.pg_hba.XXXXXX")
  {
    hba_begin
    printf 'local\t%s\t+%s\tpeer\n' "$db_name" "$logins_role"
    printf 'host\t%s\t+%s\tall\treject\n' "$db_name" "$logins_role"
    printf 'host\t%s\t%s\tall\treject\n' "$db_name" "$db_role"
    hba_end
    hba_without_ours "$hba_file"
  } > "$hba_new"
  chown --reference="$hba_file" "$hba_new"
  chmod --reference="$hba_file" "$hba_new"
  mv "$hba_new" "$hba_file"
  pg_admin_python "$PG_RELOAD" || die "PostgreSQL did not take the new $hba_file."
  # Root (the first admin, who runs the commands below) is a login role like the others.
  pg_login_role() {
    local result
    result=$(pg_admin_python "$PG_LOGIN" "$db_role" "$logins_role" "$db_name" "$1") \
      || die "could not create the PostgreSQL role $1."
    if [ "$result" = made ]; then made_pg_roles="$made_pg_roles $1"; write_state; fi
  }
  pg_login_role root
  # Unix socket, no user name (the OS login is the role), no password.
  local db_url="postgresql:///$db_name?host=$db_socket&port=$db_port"

  # The config file: readable by root and the group; it holds no secret.
  if ! getent group "$group" >/dev/null; then
    groupadd --system "$group"
    made_group=1
  fi
  if [ ! -f "$config" ]; then made_config=1; fi
  write_state
  mkdir -p "$(dirname "$config")"
  chmod 755 "$(dirname "$config")"
  local tmp_config
  tmp_config=$(mktemp "$(dirname "$config")/.config.XXXXXX")
  cat > "$tmp_config" <<EOF
# tradium-tui on this server (written by team-setup.sh)
# No password: PostgreSQL knows each login by its OS identity over the Unix socket.
db_url = "$db_url"
# Everyone is their OS login: --user / TRADIUM_USER cannot name another user.
lock_identity = true
# Import and export read and write only under the login's own home folder.
transfer_dir = "~"
EOF
  chown root:"$group" "$tmp_config"
  chmod 640 "$tmp_config"
  mv "$tmp_config" "$config"

  # Schema and CRM users (run as root: on a new database root becomes its first admin).
  export TRADIUM_CONFIG="$config"
  local args
  for args in "${crm_commands[@]}"; do
    # shellcheck disable=SC2086
    eval "set -- $args"
    "$tt" "$@" >&2 || die "tradium-tui $args failed."
  done
  "$tt" users list >/dev/null || die "the database $db_name cannot be used (see above)."

  local spec login role pubkey home existing
  existing=$("$tt" users list | awk 'NR > 1 {print $1}')
  for spec in "${users[@]}"; do
    IFS=: read -r login role pubkey <<<"$spec"
    [[ "$login" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "login '$login' is not a plain login name."
    [ -n "$role" ] || die "--user $spec: give LOGIN:ROLE."
    home="$prefix/home/$login"
    if ! id "$login" >/dev/null 2>&1; then
      # No password at all ('*': not locked, so key logins work; no password login).
      useradd --create-home --home-dir "$home" --shell /bin/sh --groups "$group" \
        --password '*' --comment "tradium-tui login" "$login"
      made_logins="$made_logins $login"
      write_state
    else
      usermod -a -G "$group" "$login"
    fi
    if [ -z "$pubkey" ]; then
      pubkey="$prefix/keys/$login.pub"
      if [ ! -f "$prefix/keys/$login" ]; then
        ssh-keygen -q -t ed25519 -N '' -C "$login@tradium-tui" -f "$prefix/keys/$login"
      fi
    fi
    [ -f "$pubkey" ] || die "--user $spec: the key $pubkey does not exist."
    pg_login_role "$login"
    # Root owns the key files, so a login cannot add keys or options of its own;
    # 'restrict,pty': no forwarding of any kind, no ~/.ssh/rc, but a terminal.
    sed -e '/^[[:space:]]*$/d' -e '/^#/d' -e 's/^/restrict,pty /' "$pubkey" > "$sshd_dir/authorized_keys/$login"
    chmod 644 "$sshd_dir/authorized_keys/$login"
    if grep -qx "$login" <<<"$existing"; then
      "$tt" users set-role "$login" "$role" >&2
      "$tt" users activate "$login" >&2 || true
    else
      "$tt" users add "$login" --role "$role" >&2
    fi
    runuser -u "$login" -- "$venv/bin/python" -c "import tradium_tui" 2>/dev/null \
      || die "the login $login cannot run $venv/bin/python: every folder above $prefix must be world-executable (chmod o+x)."
    (cd / && TRADIUM_CONFIG="$config" runuser -u "$login" -- "$tt" db version >/dev/null) \
      || die "the login $login cannot reach the database over $db_socket (peer authentication)."
  done

  # sshd: its own host key, port, config; the group's logins only, the program only.
  [ -f "$sshd_dir/ssh_host_ed25519_key" ] \
    || ssh-keygen -q -t ed25519 -N '' -C "tradium-tui host key" -f "$sshd_dir/ssh_host_ed25519_key"
  # The forced command: the program, in a terminal, nothing else.  Without a terminal
  # (ssh -T, sftp, scp) it refuses at once instead of running with nobody to see it.
  mkdir -p "$prefix/bin"
  chmod 755 "$prefix/bin"
  cat > "$prefix/bin/tradium-tui-login" <<EOF
#!/bin/sh
# Forced command of the tradium-tui logins (written by team-setup.sh).
if [ ! -t 0 ] || [ ! -t 1 ]; then
  echo "tradium-tui needs a terminal: connect with ssh -t." >&2
  exit 2
fi
exec $tt
EOF
  chmod 755 "$prefix/bin/tradium-tui-login"
  local setenv=""
  if [ "$config" != /etc/tradium-tui/config.toml ]; then setenv="SetEnv TRADIUM_CONFIG=$config"; fi
  cat > "$sshd_config" <<EOF
# sshd for tradium-tui (written by team-setup.sh): CRM logins land in the program, never a shell.
# On a real server, the Match block below is what goes into /etc/ssh/sshd_config.
Port $ssh_port
ListenAddress $listen
HostKey $sshd_dir/ssh_host_ed25519_key
PidFile $pidfile
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitEmptyPasswords no
PermitRootLogin no
UsePAM no
AllowGroups $group
StrictModes $strict_modes
PermitUserEnvironment no
PrintMotd no
PrintLastLog no
ClientAliveInterval 60
ClientAliveCountMax 3
$setenv
Match Group $group
    AuthorizedKeysFile $sshd_dir/authorized_keys/%u
    AuthenticationMethods publickey
    ForceCommand $prefix/bin/tradium-tui-login
    DisableForwarding yes
    PermitTunnel no
    PermitUserRC no
    PermitTTY yes
EOF
  chmod 644 "$sshd_config"
  mkdir -p /run/sshd && chmod 755 /run/sshd  # sshd's privilege separation folder
  /usr/sbin/sshd -t -f "$sshd_config" || die "the generated sshd configuration is not valid."
  write_state
  say "ready: start the sshd with: $0 start-sshd --prefix $prefix"
  say "config $config, database $db_name over $db_socket (port $db_port), logins:${made_logins:- (none new)}"
}

case "$cmd" in
  install) install ;;
  start-sshd) start_sshd ;;
  stop-sshd) stop_sshd ;;
  remove) remove ;;
  *) die "unknown command $cmd (install, start-sshd, stop-sshd, remove)" ;;
esac
