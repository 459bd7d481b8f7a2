"""Contacts, actions (contact moments, appointments, tasks) and notes."""

from __future__ import annotations

import peewee

from tradium_tui.models.auth import User
from tradium_tui.models.base import VersionedModel, utcnow
from tradium_tui.models.customer import Customer

CONTACT_KINDS = ("person", "branch")
ACTION_TYPES = ("call", "email", "visit", "meeting", "appointment", "task", "other")
ACTION_STATUSES = ("open", "done")


class Contact(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    kind = peewee.CharField(max_length=10, default="person")  # person | branch
    name = peewee.CharField(max_length=200)
    function = peewee.CharField(max_length=80, default="")
    email = peewee.CharField(max_length=254, default="")
    phone = peewee.CharField(max_length=40, default="")
    mobile = peewee.CharField(max_length=40, default="")
    street = peewee.CharField(max_length=120, default="")
    house_number = peewee.CharField(max_length=20, default="")
    postcode = peewee.CharField(max_length=20, default="")
    city = peewee.CharField(max_length=80, default="")
    country = peewee.CharField(max_length=2, default="")
    is_primary = peewee.BooleanField(default=False)
    remarks = peewee.TextField(default="")


class Action(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="actions", on_delete="CASCADE")
    contact = peewee.ForeignKeyField(Contact, null=True, backref="actions", on_delete="SET NULL")
    type = peewee.CharField(max_length=12, default="call")
    subject = peewee.CharField(max_length=200)
    text = peewee.TextField(default="")
    happened_at = peewee.DateTimeField(default=utcnow, index=True)  # UTC
    follow_up_on = peewee.DateField(null=True, index=True)
    status = peewee.CharField(max_length=6, default="done", index=True)  # open | done
    user = peewee.ForeignKeyField(User, null=True, backref="actions", on_delete="SET NULL")
    completed_at = peewee.DateTimeField(null=True)


class Note(VersionedModel):
    customer = peewee.ForeignKeyField(Customer, backref="notes", on_delete="CASCADE")
    text = peewee.TextField()
    user = peewee.ForeignKeyField(User, null=True, backref="notes", on_delete="SET NULL")
    pinned = peewee.BooleanField(default=False)
