"""The order of the customer tabs: each user's own, else their role's default.

An order is stored as tab ids separated by commas (``User.tab_order``, ``Role.tab_order``).
What a user sees is :func:`visible_tabs`: their own order if they saved one, else the
role's default, else the order of :data:`~tradium_tui.services.access.TABS`; tabs the
stored order does not know (added in a later version) are appended, and tabs the user may
not see (level ``hidden``) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from tradium_tui.i18n import _
from tradium_tui.models import Role, User, utcnow
from tradium_tui.services import audit
from tradium_tui.services.access import TABS, Actor
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.users import admin_transaction, find_role, require_admin


def parse_order(text: str | None) -> list[str]:
    """Stored text → known tab ids, without duplicates (unknown ids are dropped)."""
    seen: list[str] = []
    for part in (text or "").split(","):
        tab = part.strip()
        if tab in TABS and tab not in seen:
            seen.append(tab)
    return seen


def complete_order(order: Iterable[str]) -> list[str]:
    """``order`` followed by every tab it leaves out, in the default order."""
    result = [tab for tab in order if tab in TABS]
    result = list(dict.fromkeys(result))
    return result + [tab for tab in TABS if tab not in result]


def check_order(order: Iterable[str]) -> list[str]:
    """Validate an order given by a person: known tab ids, each at most once."""
    cleaned: list[str] = []
    for raw in order:
        tab = (raw or "").strip().lower()
        if tab not in TABS:
            raise ValidationError(
                {"tab_order": _("There is no tab '{text}'; the tabs are: {tabs}.").format(text=raw, tabs=', '.join(TABS))}
            )
        if tab in cleaned:
            raise ValidationError({"tab_order": _("The tab '{tab}' appears twice.").format(tab=tab)})
        cleaned.append(tab)
    return cleaned


def _stored_orders(actor: Actor) -> tuple[str, str]:
    """(user's order, role's order) as stored now; an actor without a row uses its own."""
    if actor.user.id is not None:
        row = (
            User.select(User.tab_order, Role.tab_order.alias("role_order"))
            .join(Role)
            .where(User.id == actor.user.id)
            .tuples()
            .first()
        )
        if row is not None:
            return row[0] or "", row[1] or ""
    return actor.user.tab_order or "", actor.role.tab_order or ""


def _visible(actor: Actor, order: Iterable[str]) -> list[str]:
    return [tab for tab in complete_order(order) if actor.can(tab, "view")]


def visible_tabs(actor: Actor) -> list[str]:
    """The tabs this actor sees, in their order (reads the stored orders)."""
    user_order, role_order = _stored_orders(actor)
    return _visible(actor, parse_order(user_order) or parse_order(role_order))


def role_default_tabs(actor: Actor) -> list[str]:
    """The actor's role default order, limited to the tabs the actor sees."""
    _own, role_order = _stored_orders(actor)
    return _visible(actor, parse_order(role_order))


def has_own_order(actor: Actor) -> bool:
    return bool(parse_order(_stored_orders(actor)[0]))


def _store_user_order(actor: Actor, text: str) -> None:
    if actor.user.id is None:  # the system actor has no row
        actor.user.tab_order = text
        return
    with admin_transaction():
        old = User.select(User.tab_order).where(User.id == actor.user.id).scalar() or ""
        if old == text:
            actor.user.tab_order = text
            return
        User.update(
            tab_order=text, version=User.version + 1, updated_at=utcnow()
        ).where(User.id == actor.user.id).execute()
        version = User.select(User.version).where(User.id == actor.user.id).scalar()
        audit.record(actor.username, "user", actor.user.id, "update",
                     {"tab_order": (old or None, text or None)}, version=version)
    actor.user.tab_order = text


def set_user_tab_order(actor: Actor, order: Iterable[str]) -> list[str]:
    """Save the actor's own order of the tabs they see; returns :func:`visible_tabs`.

    Any user may reorder their own tabs.  Tabs the actor may not see are ignored; tabs
    left out keep their default place after the given ones.  An order equal to the role
    default is stored as "no own order", so the user follows later role changes.
    """
    wanted = [tab for tab in check_order(order) if actor.can(tab, "view")]
    visible_wanted = _visible(actor, wanted)
    if visible_wanted == role_default_tabs(actor):
        _store_user_order(actor, "")
    else:
        _store_user_order(actor, ",".join(visible_wanted))
    return visible_tabs(actor)


def reset_user_tab_order(actor: Actor) -> list[str]:
    """Forget the actor's own order: they follow their role default again."""
    _store_user_order(actor, "")
    return visible_tabs(actor)


def set_role_tab_order(actor: Actor, role: str, order: Iterable[str]) -> list[str]:
    """The default order for members of ``role`` (admins only); returns the full order."""
    require_admin(actor)
    full = complete_order(check_order(order))
    text = ",".join(full)
    with admin_transaction(actor):
        role_row = find_role(role)
        old = role_row.tab_order or ""
        if complete_order(parse_order(old)) == full and old == text:
            return full
        Role.update(
            tab_order=text, version=Role.version + 1, updated_at=utcnow()
        ).where(Role.id == role_row.id).execute()
        version = Role.select(Role.version).where(Role.id == role_row.id).scalar()
        audit.record(actor.username, "role", role_row.id, "update",
                     {"tab_order": (old or None, text)}, version=version)
    if actor.role.id == role_row.id:
        actor.role.tab_order = text
    return full
