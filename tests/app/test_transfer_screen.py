"""Import / export screens: dialogs, the progress screen fed by a thread worker, the
result screen and its follow-up button, export dialogs — against a real database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from support.app import Host
from textual.widgets import Button, DataTable, OptionList, Static

from tradium_tui.config import Settings
from tradium_tui.models import Customer
from tradium_tui.screens.transfer import (
    ExportDialog,
    ImportDialog,
    ImportProgress,
    ImportResultScreen,
    ImportRunScreen,
    TransferScreen,
)
from tradium_tui.services import customers
from tradium_tui.services.access import actor_for
from tradium_tui.widgets.modals import DiscardDialog

BAD_IBAN = "NL00ABNA0417164300"


@pytest.fixture
def host(database, admin):
    return Host(lambda: TransferScreen(admin), admin, Settings(db_url=database.test_url, home_country="NL"))


async def settle(pilot, until, rounds: int = 200) -> None:
    """Let workers finish and messages be handled until ``until()`` holds (no sleeps)."""
    for _ in range(rounds):
        if until():
            return
        running = [w for w in pilot.app.workers if w.is_running]
        if running:
            await pilot.app.workers.wait_for_complete(running)
        await pilot.pause()
    raise AssertionError(f"timed out waiting for {until}")


def result_shown(pilot, previous=None) -> bool:
    screen = pilot.app.screen
    return (
        isinstance(screen, ImportResultScreen) and screen is not previous
        and screen.is_mounted and bool(screen.query("#import-issues"))
    )


async def click_again(pilot, selector: str) -> None:
    """Click a button that was just clicked: Textual ignores a click while the button
    still shows its press (0.2 s), as it would for a person's double click."""
    button = pilot.app.screen.query_one(selector, Button)
    for _ in range(100):
        if not button.has_class("-active"):
            break
        await pilot.pause(0.01)
    await pilot.click(selector)


async def choose(pilot, key: str) -> None:
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(key)
    options.focus()
    await pilot.press("enter")
    await pilot.pause()


async def fill(pilot, values: dict[str, Any]) -> None:
    screen = pilot.app.screen
    for name, value in values.items():
        row = screen.row(name)
        assert row is not None, name
        row.set_value(value)
    await pilot.pause()


async def test_import_customers_with_progress_and_result(host, tmp_path):
    path = tmp_path / "klanten.csv"
    path.write_text("klantnummer;naam;plaats;btw\n10;Een BV;Delft;NL123\n11;Twee BV;Gouda;\n",
                    encoding="utf-8")
    progress: list[ImportProgress] = []

    def hook(message) -> None:
        if isinstance(message, ImportProgress):
            progress.append(message)

    async with host.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        await choose(pilot, "import-customers")
        assert isinstance(pilot.app.screen, ImportDialog)
        await fill(pilot, {"path": str(path)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: result_shown(pilot))
        screen = pilot.app.screen
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "2 created" in summary
        table = screen.query_one("#import-issues", DataTable)
        assert table.row_count == 1  # the VAT warning
        assert "Invalid VAT number" in str(table.get_row_at(0)[3])
        assert not screen.query("#import-follow-up")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TransferScreen)
        assert "2 created" in str(pilot.app.screen.query_one("#transfer-status", Static).render())
    assert Customer.select().count() == 2
    assert {p.phase for p in progress} >= {"validating", "writing"}
    assert any(p.total == 2 and p.done == 2 for p in progress if p.phase == "validating")


