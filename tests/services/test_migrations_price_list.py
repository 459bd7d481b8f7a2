"""The customer's price list as a reference: the upgrade that turns names into ids, the
refusal to delete a list still in use, and every door that reads or writes it (form
service, import and export, merge display, personal-data export)."""

from __future__ import annotations

import peewee
import pytest

from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import AuditRecord, Customer, PriceList, PriceListItem, Role, User
from tradium_tui.services import customers, gdpr, pricing
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import PermissionDenied, ValidationError
from tradium_tui.services.merge import planning
from tradium_tui.services.transfer import customer_import, exports


@pytest.fixture
def empty(db_url):
    dbmod.connect(db_url)
    yield db_url
    dbmod.database.close()


def _version_after(description: str) -> int:
    return 1 + next(i for i, (text, _) in enumerate(schema.MIGRATIONS) if text.startswith(description))


def _old_customer_model() -> type[Customer]:
    class OldCustomer(Customer):  # the table before the step: the name as text
        price_list = peewee.CharField(max_length=60, default="")

        class Meta:
            table_name = "customer"

    return OldCustomer


def _customer_columns() -> set[str]:
    return {c.name for c in dbmod.database.obj.get_columns("customer")}


def test_the_upgrade_turns_names_into_references(empty):
    step = _version_after("the customer's price list refers")
    schema.ensure_schema(target=step - 1)
    assert "price_list" in _customer_columns()
    wholesale = PriceList.create(name="Wholesale")
    retail = PriceList.create(name="Retail")
    old = _old_customer_model()
    names = {101: "Wholesale", 102: "  Wholesale ", 103: "retail", 104: "", 105: "Projects 2024",
             106: "Projects 2024"}
    for number, name in names.items():
        old.create(number=number, name=f"Customer {number}", price_list=name)
    lists_before = PriceList.select().count()

    schema.ensure_schema()
    assert schema.current_version() == schema.latest_version()
    columns = _customer_columns()
    assert "price_list" not in columns and "price_list_id" in columns
    got = {c.number: c.__data__["price_list"] for c in Customer.select()}
    projects = PriceList.get(PriceList.name == "Projects 2024")
    assert got == {101: wholesale.id, 102: wholesale.id, 103: retail.id, 104: None,
                   105: projects.id, 106: projects.id}
    # The name nobody had a list for got one (empty: the article's own price, as before).
    assert PriceList.select().count() == lists_before + 1
    assert not PriceListItem.select().where(PriceListItem.price_list == projects.id).exists()
    assert "customer_price_list_id" in {i.name for i in dbmod.database.obj.get_indexes("customer")}


def test_the_database_refuses_to_delete_a_list_in_use(database):
    used = PriceList.create(name="Wholesale")
    Customer.create(number=1, name="A BV", price_list=used)
    with pytest.raises(peewee.IntegrityError):
        with database.atomic():
            PriceList.delete().where(PriceList.id == used.id).execute()
    assert PriceList.get_or_none(PriceList.id == used.id) is not None


@pytest.fixture
def admin(database):
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    User.create(username="sam", role=Role.get(Role.name == "sales"))
    return actor_for("anna")


def test_deleting_a_list_in_use_is_refused_with_the_customers(admin):
    used = PriceList.create(name="Wholesale")
    for number in (3, 1, 2):
        Customer.create(number=number, name=f"C{number}", price_list=used)
    with pytest.raises(pricing.PriceListInUse) as info:
        pricing.delete_price_list(admin, used.id, used.version)
    message = str(info.value)
    assert info.value.count == 3
    assert message == ("The price list 'Wholesale' is still the price list of 3 customers "
                       "(1, 2, 3); give them another price list or none first, then delete it.")
    with pytest.raises(PermissionDenied):
        pricing.delete_price_list(actor_for("sam"), used.id, used.version)
    # Unused: it goes, with its prices, and the audit trail says so.
    spare = PriceList.create(name="Spare")
    from tradium_tui.models import Article

    article = Article.create(code="A-1", description="A", sales_price=10, cost_price=5)
    PriceListItem.create(price_list=spare, article=article, price=9)
    pricing.delete_price_list(admin, spare.id, spare.version)
    assert PriceList.get_or_none(PriceList.id == spare.id) is None
    assert not PriceListItem.select().where(PriceListItem.price_list == spare.id).exists()
    trail = AuditRecord.select().where((AuditRecord.table == "price_list")
                                       & (AuditRecord.record_id == spare.id))
    assert {(a.action, a.username, a.field, a.old_value) for a in trail} >= {
        ("delete", "anna", "name", "Spare")}


