"""The command line and the import/export files in the reader's language: messages and
reports in French and Spanish, export headings per language (``--headings``), and the
import reading every language's headings back."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from tradium_tui import cli, i18n
from tradium_tui import config as config_module
from tradium_tui.models import Customer, Role, User
from tradium_tui.services import customers
from tradium_tui.services.access import actor_for
from tradium_tui.services.transfer import exports
from tradium_tui.services.transfer.customer_format import CUSTOMER_COLUMNS
from tradium_tui.services.transfer.headings import CUSTOMER_HEADINGS, headings

BAD_IBAN = "NL00ABNA0417164300"


@pytest.fixture
def env(database, monkeypatch):
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TRADIUM_USER"):
        monkeypatch.delenv(name, raising=False)
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    return database.test_url


def speak(monkeypatch, language: str) -> None:
    """The config's language for the next command (read afresh, as a new process does)."""
    monkeypatch.setenv("TRADIUM_LANGUAGE", language)
    monkeypatch.setattr(config_module, "_settings", None)


def tradium(url: str, *args: str) -> int:
    return cli.main(["--db", url, "--user", "anna", *args])


def test_an_import_report_in_french(env, tmp_path, capsys, monkeypatch):
    speak(monkeypatch, "fr")
    path = tmp_path / "clients.csv"
    path.write_text(f"nom,iban\nBon SARL,\nMauvais SARL,{BAD_IBAN}\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path)) == 1
    out = capsys.readouterr().out.splitlines()
    assert (f"ligne 3, colonne « iban », valeur « {BAD_IBAN} » : IBAN non valable : clé — les "
            "chiffres de contrôle ne correspondent pas (sans doute une faute de frappe).") in out
    assert out[-1] == (
        "clients.csv : 2 lignes : 1 à créer, 0 à mettre à jour, 0 inchangée(s), 0 ignorée(s), "
        "1 refusée(s), 0 avec avertissements. Rien n'a été écrit : 1 ligne refusée (tout ou "
        "rien ; --skip-invalid écrit les lignes valables).")
    assert Customer.select().count() == 0


def test_a_validation_error_in_spanish(env, capsys, monkeypatch):
    speak(monkeypatch, "es")
    assert tradium(env, "price", "700", "LED-600", "--quantity", "x") == 2
    err = capsys.readouterr().err
    assert "tradium-tui: error: La cantidad: no es un número: 'x'." in err
    assert tradium(env, "export", "accounting", "-", "--from", "31-31-2026") == 2
    assert "--from: no es una fecha real: '31-31-2026'." in capsys.readouterr().err


def test_a_service_refusal_in_the_users_own_language(env, capsys, monkeypatch):
    """The acting user's language wins over the config's, for the service's message too."""
    from tradium_tui.services import users

    users.set_user_language(actor_for("anna"), "anna", "nl")
    speak(monkeypatch, "fr")
    assert tradium(env, "customers", "restore", "999") == 2
    assert "Er is geen klant met nummer 999." in capsys.readouterr().err


def test_help_and_usage_errors_in_the_configured_language(env, capsys, monkeypatch):
    speak(monkeypatch, "es")
    with pytest.raises(SystemExit):
        cli.main(["import", "customers", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("uso: tradium-tui import customers")
    assert "mostrar esta ayuda y salir" in out and "archivo CSV (.csv/.txt) o Excel (.xlsx)" in out
    with pytest.raises(SystemExit):
        cli.main(["import", "customers"])
    assert "los siguientes argumentos son obligatorios: FILE" in capsys.readouterr().err


def test_price_labels_stay_the_same_in_every_language(env, capsys, monkeypatch):
    """The price command's line labels are read by other programs: never translated."""
    from tradium_tui.models import Article

    customers.create_customer(actor_for("anna"), {"kind": "company", "name": "Prix SA",
                                                  "number": 700, "visit_country": "NL"})
    Article.create(code="LED-600", description="Lamp", sales_price="10.00", vat_class="standard")
    speak(monkeypatch, "fr")
    assert tradium(env, "price", "700", "LED-600") == 0
    labels = [line.split(":", 1)[0] for line in capsys.readouterr().out.splitlines()]
    assert {"price", "discount", "vat"} <= set(labels)


@pytest.mark.parametrize("language", ["nl", "fr", "es", "en"])
def test_export_with_headings_imports_back_unchanged(env, tmp_path, capsys, language):
    actor = actor_for("anna")
    customers.create_customer(actor, {
        "kind": "company", "name": "Société Générale Export", "visit_country": "FR",
        "visit_city": "Lyon", "email": "info@example.fr", "credit_limit": "2500",
        "remarks": "Deux lignes\nde remarques", "mailing_code": "3",
    })
    customers.create_customer(actor, {
        "kind": "consumer", "first_name": "Ana", "last_name": "García", "visit_country": "ES",
        "discount_percent": "5",
    })
    path = tmp_path / f"clientes-{language}.csv"
    assert tradium(env, "export", "customers", str(path), "--headings", language) == 0
    with path.open(encoding="utf-8-sig", newline="") as fileobj:
        header = next(csv.reader(fileobj))
    assert header == headings([c for c, _f in CUSTOMER_COLUMNS], CUSTOMER_HEADINGS, language)
    if language != "en":
        assert "number" not in header  # the language's words, not the column names
    capsys.readouterr()
    before = {c.number: c.version for c in Customer.select()}
    assert tradium(env, "import", "customers", str(path)) == 0
    out = capsys.readouterr().out
    assert "2 rows: 0 created, 0 updated, 2 unchanged" in out, out
    assert "not a customer field" not in out
    assert {c.number: c.version for c in Customer.select()} == before


def test_default_export_keeps_the_column_names(env, tmp_path, monkeypatch):
    speak(monkeypatch, "fr")
    customers.create_customer(actor_for("anna"), {"kind": "company", "name": "Colonnes BV",
                                                  "visit_country": "NL"})
    path = tmp_path / "c.csv"
    assert tradium(env, "export", "customers", str(path)) == 0
    with path.open(encoding="utf-8-sig", newline="") as fileobj:
        assert next(csv.reader(fileobj))[:3] == ["number", "kind", "name"]


def test_french_and_spanish_headings_from_other_programs_are_read(env, tmp_path, capsys):
    """Headings a French or Spanish back office writes (the seeds' words)."""
    path = tmp_path / "fr.csv"
    path.write_text(
        "Numéro client;Raison sociale;Groupe client;Remise;Référence;Numéro de compte;Civilité\n"
        "501;Boulangerie Martin;;12,5;CARTE-77;411000;\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path)) == 0
    found = Customer.get(Customer.number == 501)
    assert (found.name, found.discount_percent, found.reference, found.ledger_account) == (
        "Boulangerie Martin", Decimal("12.5"), "CARTE-77", "411000")
    path = tmp_path / "es.csv"
    path.write_text(
        "Número de cliente;Nombre del cliente;Descuento;Referencia;Número de cuenta;Tipo de cliente\n"
        "502;Panadería López;7;TARJ-9;430000;persona jurídica\n", encoding="utf-8")
    assert tradium(env, "import", "customers", str(path)) == 0
    found = Customer.get(Customer.number == 502)
    assert (found.name, found.kind, found.reference, found.ledger_account) == (
        "Panadería López", "company", "TARJ-9", "430000")
    assert "not a customer field" not in capsys.readouterr().out


def test_accounting_and_mailing_headings(env, tmp_path):
    customers.create_customer(actor_for("anna"), {"kind": "company", "name": "Post BV",
                                                  "visit_country": "NL", "email": "a@b.nl"})
    target = tmp_path / "m.csv"
    exports.export_mailing(actor_for("anna"), target, heading_language="nl")
    with target.open(encoding="utf-8-sig", newline="") as fileobj:
        assert next(csv.reader(fileobj)) == ["Naam klant", "E-mail", "Taal", "Klantnummer",
                                              "Aanhef", "Voornaam", "Achternaam"]
    target = tmp_path / "a.csv"
    exports.export_accounting(actor_for("anna"), target, "1300", heading_language="fr")
    with target.open(encoding="utf-8-sig", newline="") as fileobj:
        assert next(csv.reader(fileobj))[:3] == ["Numéro de facture", "Date de facture",
                                                  "Date d'échéance"]


def test_an_unknown_headings_language_is_a_usage_error(env, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        tradium(env, "export", "customers", str(tmp_path / "x.csv"), "--headings", "de")
    assert stopped.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err


def test_stored_vat_message_is_neutral_and_shown_in_the_readers_language(env):
    from tradium_tui.services.history import customer_history

    actor = actor_for("anna")
    created = customers.create_customer(actor, {"kind": "company", "name": "Grenz GmbH",
                                                "visit_country": "NL", "vat_number": "DE136695976"})
    customer_id = created.customer.id
    stored = Customer.get_by_id(customer_id).vat_message
    assert stored == ("Invalid VAT number: country mismatch — the number is for DE, the customer "
                      "is in NL.")
    i18n.use("nl")
    shown = {row.new for row in customer_history(actor, customer_id) if row.field_name == "vat_message"}
    assert shown == {"Ongeldig BTW-nummer: land klopt niet — het nummer is voor Duitsland, de klant "
                     "is in Nederland."}
