"""Users and roles: adding, (de)activating, role changes, per-tab levels and rights.

Every function here needs an actor whose role may manage users and roles (checked again
against the database, so a right taken away in another session counts at once), writes
the change to the audit trail (tables ``user``, ``role`` and ``tab_permission``) and
keeps at least one active user who can manage users and roles.

Results are plain dataclasses, so a screen can show them without touching the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import peewee

from tradium_tui.db import database, is_postgres, write_transaction
from tradium_tui.i18n import N_, _
from tradium_tui.models import Role, TabPermission, User, utcnow
from tradium_tui.services import audit
from tradium_tui.services.access import LEVELS, TABS, Actor, ensure_default_roles
from tradium_tui.services.errors import NotFound, PermissionDenied, ServiceError, ValidationError
from tradium_tui.services.forms import reference_id

# The three rights a role may have besides its tab levels: CLI name → Role field.
RIGHTS: dict[str, str] = {
    "base-edit": "can_edit_base",
    "manage-users": "can_manage_users",
    "import-export": "can_import_export",
}
# TRANSLATORS: the rights in the admin screen's grid, beside each level: at most 30 cells
# (the grid is about 46 cells wide at 80×24).
RIGHT_LABELS: dict[str, str] = {
    "can_edit_base": N_("Edit customer base data"),
    "can_manage_users": N_("Manage users and roles"),
    "can_import_export": N_("Bulk import and export"),
}

USERNAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}$")
ROLE_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")

# Key of the PostgreSQL advisory lock that serialises user and role administration
# (SQLite serialises it with BEGIN IMMEDIATE).
_ADMIN_LOCK_KEY = 7_312_004_001


class LastAdminError(ServiceError):
    """The change would leave nobody who can manage users and roles."""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    is_admin: bool
    version: int
    language: str = ""  # the user's interface language; "" = the config's


@dataclass(frozen=True)
class RoleInfo:
    id: int
    name: str
    label: str
    can_edit_base: bool
    can_manage_users: bool
    can_import_export: bool
    levels: dict[str, str] = field(default_factory=dict)
    tab_order: list[str] = field(default_factory=list)
    members: int = 0
    version: int = 1

    @property
    def rights(self) -> list[str]:
        """The CLI names of the rights this role has."""
        return [name for name, attr in RIGHTS.items() if getattr(self, attr)]


# --------------------------------------------------------------------------- helpers


@contextmanager
def admin_transaction(actor: Actor | None = None) -> Iterator[None]:
    """One write transaction, serialised with every other user/role change.

    With ``actor``, their right to manage users is checked again once the lock is held.
    """
    with write_transaction():
        if is_postgres():
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_ADMIN_LOCK_KEY,))
        if actor is not None:
            require_admin(actor)
        yield


def require_admin(actor: Actor) -> None:
    """The actor may manage users and roles, per its session and per the database now."""
    actor.require_manage_users()
    user_id = actor.user.id
    if user_id is None:  # the system actor (seeding)
        return
    row = (
        User.select(User.active, Role.can_manage_users, Role.name)
        .join(Role)
        .where(User.id == user_id)
        .tuples()
        .first()
    )
    if row is None or not row[0]:
        raise PermissionDenied(_("The user '{username}' is no longer active.").format(username=actor.username))
    if not row[1]:
        raise PermissionDenied(_("Your role '{name}' may no longer manage users and roles.").format(name=row[2]))


def check_username(username: str) -> str:
    name = (username or "").strip()
    if not name:
        raise ValidationError({"username": _("A user name is required.")})
    if not USERNAME_RE.match(name):
        raise ValidationError(
            {
                "username": _("'{name}' is not a valid login name: use letters, digits and . _ - @ (no spaces), at most 64 characters.").format(name=name)
            }
        )
    return name


def check_role_name(name: str) -> str:
    cleaned = (name or "").strip().lower()
    if not cleaned:
        raise ValidationError({"role": _("A role name is required.")})
    if not ROLE_NAME_RE.match(cleaned):
        raise ValidationError(
            {
                "role": _("'{name}' is not a valid role name: start with a letter, then letters, digits, _ or -, at most 40 characters.").format(name=name)
            }
        )
    return cleaned


def check_tab(tab: str) -> str:
    cleaned = (tab or "").strip().lower()
    if cleaned not in TABS:
        raise ValidationError(
            {"tab": _("There is no tab '{tab}'; the tabs are: {tabs}.").format(tab=tab, tabs=', '.join(TABS))}
        )
    return cleaned


def check_level(level: str) -> str:
    cleaned = (level or "").strip().lower()
    if cleaned not in LEVELS:
        raise ValidationError(
            {"level": _("'{level}' is not a level; use one of: {levels}.").format(level=level, levels=', '.join(LEVELS))}
        )
    return cleaned


def check_right(right: str) -> str:
    """A right's CLI name (``base-edit``) or field name (``can_edit_base``) → field name."""
    cleaned = (right or "").strip().lower()
    if cleaned in RIGHTS:
        return RIGHTS[cleaned]
    if cleaned in RIGHTS.values():
        return cleaned
    raise ValidationError(
        {"right": _("There is no right '{right}'; use one of: {rights}.").format(right=right, rights=', '.join(RIGHTS))}
    )