def test_the_customer_service_takes_a_list_by_id_or_name(admin):
    wholesale = PriceList.create(name="Wholesale")
    made = customers.create_customer(admin, {"name": "Lijst BV", "price_list": str(wholesale.id)},
                                     check_online=False).customer
    assert made.__data__["price_list"] == wholesale.id
    changed = customers.update_customer(admin, made.id, {"price_list": ""}, made.version,
                                        check_online=False).customer
    assert changed.__data__["price_list"] is None
    changed = customers.update_customer(admin, made.id, {"price_list": "Wholesale"},
                                        changed.version, check_online=False).customer
    assert changed.__data__["price_list"] == wholesale.id
    with pytest.raises(ValidationError) as info:
        customers.update_customer(admin, made.id, {"price_list": "Nope"}, changed.version,
                                  check_online=False)
    assert info.value.errors["price_list"] == "There is no price list 'Nope'."


def test_import_resolves_the_name_and_refuses_an_unknown_one(admin, tmp_path):
    wholesale = PriceList.create(name="Wholesale")
    good = tmp_path / "good.csv"
    good.write_text("number,name,price list\n801,Een BV,wholesale\n802,Twee BV,\n")
    report = customer_import.import_customers(admin, good, home_country="NL")
    assert report.exit_code == 0 and report.created == 2, report.detail_lines()
    assert Customer.get(Customer.number == 801).__data__["price_list"] == wholesale.id
    assert Customer.get(Customer.number == 802).__data__["price_list"] is None

    bad = tmp_path / "bad.csv"
    bad.write_text("number,name,price list\n803,Drie BV,Wholesale\n804,Vier BV,Retail 2030\n")
    report = customer_import.import_customers(admin, bad, home_country="NL")
    assert report.exit_code == 1 and not report.written
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "There is no price list 'Retail 2030'.")]
    assert not Customer.select().where(Customer.number.in_([803, 804])).exists()

    out = tmp_path / "out.csv"
    exports.export_customers(admin, out)
    text = out.read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    column = header.split(",").index("price_list") if "price_list" in header.split(",") else None
    assert column is not None, header
    by_number = {row.split(",")[0]: row.split(",")[column] for row in rows}
    assert by_number["801"] == "Wholesale" and by_number["802"] == ""
    # What the export wrote reads back unchanged.
    report = customer_import.import_customers(admin, out, home_country="NL",
                                              on_duplicate="update")
    assert report.exit_code == 0 and report.updated == 0, report.detail_lines()


def test_merge_and_personal_data_name_the_list(admin):
    wholesale = PriceList.create(name="Wholesale")
    customer = Customer.create(number=5, name="Vijf BV", price_list=wholesale)
    assert planning.display("price_list", wholesale.id) == "Wholesale"
    assert planning.display("price_list", None) == ""
    data = gdpr.person_data(admin, customer.id)
    assert data["customer"]["price_list"] == wholesale.id
    assert data["customer"]["price_list_name"] == "Wholesale"


def test_the_customer_form_offers_the_lists_and_none(admin):
    from tradium_tui.screens.customer_form import customer_fields, load_context

    wholesale = PriceList.create(name="Wholesale")
    PriceList.create(name="[b]Odd[/b]")
    customer = Customer.create(number=6, name="Zes BV", price_list=wholesale)
    context = load_context(admin, None, customer.id)
    spec = next(s for s in customer_fields(context) if s.name == "price_list")
    assert spec.kind == "select"
    choices = [(str(label), value) for label, value in spec.choices]
    assert choices[0] == ("none", "")
    assert sorted(choices[1:]) == sorted([
        ("Wholesale", str(wholesale.id)), ("[b]Odd[/b]", str(PriceList.get(name="[b]Odd[/b]").id))])
    assert context.values["price_list"] == str(wholesale.id)
    assert load_context(admin, "company", None).values.get("price_list", "") == ""


def test_the_demo_gives_wholesale_and_key_accounts_their_price_list(database):
    import datetime as dt

    from tradium_tui.demo.seed import seed_demo
    from tradium_tui.models import CustomerGroup

    seed_demo(customers=150, seed=7, today=dt.date(2025, 6, 15), home_country="NL")
    rows = list(Customer.select(Customer.price_list, CustomerGroup.name)
                .join(CustomerGroup, peewee.JOIN.LEFT_OUTER).tuples())
    names = dict(PriceList.select(PriceList.id, PriceList.name).tuples())
    with_list = [(names[list_id], group) for list_id, group in rows if list_id is not None]
    assert with_list and all(name == group for name, group in with_list)
    assert {group for _id, group in rows if _id is None}.isdisjoint({"Wholesale", "Key accounts"})
