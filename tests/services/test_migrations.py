"""Schema versions: from an empty database, from the previous schema, and a newer one refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee
import pytest

from tradium_tui import cli
from tradium_tui import db as dbmod
from tradium_tui.db import schema
from tradium_tui.models import ALL_MODELS, Customer, Invoice, Order, Role, SchemaVersion
from tradium_tui.services.search.customers import search_customers


@pytest.fixture
def empty(db_url):
    dbmod.connect(db_url)
    yield db_url
    dbmod.database.close()


def _version_after(description: str) -> int:
    """The version a database has once the step whose description starts so has run."""
    return 1 + next(i for i, (text, _) in enumerate(schema.MIGRATIONS) if text.startswith(description))


def _search_objects() -> set[str]:
    database = dbmod.database.obj
    if dbmod.is_sqlite(database):
        rows = database.execute_sql(
            "SELECT name FROM sqlite_master WHERE name LIKE 'customer_fts%'").fetchall()
    else:
        rows = database.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE indexname = 'customer_search_doc'").fetchall()
    return {name for (name,) in rows}


def test_from_empty(empty):
    assert schema.current_version() == 0
    latest = schema.latest_version()
    assert latest >= 2
    assert schema.ensure_schema() == (0, latest)
    database = dbmod.database.obj
    tables = set(database.get_tables())
    assert {m._meta.table_name for m in ALL_MODELS} <= tables
    versions = [v for (v,) in SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version).tuples()]
    assert versions == list(range(1, latest + 1))
    assert all(row.description for row in SchemaVersion.select())
    assert {r.name for r in Role.select()} >= {"admin", "account_manager", "sales"}
    assert _search_objects()
    # Running it again changes nothing.
    assert schema.ensure_schema() == (latest, latest)
    assert SchemaVersion.select().count() == latest


def _old_customer_model() -> type[Customer]:
    """The customer model as the schema stands: before the price-list step the table has a
    text column ``price_list`` (not null) where the model now has a reference."""
    if "price_list" not in {c.name for c in dbmod.database.obj.get_columns("customer")}:
        return Customer

    class OldCustomer(Customer):
        price_list = peewee.CharField(max_length=60, default="")

        class Meta:
            table_name = "customer"

    return OldCustomer


def _old_data() -> Customer:
    model = _old_customer_model()
    customer = model.create(number=77, name="Oldtimer Transport BV", visit_city="Zwolle",
                            visit_postcode="8011 AB", email="info@oldtimer.nl")
    model.create(number=78, name="Gone BV", deleted_at=dt.datetime(2024, 1, 1))
    Order.create(customer=customer, number="O-OLD-1", order_date=dt.date(2024, 5, 1),
                 total_excl=Decimal("250.00"), total_incl=Decimal("302.50"))
    Order.create(customer=customer, number="O-OLD-2", order_date=dt.date(2024, 6, 1),
                 status="cancelled", total_excl=Decimal("99.00"))
    # Revenue is invoiced: 250.00 + (−40.00 credit note); the cancelled invoice and VAT do not count.
    for number, amount, status in (("F-OLD-1", "250.00", "paid"), ("F-OLD-2", "99.00", "cancelled"),
                                   ("F-OLD-3", "-40.00", "open")):
        Invoice.create(customer=customer, number=number, invoice_date=dt.date(2024, 6, 1),
                       due_date=dt.date(2024, 7, 1), amount_excl=Decimal(amount),
                       amount_incl=Decimal(amount) * Decimal("1.21"), status=status,
                       customer_number=customer.number, customer_name=customer.name)
    return customer


def test_from_the_previous_schema_indexes_existing_data(empty):
    """Version 1 (tables only) with data in it, then upgraded: the search finds the data."""
    assert schema.ensure_schema(target=1) == (0, 1)
    assert schema.current_version() == 1
    assert not _search_objects()
    customer = _old_data()
    latest = schema.latest_version()
    # Opening an older database upgrades it on start.
    dbmod.database.close()
    schema.init(empty)
    assert schema.current_version() == latest
    hits = search_customers("oldtimer")
    assert [h.id for h in hits] == [customer.id]
    assert search_customers("Gone BV") == []  # deleted customers stay out of the index
    database = dbmod.database.obj
    if dbmod.is_sqlite(database):
        rows = database.execute_sql("SELECT rowid FROM customer_fts").fetchall()
        assert rows == [(customer.id,)]
    if "customer_revenue" in database.get_tables():
        stored = dict(database.execute_sql("SELECT customer_id, revenue FROM customer_revenue").fetchall())
        assert Decimal(str(stored[customer.id])) == Decimal("210.00")
    # New writes after the upgrade are indexed by the triggers/index as well.
    fresh = Customer.create(number=79, name="Newcomer Logistics")
    assert [h.id for h in search_customers("newcomer")] == [fresh.id]


def test_each_step_upgrades_from_the_one_before(empty):
    latest = schema.latest_version()
    for target in range(1, latest + 1):
        before, after = schema.ensure_schema(target=target)
        assert (before, after) == (target - 1, target)
        assert schema.current_version() == target
        if target == 1:
            _old_data()
    assert [h.name for h in search_customers("oldtimer")] == ["Oldtimer Transport BV"]


def test_a_newer_schema_is_refused(empty, capsys):
    latest = schema.latest_version()
    schema.ensure_schema()
    SchemaVersion.create(version=latest + 1, description="from a newer program")
    with pytest.raises(schema.SchemaTooNew) as info:
        schema.ensure_schema()
    message = str(info.value)
    assert "newer" in message and str(latest + 1) in message and "\n" not in message
    dbmod.database.close()
    with pytest.raises(schema.SchemaTooNew):
        schema.init(empty)
    # The command line says so in one sentence and exits 2, for an upgrade and for the app.
    for argv in (["db", "upgrade", "--db", empty], ["--db", empty, "--user", "x"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("tradium-tui: ") and "newer" in err and "Traceback" not in err
        assert len(err.splitlines()) == 1
    dbmod.connect(empty)
    assert schema.current_version() == latest + 1  # nothing was changed
    assert cli.main(["db", "version", "--db", empty]) == 1
    assert "newer than this program knows" in capsys.readouterr().out


def test_db_upgrade_command_reports_versions(empty, capsys):
    latest = schema.latest_version()
    schema.ensure_schema(target=1)
    dbmod.database.close()
    assert cli.main(["db", "upgrade", "--db", empty]) == 0
    assert capsys.readouterr().out.strip().endswith(f"from version 1 to {latest}.")
    assert cli.main(["--db", empty, "db", "upgrade"]) == 0
    assert f"Schema version {latest} " in capsys.readouterr().out
    assert cli.main(["db", "version", "--db", empty]) == 0
    assert "(up to date)" in capsys.readouterr().out


def _audit_indexes() -> set[str]:
    return {index.name for index in dbmod.database.obj.get_indexes("audit_record")}


def test_the_audit_time_index_goes_and_the_lookups_stay(empty):
    """A step drops the index nobody reads; the ones History and locking use remain."""
    schema.ensure_schema(target=_version_after("drop the unused index") - 1)
    dbmod.database.obj.execute_sql("CREATE INDEX IF NOT EXISTS audit_record_at ON audit_record (at)")
    assert "audit_record_at" in _audit_indexes()
    schema.ensure_schema()
    assert schema.current_version() >= _version_after("drop the unused index")
    indexes = _audit_indexes()
    assert "audit_record_at" not in indexes
    assert {"audit_record_customer_id", "audit_record_table_record_id"} <= indexes


def test_invoicing_step_upgrades_a_database_without_it(empty):
    """A schema from before invoice lines, VAT rows and invoiced quantities: the step adds
    them and gives the old invoices their rows from their orders."""
    from tradium_tui.models import InvoiceLine, InvoiceVat, OrderLine
    from tradium_tui.services import invoice_vat

    latest = schema.latest_version()
    step = _version_after("invoices from orders")
    schema.ensure_schema()
    customer = Customer.create(number=80, name="Oude Klant BV")
    order = Order.create(customer=customer, number="O-OLD-9", order_date=dt.date(2024, 5, 1))
    database = dbmod.database.obj
    database.execute_sql("DROP TABLE invoice_line")
    database.execute_sql("DROP TABLE invoice_vat")
    database.execute_sql("ALTER TABLE order_line DROP COLUMN invoiced_quantity")
    database.execute_sql("ALTER TABLE invoice DROP COLUMN payment_term_days")
    if dbmod.is_postgres(database):  # SQLite cannot drop a column with a foreign key
        database.execute_sql("ALTER TABLE invoice DROP COLUMN credited_invoice_id")
    database.execute_sql(
        "INSERT INTO order_line (order_id, position, article, description, quantity, "
        "delivered_quantity, backorder_quantity, unit_price, cost_price, discount_percent, "
        f"vat_rate) VALUES ({order.id}, 1, 'A', 'Old', 2, 2, 0, 50, 0, 0, 9)"
    )
    columns = ("customer_id, number, order_id, invoice_date, due_date, amount_excl, vat_amount, "
               "amount_incl, paid_amount, status, customer_number, customer_name, "
               "customer_address, customer_vat_number, version, created_at, updated_at")
    database.execute_sql(
        f"INSERT INTO invoice ({columns}) VALUES ({customer.id}, 'F2024-000001', {order.id}, "
        "'2024-05-02', '2024-06-01', 100, 9, 109, 0, 'open', 80, 'Oude Klant BV', '', '', 1, "
        "'2024-05-02 10:00:00', '2024-05-02 10:00:00')"
    )
    SchemaVersion.delete().where(SchemaVersion.version >= step).execute()
    assert schema.ensure_schema() == (step - 1, latest)  # the later steps run again, harmlessly
    invoice = Invoice.get(Invoice.number == "F2024-000001")
    assert invoice_vat.vat_rows(invoice.id) == [invoice_vat.VatRow(Decimal("9"), Decimal("100.00"),
                                                             Decimal("9.00"))]
    assert InvoiceLine.select().count() == 1 and InvoiceVat.select().count() == 1
    assert OrderLine.get().invoiced_quantity == Decimal("2")
    assert invoice.payment_term_days is None and invoice.credited_invoice_id is None


def test_the_steps_build_what_the_models_describe(empty):
    """The steps create tables from their own SQL, never from the models: a model changed
    without a new step shows here (columns, nullability, the models' indexes)."""
    schema.ensure_schema()
    database = dbmod.database.obj
    for model in ALL_MODELS:
        table = model._meta.table_name
        stored = {column.name: column.null for column in database.get_columns(table)}
        described = {field.column_name: field.null for field in model._meta.sorted_fields}
        assert stored == described, f"{table}: the model differs from the schema; add a step"
        indexes = {index.name for index in database.get_indexes(table)}
        wanted = {index._name for index in model._meta.fields_to_index()}
        assert wanted <= indexes, f"{table}: indexes {wanted - indexes} are missing; add a step"


def test_a_new_database_has_the_default_roles_the_rules_describe(empty):
    """The first step writes the default roles as rows of its own; they are the roles
    services.access describes, with their rights, tab levels and tab order."""
    from tradium_tui.models import TabPermission
    from tradium_tui.services.access import DEFAULT_ROLES, TABS

    schema.ensure_schema()
    roles = {role.name: role for role in Role.select()}
    assert set(roles) == set(DEFAULT_ROLES)
    for name, spec in DEFAULT_ROLES.items():
        role = roles[name]
        assert (role.label, role.can_edit_base, role.can_manage_users, role.can_import_export) == (
            spec["label"], spec["can_edit_base"], spec["can_manage_users"], spec["can_import_export"])
        assert role.tab_order == ",".join(TABS) and role.version == 1
        levels = {p.tab: p.level for p in TabPermission.select().where(TabPermission.role == role)}
        assert levels == spec["levels"]
