"""Who is using the app.

The rule
--------
The user is the operating-system login: the account the program runs under, which over
SSH is the SSH login.  ``--user NAME`` or the ``TRADIUM_USER`` environment variable may
name another user (``--user`` wins) only where that cannot gain any rights:

* **Locally** the override is allowed: whoever runs the program locally already owns the
  database file or its credentials, so acting as another user gives them nothing new.
  (Handy for testing roles and for scripts.)
* **Over SSH** (``SSH_CONNECTION``, ``SSH_CLIENT`` or ``SSH_TTY`` is set) the override is
  refused unless it names the SSH login itself.  A person who logs in as ``sales`` — for
  instance with the program as the forced command of their SSH key or ``ForceCommand`` —
  stays ``sales`` whatever they pass.
* With ``lock_identity = true`` in the config file the override is refused everywhere,
  again unless it names the login.  Set it on a shared server.  The system-wide file
  (``/etc/tradium-tui/config.toml``) locks even when ``TRADIUM_CONFIG`` points elsewhere.

When the identity is fixed this way the login is read from the account database (the
real user id), not from ``LOGNAME``/``USER``, so it cannot be changed through the
environment either.

The user must exist and be active in the database; otherwise the program stops with one
sentence telling an admin which command adds or reactivates them — nothing is written.
Exception: a brand-new database without any user makes its first login the admin, so an
installation can be bootstrapped without editing the database; :func:`resolve_login`
reports that (``Login.bootstrapped``) so the caller can say so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tradium_tui.config import DEFAULT_CONFIG_FILE, Settings, os_login
from tradium_tui.i18n import _
from tradium_tui.models import User
from tradium_tui.services.access import Actor, actor_for
from tradium_tui.services.errors import PermissionDenied, UnknownUser

ENV_USER = "TRADIUM_USER"
SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
# The system-wide config file whose ``lock_identity`` no environment variable can undo.
SYSTEM_CONFIG_FILE: Path = DEFAULT_CONFIG_FILE


class IdentityRefused(PermissionDenied):
    """Acting as another user is not allowed in this session."""


@dataclass(frozen=True)
class Login:
    actor: Actor
    # True when this login created the first user of an empty database (as admin).
    bootstrapped: bool = False
    # The OS/SSH login, and whether another name was asked for (and allowed).
    login: str = ""
    overridden: bool = False

    @property
    def notice(self) -> str | None:
        """The sentence to show once, or ``None``."""
        if not self.bootstrapped:
            return None
        return bootstrap_notice(self.actor.username, self.actor.role.name)


def bootstrap_notice(username: str, role: str = "admin") -> str:
    return _("This database had no users yet, so '{username}' is now its first user with role "
             "'{role}'. Add the others with 'tradium-tui users add NAME --role sales'.").format(
        username=username, role=role)


def is_remote_session(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in SSH_VARIABLES)


def account_login() -> str:
    """The login of the real user id, from the account database (not the environment)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os_login()


def system_lock(path: Path | None = None) -> bool:
    """``lock_identity`` of the system-wide config file (False when absent or unreadable)."""
    target = path or SYSTEM_CONFIG_FILE
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    import tomllib  # only when the file is there

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return bool(data.get("lock_identity", False))


def identity_locked(settings: Settings) -> bool:
    return bool(settings.lock_identity) or system_lock()


def effective_username(
    settings: Settings,
    requested: str | None,
    environ: Mapping[str, str] | None = None,
    login: str | None = None,
) -> tuple[str, str]:
    """Apply the identity rule: returns ``(username, login)`` or raises IdentityRefused."""
    env = os.environ if environ is None else environ
    remote = is_remote_session(env)
    locked = identity_locked(settings)
    if login is None:
        login = account_login() if (remote or locked) else os_login()
    source = "--user"
    wanted = (requested or "").strip()
    if not wanted:
        wanted = (env.get(ENV_USER) or "").strip()
        source = ENV_USER
    if not wanted or wanted == login:
        return login, login
    if remote:
        raise IdentityRefused(
            _("You are logged in over SSH as '{login}', so you cannot act as '{wanted}' "
              "({source}); over SSH the program always runs as the SSH login.").format(
                login=login, wanted=wanted, source=source)
        )
    if locked:
        raise IdentityRefused(
            _("This installation locks the identity to the login ('{login}'), so you "
              "cannot act as '{wanted}' ({source}).").format(login=login, wanted=wanted, source=source)
        )
    return wanted, login


def resolve_login(
    settings: Settings,
    requested: str | None,
    environ: Mapping[str, str] | None = None,
    login: str | None = None,
) -> Login:
    """The acting user per the rule above, bootstrapping an empty database.

    Raises :class:`IdentityRefused` (override not allowed) or :class:`UnknownUser`
    (no such active user); both carry one sentence for the user.
    """
    from tradium_tui.services.users import bootstrap_first_admin

    username, os_name = effective_username(settings, requested, environ, login)
    bootstrapped = False
    if not User.select().exists():
        bootstrapped = bootstrap_first_admin(username) is not None
    user = User.get_or_none(User.username == username)
    if user is not None and not user.active:
        raise UnknownUser(
            _("The user '{username}' is deactivated; an admin can reactivate it with 'tradium-tui users activate {username}'.").format(username=username)
        )
    actor = actor_for(username)
    return Login(
        actor=actor, bootstrapped=bootstrapped, login=os_name, overridden=username != os_name
    )


def resolve_actor(settings: Settings, requested: str | None) -> Actor:
    """The acting user (see the module docstring); for callers that do not need to know
    whether this login bootstrapped the database."""
    return resolve_login(settings, requested).actor
