"""Stored text is never markup nor terminal control anywhere on screen.

Data stored before the validation refused it (or written straight into the database) may
hold Rich/Textual markup (``[bold red]``, ``[@click=app.quit]``, ``[link=file:///…]``, an
unbalanced ``[/]`` that raises a markup error) and terminal escape sequences.  A demo
database gets such text in every free-text column of one customer and everything around
it; the app then shows that customer: the header, every tab with its details, the finder,
the palette, the list, recent customers, my actions, the deleted customers, the address
and bank dialogs, the delete confirmation that quotes the name, the notifications, the
administration.  Everywhere:

- nothing raises (a markup error ends the app),
- the stored text is shown literally (``[bold red]`` visible as text),
- the bytes the driver would write hold no escape sequence but Textual's own (styles,
  cursor moves, hyperlinks made by the app), and no hyperlink to a ``file:`` address,
- no ``[@click=…]`` of stored text becomes a clickable action.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from support.app import make_team, record_notifications, settings_for, started, wait_for
from textual.widgets import DataTable, Input
from textual.widgets._data_table import default_cell_formatter
from textual.widgets._toast import Toast

from tradium_tui.app import make_app
from tradium_tui.demo.seed import seed_demo
from tradium_tui.models import (
    Action,
    Article,
    AuditRecord,
    Condition,
    ConditionGroup,
    Contact,
    Customer,
    CustomerGroup,
    CustomerTag,
    CustomFieldDef,
    Invoice,
    InvoiceLine,
    Note,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    Role,
    Tag,
    User,
)
from tradium_tui.services import customers
from tradium_tui.services.customer_list import listing, saved_views
from tradium_tui.widgets.article_picker import ArticlePicker
from tradium_tui.widgets.header import _website_url

MARKUP = "[bold red]B[/] [@click=app.quit]Q[/] [link=file:///etc/passwd]L[/link] [/]"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b\u202e"
SHORT = "[/]\x1b[2J[b]"  # 10 characters, for short columns
# What the screen must show of MARKUP: literally, every bracket kept.
VISIBLE = "[bold red]B[/] [@click=app.quit]Q[/]"
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")
NAME = f"Evil {MARKUP}{ESCAPES}"


def hostile(tag: str, length: int | None) -> str:
    text = f"{tag} {MARKUP}{ESCAPES}"
    if length is None:
        return f"{text}\nsecond line {MARKUP}"
    if length < 40:
        return SHORT[:length]
    return text[:length]


def _spoil(model, ids, fields: tuple[str, ...], tag: str) -> None:
    """Write hostile text into ``fields`` of the rows ``ids``, row by row (unique columns
    get the row id in their value)."""
    for row_id in ids:
        values = {}
        for name in fields:
            field = model._meta.fields[name]
            length = getattr(field, "max_length", None)
            values[field] = hostile(f"{tag}{row_id}", length)
        model.update(values).where(model._meta.primary_key == row_id).execute()


def spoil_database(customer_id: int) -> None:
    ids = lambda model: [r.id for r in model.select(model.id).where(model.customer == customer_id)]  # noqa: E731
    Customer.update(
        name=NAME, visit_street=hostile("street", 120), visit_city=hostile("city", 80),
        postal_street=hostile("postbox", 120), postal_city=hostile("pcity", 80),
        phone=SHORT, mobile=SHORT, fax=SHORT, email="[b]x[/b]@evil.example",
        website=f"file:///etc/passwd{ESCAPES}[/]", coc_number=SHORT,
        vat_number=SHORT, iban=SHORT, bank_name=hostile("bank", 120), region=SHORT,
        opening_hours=hostile("hours", 200), remarks=hostile("remarks", None),
        order_remarks=hostile("oremarks", None), ledger_account=SHORT,
        custom_1=hostile("c1", 200), custom_2=hostile("c2", 200), custom_3=hostile("c3", 200),
    ).where(Customer.id == customer_id).execute()
    _spoil(Contact, ids(Contact), ("name", "function", "email", "street", "city", "remarks",
                                   "phone"), "contact")
    _spoil(Action, ids(Action), ("subject", "text"), "action")
    _spoil(Note, ids(Note), ("text",), "note")
    _spoil(Quote, ids(Quote), ("reference", "remarks"), "quote")
    _spoil(Order, ids(Order), ("reference", "remarks", "external_ref", "delivery_address",
                               "invoice_address"), "order")
    _spoil(Invoice, ids(Invoice), ("customer_name", "customer_address"), "invoice")
    _spoil(Condition, ids(Condition), ("description",), "cond")
    for model, parent, owner in ((QuoteLine, Quote, "quote"), (OrderLine, Order, "order"),
                                 (InvoiceLine, Invoice, "invoice")):
        line_ids = [r.id for r in model.select(model.id).where(
            getattr(model, owner).in_(ids(parent)))]
        _spoil(model, line_ids, ("article", "description"), f"{owner}line")
    AuditRecord.update(new_value=hostile("audit", None), old_value=hostile("old", None)).where(
        AuditRecord.customer_id == customer_id).execute()
    # Lookups and people shown around the customer.
    _spoil(CustomerGroup, [g.id for g in CustomerGroup.select()], ("name",), "group")
    _spoil(ConditionGroup, [g.id for g in ConditionGroup.select()], ("name",), "cgroup")
    _spoil(Tag, [t.id for t in Tag.select()], ("name",), "tag")
    _spoil(User, [u.id for u in User.select()], ("display_name",), "user")
    _spoil(Role, [r.id for r in Role.select()], ("label",), "role")
    for definition in CustomFieldDef.select():
        CustomFieldDef.update(label=hostile(f"field{definition.slot}", 60)).where(
            CustomFieldDef.slot == definition.slot).execute()


def busiest_customer() -> int:
    """The demo customer with the most documents around it (every tab has rows)."""
    def count(model, customer_id):
        return model.select().where(model.customer == customer_id).count()

    best, best_score = None, -1
    for customer in Customer.select(Customer.id):
        counts = [count(m, customer.id) for m in (Contact, Action, Note, Quote, Order,
                                                   Invoice, Condition)]
        score = sum(1 for c in counts if c) * 1000 + sum(counts)
        if score > best_score:
            best, best_score = customer.id, score
    return best


# --------------------------------------------------------------------------- checks

# Textual's own output: styles (SGR), cursor moves, synchronised output, and hyperlinks
# (OSC 8) with their closing sequence.
_TEXTUAL_OWN = re.compile(
    r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H|\x1b\[\?\d+[hl]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)"
)
_LINK_TARGET = re.compile(r"\x1b\]8;[^;]*;([^\x1b\x07]*)")


def _segments(app):
    return [seg for strip in app.screen._compositor.render_strips() for seg in strip]


def screen_text(app) -> str:
    return "".join(seg.text for seg in _segments(app))


def terminal_output(app) -> str:
    """What the driver writes for a full repaint of the screen (the code path of a real
    terminal: the compositor's update rendered through the app's console)."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def problems_in_tables(app) -> list[str]:
    """Cells Textual would parse as markup: what a table draws must be what it holds."""
    found: list[str] = []
    for table in app.screen.query(DataTable):
        for row in table.ordered_rows:
            for cell in table.get_row(row.key):
                if not isinstance(cell, str):
                    continue
                try:
                    drawn = default_cell_formatter(cell).plain
                except Exception as error:  # a markup error ends the app
                    found.append(f"cell {cell!r}: {type(error).__name__}")
                    continue
                if drawn != cell:
                    found.append(f"cell {cell!r} drawn as {drawn!r}")
    return found


