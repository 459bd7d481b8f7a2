"""Two people on one team server over SSH: a real sshd (own config, host key, port,
ForceCommand), real PostgreSQL, OS logins mapped to CRM users with different roles, and
terminals in tmux read with ``capture-pane``.
"""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest

from tradium_tui import db as dbmod
from tradium_tui.models import Action, AuditRecord, Customer, RecentCustomer, User
from tradium_tui.services import customers
from tradium_tui.services.access import TABS, actor_for
from tradium_tui.services.tab_order import visible_tabs

from .support import MEASUREMENTS, free_port, run, wait_until

NAME = "E2E Handel B.V."
EXIT_MARK = "[ssh exited with "


@contextmanager
def team_db(team):
    """The team database, as the admin sees it (read the truth behind the screens)."""
    db = dbmod.connect(team.db_url)
    try:
        yield db
    finally:
        if not db.is_closed():
            db.close()


@pytest.fixture(scope="module")
def customer(team):
    with team_db(team):
        admin = actor_for("root")
        rec = customers.create_customer(admin, {
            "kind": "company", "name": NAME, "visit_street": "Stationsweg",
            "visit_house_number": "1", "visit_postcode": "9711 AA", "visit_city": "Groningen",
            "visit_country": "NL", "phone": "050 123 4567",
        }, check_online=False).customer
        info = {"id": rec.id, "number": rec.number}
    return info


def login_of(team, role: str) -> str:
    return next(login for login, r in team.logins.items() if r == role)


def open_session(team, terminals, name: str, login: str, remote: str = "") -> float:
    """Start ``ssh -tt`` in a terminal; return the seconds until the customer header shows."""
    started = time.monotonic()
    # Once ssh has ended, the terminal says how (and stays open to be read: tmux does
    # not always report the status of a finished command, nor keep its last screen).
    command = shlex.join(team.ssh_command(login, remote))
    terminals.open(name, f"{command}; echo '{EXIT_MARK}'$?']'; exec sleep 300")
    terminals.wait_for(name, NAME, timeout=60, what=f"the customer header for {login}")
    seconds = time.monotonic() - started
    terminals.wait_for(name, has_tab_row, timeout=60, what=f"the tabs of {login}")
    return seconds


def has_tab_row(screen: str) -> bool:
    return any("Contacts" in line and "⚙" in line for line in screen.splitlines())


def tab_row(screen: str) -> str:
    for line in screen.splitlines():
        if "Contacts" in line and "⚙" in line:
            return line
    raise AssertionError(f"no tab row on the screen:\n{screen}")


def expected_tabs(team, login: str) -> list[str]:
    with team_db(team):
        return [TABS[tab] for tab in visible_tabs(actor_for(login))]


def refresh_customer(terminals, name: str, number: int) -> None:
    """Open the customer again through the finder (f, number, Enter)."""
    terminals.send(name, "f")
    terminals.wait_for(name, "Find customer", timeout=20)
    terminals.type(name, str(number))
    terminals.send(name, "Enter")
    terminals.wait_for(name, lambda s: "Find customer" not in s, timeout=20,
                       what="the finder to close")


def quit_session(team, terminals, name: str, login: str) -> str:
    """ctrl+q: the program ends, and with it the SSH session; nothing else runs."""
    terminals.send(name, "C-q")
    screen = terminals.wait_for(name, EXIT_MARK, timeout=30, what=f"the SSH session of {login} to end")
    status = re.search(re.escape(EXIT_MARK) + r"(\d+)\]", screen)
    assert status and status.group(1) == "0", screen
    # Nothing but the program ran: no shell prompt, no login banner.
    rest = screen.replace(status.group(0), "")
    assert not re.search(r"[$#>]\s*$", rest, re.MULTILINE), screen
    assert login not in rest, screen
    wait_until(lambda: run(["pgrep", "-u", login], check=False).returncode != 0, 20,
               f"the processes of {login} to end")
    return screen