def find_role(name: str) -> Role:
    role = Role.get_or_none(Role.name == (name or "").strip().lower())
    if role is None:
        known = ", ".join(r.name for r in Role.select(Role.name).order_by(Role.name))
        raise NotFound(_("There is no role '{name}'; the roles are: {known}.").format(name=name, known=known))
    return role


def find_user(username: str) -> User:
    user = User.select(User, Role).join(Role).where(User.username == username).first()
    if user is None:
        raise NotFound(
            _("There is no user '{username}'; 'tradium-tui users list' shows the users.").format(username=username)
        )
    return user


def resolve_user(raw: Any) -> int | None:
    """The user a form or a file names (an account manager), by id or user name."""
    return reference_id(raw, User, "user", lambda name: User.username == name)


def _active_admin_count() -> int:
    return (
        User.select()
        .join(Role)
        .where(User.active & Role.can_manage_users)
        .count()
    )


def _ensure_admin_remains(who: str) -> None:
    """Called after a change inside its transaction: raising rolls the change back."""
    if _active_admin_count() == 0:
        raise LastAdminError(
            _("{who} would leave no active user who can manage users and roles; give that right to another active user first. Nothing was changed.").format(who=who)
        )


def _user_info(user: User) -> UserInfo:
    role = user.role
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=role.name,
        role_label=role.label,
        active=bool(user.active),
        is_admin=bool(role.can_manage_users),
        version=user.version,
        language=user.language or "",
    )


def _levels(role_id: int) -> dict[str, str]:
    stored = dict(
        TabPermission.select(TabPermission.tab, TabPermission.level)
        .where(TabPermission.role == role_id)
        .tuples()
    )
    return {tab: stored.get(tab, "hidden") for tab in TABS}


def _role_info(role: Role, members: int | None = None) -> RoleInfo:
    from tradium_tui.services.tab_order import complete_order, parse_order

    if members is None:
        members = User.select().where(User.role == role.id).count()
    return RoleInfo(
        id=role.id,
        name=role.name,
        label=role.label,
        can_edit_base=bool(role.can_edit_base),
        can_manage_users=bool(role.can_manage_users),
        can_import_export=bool(role.can_import_export),
        levels=_levels(role.id),
        tab_order=complete_order(parse_order(role.tab_order)),
        members=members,
        version=role.version,
    )


def _bump(model: type[peewee.Model], record_id: int) -> int:
    """Raise a record's version; returns the new version."""
    model.update(version=model.version + 1, updated_at=utcnow()).where(
        model.id == record_id
    ).execute()
    return model.select(model.version).where(model.id == record_id).scalar()


# --------------------------------------------------------------------------- users


def list_users(actor: Actor, include_inactive: bool = True) -> list[UserInfo]:
    require_admin(actor)
    query = User.select(User, Role).join(Role).order_by(User.username)
    if not include_inactive:
        query = query.where(User.active)
    return [_user_info(u) for u in query]


def get_user(actor: Actor, username: str) -> UserInfo:
    require_admin(actor)
    return _user_info(find_user(username))


def add_user(actor: Actor, username: str, role: str, display_name: str = "") -> UserInfo:
    """Add an active user with ``role``; the name is their OS (or SSH) login."""
    require_admin(actor)
    name = check_username(username)
    display = (display_name or "").strip()
    if len(display) > 120:
        raise ValidationError({"display_name": _("The full name is longer than 120 characters.")})
    with admin_transaction(actor):
        role_row = find_role(role)
        clash = User.get_or_none(peewee.fn.LOWER(User.username) == name.lower())
        if clash is not None:
            raise ValidationError(
                {"username": _("There is already a user '{username}'.").format(username=clash.username)}
            )
        now = utcnow()
        user = User.create(
            username=name, display_name=display, role=role_row, active=True,
            version=1, created_at=now, updated_at=now,
        )
        audit.record(
            actor.username, "user", user.id, "create",
            {
                "username": (None, name),
                "display_name": (None, display or None),
                "role": (None, role_row.name),
                "active": (None, True),
            },
            version=1, at=now,
        )
        return _user_info(find_user(name))