async def test_dry_run_then_import_the_valid_rows(host, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(f"naam,iban\nGoed BV,\nFout BV,{BAD_IBAN}\n", encoding="utf-8")
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-customers")
        await fill(pilot, {"path": str(path), "dry_run": True})
        await pilot.click("#form-save")
        await settle(pilot, lambda: result_shown(pilot))
        screen = pilot.app.screen
        assert "Dry run" in str(screen.query_one("#import-summary", Static).render())
        assert Customer.select().count() == 0
        follow = screen.query_one("#import-follow-up", Button)
        assert str(follow.label) == "Import the valid rows"
        await pilot.click("#import-follow-up")
        await settle(pilot, lambda: result_shown(pilot, screen))
        summary = str(pilot.app.screen.query_one("#import-summary", Static).render())
        assert "1 created" in summary and "1 rejected" in summary
    assert [c.name for c in Customer.select()] == ["Goed BV"]


async def test_dialog_checks_the_options_and_the_file(host, tmp_path):
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-orders")
        dialog = pilot.app.screen
        await fill(pilot, {"path": str(tmp_path / "missing.jsonl"), "delimiter": "ab"})
        await pilot.click("#form-save")
        await settle(pilot, lambda: not dialog.saving and dialog.row("path").has_class("-error"))
        assert pilot.app.screen is dialog
        assert dialog.row("delimiter").has_class("-error")


async def test_unusable_file_shows_the_reason(host, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-customers")
        await fill(pilot, {"path": str(path)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ImportRunScreen)
                     and not pilot.app.screen.running and pilot.app.screen.is_mounted)
        screen = pilot.app.screen
        assert "not a CSV text file" in str(screen.query_one("#import-phase", Static).render())
        await pilot.click("#import-close")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TransferScreen)


async def test_import_orders_from_the_screen(host, tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text(
        '{"order_number": "WS-1", "email": "jan@example.nl", "name": "Jan de Vries", '
        '"lines": [{"description": "Thee", "quantity": 1, "unit_price": "4.00"}]}\n',
        encoding="utf-8",
    )
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-orders")
        await fill(pilot, {"path": str(path)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: result_shown(pilot))
        summary = str(pilot.app.screen.query_one("#import-summary", Static).render())
        assert "1 created" in summary and "1 new customers" in summary


async def test_export_dialogs(host, tmp_path):
    admin = actor_for("anna")
    made = customers.create_customer(
        admin, {"name": "Met Mail BV", "email": "a@x.nl", "mailing_code": "4"}, check_online=False
    ).customer
    customers.mark(admin, made.id)
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "export-customers")
        assert isinstance(pilot.app.screen, ExportDialog)
        assert pilot.app.screen.row("path").value().endswith("customers.csv")
        target = tmp_path / "klanten.xlsx"
        await fill(pilot, {"path": str(target)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: any("Exported 1 customer " in n for n in host.notes))
        assert isinstance(pilot.app.screen, TransferScreen)
        assert target.exists()

        await choose(pilot, "export-mailing")
        await fill(pilot, {"path": str(tmp_path / "m.csv"), "mailing_code": "4", "mine": True})
        await pilot.click("#form-save")
        await settle(pilot, lambda: any("Exported 1 of 1 selected" in n for n in host.notes))

        await choose(pilot, "export-accounting")
        dialog = pilot.app.screen
        await fill(pilot, {"path": str(tmp_path / "a.csv"), "date_from": "2026-02-01",
                           "date_to": "2026-01-01"})
        await pilot.click("#form-save")
        await settle(pilot, lambda: not dialog.saving and dialog.row("date_to").has_class("-error"))
        await fill(pilot, {"date_to": "31-12-2026"})
        await click_again(pilot, "#form-save")
        await settle(pilot, lambda: any("Exported 0 invoices" in n for n in host.notes))
        assert (tmp_path / "a.csv").exists()


async def test_main_screen_opens_import_export_for_allowed_roles(team, new_app, database):
    from support.app import started


    app = new_app(team["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert main.check_action("import_export", ()) is True
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, TransferScreen)
    sales_app = new_app(team["sales"])
    async with sales_app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        assert not main.check_action("import_export", ())


async def test_dialogs_refuse_the_config_file_and_paths_outside_the_folder(host, tmp_path):
    config = tmp_path / "etc" / "config.toml"
    config.parent.mkdir()
    config.write_text('db_url = "postgresql://tradium:s3cr3t@db/tradium"\n')
    allowed = tmp_path / "exchange"
    allowed.mkdir()
    (allowed / "config.csv").symlink_to(config)
    host.settings.config_file = config
    host.settings.transfer_dir = str(allowed)

    def path_message(dialog) -> str:
        return str(dialog.query_one("#row-path .field-message", Static).content)

    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-customers")
        dialog = pilot.app.screen
        for path, words in ((config, "config file"), (allowed / "config.csv", "config file"),
                            (tmp_path / "outside.csv", "outside")):
            await fill(pilot, {"path": str(path)})
            await click_again(pilot, "#form-save")
            await settle(pilot, lambda w=words: not dialog.saving and w in path_message(dialog))
            assert pilot.app.screen is dialog
            assert "s3cr3t" not in path_message(dialog)
        dialog.dismiss(None)
        await pilot.pause()
        await choose(pilot, "export-customers")
        export = pilot.app.screen
        assert str(export.row("path").value()).startswith(str(allowed.resolve()))
        await fill(pilot, {"path": str(config)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: not export.saving and "config file" in path_message(export))
    assert config.read_text().startswith("db_url")


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
async def test_import_dialog_refuses_a_file_that_is_not_regular_at_once(host, tmp_path, kind):
    """A named pipe would block the reading (and the app's exit) until something writes
    into it, /dev/zero never ends: the dialog refuses them, and a folder, before anything
    is opened; Escape still closes the dialog."""
    if kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
        said = "named pipe"
    elif kind == "folder":
        path = tmp_path / "folder.csv"
        path.mkdir()
        said = "folder"
    else:
        path = Path("/dev/zero")
        host.settings = Settings(db_url=host.settings.db_url, home_country="NL",
                                 transfer_dir="/dev")
        said = "not a data file"  # refused by its name already: not a .csv, .xlsx, …
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "import-customers")
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)
        await fill(pilot, {"path": str(path)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: pilot.app.screen is not dialog or dialog.row("path")
                     .query_one(".field-message").has_class("-shown"))
        assert pilot.app.screen is dialog  # nothing started reading
        message = str(dialog.row("path").query_one(".field-message").content)
        assert said in message, message
        await pilot.press("escape")  # the form asks before dropping the typed path
        await settle(pilot, lambda: isinstance(pilot.app.screen, DiscardDialog))
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(pilot.app.screen, TransferScreen))


async def test_an_import_report_in_dutch(host, tmp_path):
    """The dialog, the report's summary, its column headings and each row's problem in
    the interface language: the services' messages come out in Dutch too."""
    from tradium_tui import i18n

    i18n.use("nl")
    path = tmp_path / "klanten.csv"
    path.write_text(f"naam,iban,e-mail\nGoed BV,,\nFout BV,{BAD_IBAN},geen-adres\n", encoding="utf-8")
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        title = str(pilot.app.screen.query_one(".dialog-title", Static).render())
        assert title == "Import / export"
        await choose(pilot, "import-customers")
        assert str(pilot.app.screen.query_one(".dialog-title").render()) == "Klanten importeren"
        await fill(pilot, {"path": str(path)})
        await pilot.click("#form-save")
        await settle(pilot, lambda: result_shown(pilot))
        screen = pilot.app.screen
        summary = str(screen.query_one("#import-summary", Static).render())
        assert summary.startswith("klanten.csv: 2 regels: 1 aan te maken, 0 bij te werken")
        assert "Niets geschreven: 1 regel afgewezen" in summary
        table = screen.query_one("#import-issues", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Regel", "Kolom", "Waarde", "Probleem"]
        problems = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "Ongeldige IBAN: controlegetal — de controlecijfers kloppen niet " \
               "(waarschijnlijk een tikfout)." in problems
        assert "Ongeldig e-mailadres: het moet precies één @ hebben." in problems
        assert str(screen.query_one("#import-follow-up", Button).label) == "Geldige regels importeren"
        assert Customer.select().count() == 0


async def test_export_with_headings_in_a_language(host, tmp_path):
    customers.create_customer(actor_for("anna"), {"kind": "company", "name": "Kop BV",
                                                  "visit_country": "NL"})
    target = tmp_path / "klanten.csv"
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await choose(pilot, "export-customers")
        await fill(pilot, {"path": str(target), "headings": "es"})
        await pilot.click("#form-save")
        await settle(pilot, lambda: any("Exported 1 customer " in n for n in host.notes))
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Número de cliente", "Tipo de cliente", "Nombre del cliente"]