def field_line(terminals, name: str, label: str) -> tuple[int | None, str]:
    for index, line in enumerate(terminals.screen(name).splitlines()):
        if label in line:
            return index, line
    return None, ""


def wait_for_focus(terminals, name: str, label: str) -> None:
    """Wait until the terminal cursor sits in the field ``label`` (its focus has settled).

    A dialog focuses its first field just after it is first drawn; keys sent before
    that would go elsewhere.
    """
    def settled() -> bool:
        row, _ = field_line(terminals, name, label)
        return row is not None and int(terminals.pane(name, "#{cursor_y}")) == row

    # Give the dialog a moment to focus the field itself; if the focus went to another
    # field, move it on with Tab as a person would (bounded).
    for _attempt in range(8):
        try:
            wait_until(settled, 4, f"the cursor in the field {label!r} of {name}")
            return
        except AssertionError:
            terminals.send(name, "Tab")
    wait_until(settled, 4, f"the cursor in the field {label!r} of {name}")


def field_value(terminals, name: str, label: str) -> str:
    """The text shown in the field ``label`` (up to the dialog border)."""
    _, line = field_line(terminals, name, label)
    rest = line.split(label, 1)[1] if label in line else ""
    rest = rest.lstrip(" *")
    return re.split(r"[█▎▊▌│]| {3,}", rest, maxsplit=1)[0].strip()


def set_field(terminals, name: str, label: str, value: str) -> None:
    """Replace the text of the focused field ``label`` with ``value``.

    End then Ctrl+U (delete everything left of the cursor) empties the field whatever it
    had selected when it took the focus; typing starts only once the field shows empty.
    (Shift+End selections were lost now and then over SSH on a loaded machine.)
    """
    wait_for_focus(terminals, name, label)
    for _attempt in range(3):
        terminals.send(name, "End", "C-u")
        try:
            wait_until(lambda: field_value(terminals, name, label) == "", 10,
                       f"{label!r} emptied")
        except AssertionError:
            continue
        terminals.type(name, value)
        try:
            wait_until(lambda: field_value(terminals, name, label) == value, 10,
                       f"{value!r} in {label!r}")
            return
        except AssertionError:
            continue
    raise AssertionError(
        f"{label!r} shows {field_value(terminals, name, label)!r}, not {value!r}:\n"
        + terminals.screen(name)
    )


def type_into_empty_field(terminals, name: str, label: str, text: str) -> None:
    wait_for_focus(terminals, name, label)
    terminals.type(name, text)
    wait_until(lambda: text in field_line(terminals, name, label)[1], 20,
               f"{text!r} in {label!r}")


def customer_row(team, customer_id: int) -> Customer:
    with team_db(team):
        return Customer.get_by_id(customer_id)


