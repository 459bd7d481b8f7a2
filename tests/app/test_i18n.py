"""Translations: the catalogues are in step with the code, the language setting, and the
app in another language (a language switch while it runs, a form's messages in Dutch)."""

from __future__ import annotations

import dataclasses
import importlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from rich.cells import cell_len

from tradium_tui import config, formatting, i18n
from tradium_tui import i18n_tools as tools
from tradium_tui.i18n import N_, NP_, _, ngettext, pgettext

TRANSLATED = ("nl", "fr", "es")


@pytest.fixture(scope="module")
def source():
    """The messages extracted from the code (once: it reads every module)."""
    return tools.extract()


# --------------------------------------------------------------------------- catalogues


def test_the_catalogues_are_in_step_with_the_code(source):
    """Every message of the code is in the template and translated in nl, fr and es, with
    the same placeholders, none fuzzy, and the committed .mo files are the .po compiled."""
    problems = tools.check(source)
    assert not problems, "\n".join(str(p) for p in problems) + (
        "\nRun: python -m tradium_tui.i18n_tools update, translate, then compile.")


@pytest.fixture
def scratch_catalogues(tmp_path, monkeypatch, source):
    """A copy of the catalogues the checks below may spoil."""
    copy = tmp_path / "locale"
    shutil.copytree(tools.LOCALE_DIR, copy)
    monkeypatch.setattr(tools, "LOCALE_DIR", copy)
    monkeypatch.setattr(tools, "TEMPLATE", copy / tools.TEMPLATE.name)
    assert tools.check(source) == []
    return copy


def _edit(language: str, change) -> None:
    path = tools.po_path(language)
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, locale=language)
    change(catalog)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)


def _problems(source) -> str:
    return "\n".join(str(p) for p in tools.check(source))


def test_an_untranslated_entry_is_found(scratch_catalogues, source):
    def clear(catalog):
        catalog["Open balance"].string = ""

    _edit("fr", clear)
    tools.compile_all(["fr"])
    assert "fr: untranslated: 'Open balance'" in _problems(source)


def test_a_fuzzy_entry_is_found(scratch_catalogues, source):
    def fuzzy(catalog):
        catalog["Open balance"].flags.add("fuzzy")

    _edit("es", fuzzy)
    tools.compile_all(["es"])
    assert "es: fuzzy: 'Open balance'" in _problems(source)


def test_a_changed_placeholder_is_found(scratch_catalogues, source):
    def rename(catalog):
        catalog["Delete {customer}?"].string = "{klant} verwijderen?"

    _edit("nl", rename)
    tools.compile_all(["nl"])
    found = _problems(source)
    assert "placeholders ['klant'] instead of ['customer']" in found


def test_a_catalogue_behind_the_code_is_found(scratch_catalogues, source):
    def forget(catalog):
        del catalog["Open balance"]

    _edit("nl", forget)
    tools.compile_all(["nl"])
    found = _problems(source)
    assert "nl: missing: 'Open balance'" in found
    # A message the code no longer has is found as well.
    template = tools._read_po(tools.TEMPLATE)
    template.add("A text nobody uses any more")
    tools._write(tools.TEMPLATE, template)
    assert "no longer in the code: 'A text nobody uses any more'" in _problems(source)


def test_a_stale_compiled_catalogue_is_found(scratch_catalogues, source):
    def change(catalog):
        catalog["Open balance"].string = "Saldo aperto"

    _edit("es", change)  # the .po changed, the .mo not
    assert "tradium_tui.mo differs from the .po: compile" in _problems(source)
    tools.compile_all(["es"])
    assert _problems(source) == ""


def test_placeholders_are_read_from_both_styles():
    assert tools.placeholders("{count} of {total:,}") == {"count", "total"}
    assert tools.placeholders("%(name)s has {{braces}}") == {"name"}


# --------------------------------------------------------------------------- widths


def _tab_classes():
    from tradium_tui.services.access import TABS
    from tradium_tui.widgets.tabs import tab_widget

    return [tab_widget(tab) for tab in TABS]