def set_user_role(actor: Actor, username: str, role: str) -> UserInfo:
    require_admin(actor)
    with admin_transaction(actor):
        user = find_user(username)
        new_role = find_role(role)
        old_role = user.role
        if new_role.id == old_role.id:
            return _user_info(user)
        User.update(role=new_role).where(User.id == user.id).execute()
        version = _bump(User, user.id)
        _ensure_admin_remains(f"Moving '{user.username}' to role '{new_role.name}'")
        audit.record(
            actor.username, "user", user.id, "update",
            {"role": (old_role.name, new_role.name)}, version=version,
        )
        return _user_info(find_user(user.username))


def set_user_language(actor: Actor, username: str, language: str) -> UserInfo:
    """Give a user their interface language (nl, fr, es, en), which wins over the
    config's at their next login; ``""`` (or ``default``) leaves it to the config."""
    require_admin(actor)
    text = (language or "").strip().lower()
    if text in ("", "default", "-"):
        code = ""
    else:
        from tradium_tui.i18n import LANGUAGES

        if text not in LANGUAGES:
            raise ValidationError({"language": (
                _("'{text}' is not a language of this program; use one of: {languages} (or default).").format(text=language.strip()[:20], languages=', '.join(LANGUAGES))
            )})
        code = text
    with admin_transaction(actor):
        user = find_user(username)
        if (user.language or "") == code:
            return _user_info(user)
        User.update(language=code).where(User.id == user.id).execute()
        version = _bump(User, user.id)
        audit.record(
            actor.username, "user", user.id, "update",
            {"language": (user.language or "", code)}, version=version,
        )
        return _user_info(find_user(user.username))


def _set_active(actor: Actor, username: str, active: bool) -> UserInfo:
    require_admin(actor)
    with admin_transaction(actor):
        user = find_user(username)
        if bool(user.active) == active:
            return _user_info(user)
        User.update(active=active).where(User.id == user.id).execute()
        version = _bump(User, user.id)
        if not active:
            _ensure_admin_remains(f"Deactivating '{user.username}'")
        audit.record(
            actor.username, "user", user.id, "update",
            {"active": (not active, active)}, version=version,
        )
        return _user_info(find_user(user.username))


def deactivate_user(actor: Actor, username: str) -> UserInfo:
    """The user can no longer log in; their history and marks stay."""
    return _set_active(actor, username, False)


def activate_user(actor: Actor, username: str) -> UserInfo:
    return _set_active(actor, username, True)


def bootstrap_first_admin(username: str) -> User | None:
    """Make ``username`` the first admin of a database without users.

    Returns the new user, or ``None`` when the database already has users (another
    first login may have won the race): then nothing is written.
    """
    name = check_username(username)
    with admin_transaction():
        if User.select().exists():
            return None
        role = (
            Role.get_or_none(Role.name == "admin")
            or Role.select().where(Role.can_manage_users).order_by(Role.id).first()
        )
        if role is None:
            ensure_default_roles()
            role = Role.get(Role.name == "admin")
        now = utcnow()
        user = User.create(
            username=name, role=role, active=True, version=1, created_at=now, updated_at=now,
        )
        audit.record(
            name, "user", user.id, "bootstrap",
            {"username": (None, name), "role": (None, role.name), "active": (None, True)},
            version=1, at=now,
        )
        return user


# --------------------------------------------------------------------------- roles


def role_names() -> list[str]:
    """All role names, sorted (for choices; no right needed)."""
    return [name for (name,) in Role.select(Role.name).order_by(Role.name).tuples()]


def list_roles(actor: Actor) -> list[RoleInfo]:
    require_admin(actor)
    counts = dict(
        User.select(User.role, peewee.fn.COUNT(User.id)).group_by(User.role).tuples()
    )
    return [_role_info(r, counts.get(r.id, 0)) for r in Role.select().order_by(Role.id)]


def get_role(actor: Actor, name: str) -> RoleInfo:
    require_admin(actor)
    return _role_info(find_role(name))