def test_two_logins_share_one_customer_over_ssh(team, terminals, customer):
    a = login_of(team, "account_manager")
    b = login_of(team, "desk")
    number = customer["number"]

    # Each lands in the program as itself: the header, and the tabs of its role.
    seconds_a = open_session(team, terminals, "e2e-a", a)
    seconds_b = open_session(team, terminals, "e2e-b", b)
    MEASUREMENTS["SSH session start until the header shows"] = (
        f"{seconds_a:.2f} s ({a}), {seconds_b:.2f} s ({b})"
    )
    for name, login in (("e2e-a", a), ("e2e-b", b)):
        row = tab_row(terminals.screen(name))
        wanted = expected_tabs(team, login)
        assert [t for t in TABS.values() if t in row.split()] == wanted, (login, row)
    assert "Invoices" in tab_row(terminals.screen("e2e-a"))
    assert "Invoices" not in tab_row(terminals.screen("e2e-b"))
    with team_db(team):
        for login in (a, b):
            user = User.get(User.username == login)
            # The start-up recorded the open customer for this very user.
            assert RecentCustomer.select().where(
                (RecentCustomer.user == user) & (RecentCustomer.customer == customer["id"])
            ).exists(), login
    for login in (a, b):
        owners = run(["ps", "-o", "user=", "-C", "tradium-tui"], check=False).stdout.split()
        assert login in owners, owners

    # B looks at the (empty) Actions tab before A does anything.
    terminals.send("e2e-b", "]")
    terminals.wait_for("e2e-b", "No actions for this customer yet", timeout=20)

    # A changes the customer and logs a contact moment.
    terminals.send("e2e-a", "C-e")
    terminals.wait_for("e2e-a", f"Edit {NAME} ({number})", timeout=20)
    set_field(terminals, "e2e-a", "Company name", f"{NAME} Noord")
    terminals.send("e2e-a", "C-s")
    terminals.wait_for("e2e-a", f"{NAME} Noord ({number})", timeout=20)
    terminals.send("e2e-a", "l")
    terminals.wait_for("e2e-a", "Log contact moment", timeout=20)
    type_into_empty_field(terminals, "e2e-a", "Subject", "Called about the E2E delivery")
    terminals.send("e2e-a", "C-s")
    terminals.wait_for("e2e-a", "Contact moment logged", timeout=20)

    # B refreshes the customer and sees both.
    assert f"{NAME} Noord" not in terminals.screen("e2e-b")
    refresh_customer(terminals, "e2e-b", number)
    screen = terminals.wait_for("e2e-b", f"{NAME} Noord ({number})", timeout=20)
    terminals.wait_for("e2e-b", "Called about the E2E delivery", timeout=20,
                       what="A's contact moment on B's Actions tab")

    # B starts editing; A saves a change meanwhile, so B's form is stale.
    terminals.send("e2e-b", "C-e")
    terminals.wait_for("e2e-b", f"Edit {NAME} Noord ({number})", timeout=20)
    set_field(terminals, "e2e-b", "Company name", f"{NAME} Noord Zuid")
    terminals.send("e2e-a", "C-e")
    terminals.wait_for("e2e-a", f"Edit {NAME} Noord ({number})", timeout=20)
    set_field(terminals, "e2e-a", "Company name", f"{NAME} Noord Oost")
    terminals.send("e2e-a", "C-s")
    terminals.wait_for("e2e-a", f"{NAME} Noord Oost ({number})", timeout=20)

    # B saves from the stale form: the conflict dialog, with both values.
    terminals.send("e2e-b", "C-s")
    screen = terminals.wait_for("e2e-b", "Changed by someone else", timeout=20)
    assert f"{NAME} Noord Oost" in screen and f"{NAME} Noord Zuid" in screen, screen
    assert a in screen, screen
    assert customer_row(team, customer["id"]).name == f"{NAME} Noord Oost"  # A's change stands

    # Back to the form: B's typing is still there, nothing was saved.
    terminals.send("e2e-b", "Escape")
    screen = terminals.wait_for("e2e-b", lambda s: "Changed by someone else" not in s,
                                timeout=20, what="the conflict dialog to close")
    assert f"{NAME} Noord Zuid" in screen, screen
    # The form's note is drawn just after the dialog has gone.
    screen = terminals.wait_for("e2e-b", "Your values are still here", timeout=20)
    assert f"{NAME} Noord Zuid" in screen, screen
    assert customer_row(team, customer["id"]).name == f"{NAME} Noord Oost"

    # B keeps their own value: saved over A's, and both changes are in the audit trail.
    terminals.send("e2e-b", "C-s")
    terminals.wait_for("e2e-b", "Changed by someone else", timeout=20)
    terminals.send("e2e-b", "m")
    terminals.wait_for("e2e-b", f"{NAME} Noord Zuid ({number})", timeout=20)
    with team_db(team):
        stored = Customer.get_by_id(customer["id"])
        assert stored.name == f"{NAME} Noord Zuid"
        names = [
            (r.username, r.new_value) for r in AuditRecord.select()
            .where((AuditRecord.table == "customer") & (AuditRecord.record_id == customer["id"])
                   & (AuditRecord.field == "name"))
            .order_by(AuditRecord.version)
        ]
        assert names == [("root", NAME), (a, f"{NAME} Noord"), (a, f"{NAME} Noord Oost"),
                         (b, f"{NAME} Noord Zuid")]
        assert Action.select().where(
            (Action.customer == customer["id"]) & (Action.subject == "Called about the E2E delivery")
        ).count() == 1

    # A refreshes and sees B's value.
    refresh_customer(terminals, "e2e-a", number)
    terminals.wait_for("e2e-a", f"{NAME} Noord Zuid ({number})", timeout=20)

    # Quitting ends the SSH session: no shell afterwards.
    quit_session(team, terminals, "e2e-a", a)
    quit_session(team, terminals, "e2e-b", b)