@pytest.mark.parametrize("language", TRANSLATED)
def test_column_headings_fit_their_columns(language):
    """A fixed-width column's heading fits its width in every language."""
    i18n.set_language(language)
    too_wide = [
        f"{cls.TAB}: {_(label)!r} is {cell_len(_(label))} cells, the column {width}"
        for cls in _tab_classes() for label, width in cls.COLUMNS
        if label and width is not None and cell_len(_(label)) > width
    ]
    assert not too_wide


@pytest.mark.parametrize("language", TRANSLATED)
def test_customer_form_labels_fit_the_label_column(language):
    """Form labels have 21 cells (22 with the padding); a required field's " *" counts."""
    from tradium_tui.screens.customer_form import FormContext, customer_fields

    i18n.set_language(language)
    too_long = []
    for kind in ("consumer", "company"):
        for spec in customer_fields(FormContext(kind=kind)):
            if spec.kind in ("heading", "checkbox"):
                continue
            label = spec.label + (" *" if spec.required else "")
            if cell_len(label) > 21:
                too_long.append(label)
    assert not too_long


@pytest.mark.parametrize("language", TRANSLATED)
def test_status_words_fit_their_columns(language):
    """The words shown in the narrow status columns of the tabs."""
    from tradium_tui.widgets.tabs import actions, invoices, orders, quotes

    i18n.set_language(language)
    checks = [(actions.status_label(s), 8) for s in ("open", "done", "overdue")]
    checks += [(actions.type_label(t), 11) for t in
               ("call", "email", "visit", "meeting", "appointment", "task", "other")]
    checks += [(quotes.status_label(s), 9) for s in
               ("draft", "sent", "accepted", "rejected", "expired")] + [(_("expired?"), 9)]
    checks += [(orders.status_label(s), 17) for s in
               ("open", "partly_delivered", "delivered", "cancelled")]
    checks += [(orders.source_label(s), 8) for s in ("manual", "quote", "webshop", "import")]
    checks += [(invoices.status_label(s), 12) for s in
               ("open", "partly_paid", "paid", "cancelled")]
    checks += [(_("credit note"), 12), (_("refund due"), 12),
               (_("overdue {days}d").format(days=99), 12)]
    assert [(word, width) for word, width in checks if cell_len(word) > width] == []


# --------------------------------------------------------------------------- the module


def test_gettext_functions_follow_the_active_language():
    assert i18n.set_language("nl_BE") == "nl"
    assert i18n.current_language() == "nl"
    assert _("Contacts") == "Contactpersonen"
    assert ngettext("{count} day", "{count} days", 1).format(count=1) == "1 dag"
    assert ngettext("{count} day", "{count} days", 2).format(count=2) == "2 dagen"
    assert pgettext("header", "Open") == "Openstaand saldo"
    assert pgettext("header, condensed", "Open") == "Saldo"
    assert _(NP_("amount", "Open")) == "Openstaand"
    i18n.set_language("fr")
    assert ngettext("{count} day", "{count} days", 0).format(count=0) == "0 jour"  # French
    assert _("Quotes") == "Devis"
    i18n.set_language("es")
    assert _("Quotes") == "Presupuestos"
    # Unknown languages speak English; markers keep their English.
    assert i18n.set_language("de") == "en"
    assert _("Contacts") == "Contacts"
    assert _(NP_("amount", "Open")) == "Open"
    assert N_("Contacts") == "Contacts"
    assert i18n.source_text(NP_("amount", "Open")) == "Open"


def test_choose_language_order():
    assert i18n.choose_language("fr", "nl", "es_ES") == "fr"  # the user's own
    assert i18n.choose_language("", "nl", "es_ES") == "nl"  # the config's language
    assert i18n.choose_language("", "", "es_ES") == "es"  # the locale's language
    assert i18n.choose_language(None, "", "de_DE") == "en"  # nothing supported
    assert i18n.check_language("FR") == "fr"
    with pytest.raises(ValueError, match="not a language of this program"):
        i18n.check_language("de")