def problems_in_toasts(app) -> list[str]:
    found: list[str] = []
    toasts = [t for screen in app.screen_stack for t in screen.query(Toast)]
    for toast in toasts:
        try:
            text = toast.render().plain
        except Exception as error:
            found.append(f"notification: {type(error).__name__}")
            continue
        for bad in UNSAFE:
            if bad in text:
                found.append(f"{bad!r} in a notification")
    return found


def problems_on_screen(app, expect: tuple[str, ...] = ()) -> list[str]:
    found: list[str] = problems_in_tables(app) + problems_in_toasts(app)
    text = screen_text(app)
    for bad in UNSAFE:
        if bad in text:
            found.append(f"{bad!r} on screen")
    for wanted in expect:
        if wanted not in text:
            found.append(f"{wanted!r} not shown literally")
    output = terminal_output(app)
    rest = _TEXTUAL_OWN.sub("", output)
    for bad in UNSAFE:
        if bad in rest:
            found.append(f"{bad!r} written to the terminal")
    for target in _LINK_TARGET.findall(output):
        if target and not target.startswith(("https://", "http://", "mailto:")):
            found.append(f"hyperlink to {target!r}")
    for seg in _segments(app):
        style = seg.style
        meta = getattr(style, "meta", None) or {}
        action = meta.get("@click")
        if action and "app.quit" in str(action):
            found.append(f"clickable {action!r}")
    return found