def test_no_way_around_the_program(team, terminals, customer):
    a = login_of(team, "account_manager")
    # A command on the ssh line still lands in the program, not in a shell.
    open_session(team, terminals, "e2e-cmd", a, remote="echo ESCAPED-$((6*7)); id; exec /bin/sh -i")
    screen = terminals.screen("e2e-cmd")
    assert "ESCAPED-42" not in screen and "uid=" not in screen, screen
    quit_session(team, terminals, "e2e-cmd", a)

    # Without a terminal nothing runs: the forced command refuses and the session ends.
    result = subprocess.run(team.ssh_command(a, "echo ESCAPED-$((6*7))", tty=False),
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "ESCAPED-42" not in result.stdout + result.stderr
    assert "needs a terminal" in result.stderr
    wait_until(lambda: run(["pgrep", "-u", a], check=False).returncode != 0, 20,
               f"the processes of {a} to end")

    # No file transfer subsystem.
    sftp = subprocess.run(
        ["sftp", "-b", "-", "-P", str(team.ssh_port), "-i", str(team.key(a)),
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", f"{a}@127.0.0.1"],
        input="ls /\n", capture_output=True, text=True, timeout=60,
    )
    assert sftp.returncode != 0

    # No port forwarding to the database server (or anything else).
    local = free_port()
    forward = subprocess.Popen(
        team.ssh_command(a, tty=False)[:1] + ["-N", "-L", f"{local}:127.0.0.1:{team.pg.port}"]
        + team.ssh_command(a, tty=False)[1:],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        def forwarded_reply() -> bytes | None:
            try:
                with socket.create_connection(("127.0.0.1", local), timeout=5) as sock:
                    # A PostgreSQL SSLRequest: a server would answer one byte ('S' or 'N').
                    sock.sendall(b"\x00\x00\x00\x08\x04\xd2\x16\x2f")
                    return sock.recv(16) or b"closed"
            except ConnectionRefusedError:
                return None  # the client is not listening yet
            except (ConnectionResetError, TimeoutError, OSError):
                return b"closed"

        reply = wait_until(forwarded_reply, 30, "the forwarded port to answer")
        assert reply == b"closed", reply
    finally:
        forward.terminate()
        forward.wait(timeout=20)
    log = (team.prefix / "sshd" / "sshd.log").read_text(errors="replace")
    assert "refused local port forward" in log


def test_database_outage_in_an_open_session(team, terminals, customer):
    """PostgreSQL stops while a form is open: a clear state, the typing kept, no crash,
    and the save goes through once the server is back."""
    a = login_of(team, "account_manager")
    number = customer["number"]
    open_session(team, terminals, "e2e-outage", a)
    current = customer_row(team, customer["id"]).name
    terminals.send("e2e-outage", "C-e")
    terminals.wait_for("e2e-outage", f"Edit {current} ({number})", timeout=20)
    typed = f"{current} Typed During Outage"
    set_field(terminals, "e2e-outage", "Company name", typed)
    team.pg.stop()
    try:
        terminals.send("e2e-outage", "C-s")
        screen = terminals.wait_for("e2e-outage", "Database unavailable", timeout=30,
                                    what="the database-unavailable state")
        assert "cannot be reached" in screen, screen
        assert typed in screen, screen  # still in the form
        assert not terminals.dead("e2e-outage")
        # Saving again while the server is down fails the same way and keeps everything.
        terminals.send("e2e-outage", "C-s")
        screen = terminals.wait_for("e2e-outage", "cannot be reached", timeout=30)
        assert typed in screen and not terminals.dead("e2e-outage")
    finally:
        team.pg.start()
    terminals.wait_for("e2e-outage", "Database back", timeout=30,
                       what="the program to notice the database is back")
    assert not terminals.dead("e2e-outage")
    terminals.send("e2e-outage", "C-s")
    terminals.wait_for("e2e-outage", f"{typed} ({number})", timeout=30,
                       what="the saved name in the header")
    assert customer_row(team, customer["id"]).name == typed
    quit_session(team, terminals, "e2e-outage", a)


def as_login(team, login: str, *args: str) -> subprocess.CompletedProcess:
    """The installed program run as the OS login itself (what its SSH session runs)."""
    return run(["runuser", "-u", login, "--", "env", f"TRADIUM_CONFIG={team.config}",
                f"HOME={team.prefix / 'home' / login}", str(team.venv / "bin" / "tradium-tui"),
                *args], check=False, timeout=120)


def login_connects(team, login: str, **params) -> str:
    """Try a PostgreSQL connection as ``login``; ``ok`` or the server's first error line."""
    program = (
        "import sys, json, psycopg2\n"
        "try:\n"
        "    psycopg2.connect(connect_timeout=10, **json.loads(sys.argv[1])).close()\n"
        "    print('ok')\n"
        "except psycopg2.Error as exc:\n"
        "    print(str(exc).strip().splitlines()[0])\n"
    )
    import json

    result = run(["runuser", "-u", login, "--", str(team.venv / "bin" / "python"), "-c", program,
                  json.dumps(params)], check=False, timeout=60)
    return result.stdout.strip() or result.stderr.strip()


def test_a_login_cannot_obtain_a_database_credential(team, terminals, customer):
    """No password exists to leak: the config holds none, the roles have none, a login is
    admitted only as itself over the Unix socket; and import / export refuse the config file
    and every path outside the login's home, by any name, without showing a line of it."""
    a = login_of(team, "account_manager")
    b = login_of(team, "desk")
    config_text = team.config.read_text()
    from urllib.parse import parse_qs, urlparse

    url = urlparse(team.db_url)
    assert url.password is None and url.username is None, team.db_url
    import tomllib

    settings = tomllib.loads(config_text)
    assert set(settings) <= {"db_url", "language", "lock_identity", "transfer_dir"}, settings
    query = parse_qs(url.query)
    assert "@" not in team.db_url and set(query) == {"host", "port"}, team.db_url
    socket_dir, port, dbname = query["host"][0], int(query["port"][0]), url.path.lstrip("/")

    # The server keeps no password for any role of the set-up.
    import psycopg2

    conn = psycopg2.connect(team.pg.url, connect_timeout=10)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT rolname, rolcanlogin, rolpassword IS NOT NULL FROM pg_authid "
                        "WHERE rolname = ANY(%s)", ([a, b, "root", dbname, f"{dbname}_logins"],))
            roles = {name: (can_login, has_password) for name, can_login, has_password in cur}
    finally:
        conn.close()
    assert roles == {a: (True, False), b: (True, False), "root": (True, False),
                     dbname: (False, False), f"{dbname}_logins": (False, False)}, roles

    # As itself over the socket (what the program does): admitted; as anyone else, or over
    # TCP, or as the owner of the database: refused.
    assert login_connects(team, a, host=socket_dir, port=port, dbname=dbname) == "ok"
    for params in (
        {"host": socket_dir, "port": port, "dbname": dbname, "user": b},
        {"host": socket_dir, "port": port, "dbname": dbname, "user": dbname},
        {"host": "127.0.0.1", "port": port, "dbname": dbname, "user": a},
        {"host": "127.0.0.1", "port": port, "dbname": dbname, "user": dbname},
    ):
        answer = login_connects(team, a, **params)
        assert answer != "ok", params
        assert "authentication failed" in answer or "pg_hba.conf" in answer \
            or "not permitted to log in" in answer, (params, answer)

    # The command line as the login: the config file (by its name or a link in the home
    # folder) and paths outside the home are refused in one sentence, nothing of them shown.
    home = team.prefix / "home" / a
    link = home / "config.csv"
    # A folder the login could write to, but not under its home.
    (team.prefix / "elsewhere").mkdir(exist_ok=True)
    (team.prefix / "elsewhere").chmod(0o777)
    outside = team.prefix / "elsewhere" / "customers.csv"
    run(["runuser", "-u", a, "--", "ln", "-sf", str(team.config), str(link)])
    for args in (
        ("import", "customers", str(team.config), "--dry-run"),
        ("import", "orders", str(team.config), "--dry-run"),
        ("import", "customers", str(link), "--dry-run"),
        ("import", "customers", "/etc/passwd"),
        ("import", "customers", str(home / ".." / ".." / "etc" / "config.toml")),
        ("export", "customers", str(team.config)),
        ("export", "customers", str(link)),
        ("export", "customers", str(outside)),
    ):
        result = as_login(team, a, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        shown = result.stdout + result.stderr
        assert "db_url" not in shown and socket_dir not in shown and "root:" not in shown, (args, shown)
        assert len(result.stderr.strip().splitlines()) == 1, (args, shown)
    assert team.config.read_text() == config_text
    assert link.is_symlink()
    assert not outside.exists()
    # Inside the home folder export works.
    result = as_login(team, a, "export", "customers", str(home / "customers.csv"))
    assert result.returncode == 0, result.stderr
    assert (home / "customers.csv").read_text(encoding="utf-8-sig").startswith("number")

    # The import dialog over SSH says the same next to the field.
    open_session(team, terminals, "e2e-secret", a)
    terminals.send("e2e-secret", "C-g")
    terminals.wait_for("e2e-secret", "Import customers", timeout=20)
    terminals.send("e2e-secret", "Enter")
    terminals.wait_for("e2e-secret", "Existing number", timeout=20, what="the import dialog")
    # The file field has the focus from the start (an empty field shows no cursor to wait
    # for): type straight into it.  (Links to the config file: see the command line above.)
    terminals.type("e2e-secret", str(team.config))
    wait_until(lambda: field_value(terminals, "e2e-secret", "File") == str(team.config), 20,
               "the config file's path in the file field")
    terminals.send("e2e-secret", "C-s")
    screen = terminals.wait_for("e2e-secret", "config file; it cannot be imported", timeout=20,
                                what="the refusal next to the file field")
    assert "db_url" not in screen and "headers" not in screen, screen
    # The typed path is a change: Escape asks first; then the import/export list closes.
    terminals.send("e2e-secret", "Escape")
    terminals.wait_for("e2e-secret", "Discard changes?", timeout=20)
    terminals.send("e2e-secret", "y")
    terminals.wait_for("e2e-secret", lambda s: "Existing number" not in s, timeout=20,
                       what="the import dialog to close")
    terminals.send("e2e-secret", "Escape")
    terminals.wait_for("e2e-secret", lambda s: "Import customers" not in s, timeout=20,
                       what="the import/export list to close")
    quit_session(team, terminals, "e2e-secret", a)
