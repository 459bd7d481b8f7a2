"""Saved list views: a user's own (one of them the default) and those an admin shares
with a role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tradium_tui.db import write_transaction
from tradium_tui.i18n import _
from tradium_tui.models import (
    Role,
    SavedListView,
    utcnow,
)
from tradium_tui.services import audit
from tradium_tui.services.access import Actor
from tradium_tui.services.customer_list.filtering import clean_filters
from tradium_tui.services.customer_list.listing import COLUMNS, ListQuery
from tradium_tui.services.customer_list.marking import user_id_of
from tradium_tui.services.errors import NotFound, ValidationError
from tradium_tui.services.search.terms import clean_query
from tradium_tui.services.users import require_admin


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    query: ListQuery
    is_default: bool
    shared: bool  # a role default shared by an admin


def _row_view(row: SavedListView) -> SavedView:
    try:
        spec = json.loads(row.spec or "{}")
    except ValueError:
        spec = {}
    return SavedView(id=row.id, name=row.name, query=ListQuery.from_spec(spec),
                     is_default=bool(row.is_default), shared=row.role_id is not None)


def _clean_name(name: Any) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError({"name": _("A view needs a name.")})
    if len(text) > 80:
        raise ValidationError({"name": _("A view's name has at most 80 characters.")})
    return text


def list_views(actor: Actor) -> list[SavedView]:
    """The actor's own views, then their role's shared views."""
    user_id = actor.user.get_id() if actor.user is not None else None
    role_id = actor.role.get_id() if actor.role is not None else None
    own = SavedListView.select().where(SavedListView.user == (user_id or 0)).order_by(SavedListView.name)
    shared = SavedListView.select().where(
        (SavedListView.role == (role_id or 0)) & SavedListView.user.is_null()
    ).order_by(SavedListView.name)
    return [_row_view(r) for r in own] + [_row_view(r) for r in shared]


def default_view(actor: Actor) -> SavedView | None:
    """The actor's own default view, else their role's default, else none."""
    views = list_views(actor)
    for view in views:
        if view.is_default and not view.shared:
            return view
    for view in views:
        if view.is_default and view.shared:
            return view
    return None


def _check_query(actor: Actor, query: ListQuery) -> dict[str, Any]:
    filters = clean_filters(actor, query.filters)
    if query.sort not in COLUMNS:
        raise ValidationError({"sort": _("There is no column '{sort}'.").format(sort=query.sort)})
    spec = query.to_spec() | {"filters": filters, "text": clean_query(query.text)}
    return spec


def _store_view(actor: Actor, owner: dict[str, Any], name: str, query: ListQuery,
                make_default: bool) -> SavedView:
    name = _clean_name(name)
    spec = _check_query(actor, query)
    text = json.dumps(spec, sort_keys=True)
    with write_transaction():
        match = [getattr(SavedListView, k) == v for k, v in owner.items()]
        match += [getattr(SavedListView, k).is_null() for k in ("user", "role") if k not in owner]
        if make_default:
            SavedListView.update(is_default=False).where(*match).execute()
        row = SavedListView.get_or_none(*match, SavedListView.name == name)
        old = row.spec if row is not None else None
        if row is None:
            row = SavedListView.create(**owner, name=name, spec=text, is_default=make_default,
                                       updated_at=utcnow(), updated_by=actor.username)
        else:
            row.spec = text
            row.is_default = make_default or row.is_default
            row.updated_at = utcnow()
            row.updated_by = actor.username
            row.save()
        audit.record(actor.username, "saved_list_view", row.id, "update" if old else "create",
                     {"spec": (old, text)})
    return _row_view(row)


def save_view(actor: Actor, name: str, query: ListQuery, make_default: bool = False) -> SavedView:
    """Save (or replace) the actor's own view ``name``; one own view is the default."""
    return _store_view(actor, {"user": user_id_of(actor)}, name, query, make_default)


def share_view(actor: Actor, role: str, name: str, query: ListQuery,
               make_default: bool = True) -> SavedView:
    """An admin shares a view with every member of ``role`` (their default unless told)."""
    require_admin(actor)
    role_row = Role.get_or_none(Role.name == role)
    if role_row is None:
        raise NotFound(_("There is no role '{role}'.").format(role=role))
    return _store_view(actor, {"role": role_row.id}, name, query, make_default)


def delete_view(actor: Actor, view_id: int) -> None:
    row = SavedListView.get_or_none(SavedListView.id == view_id)
    if row is None:
        raise NotFound(_("That view no longer exists."))
    if row.user_id is None:
        require_admin(actor)
    elif row.user_id != user_id_of(actor):
        raise NotFound(_("That view no longer exists."))
    with write_transaction():
        row.delete_instance()
        audit.record(actor.username, "saved_list_view", row.id, "delete", {"spec": (row.spec, None)})