@pytest.fixture
def hostile_world(database):
    team = make_team()
    seed_demo(customers=12, seed=7, today=dt.date.today(), home_country="NL")
    customer_id = busiest_customer()
    # A second customer, deleted, for the deleted-customers list.
    other = Customer.select().where(Customer.id != customer_id).order_by(Customer.id).first()
    spoil_database(customer_id)
    customers.delete_customer(team["admin"], other.id, other.version)
    Customer.update(name=f"Gone {MARKUP}{ESCAPES}").where(Customer.id == other.id).execute()
    # A third, its duplicate, for the merge screen.
    twin = Customer.select().where(Customer.id.not_in([customer_id, other.id])).first()
    Customer.update(name=f"Twin {MARKUP}{ESCAPES}", remarks=hostile("twin", None)).where(
        Customer.id == twin.id).execute()
    # Open actions of the admin about this customer (my actions).
    admin_user = User.get(User.username == "admin")
    Action.update(status="open", user=admin_user.id,
                  follow_up_on=dt.date.today()).where(Action.customer == customer_id).execute()
    # A saved list view named with markup: the service lets brackets through (they are
    # no control characters), so this one needs no older data at all.
    saved_views.save_view(team["admin"], "View [bold red]B[/] [link=file:///x]v[/]",
                            listing.ListQuery())
    # Articles (the article picker of the lines editor).
    for article in Article.select().order_by(Article.code).limit(3):
        Article.update(description=hostile("article", 200)).where(
            Article.id == article.id).execute()
    CustomerTag.delete().where(CustomerTag.customer == customer_id).execute()
    for tag in Tag.select().limit(2):
        CustomerTag.create(customer=customer_id, tag=tag.id)
    return {**team, "customer_id": customer_id, "database": database}


async def _settle(pilot) -> None:
    await wait_for(pilot, lambda: not [w for w in pilot.app.workers if w.is_running])
    await pilot.pause()


class Visit:
    """The app opened on the hostile customer; :meth:`check` notes what is wrong on the
    screen shown now, under a place name."""

    def __init__(self, world) -> None:
        self.customer_id = world["customer_id"]
        self.app = make_app(settings=settings_for(world["database"]), actor=world["admin"])
        self.notes = record_notifications(self.app)
        self.problems: dict[str, list[str]] = {}
        self.places: list[str] = []

    def check(self, place: str, *expect: str) -> None:
        self.places.append(place)
        found = problems_on_screen(self.app, expect)
        if found:
            self.problems[place] = found

    async def start(self, pilot):
        main = await started(pilot)
        main.open_customer(self.customer_id)
        await wait_for(pilot, lambda: main.view is not None and main.view.id == self.customer_id)
        await _settle(pilot)
        return main

    def verdict(self) -> None:
        assert self.app.is_running is False  # run_test ended it: nothing crashed before
        assert not self.problems, "\n".join(
            f"{place}: {found}" for place, found in self.problems.items())


