"""Quote lines in the app: an article code fills the line by the customer's price rule, the
source of each price shows, and VAT follows the customer (reverse charge)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.app import settings_for, started, wait_for
from textual.widgets import DataTable

from tradium_tui.app import make_app
from tradium_tui.models import Article, Condition, Customer, CustomerGroup, Quote
from tradium_tui.services import quotes
from tradium_tui.widgets.article_picker import ArticlePicker
from tradium_tui.widgets.lines import LineForm, LinesEditor


@pytest.fixture
def world(team, database):
    Article.create(code="LED-600", description="LED panel 60x60", article_group="LIGHT",
                   sales_price=Decimal("40.00"), cost_price=Decimal("22.00"))
    Article.create(code="KAB-100", description="Installation cable (100 m)",
                   article_group="CABLE", sales_price=Decimal("89.50"))
    group = CustomerGroup.create(name="Installers", discount_percent=Decimal("7.5"))
    german = Customer.create(number=900, name="Müller Elektro GmbH", visit_country="DE",
                             vat_number="DE136695976", vat_status="valid",
                             customer_group=group)
    Condition.create(customer=german, kind="discount", article="LED-600",
                     discount_percent=Decimal("12.5"))
    return {**team, "customer": german}


async def _editor(pilot, tab="quotes"):
    main = await started(pilot)
    main.show_tab(tab)
    await wait_for(pilot, lambda: main.pane(tab) is not None and main.pane(tab).load_count >= 1)
    pane = main.pane(tab)
    pane.query_one(DataTable).focus()
    await pilot.pause()
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LinesEditor))
    return main, pane, pilot.app.screen


async def test_article_code_fills_the_line_with_its_source_and_reverse_charge(new_app, world, database):
    admin = world["admin"]
    quotes.create_quote(admin, world["customer"].id, {},
                        [{"description": "Placeholder", "quantity": "1", "unit_price": "1"}])
    app = new_app(admin)
    async with app.run_test(size=(120, 40)) as pilot:
        main, pane, editor = await _editor(pilot)
        note = str(editor.query_one("#lines-vat-note").content)
        assert "VAT reverse-charged" in note and "BTW verlegd" in note and "DE136695976" in note
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, LineForm))
        form = app.screen
        assert form.row("vat_rate").value() == "0"
        form.row("quantity").set_value("2")
        form.row("article").set_value("LED-600")
        await wait_for(pilot, lambda: form.row("unit_price").value() == "40,00")
        assert form.row("description").value() == "LED panel 60x60"
        assert form.row("discount_percent").value() == "12,5"
        assert form.row("vat_rate").value() == "0"
        message = str(form.row("article").query_one(".field-message").content)
        assert "condition: LED-600 12,5 %" in message and "reverse-charged" in message
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor)
        await wait_for(pilot, lambda: len(editor.sources) == 2 and editor.sources[1] != "")
        assert editor.sources[0] == "free text"
        assert editor.sources[1] == "sales price; condition: LED-600 12,5 %"
        totals = str(editor.query_one("#lines-totals").content).replace("\xa0", " ")
        assert "VAT 0% € 0,00" in totals and "Incl. VAT € 71,00" in totals

        # An overridden price is shown as such.
        editor.query_one(DataTable).move_cursor(row=1)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, LineForm))
        app.screen.row("unit_price").set_value("38,00")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is editor)
        await wait_for(pilot, lambda: editor.sources[1].startswith("override"))
        assert "rule: 40,00 −12,5 %" in editor.sources[1]
        shown = str(editor.query_one("#lines-source").content)
        assert shown.startswith("Line 2: override")
        before = pane.load_count
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main and pane.load_count > before)
    quote = Quote.get()
    assert (quote.total_excl, quote.total_vat) == (Decimal("67.50"), Decimal("0.00"))


async def test_the_picker_searches_as_you_type(new_app, world, database):
    admin = world["admin"]
    quotes.create_quote(admin, world["customer"].id, {},
                        [{"description": "Placeholder", "quantity": "1", "unit_price": "1"}])
    app = new_app(admin)
    async with app.run_test(size=(80, 24)) as pilot:
        _main, _pane, editor = await _editor(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, LineForm))
        form = app.screen
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlePicker))
        picker = app.screen
        await pilot.press(*"cable")
        await wait_for(pilot, lambda: picker.codes == ["KAB-100"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is form)
        await wait_for(pilot, lambda: form.row("unit_price").value() == "89,50")
        assert form.row("discount_percent").value() == "7,5"


async def test_lines_and_picker_speak_the_interface_language(world, database):
    """In Dutch: the editor's headings, keys, sources and the picker's keys (enter picks)."""
    from support.app import footer_ids

    from tradium_tui import i18n

    admin = world["admin"]
    quotes.create_quote(admin, world["customer"].id, {},
                        [{"article": "LED-600", "quantity": "2"}])
    import dataclasses

    i18n.use("nl", "nl_NL")
    settings = dataclasses.replace(settings_for(database), language="nl")
    app = make_app(settings=settings, actor=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        _main, _pane, editor = await _editor(pilot)
        table = editor.query_one(DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[1:4] == ["Artikel", "Omschrijving", "Aantal"] and "Prijs uit" in headings
        await wait_for(pilot, lambda: editor.sources and editor.sources[0])
        assert editor.sources[0] == "verkoopprijs; conditie: LED-600 12,5 %"
        footer = editor.query_one("AppFooter").text()
        assert "Regel toevoegen" in footer and "Regels opslaan" in footer
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, LineForm))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticlePicker))
        picker = app.screen
        assert "picker_pick" in footer_ids(picker)
        assert "Kiezen" in picker.query_one("AppFooter").text()
        await pilot.press(*"led")
        await wait_for(pilot, lambda: picker.codes == ["LED-600"])
        assert str(picker.query_one("#picker-status").content) == "1 artikel"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LineForm))
        assert app.screen.row("article").value() == "LED-600"
