"""The user's own keys: the ``[keymap]`` table of the config file, checked and applied with
Textual's ``App.set_keymap``; every binding has an id, and the README lists them all."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.app import record_notifications, settings_for, started, wait_for
from textual.binding import Binding
from textual.dom import DOMNode

import tradium_tui
from tradium_tui import keymap
from tradium_tui.config import Settings
from tradium_tui.screens.finder import FinderScreen
from tradium_tui.screens.main.screen import MainScreen
from tradium_tui.services import users
from tradium_tui.services.access import actor_for
from tradium_tui.widgets.footer import AppFooter
from tradium_tui.widgets.header import CustomerHeader

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN = "<!-- binding ids: tests/app/test_keymap.py checks this list against the code -->"
END = "<!-- end of the binding ids -->"
INTERFACE = ("tradium_tui.app", "tradium_tui.palette", "tradium_tui.screens", "tradium_tui.widgets")


@dataclass
class Found:
    binding: Binding
    places: list[str]


def interface_classes() -> list[type]:
    """Every widget, screen and app class of tradium_tui, in the order of the source."""
    for module in pkgutil.walk_packages(tradium_tui.__path__, "tradium_tui."):
        if module.name.startswith(INTERFACE):
            importlib.import_module(module.name)

    def below(cls: type):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    ours = {cls for cls in below(DOMNode) if cls.__module__.startswith("tradium_tui.")}
    return sorted(ours, key=lambda cls: (cls.__module__, inspect.getsourcelines(cls)[1]))


def bindings_in_the_code() -> dict[str, Found]:
    """Every binding the classes declare themselves, by id (first declaration first)."""
    found: dict[str, Found] = {}
    for cls in interface_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding) and binding.id, (
                f"{cls.__qualname__}: {binding!r} needs to be a Binding with an id")
            if binding.id in found:
                found[binding.id].places.append(cls.__name__)
            else:
                found[binding.id] = Found(binding, [cls.__name__])
    return found


def readme_block(found: dict[str, Found]) -> str:
    rows = [BEGIN, "", "| id | default keys | what | where |", "| --- | --- | --- | --- |"]
    for binding_id, item in found.items():
        binding = item.binding
        what = (binding.description or binding.tooltip or binding.action).replace("|", "\\|")
        places = ", ".join(dict.fromkeys(item.places))
        rows.append(f"| `{binding_id}` | `{binding.key}` | {what} | {places} |")
    return "\n".join([*rows, "", END])


@pytest.fixture(scope="module")
def found() -> dict[str, Found]:
    return bindings_in_the_code()


# ----------------------------------------------------------------------------- ids


def test_every_binding_has_one_id_with_one_meaning(found):
    assert len(found) > 100
    for cls in interface_classes():
        ids = [b.id for b in cls.__dict__.get("BINDINGS", [])]
        assert len(ids) == len(set(ids)), f"{cls.__name__} uses an id twice: {ids}"
    for cls in interface_classes():  # an id shared by classes means the same key and action
        for binding in cls.__dict__.get("BINDINGS", []):
            first = found[binding.id].binding
            assert (binding.key, binding.action) == (first.key, first.action), binding.id


def test_the_default_keys_of_the_keymap_are_the_code(found):
    in_code = {binding_id: item.binding.key for binding_id, item in found.items()}
    missing = sorted(in_code.keys() - keymap.DEFAULT_KEYS.keys())
    stale = sorted(keymap.DEFAULT_KEYS.keys() - in_code.keys())
    assert not missing and not stale, (
        f"keymap.DEFAULT_KEYS lacks {missing} and has ids no binding has: {stale}")
    assert keymap.DEFAULT_KEYS == in_code


def test_the_readme_lists_every_binding_id(found):
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"the README needs the list between {BEGIN} and {END}"
    shown = text[text.index(BEGIN): text.index(END) + len(END)]
    expected = readme_block(found)
    assert shown == expected, "The README's list of binding ids is out of date; it should be:\n\n" + expected


def test_the_readme_example_is_a_keymap_without_problems():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Your own keys"):]
    example = section[section.index("```toml") + len("```toml"): section.index("```\n\n")]
    table = tomllib.loads(example)["keymap"]
    keys, problems = keymap.read_keymap(table)
    assert problems == [] and keys.keys() == table.keys()


# ----------------------------------------------------------------------------- checking the table


@pytest.mark.parametrize("text, keys", [
    ("f,slash", "f,slash"),
    ("j", "j"),
    ("M", "M"),
    ("/", "slash"),
    ("?", "question_mark"),
    ("ctrl+/", "ctrl+slash"),
    ("Ctrl+Shift+Up", "ctrl+shift+up"),
    (" f5 , escape ", "f5,escape"),
    ("F2", "f2"),
    ("x,x", "x"),
    ("plus,comma", "plus,comma"),
])
def test_keys_as_textual_names_them(text, keys):
    assert keymap.parse_keys(text) == (keys, None)


@pytest.mark.parametrize("text, says", [
    ("", "a key is missing"),
    ("f,,g", "a key is missing"),
    ("f,", "a key is missing"),
    ("ctrl+", "does not end in a key"),
    ("+", "does not end in a key"),
    ("cmd+x", "'cmd' in 'cmd+x' is not a modifier"),
    ("ctrl+ctrl+x", "names a modifier twice"),
    ("fff", "'fff' is not a key"),
    ("ctrl+enterr", "'enterr' is not a key"),
    ("\x1b[2J", "is not a key"),
    ("\t", "a key is missing"),
])
def test_what_is_not_a_key_is_named(text, says):
    keys, problem = keymap.parse_keys(text)
    assert keys == "" and says in problem
    assert "\x1b" not in problem  # a hostile text is shown escaped


def test_read_keymap_keeps_what_works_and_names_the_rest():
    table = {
        "find_customer": "j,ctrl+/",
        "quit": "ctrl+q,ctrl+x",
        "find_customr": "g",
        "refresh": 5,
        "admin": "ctrl+",
        "\x1b]0;owned\x07": "x",
    }
    keys, problems = keymap.read_keymap(table)
    assert keys == {"find_customer": "j,ctrl+slash", "quit": "ctrl+q,ctrl+x"}
    assert problems == [
        "'find_customr' is not a binding id (did you mean find_customer?); it is left out. "
        "The README lists the ids.",
        'refresh: give the keys as text, e.g. refresh = "f5"; it is left out.',
        "admin = 'ctrl+': 'ctrl+' does not end in a key (write plus for +, comma for ,); "
        "it is left out.",
        "'␛]0;owned␇' is not a binding id; it is left out. The README lists the ids.",
    ]
    assert keymap.read_keymap({}) == ({}, [])
    assert keymap.read_keymap("f") == ({}, [
        '[keymap] is not a table of lines such as find_customer = "f,slash"; it is left out.'])


def test_keys_taken_from_another_binding_of_the_same_place_are_said():
    assert keymap.clashes({"find_customer": "f,slash", "quit": "ctrl+x"}) == []
    assert keymap.clashes({"contacts_new": "d"}) == [
        "contacts_new takes d from contacts_delete (ContactsTab), which keeps delete."]
    assert keymap.clashes({"confirm_yes": "n"}) == [
        "confirm_yes takes n from confirm_no (ConfirmDialog, DiscardDialog), which keeps escape."]
    assert keymap.clashes({"find_customer": "left_square_bracket"}) == [
        "find_customer takes left_square_bracket from previous_tab (MainScreen), which has no "
        "key left; give it one in [keymap]."]
    assert keymap.clashes({"find_customer": "r", "recent_customers": "r"}) == [
        "find_customer and recent_customers both get r (MainScreen); only one of them can "
        "have it."]
    # Keys of different places do not clash: a tab's n is not the main screen's.
    assert keymap.clashes({"log_contact": "n"}) == []
    _keys, problems = keymap.read_keymap({"find_customer": "r"})
    assert problems == keymap.clashes({"find_customer": "r"})


def test_key_text_names_the_users_key():
    assert keymap.key_text({}, "restore_customer") == "ctrl+z"
    assert keymap.key_text({}, "find_customer") == "f"
    assert keymap.key_text({"find_customer": "slash,f"}, "find_customer") == "/"
    assert keymap.key_text({}, "bulk_run", sentence=True) == "Ctrl+S"
    assert keymap.key_text({"bulk_run": "f9"}, "bulk_run", sentence=True) == "f9"
    assert keymap.key_text({"bulk_run": "alt+r"}, "bulk_run", sentence=True) == "Alt+R"


def test_the_config_file_gives_the_table(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nfind_customer = "j"\n"tab_order" = "ctrl+o"\n',
                      encoding="utf-8")
    assert Settings.load(config).keymap == {"find_customer": "j", "tab_order": "ctrl+o"}
    config.write_text('keymap = "j"\n', encoding="utf-8")
    assert Settings.load(config).keymap == "j"  # named and left out when applied
    config.write_text('locale = "nl_NL"\n', encoding="utf-8")
    assert Settings.load(config).keymap == {}


# ----------------------------------------------------------------------------- in the app


@pytest.fixture
def admin(database):
    users.bootstrap_first_admin("admin")
    return actor_for("admin")


def footer_text(screen) -> str:
    return screen.query_one(AppFooter).text()


async def test_a_remapped_key_works_and_the_footer_shows_it(new_app, database, admin):
    settings = settings_for(database)
    settings.keymap = {"find_customer": "j", "command_palette": "ctrl+k"}
    app = new_app(admin, settings)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        text = footer_text(main)
        assert " j Find " in text and " f Find " not in text
        assert "▏^k Commands" in text  # the palette key keeps its place, with its new key
        await pilot.press("f")  # no longer a key of Find
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("j")
        await wait_for(pilot, lambda: isinstance(app.screen, FinderScreen))
        assert notes == []


async def test_a_wrong_keymap_is_named_at_start_and_the_rest_applies(new_app, database, admin):
    settings = settings_for(database)
    settings.keymap = {"find_customr": "j", "recent_customers": "ctrl+", "my_actions": "j"}
    app = new_app(admin, settings)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await wait_for(pilot, lambda: bool(notes))
        assert notes == [
            "'find_customr' is not a binding id (did you mean find_customer?); it is left "
            "out. The README lists the ids.\n"
            "recent_customers = 'ctrl+': 'ctrl+' does not end in a key (write plus for +, "
            "comma for ,); it is left out."]
        text = footer_text(main)
        assert " f Find " in text and " r Recent " in text and " j My actions " in text


async def test_a_key_taken_from_another_binding_is_said(new_app, database, admin):
    settings = settings_for(database)
    settings.keymap = {"find_customer": "r"}  # the key of Recent
    app = new_app(admin, settings)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        await wait_for(pilot, lambda: bool(notes))
        assert notes == ["find_customer takes r from recent_customers (MainScreen), which has "
                         "no key left; give it one in [keymap]."]
        text = footer_text(main)
        assert " r Find " in text and "Recent" not in text
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, FinderScreen))
        assert not app.screen.start_recent


async def test_hints_name_the_users_keys(new_app, database, admin):
    """Texts that tell which key to press name the keymap's key."""
    settings = settings_for(database)
    settings.keymap = {"find_customer": "j", "retry_database": "f9"}
    app = new_app(admin, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)  # an empty database: no customer open
        title = main.query_one(CustomerHeader).query_one("#hdr-title").content.plain
        assert title == "No customer open — press j to find one"
        assert main.query_one("#db-status").retry_key == "f9"
