"""The demo database behind ``tradium-tui --demo``: seeded once, then simply opened.

Kept apart from :mod:`tradium_tui.demo.seed` (the seeder, which pulls in the whole
validation stack) so that starting on an existing demo database imports only what the
main screen needs; the seeder is imported when there is something to seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import Customer, Role, User

if TYPE_CHECKING:
    from tradium_tui.demo.report import SeedReport

DEMO_AUDIT_USER = "demo"
DEFAULT_CUSTOMERS = 1000
DEFAULT_SEED = 42

# PostgreSQL: two first starts at once seed one after the other, the second finds the data.
_DEMO_LOCK_KEY = 7_312_004_002


def has_customers() -> bool:
    return Customer.select().exists()


def ensure_demo_database(
    url: str,
    admin_login: str,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport | None:
    """Create and seed the demo database at ``url`` when it is missing or has no customers,
    and make ``admin_login`` an active admin user of it.

    Returns the seed report, or ``None`` when the database already held customers.
    Raises :class:`~tradium_tui.db.DatabaseUnavailable` when the database cannot be used.
    """
    # Imported when the demo database is prepared, not when the app starts.
    from tradium_tui.services.access import system_actor
    from tradium_tui.services.users import activate_user, add_user, check_username, set_user_role

    login = check_username(admin_login)
    schema.init(url)
    report = None
    # Two first starts at once: the second waits here and then finds the customers.
    with dbmod.write_transaction():
        if dbmod.is_postgres():
            dbmod.database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_DEMO_LOCK_KEY,))
        if not has_customers():
            from tradium_tui.demo.seed import seed_demo  # heavy: only when seeding (see above)

            report = seed_demo(customers=customers, seed=seed, progress=progress)
    actor = system_actor(DEMO_AUDIT_USER)
    user = User.select(User, Role).join(Role).where(User.username == login).first()
    if user is None:
        add_user(actor, login, "admin", "")
    else:
        if user.role.name != "admin":
            set_user_role(actor, login, "admin")
        if not user.active:
            activate_user(actor, login)
    return report
