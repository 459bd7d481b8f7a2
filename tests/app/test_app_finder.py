"""Finding a customer: as you type by every field kind, by barcode, recent customers, and
the command palette provider."""

from __future__ import annotations

import pytest
from support.app import (
    COMPANY,
    create_customer,
    loaded_pane,
    record_notifications,
    started,
    wait_for,
)

from tradium_tui.palette import CustomerSearchProvider
from tradium_tui.screens.finder import FinderScreen


@pytest.fixture
def world(team, database):
    admin = team["admin"]
    target = create_customer(admin, **COMPANY)
    other = create_customer(
        admin, kind="company", name="Zeta Tools B.V.", visit_country="NL", visit_city="Utrecht",
        visit_postcode="3511 AA", email="sales@zeta.example", phone="030 765 4321",
        reference="ZT-0042",
    )
    return {"admin": admin, "target": target, "other": other}


async def open_finder(pilot, main) -> FinderScreen:
    await pilot.press("f")
    finder = pilot.app.screen
    assert isinstance(finder, FinderScreen)
    await wait_for(pilot, lambda: finder.search_count >= 1)  # the recent list
    return finder


async def type_and_wait(pilot, finder: FinderScreen, text: str) -> None:
    await pilot.press(*text)
    await wait_for(pilot, lambda: finder.hits_query == text)


FIELD_QUERIES = [
    "berg handel",  # name, several words
    "VAN DER",  # case-insensitive
    "AMSTERDAM",  # city
    "1015 cx",  # postcode with its space
    "1015cx",  # postcode without it
    "info@vdberg",  # e-mail
    "1234567",  # phone digits
    "nl 0044 95 445 b01",  # VAT number, whole, typed loosely
    "345678906",  # reference (loyalty card)
]


async def clear(pilot, finder: FinderScreen) -> None:
    finder.query_one("#finder-input").value = ""
    finder.query_one("#finder-input").focus()
    await wait_for(pilot, lambda: finder.hits_query == "")


