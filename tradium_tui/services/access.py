"""Who is acting, and what their role lets them do.

Every service write takes an :class:`Actor` and checks it here, so the TUI, the command
palette and the CLI obey the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tradium_tui.i18n import N_, _
from tradium_tui.models import Role, TabPermission, User
from tradium_tui.services.errors import PermissionDenied, UnknownUser

# The customer tabs, in their default order, with their titles (English; shown through
# ``_()`` so they follow the interface language).
TABS: dict[str, str] = {
    "contacts": N_("Contacts"),
    "actions": N_("Actions"),
    "quotes": N_("Quotes"),
    "orders": N_("Orders"),
    "invoices": N_("Invoices"),
    "conditions": N_("Conditions"),
    "notes": N_("Notes"),
    "history": N_("History"),
    "analysis": N_("Analysis"),
    "graph": N_("Graph"),
}
LEVELS = ("hidden", "view", "edit")
_RANK = {"hidden": 0, "view": 1, "edit": 2}

DEFAULT_ROLES: dict[str, dict] = {
    "admin": {
        "label": "Administrator",
        "can_edit_base": True,
        "can_manage_users": True,
        "can_import_export": True,
        "levels": {tab: "edit" for tab in TABS},
    },
    "account_manager": {
        "label": "Account manager",
        "can_edit_base": True,
        "can_manage_users": False,
        "can_import_export": True,
        "levels": {tab: "edit" for tab in TABS},
    },
    "sales": {
        "label": "Sales",
        "can_edit_base": False,
        "can_manage_users": False,
        "can_import_export": False,
        "levels": {
            "contacts": "edit",
            "actions": "edit",
            "quotes": "view",
            "orders": "view",
            "invoices": "view",
            "conditions": "view",
            "notes": "edit",
            "history": "view",
            "analysis": "view",
            "graph": "view",
        },
    },
}


@dataclass
class Actor:
    """A logged-in user with their role's rights resolved."""

    user: User
    role: Role
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def is_admin(self) -> bool:
        return bool(self.role.can_manage_users)

    def level(self, tab: str) -> str:
        return self.levels.get(tab, "hidden")

    def can(self, tab: str, level: str = "view") -> bool:
        return _RANK[self.level(tab)] >= _RANK[level]

    def require(self, tab: str, level: str = "edit") -> None:
        if not self.can(tab, level):
            title = TABS.get(tab, tab)
            have = self.level(tab)
            if have == "hidden":
                raise PermissionDenied(_("Your role '{name}' has no access to {title}.").format(name=self.role.name, title=title))
            raise PermissionDenied(_("Your role '{name}' may only view {title}, not change it.").format(name=self.role.name, title=title))

    def require_base_edit(self) -> None:
        if not self.role.can_edit_base:
            raise PermissionDenied(
                _("Your role '{name}' may not change a customer's base data.").format(name=self.role.name)
            )

    def require_manage_users(self) -> None:
        if not self.role.can_manage_users:
            raise PermissionDenied(_("Your role '{name}' may not manage users and roles.").format(name=self.role.name))

    def require_import_export(self) -> None:
        if not self.role.can_import_export:
            raise PermissionDenied(_("Your role '{name}' may not import or export in bulk.").format(name=self.role.name))


def levels_for_role(role: Role) -> dict[str, str]:
    stored = {p.tab: p.level for p in TabPermission.select().where(TabPermission.role == role)}
    return {tab: stored.get(tab, "hidden") for tab in TABS}


def actor_for(username: str) -> Actor:
    """Resolve an active user by name, or raise :class:`UnknownUser`."""
    user = User.select(User, Role).join(Role).where(User.username == username).first()
    if user is None:
        raise UnknownUser(
            _("There is no user '{username}' in this database; an admin can add one with 'tradium-tui users add {username} --role sales'.").format(username=username)
        )
    if not user.active:
        raise UnknownUser(
            _("The user '{username}' is deactivated; an admin can reactivate it with 'tradium-tui users activate {username}'.").format(username=username)
        )
    return Actor(user=user, role=user.role, levels=levels_for_role(user.role))


def ensure_default_roles() -> None:
    """Create the default roles and their tab levels where missing (idempotent)."""
    for name, spec in DEFAULT_ROLES.items():
        role, created = Role.get_or_create(
            name=name,
            defaults={
                "label": spec["label"],
                "can_edit_base": spec["can_edit_base"],
                "can_manage_users": spec["can_manage_users"],
                "can_import_export": spec["can_import_export"],
                "tab_order": ",".join(TABS),
            },
        )
        existing = {p.tab for p in TabPermission.select().where(TabPermission.role == role)}
        rows = [
            {"role": role.id, "tab": tab, "level": level}
            for tab, level in spec["levels"].items()
            if tab not in existing
        ]
        if rows:
            TabPermission.insert_many(rows).execute()


def system_actor(username: str = "system") -> Actor:
    """An all-powerful actor for seeding and other work of the program itself (never used
    by a person)."""
    role = Role(name="system", can_edit_base=True, can_manage_users=True, can_import_export=True)
    user = User(username=username, role=role)
    return Actor(user=user, role=role, levels={tab: "edit" for tab in TABS})


def rights_stamp(user_id: int) -> tuple | None:
    """A cheap fingerprint of what decides a user's rights: their role, whether they are
    active and the role's version (raised by every change of its rights and tab levels).
    ``None`` when the user no longer exists.  Running sessions poll it (one small query)."""
    row = (
        User.select(User.role, User.active, Role.version).join(Role)
        .where(User.id == user_id).tuples().first()
    )
    if row is None:
        return None
    role_id, active, version = row
    return (int(role_id), bool(active), int(version or 0))


def stamp_of(actor: Actor) -> tuple:
    """:func:`rights_stamp` as of when ``actor`` was read."""
    return (int(actor.role.id), bool(actor.user.active), int(actor.role.version or 0))


def refresh_actor(actor: Actor, fresh: Actor) -> None:
    """Give ``actor`` the rights of ``fresh`` in place, so every screen and tab holding
    it obeys the new rights from its next action on."""
    actor.user = fresh.user
    actor.role = fresh.role
    actor.levels = dict(fresh.levels)