def add_role(actor: Actor, name: str, label: str = "", like: str | None = None) -> RoleInfo:
    """A new role: a copy of the role ``like`` (levels, rights, tab order), or else one
    that sees no tab and has no right until levels are granted."""
    require_admin(actor)
    cleaned = check_role_name(name)
    label = (label or "").strip()
    if len(label) > 80:
        raise ValidationError({"label": _("The label is longer than 80 characters.")})
    with admin_transaction(actor):
        if Role.select().where(Role.name == cleaned).exists():
            raise ValidationError({"role": _("There is already a role '{name}'.").format(name=cleaned)})
        source = find_role(like) if like else None
        now = utcnow()
        rights = {attr: bool(getattr(source, attr)) if source else False for attr in RIGHTS.values()}
        role = Role.create(
            name=cleaned,
            label=label or cleaned.replace("_", " ").capitalize(),
            tab_order=source.tab_order if source else ",".join(TABS),
            version=1, created_at=now, updated_at=now,
            **rights,
        )
        levels = _levels(source.id) if source else {tab: "hidden" for tab in TABS}
        TabPermission.insert_many(
            [{"role": role.id, "tab": tab, "level": level} for tab, level in levels.items()]
        ).execute()
        changes = {"name": (None, role.name), "label": (None, role.label)}
        changes.update({attr: (None, on) for attr, on in rights.items()})
        if source:
            changes["copied_from"] = (None, source.name)
        audit.record(actor.username, "role", role.id, "create", changes, version=1, at=now)
        for perm in TabPermission.select().where(TabPermission.role == role.id):
            audit.record(
                actor.username, "tab_permission", perm.id, "create",
                {f"{role.name}.{perm.tab}": (None, perm.level)}, version=1, at=now,
            )
        return _role_info(role, 0)


def rename_role(actor: Actor, old: str, new: str) -> RoleInfo:
    require_admin(actor)
    cleaned = check_role_name(new)
    with admin_transaction(actor):
        role = find_role(old)
        if role.name == cleaned:
            return _role_info(role)
        if Role.select().where(Role.name == cleaned).exists():
            raise ValidationError({"role": _("There is already a role '{name}'.").format(name=cleaned)})
        Role.update(name=cleaned).where(Role.id == role.id).execute()
        version = _bump(Role, role.id)
        audit.record(actor.username, "role", role.id, "update", {"name": (role.name, cleaned)},
                     version=version)
        return _role_info(Role.get_by_id(role.id))


def set_role_label(actor: Actor, name: str, label: str) -> RoleInfo:
    require_admin(actor)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("A label is required.")})
    if len(label) > 80:
        raise ValidationError({"label": _("The label is longer than 80 characters.")})
    with admin_transaction(actor):
        role = find_role(name)
        if role.label == label:
            return _role_info(role)
        Role.update(label=label).where(Role.id == role.id).execute()
        version = _bump(Role, role.id)
        audit.record(actor.username, "role", role.id, "update", {"label": (role.label, label)},
                     version=version)
        return _role_info(Role.get_by_id(role.id))


def grant(actor: Actor, role: str, tab: str, level: str) -> RoleInfo:
    """Set the level (hidden / view / edit) of one tab for one role."""
    require_admin(actor)
    tab = check_tab(tab)
    level = check_level(level)
    with admin_transaction(actor):
        role_row = find_role(role)
        perm = TabPermission.get_or_none(
            (TabPermission.role == role_row.id) & (TabPermission.tab == tab)
        )
        old = perm.level if perm else None
        if old == level:
            return _role_info(role_row)
        if perm is None:
            perm = TabPermission.create(role=role_row.id, tab=tab, level=level)
            action = "create"
        else:
            TabPermission.update(level=level).where(TabPermission.id == perm.id).execute()
            action = "update"
        version = _bump(Role, role_row.id)
        audit.record(
            actor.username, "tab_permission", perm.id, action,
            {f"{role_row.name}.{tab}": (old or "hidden", level)}, version=version,
        )
        return _role_info(Role.get_by_id(role_row.id))


def set_right(actor: Actor, role: str, right: str, on: bool) -> RoleInfo:
    """Give or take one of the three rights (see :data:`RIGHTS`)."""
    require_admin(actor)
    attr = check_right(right)
    with admin_transaction(actor):
        role_row = find_role(role)
        old = bool(getattr(role_row, attr))
        if old == bool(on):
            return _role_info(role_row)
        Role.update({getattr(Role, attr): bool(on)}).where(Role.id == role_row.id).execute()
        version = _bump(Role, role_row.id)
        if attr == "can_manage_users" and not on:
            _ensure_admin_remains(f"Taking 'manage-users' from role '{role_row.name}'")
        audit.record(actor.username, "role", role_row.id, "update", {attr: (old, bool(on))},
                     version=version)
        return _role_info(Role.get_by_id(role_row.id))
