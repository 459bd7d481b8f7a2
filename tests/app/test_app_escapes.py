"""A customer whose stored fields hold terminal escape sequences (as data stored before the
validation refused them could): opening it draws them as visible pictures, and nothing
but Textual's own output codes reaches the terminal."""

from __future__ import annotations

from support.app import create_customer, started, wait_for

from tradium_tui.models import Contact, Customer
from tradium_tui.services import contacts

TITLE = "\x1b]0;owned\x07"
CLEAR = "\x1b[2J"
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")


def _screen_text(app) -> str:
    """Every character of every segment of the whole screen as composed: the text the
    driver turns into output (its own style codes are added after this)."""
    return "".join(seg.text for strip in app.screen._compositor.render_strips() for seg in strip)


async def test_stored_escape_sequences_are_drawn_harmless(team, new_app, database):
    admin = team["admin"]
    customer = create_customer(admin, name="Plain BV", visit_city="Delft", website="plain.nl")
    contacts.create_contact(admin, customer.id, {"name": "Piet"})
    # Older data: written straight into the database, past the validation.
    Customer.update(
        name=f"Evil{TITLE} BV", website=f"evil.nl{CLEAR}", visit_city="Del\x9bft",
        vat_number=f"NL{TITLE}", remarks=f"a\u202eb{CLEAR}",
    ).where(Customer.id == customer.id).execute()
    Contact.update(name=f"Piet{CLEAR}{TITLE}").where(Contact.customer == customer.id).execute()

    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.customer_id == customer.id
        await wait_for(pilot, lambda: "Piet" in _screen_text(app))
        await pilot.pause()
        text = _screen_text(app)
        for bad in UNSAFE:
            assert bad not in text, repr(bad)
        assert "Evil␛]0;owned␇ BV" in text  # the name, visible and harmless
        assert "Piet␛[2J" in text  # the contacts tab