def run(visit: Visit):
    return visit.app.run_test(size=(160, 50), notifications=True)


# Tabs whose table or details show a stored text wide enough to read its markup.
TEXT_TABS = {"contacts", "actions", "notes", "history"}


async def test_header_and_every_tab_show_stored_text_literally(hostile_world):
    visit = Visit(hostile_world)
    async with run(visit) as pilot:
        main = await visit.start(pilot)
        visit.check("header", VISIBLE, "file:///etc/passwd")
        for tab in list(main.tab_order):
            main.show_tab(tab)
            await wait_for(pilot, lambda tab=tab: main.pane(tab) is not None
                           and main.pane(tab).load_count >= 1)
            await _settle(pilot)
            visit.check(f"tab {tab}", *(["[bold red]"] if tab in TEXT_TABS else []))
        assert visit.app.is_running
    visit.verdict()


async def test_dialogs_forms_and_notifications_show_stored_text_literally(hostile_world):
    visit = Visit(hostile_world)
    app = visit.app
    async with run(visit) as pilot:
        main = await visit.start(pilot)
        await pilot.press("a")
        await _settle(pilot)
        visit.check("address dialog", VISIBLE)
        await pilot.press("escape")
        await pilot.press("b")
        await _settle(pilot)
        visit.check("bank dialog", "bank")
        await pilot.press("escape")
        await _settle(pilot)

        await pilot.press("l")
        await _settle(pilot)
        visit.check("log contact form", "Evil [bold red]B[/]")
        await pilot.press("escape")
        await _settle(pilot)

        await pilot.press("ctrl+e")
        await _settle(pilot)
        visit.check("customer editor", "Evil [bold red]B[/]")
        while app.screen is not main:
            await pilot.press("escape")
            await _settle(pilot)

        await pilot.press("ctrl+d")
        await _settle(pilot)
        visit.check("delete confirmation", VISIBLE)
        await pilot.press("y")
        await _settle(pilot)
        visit.check("deleted notification", "Evil [bold red]B[/]")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: main.view is not None and main.view.id == visit.customer_id
                       and not main.view.deleted)
        await _settle(pilot)
        visit.check("restored notification", VISIBLE)
        if not any(VISIBLE in note for note in visit.notes):
            visit.problems.setdefault("notifications", []).append("name not in a notification")
        assert app.is_running
    visit.verdict()


async def test_finder_palette_and_lists_show_stored_text_literally(hostile_world):
    visit = Visit(hostile_world)
    app = visit.app
    async with run(visit) as pilot:
        await visit.start(pilot)
        await pilot.press("f")
        await _settle(pilot)
        finder = app.screen
        finder.query_one(Input).value = "Evil"
        await wait_for(pilot, lambda: finder.hits_query == "Evil")
        await _settle(pilot)
        visit.check("finder", VISIBLE)
        finder.query_one(Input).value = "bold"
        await wait_for(pilot, lambda: finder.hits_query == "bold")
        await _settle(pilot)
        visit.check("finder highlight", "[bold red]")
        await pilot.press("escape")
        await pilot.press("r")
        await _settle(pilot)
        visit.check("recent customers", VISIBLE)
        await pilot.press("escape")
        await _settle(pilot)

        await pilot.press("ctrl+p")
        await _settle(pilot)
        await pilot.press(*"Evil")
        await _settle(pilot)
        visit.check("command palette", "Evil [bold red]B[/]")
        await pilot.press("escape")
        await _settle(pilot)

        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen.query(DataTable)
                       and app.screen.query_one(DataTable).row_count > 0)
        await _settle(pilot)
        visit.check("customer list", "Evil [bold red]B[/]")
        await pilot.press("v")
        await _settle(pilot)
        visit.check("saved views", "View [bold red]B[/] [link=file:///x]v[/]")
        await pilot.press("escape")
        await _settle(pilot)
        await pilot.press("escape")
        await _settle(pilot)

        app.push_screen(ArticlePicker(""))
        await _settle(pilot)
        visit.check("article picker", "article")
        await pilot.press("escape")
        await _settle(pilot)

        await pilot.press("o")
        await _settle(pilot)
        visit.check("my actions", "Evil [bold red]B[/]")
        await pilot.press("escape")
        await pilot.press("ctrl+u")
        await _settle(pilot)
        visit.check("deleted customers", "Gone [bold red]B[/]")
        await pilot.press("escape")
        await _settle(pilot)
        assert app.is_running
    visit.verdict()


