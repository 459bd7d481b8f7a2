"""Users, roles, per-tab permissions, per-user tab order and marks."""

from __future__ import annotations

import peewee

from tradium_tui.models.base import BaseModel, VersionedModel

PERMISSION_LEVELS = ("hidden", "view", "edit")


class Role(VersionedModel):
    name = peewee.CharField(unique=True, max_length=40)
    label = peewee.CharField(max_length=80, default="")
    can_edit_base = peewee.BooleanField(default=False)
    can_manage_users = peewee.BooleanField(default=False)
    can_import_export = peewee.BooleanField(default=False)
    # Default tab order for members of this role: tab ids separated by commas.
    tab_order = peewee.TextField(default="")


class User(VersionedModel):
    username = peewee.CharField(unique=True, max_length=64)
    display_name = peewee.CharField(max_length=120, default="")
    email = peewee.CharField(max_length=254, null=True)
    role = peewee.ForeignKeyField(Role, backref="users", on_delete="RESTRICT")
    active = peewee.BooleanField(default=True)
    # The user's own tab order (tab ids, comma separated); empty = the role's default.
    tab_order = peewee.TextField(default="")
    last_login_at = peewee.DateTimeField(null=True)
    # The user's interface language (nl, fr, es, en); empty: the config's language.
    language = peewee.CharField(max_length=5, default="")


class TabPermission(BaseModel):
    role = peewee.ForeignKeyField(Role, backref="tab_permissions", on_delete="CASCADE")
    tab = peewee.CharField(max_length=40)
    level = peewee.CharField(max_length=8, default="view")  # hidden | view | edit

    class Meta:
        indexes = ((("role", "tab"), True),)