def test_the_i18n_module_does_not_load_textual():
    code = "import sys, tradium_tui.i18n; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_reading_a_catalogue_is_cheap(monkeypatch):
    """Reading the active language's catalogue (what a start adds to what babel costs the
    formatting anyway) takes well under 20 ms: the best of five fresh reads, so a busy
    machine does not decide.  bench/i18n_bench.py measures it in fresh interpreters."""
    took = []
    for _run in range(5):
        monkeypatch.setattr(i18n, "_loaded", {})
        start = time.perf_counter()
        i18n.set_language("nl")
        took.append(time.perf_counter() - start)
    assert _("Contacts") == "Contactpersonen"
    assert min(took) < 0.020


def test_only_the_active_language_is_read(monkeypatch):
    monkeypatch.setattr(i18n, "_loaded", {})
    i18n.set_language("fr")
    assert set(i18n._loaded) == {"fr"}


# --------------------------------------------------------------------------- settings


def test_the_language_setting_and_its_fallbacks(tmp_path, monkeypatch):
    monkeypatch.delenv("TRADIUM_LANGUAGE", raising=False)
    monkeypatch.delenv("TRADIUM_LOCALE", raising=False)
    cfg = tmp_path / "config.toml"
    cfg.write_text('language = "fr"\nlocale = "nl_NL"\n', encoding="utf-8")
    settings = config.Settings.load(cfg)
    assert settings.language == "fr"
    assert settings.interface_language() == "fr"
    assert settings.interface_language("es") == "es"  # the user's own wins
    cfg.write_text('locale = "es_ES"\n', encoding="utf-8")
    assert config.Settings.load(cfg).interface_language() == "es"  # the locale's language
    cfg.write_text('locale = "de_DE"\n', encoding="utf-8")
    assert config.Settings.load(cfg).interface_language() == "en"
    monkeypatch.setenv("TRADIUM_LANGUAGE", "nl")
    assert config.Settings.load(cfg).interface_language() == "nl"
    cfg.write_text('language = "klingon"\n', encoding="utf-8")
    monkeypatch.delenv("TRADIUM_LANGUAGE")
    with pytest.raises(config.ConfigError, match="must be one of nl, fr, es, en"):
        config.Settings.load(cfg)


def test_one_setting_drives_words_and_formatting():
    """Numbers keep the configured country's marks where babel has the mix; the words
    (month names, the order of the date) are the language's."""
    import datetime as dt
    from decimal import Decimal

    day = dt.date(2025, 3, 13)
    for language, expected_month in (("nl", "mrt"), ("fr", "mars"), ("es", "mar"),
                                     ("en", "Mar")):
        i18n.use(language, "nl_NL")
        assert expected_month in formatting.date_medium(day)
    i18n.use("fr", "nl_NL")
    assert formatting.current_locale() == "fr_FR"
    assert "€" in formatting.money(Decimal("1234.5")) and "mrt" not in formatting.date_medium(day)
    i18n.use("en", "nl_NL")
    assert formatting.current_locale() == "en_NL"
    assert formatting.money(Decimal("1234.5")).replace("\xa0", " ") == "€ 1.234,50"
    i18n.use("fr", "fr_BE")
    assert formatting.current_locale() == "fr_BE"
    assert formatting.locale_for("nl", "fr_BE") == "nl_BE"
    assert formatting.locale_for("es", None) == "es_ES"


def test_country_names_follow_the_language(database):
    from support.app import create_customer

    from tradium_tui.services.access import actor_for
    from tradium_tui.services.customer_view import load_customer_view
    from tradium_tui.services.users import bootstrap_first_admin

    bootstrap_first_admin("admin")
    admin = actor_for("admin")
    customer = create_customer(admin, kind="company", name="Müller GmbH", visit_country="DE",
                               visit_city="Köln", vat_number="DE136695976")
    names = {}
    for language in ("nl", "fr", "es", "en"):
        i18n.set_language(language)
        names[language] = load_customer_view(customer.id, admin.user.id).country_name
    assert names == {"nl": "Duitsland", "fr": "Allemagne", "es": "Alemania", "en": "Germany"}


# --------------------------------------------------------------------------- per user