async def test_merge_screen_shows_stored_text_literally(hostile_world):
    visit = Visit(hostile_world)
    app = visit.app
    async with run(visit) as pilot:
        main = await visit.start(pilot)
        await pilot.press("M")
        await _settle(pilot)
        finder = app.screen
        finder.query_one(Input).value = "Twin"
        await wait_for(pilot, lambda: finder.hits_query == "Twin" and finder.hits)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not finder and app.screen is not main)
        await _settle(pilot)
        visit.check("merge screen", "Twin [bold red]B[/]", "Evil [bold red]B[/]")
        await pilot.press("escape")
        await _settle(pilot)
        assert app.is_running
    visit.verdict()


async def test_administration_shows_stored_names_literally(hostile_world):
    visit = Visit(hostile_world)
    app = visit.app
    async with run(visit) as pilot:
        await visit.start(pilot)
        await pilot.press("ctrl+a")
        await _settle(pilot)
        visit.check("admin: users", "[bold red]B[/]")
        for place in ("roles", "fields"):
            await pilot.press("]")
            await _settle(pilot)
            visit.check(f"admin: {place}", "[bold red]")
        await pilot.press("escape")
        await _settle(pilot)
        assert app.is_running
    visit.verdict()


# --------------------------------------------------------------------------- the rule in the source

SOURCE = Path(__file__).resolve().parent.parent.parent / "tradium_tui"


def _interface_sources():
    for path in sorted(SOURCE.rglob("*.py")):
        if path.parts[-2] in ("screens", "widgets", "tabs") or path.name in ("app.py",
                                                                           "palette.py"):
            yield path, path.read_text(encoding="utf-8")


def test_every_table_is_a_safe_table_and_no_notification_reads_markup():
    """The one mechanism stays the only one: a new table built as a bare DataTable (whose
    str cells Textual reads as markup) or a notification with markup on fails here."""
    bare_table = re.compile(r"(?<![A-Za-z_])DataTable\(")
    markup_on = re.compile(r"notify\([^)]*markup\s*=\s*True")
    found = []
    for path, text in _interface_sources():
        if path.name == "safe_text.py":
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if bare_table.search(line) and "SafeDataTable(" not in line:
                found.append(f"{path.name}:{number}: {line.strip()}")
        if markup_on.search(text):
            found.append(f"{path.name}: a notification with markup=True")
    assert not found, found


@pytest.mark.parametrize(("website", "url"), [
    ("www.example.nl", "https://www.example.nl"),
    ("example.nl/shop", "https://example.nl/shop"),
    ("https://example.nl", "https://example.nl"),
    ("http://example.nl:8080/a", "http://example.nl:8080/a"),
    ("file:///etc/passwd", None),
    ("javascript:alert(1)", None),
    ("ftp://example.nl", None),
    ("example.nl [bold]x", None),
])
def test_the_header_links_a_website_only_to_a_web_page(website, url):
    assert _website_url(website) == url