async def test_search_by_each_field_kind(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        for query in FIELD_QUERIES:
            await clear(pilot, finder)
            await type_and_wait(pilot, finder, query)
            assert [hit.id for hit in finder.hits] == [world["target"].id], query


async def test_enter_opens_the_customer_found(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        main.open_customer(world["other"].id)
        await wait_for(pilot, lambda: main.customer_id == world["other"].id)
        finder = await open_finder(pilot, main)
        await type_and_wait(pilot, finder, "amsterdam")
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.customer_id == world["target"].id)
        assert app.screen is main


async def test_search_by_number(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        finder = await open_finder(pilot, app.main_screen)
        number = str(world["other"].number)
        await type_and_wait(pilot, finder, number)
        assert finder.hits[0].id == world["other"].id
        cells = finder.query_one("#finder-results").get_row_at(0)
        assert [str(c) for c in cells] == [number, "Zeta Tools B.V.", "Utrecht", "3511 AA", "NL"]


async def test_barcode_opens_directly_even_before_results_arrive(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        # A scanner types the code and Enter at once.
        await pilot.press(*"ZT-0042", "enter")
        await wait_for(pilot, lambda: main.customer_id == world["other"].id)
        assert app.screen is main
        assert finder.hits_query != "ZT-0042" or finder.hits


async def test_enter_without_exact_code_opens_the_first_hit(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        await pilot.press(*"zeta", "enter")
        await wait_for(pilot, lambda: main.customer_id == world["other"].id)
        assert finder.search_count >= 1


async def test_results_can_be_chosen_with_the_arrow_keys(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        await type_and_wait(pilot, finder, "b.v.")
        assert len(finder.hits) == 2
        second = finder.hits[1].id
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: main.customer_id == second)


ODD_QUERIES = ['"', "a*", "NEAR(x", "50%", "_", "((", "')", "\\", "é😀"]


async def test_search_text_is_data_never_an_error(new_app, world, database):
    app = new_app(world["admin"])
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        for query in ODD_QUERIES:
            await clear(pilot, finder)
            finder.query_one("#finder-input").value = query  # as pasted
            await wait_for(pilot, lambda q=query: finder.hits_query == q)
            assert finder.hits == [], query
        # Query words are data too: "AND" is found inside "Handel".
        await clear(pilot, finder)
        await type_and_wait(pilot, finder, "B AND van")
        assert [hit.id for hit in finder.hits] == [world["target"].id]
        await clear(pilot, finder)
        await type_and_wait(pilot, finder, '"((')
        await pilot.press("enter")
        await pilot.pause()
        assert not notes
        assert app.screen is finder


async def test_recent_customers_are_one_key_away(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        main.open_customer(world["other"].id)
        await wait_for(pilot, lambda: main.customer_id == world["other"].id)
        await pilot.press("r")
        finder = app.screen
        assert isinstance(finder, FinderScreen)
        await wait_for(pilot, lambda: finder.search_count >= 1 and finder.hits)
        assert [hit.id for hit in finder.hits][:2] == [world["other"].id, world["target"].id]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: main.customer_id == world["target"].id)


async def test_escape_closes_the_finder_and_keeps_the_customer(new_app, world, database):
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        before = main.customer_id
        finder = await open_finder(pilot, main)
        await type_and_wait(pilot, finder, "zeta")
        await pilot.press("escape")
        assert app.screen is main
        assert main.customer_id == before


async def test_palette_provider_finds_and_opens_customers(new_app, world, database):
    app = new_app(world["admin"])
    assert CustomerSearchProvider in app.COMMANDS
    assert len(app.COMMANDS) > 1  # Textual's own system commands are kept
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        provider = CustomerSearchProvider(main)
        hits = [hit async for hit in provider.search("utrecht")]
        assert len(hits) == 1
        assert "Zeta Tools B.V." in str(hits[0].text)
        hits[0].command()
        await wait_for(pilot, lambda: main.customer_id == world["other"].id)
        recent = [hit async for hit in provider.discover()]
        assert recent and "Zeta Tools B.V." in str(recent[0].display)


async def test_recent_and_refresh_keys_work_on_the_analysis_tabs(new_app, world, database):
    """r is Recent customers on every tab, the figure tabs included; F5 computes again."""
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        for tab in ("analysis", "graph"):
            main.show_tab(tab)
            pane = await loaded_pane(pilot, main, tab)
            loads = pane.load_count
            await pilot.press("f5")
            await wait_for(pilot, lambda pane=pane, loads=loads: pane.load_count > loads)
            await pilot.press("r")
            assert isinstance(app.screen, FinderScreen), tab
            await pilot.press("escape")
            assert app.screen is main


async def test_a_contact_match_shows_via_contact_and_the_text_is_marked(new_app, world, database):
    from tradium_tui.models import Contact
    from tradium_tui.screens.finder import MARK_STYLE

    Contact.create(customer=world["target"].id, name="Iris Meijer", mobile="+31 6 12345678")
    app = new_app(world["admin"])
    async with app.run_test(size=(120, 40)) as pilot:
        main = await started(pilot)
        finder = await open_finder(pilot, main)
        await type_and_wait(pilot, finder, "iris mei")
        assert [hit.id for hit in finder.hits] == [world["target"].id]
        table = finder.query_one("#finder-results")
        name = table.get_row_at(0)[1]
        assert name.plain == "Van der Berg Handel B.V. · via contact Iris Meijer"
        marked = {name.plain[s.start:s.end] for s in name.spans if MARK_STYLE in str(s.style)}
        assert "Iris Mei" in marked and "Van der" not in "".join(marked)
        # A national phone number finds the contact's mobile; the digits are marked.
        await clear(pilot, finder)
        await type_and_wait(pilot, finder, "06 1234")
        name = table.get_row_at(0)[1]
        assert name.plain.endswith("via contact Iris Meijer")
        await clear(pilot, finder)
        await type_and_wait(pilot, finder, "amsterdam")
        city = table.get_row_at(0)[2]
        assert [city.plain[s.start:s.end] for s in city.spans] == ["Amsterdam"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.customer_id == world["target"].id)
