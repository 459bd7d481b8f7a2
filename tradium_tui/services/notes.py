"""Notes: free text with author and time; pinned notes stay on top."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee

from tradium_tui.i18n import _
from tradium_tui.models import Note, User
from tradium_tui.services import records
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import NotFound
from tradium_tui.services.forms import Form, customer_for_write

TAB = "notes"
FIELDS = ("text", "pinned", "user")
LABELS = {"text": "Text", "pinned": "Pinned", "user": "Author"}
MAX_TEXT = 20_000


def _validate(values: dict[str, Any], stored: Note | None) -> dict[str, Any]:
    customer_id = values.pop("customer", None) if stored is None else stored.customer_id
    form = Form(values, stored, FIELDS, LABELS, "a note")
    if stored is None:
        customer_for_write(customer_id)
        form.set("customer", customer_id)
    form.text("text", required=True, max_length=MAX_TEXT)
    form.boolean("pinned", default=False)
    if form.given("user"):
        raw = values.get("user")
        user_id = getattr(raw, "id", raw)
        if user_id is not None and not User.select().where(User.id == user_id).exists():
            form.error("user", _("Author: there is no such user."))
        else:
            form.set("user", user_id)
    return form.finish()


SPEC = records.RecordSpec(model=Note, tab=TAB, label="note", validate=_validate)


@dataclass(frozen=True)
class NoteRow:
    id: int
    version: int
    customer_id: int
    text: str
    pinned: bool
    author: str  # username, "" when unknown
    created_at: dt.datetime  # UTC
    updated_at: dt.datetime  # UTC

    @property
    def first_line(self) -> str:
        return self.text.splitlines()[0] if self.text else ""


def list_notes(actor: Actor, customer_id: int) -> list[NoteRow]:
    """Pinned notes first, then newest first."""
    actor.require(TAB, "view")
    query = (
        Note.select(
            Note.id, Note.version, Note.text, Note.pinned, User.username, Note.created_at,
            Note.updated_at,
        )
        .join(User, peewee.JOIN.LEFT_OUTER, on=(Note.user == User.id))
        .where(Note.customer == customer_id)
        .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
        .tuples()
    )
    return [
        NoteRow(
            id=key, version=version, customer_id=customer_id, text=text, pinned=bool(pinned),
            author=author or "", created_at=created_at, updated_at=updated_at,
        )
        for key, version, text, pinned, author, created_at, updated_at in query
    ]


def get_note(actor: Actor, note_id: int) -> Note:
    actor.require(TAB, "view")
    note = Note.get_or_none(Note.id == note_id)
    if note is None:
        raise NotFound(_("The note #{note_id} no longer exists.").format(note_id=note_id))
    return note


def create_note(actor: Actor, customer_id: int, values: dict[str, Any]) -> Note:
    """``values``: text (required), pinned. The author is the actor's user."""
    data = {k: v for k, v in values.items() if k not in ("user", "customer")}
    data["customer"] = customer_id
    data["user"] = getattr(actor.user, "id", None)
    return records.create(actor, SPEC, data)


def update_note(actor: Actor, note_id: int, values: dict[str, Any], expected_version: int) -> Note:
    data = {k: v for k, v in values.items() if k not in ("user", "customer")}
    return records.update(actor, SPEC, note_id, data, expected_version)


def pin_note(actor: Actor, note_id: int, expected_version: int) -> Note:
    return records.update(actor, SPEC, note_id, {"pinned": True}, expected_version)


def unpin_note(actor: Actor, note_id: int, expected_version: int) -> Note:
    return records.update(actor, SPEC, note_id, {"pinned": False}, expected_version)


def delete_note(actor: Actor, note_id: int, expected_version: int) -> None:
    records.delete(actor, SPEC, note_id, expected_version)
