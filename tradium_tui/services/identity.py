"""Who is using the app. (Rules completed by the permissions work.)"""

from __future__ import annotations

from tradium_tui.config import Settings, os_login
from tradium_tui.services.access import Actor, actor_for


def resolve_actor(settings: Settings, requested: str | None) -> Actor:
    return actor_for(requested or os_login())