def test_an_admin_sets_a_users_language(database):
    from tradium_tui.models import AuditRecord, User
    from tradium_tui.services import users
    from tradium_tui.services.access import actor_for
    from tradium_tui.services.errors import PermissionDenied, ValidationError

    users.bootstrap_first_admin("admin")
    admin = actor_for("admin")
    users.add_user(admin, "sam", "sales")
    info = users.set_user_language(admin, "sam", "FR")
    assert info.language == "fr" and User.get(User.username == "sam").language == "fr"
    audit = AuditRecord.select().where(AuditRecord.table == "user",
                                       AuditRecord.field == "language").get()
    assert (audit.old_value, audit.new_value) == ("", "fr")
    assert users.set_user_language(admin, "sam", "default").language == ""
    with pytest.raises(ValidationError) as refused:
        users.set_user_language(admin, "sam", "de")
    assert "not a language of this program" in refused.value.errors["language"]
    with pytest.raises(PermissionDenied):
        users.set_user_language(actor_for("sam"), "admin", "nl")


def test_users_set_language_command(cli_runner):
    from tradium_tui.models import User

    assert cli_runner("users", "add", "bob", "--role", "sales")[0] == 0
    code, out, _err = cli_runner("users", "set-language", "bob", "nl")
    assert code == 0 and "bob now works in Nederlands (nl)." in out
    assert User.get(User.username == "bob").language == "nl"
    code, out, _err = cli_runner("users", "list")
    assert [line.split()[:4] for line in out.splitlines() if line.startswith("bob")] == [
        ["bob", "sales", "yes", "nl"]]
    code, _out, err = cli_runner("users", "set-language", "bob", "xx")
    assert code == 2 and "'xx' is not a language of this program" in err
    code, out, _err = cli_runner("users", "set-language", "bob", "default")
    assert code == 0 and "configured language" in out


def test_the_user_language_step_adds_the_column(db_url):
    from tradium_tui import db as dbmod
    from tradium_tui.db import schema

    dbmod.connect(db_url)
    try:
        step = 1 + next(i for i, (text, _step) in enumerate(schema.MIGRATIONS)
                        if text.startswith("a language per user"))
        schema.ensure_schema()
        database = dbmod.database.obj
        database.execute_sql('ALTER TABLE "user" DROP COLUMN language')
        from tradium_tui.models import SchemaVersion

        SchemaVersion.delete().where(SchemaVersion.version >= step).execute()
        schema.ensure_schema()
        assert "language" in {c.name for c in database.get_columns("user")}
    finally:
        dbmod.database.close()


# --------------------------------------------------------------------------- the app


def _settings(database, language="en"):
    from support.app import settings_for

    return dataclasses.replace(settings_for(database), language=language)


async def test_the_users_own_language_wins_at_login(team, new_app, database):
    from support.app import COMPANY, create_customer, started

    from tradium_tui.services import users
    from tradium_tui.services.access import actor_for

    create_customer(team["admin"], **COMPANY)
    users.set_user_language(team["admin"], "sales", "es")
    app = new_app(actor_for("sales"), _settings(database, "nl"))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert i18n.current_language() == "es"
        labels = [str(tab.label) for tab in main.tabs.query("Tab")]
        assert labels[:2] == ["Contactos", "Acciones"]


async def test_switching_language_redraws_header_tabs_footer_and_tab(team, new_app, database):
    """From the command palette ("Language: Nederlands"), without a restart."""
    from support.app import COMPANY, create_customer, started, wait_for

    from tradium_tui.widgets.footer import AppFooter

    customer = create_customer(team["admin"], **COMPANY)
    from tradium_tui.services import contacts

    contacts.create_contact(team["admin"], customer.id, {"name": "Jan de Vries"})
    app = new_app(team["admin"], _settings(database, "en"))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)

        def shown() -> str:
            return " ".join(str(w.render()) for w in main.query("#header Static"))

        assert "Limit" in shown() and "Kredietlimiet" not in shown()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "Nederlands":
            await pilot.press(key)

        def first_command() -> str:
            commands = app.screen.query("CommandList")
            if not commands or not commands.first().option_count:
                return ""
            return str(commands.first().get_option_at_index(0).prompt)

        await wait_for(pilot, lambda: "Language: Nederlands" in first_command())
        await pilot.press("enter")
        await wait_for(pilot, lambda: i18n.current_language() == "nl")
        # The header and the tab row are in Dutch at once; the country name follows once
        # the customer has been read again.
        await wait_for(pilot, lambda: "Kredietlimiet" in shown() and "Nederland" in shown())
        labels = [str(tab.label) for tab in main.tabs.query("Tab")]
        assert labels[:3] == ["Contactpersonen", "Acties", "Offertes"]
        pane = main.pane("contacts")
        headings = [str(column.label) for column in pane.table.columns.values()]
        assert headings[1:4] == ["Naam", "Functie", "Telefoon"]
        assert pane.table.row_count == 1
        footer = main.query_one(AppFooter).text()
        assert "Zoeken" in footer and "Find" not in footer
        assert "Gewijzigd" in str(main.query_one("#status-bar").render())
        # And back to English.
        app.switch_language("en")
        await pilot.pause()
        assert [str(tab.label) for tab in main.tabs.query("Tab")][0] == "Contacts"
        assert "Find" in main.query_one(AppFooter).text()


