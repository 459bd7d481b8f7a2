"""Command palette providers: find a customer from anywhere (Ctrl+P)."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tradium_tui import db
from tradium_tui.i18n import _
from tradium_tui.services.search.customers import search_customers
from tradium_tui.services.search.recent import recent_customers
from tradium_tui.services.text_safety import shown
from tradium_tui.widgets.dbwork import error_text


def _in_thread(fn, *args, **kwargs):
    with db.database.connection_context():
        return fn(*args, **kwargs)


def hit_text(hit) -> Content:
    where = shown(", ".join(x for x in (hit.city, hit.country) if x))
    return Content.assemble(
        Content.styled(f"{hit.number} ", "$text-muted"),
        (shown(hit.name), "bold"),
        Content.styled(f"  {where}" if where else "", "$text-muted"),
    )


class CustomerSearchProvider(Provider):
    """Customers by name, number, city, postcode, e-mail, phone, VAT number or reference."""

    async def discover(self) -> Hits:
        actor = getattr(self.app, "actor", None)
        if actor is None or actor.user.id is None:
            return
        try:
            recent = await asyncio.to_thread(_in_thread, recent_customers, actor.user.id)
        except Exception as exc:  # the palette must never crash the app
            self.app.notify(error_text(exc), title=_("Recent customers"), severity="error")
            return
        for hit in recent:
            yield DiscoveryHit(
                hit_text(hit),
                partial(self.app.open_customer, hit.id),
                help=_("Recently opened customer"),
            )

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if not text:
            return
        try:
            hits = await asyncio.to_thread(_in_thread, search_customers, text, 20)
        except Exception as exc:
            self.app.notify(error_text(exc), title=_("Customer search"), severity="error")
            return
        for rank, hit in enumerate(hits):
            # The service returns the best matches first; keep that order.
            yield Hit(
                1.0 - rank / 100,
                hit_text(hit),
                partial(self.app.open_customer, hit.id),
                text=shown(f"{hit.number} {hit.name}"),
                help=_("Open customer {number}").format(number=hit.number),
            )
