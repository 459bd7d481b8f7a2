"""Notes: author, newest first with pinned ones on top, locking and audit."""

from __future__ import annotations

import pytest

from tradium_tui.models import AuditRecord, Note
from tradium_tui.services import notes
from tradium_tui.services.errors import ConflictError, NotFound, ValidationError


def test_create_with_author_and_audit(sales, customer):
    note = notes.create_note(sales, customer.id, {"text": "Prefers delivery before 9:00"})
    assert note.user_id == sales.user.id
    row = notes.list_notes(sales, customer.id)[0]
    assert (row.author, row.text, row.pinned) == ("sam", "Prefers delivery before 9:00", False)
    assert row.first_line == "Prefers delivery before 9:00"
    audit = AuditRecord.get((AuditRecord.table == "note") & (AuditRecord.field == "text"))
    assert (audit.new_value, audit.customer_id, audit.action) == (
        "Prefers delivery before 9:00", customer.id, "create",
    )


def test_create_bad_input(sales, customer):
    with pytest.raises(ValidationError) as info:
        notes.create_note(sales, customer.id, {"text": "   ", "pinned": "perhaps"})
    assert set(info.value.errors) == {"text", "pinned"}
    with pytest.raises(ValidationError) as info:
        notes.create_note(sales, customer.id, {"text": "x" * (notes.MAX_TEXT + 1)})
    assert "too long" in info.value.errors["text"]
    assert Note.select().count() == 0


def test_update_bad_input_conflict_and_pinning(sales, customer):
    note = notes.create_note(sales, customer.id, {"text": "First"})
    with pytest.raises(ValidationError):
        notes.update_note(sales, note.id, {"text": ""}, note.version)
    assert Note.get_by_id(note.id).text == "First"
    pinned = notes.pin_note(sales, note.id, note.version)
    assert pinned.pinned and pinned.version == 2
    with pytest.raises(ConflictError):
        notes.update_note(sales, note.id, {"text": "Stale"}, 1)
    unpinned = notes.unpin_note(sales, note.id, pinned.version)
    assert not unpinned.pinned
    changes = [
        (r.field, r.old_value, r.new_value)
        for r in AuditRecord.select()
        .where((AuditRecord.table == "note") & (AuditRecord.action == "update"))
        .order_by(AuditRecord.id)
    ]
    assert changes == [("pinned", "no", "yes"), ("pinned", "yes", "no")]


def test_order_pinned_first_then_newest(sales, customer):
    old = notes.create_note(sales, customer.id, {"text": "old"})
    notes.create_note(sales, customer.id, {"text": "middle"})
    notes.create_note(sales, customer.id, {"text": "new"})
    notes.pin_note(sales, old.id, old.version)
    assert [n.text for n in notes.list_notes(sales, customer.id)] == ["old", "new", "middle"]


def test_delete(sales, customer):
    note = notes.create_note(sales, customer.id, {"text": "gone soon"})
    with pytest.raises(ConflictError):
        notes.delete_note(sales, note.id, note.version + 1)
    notes.delete_note(sales, note.id, note.version)
    with pytest.raises(NotFound):
        notes.get_note(sales, note.id)
    with pytest.raises(NotFound):
        notes.delete_note(sales, note.id, note.version)