async def test_a_validation_error_on_the_customer_form_in_dutch(team, new_app, database):
    from support.app import COMPANY, create_customer, started, wait_for

    from tradium_tui.models import Customer
    from tradium_tui.screens.customer_form import CustomerForm

    customer = create_customer(team["admin"], **COMPANY)
    app = new_app(team["admin"], _settings(database, "nl"))
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        assert str(form.query_one(".dialog-title").render()).endswith("wijzigen")
        form.row("name").set_value("")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not form.saving and form.row("name").has_class("-error"))
        message = str(form.row("name").query_one(".field-message").render())
        assert message == "Een bedrijf heeft een naam nodig."
        summary = str(form.query_one("#form-message").render())
        assert summary == "Niet opgeslagen: 1 veld vraagt aandacht."
        assert Customer.get_by_id(customer.id).name == COMPANY["name"]  # nothing stored


def test_main_screen_modules_keep_no_english_in_dutch():
    """Every text the main screen's modules mark is translated: none of them shows the
    English in Dutch unless the word is the same in both (Status, Fax, IBAN…)."""
    importlib.import_module("tradium_tui.screens.main")
    i18n.set_language("nl")
    with tools.po_path("nl").open("rb") as fileobj:
        catalog = read_po(fileobj, locale="nl")
    same = {m.id for m in catalog if m.id and isinstance(m.id, str) and m.string == m.id}
    # The words Dutch shares with English, and texts without words.
    assert same <= {
        "BIC", "Backorder", "Bank", "E-mail", "Fax", "IBAN", "IBAN, BIC, bank", "Import/export",
        "KvK", "Logo", "NL, BE, DE, FR, ES…", "Postcode", "Recent", "Status", "Tab▶", "Tags",
        "Website", "e-mail", "import", "open", "open: {amount}", "ref.", "webshop",
        "{sign}{change} pt", "◀Tab", "Bulk", "EU", "Filters", "Tag", "tags", "eu / non-eu",
        "{filter}: {value}", "{what}: {count}",
        "{country} ({code})", "{name} ({number})",
        "Import / export", "Label", "Tag '{name}': {message}",
        "{field} {reason}.", "{phase}…", "{where}: {message}", "{summary} Database: {url}",
        "Document", "database: init, upgrade, version, copy, backup, restore",
        "argument %(argument_name)s: %(message)s",
    }


def test_translation_files_are_committed_with_the_package():
    root = Path(i18n.LOCALE_DIR)
    for language in TRANSLATED:
        assert (root / language / "LC_MESSAGES" / "tradium_tui.mo").stat().st_size > 1000
    assert (root / "GLOSSARY.md").exists()
    with open(Path(tools.ROOT) / "pyproject.toml", encoding="utf-8") as fileobj:
        assert "locale/*/LC_MESSAGES/*.mo" in fileobj.read()


def test_a_fresh_language_is_read_once(monkeypatch):
    """Switching back and forth reads each catalogue once."""
    monkeypatch.setattr(i18n, "_loaded", {})
    calls = []
    real = i18n.Translations.load

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(i18n.Translations, "load", counting)
    for language in ("nl", "fr", "nl", "fr", "en"):
        i18n.set_language(language)
    assert len(calls) == 2
    start = time.perf_counter()
    i18n.set_language("nl")
    assert time.perf_counter() - start < 0.01
