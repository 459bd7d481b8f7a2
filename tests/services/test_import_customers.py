"""Customer import from real files written here: encodings, separators, xlsx, duplicates,
validation (all-or-nothing, skip-invalid, dry-run), audit, numbering, round trip."""

from __future__ import annotations

import os
from decimal import Decimal

import openpyxl
import pytest

from tradium_tui.models import AuditRecord, Counter, Customer, CustomerTag, Role, Tag, User
from tradium_tui.services import audit, customers, groups, history, validation
from tradium_tui.services.access import actor_for
from tradium_tui.services.errors import PermissionDenied
from tradium_tui.services.transfer import (
    bulk,
    customer_format,
    customer_import,
    customer_plan,
    customer_writer,
    exports,
    row_validation,
    tabular,
)
from tradium_tui.services.transfer.reports import ImportConflict, UnusableFile

VALID_IBAN = "NL91ABNA0417164300"
VALID_VAT = "NL000099998B57"
BAD_IBAN = "NL00ABNA0417164300"


def write(path, text: str, encoding: str = "utf-8", bom: bool = False):
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def run(actor, path, **kwargs):
    kwargs.setdefault("home_country", "NL")
    return customer_import.import_customers(actor, path, **kwargs)


def by_number(number: int) -> Customer:
    return Customer.get(Customer.number == number)


def test_utf8_bom_semicolons_and_dutch_headers(admin, tmp_path):
    path = write(
        tmp_path / "klanten.csv",
        "Klantnummer;Bedrijfsnaam;E-mail;Straat;Huisnummer;Postcode;Woonplaats;Land;"
        "BTW-nummer;KvK-nummer;IBAN;Kredietlimiet;Mailingcode\r\n"
        f"2001;Bakkerij Émile;INFO@Emile.NL;Dorpsstraat;12a;1234ab;Utrecht;NL;{VALID_VAT};"
        f"12345678;{VALID_IBAN};1.500,50;3\r\n",
        bom=True,
    )
    report = run(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert (report.created, report.rejected) == (1, 0)
    assert report.written
    assert "utf-8-sig" in report.file_kind and "semicolon" in report.file_kind
    c = by_number(2001)
    assert c.name == "Bakkerij Émile"
    assert c.email == validation.check_email("INFO@Emile.NL")  # normalised as in the form
    assert (c.visit_street, c.visit_house_number, c.visit_postcode, c.visit_city) == (
        "Dorpsstraat", "12a", "1234 AB", "Utrecht",
    )
    assert c.vat_status == "valid"
    assert c.bic == "ABNANL2A"
    assert c.credit_limit == Decimal("1500.50")
    assert c.mailing_code == 3
    assert "1 created" in report.summary()


def test_windows_1252_accents_tab_separated(admin, tmp_path):
    path = write(
        tmp_path / "latin.txt",
        "customer number\tcompany\tcity\tcountry\tremarks\n"
        "3001\tCafé Müller\tMünchen\tDE\tJürgen\n"
        "3002\tPeña y Cía\tCoruña\tES\tseñor\n",
        encoding="cp1252",
    )
    report = run(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert "cp1252" in report.file_kind and "tab" in report.file_kind
    assert by_number(3001).name == "Café Müller"
    assert by_number(3001).visit_city == "München"
    assert by_number(3002).name == "Peña y Cía"
    assert by_number(3002).remarks == "señor"


def test_quoted_fields_with_newlines_and_separators(admin, tmp_path):
    path = write(
        tmp_path / "quoted.csv",
        'number,name,remarks,city\n'
        '4001,"Smit, Zonen & Co","first line\nsecond, line ""quoted""",Delft\n'
        '4002,Plain BV,,Leiden\n'
        '4003,"Back\\slash ""BV""",\\N,Ede\n',
    )
    report = run(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert by_number(4001).name == "Smit, Zonen & Co"
    assert by_number(4001).remarks == 'first line\nsecond, line "quoted"'
    assert by_number(4002).visit_city == "Leiden"
    assert by_number(4003).name == 'Back\\slash "BV"'
    assert by_number(4003).remarks == "\\N"  # text, not a missing value


def test_xlsx_file(admin, tmp_path):
    path = tmp_path / "klanten.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Klantnummer", "Naam", "Plaats", "Kredietlimiet", "Telefoon", "Tags"])
    sheet.append([5001, "Tuincentrum Groen", "Gouda", 2500.5, "0182 123 456", "vip, tuin"])
    sheet.append([None, None, None, None, None, None])  # blank rows are skipped
    sheet.append([5002, "Ñandú SL", "Madrid", None, None, None])
    book.save(path)
    report = run(admin, path)
    assert report.exit_code == 0, report.detail_lines()
    assert report.file_kind == "Excel workbook"
    assert report.created == 2
    c = by_number(5001)
    assert c.credit_limit == Decimal("2500.50")
    assert c.phone.startswith("+31 182")
    assert groups.tags_of(c.id) == ["tuin", "vip"]
    assert by_number(5002).name == "Ñandú SL"


def test_duplicate_numbers_in_the_file_are_errors(admin, tmp_path):
    path = write(tmp_path / "dup.csv", "number,name\n6001,A BV\n6002,B BV\n6001,C BV\n")
    report = run(admin, path)
    assert report.exit_code == 1
    assert report.rejected == 2 and not report.written
    rows = sorted(i.row for i in report.errors)
    assert rows == [2, 4]
    assert "appears more than once in the file (rows 2, 4)" in report.errors[0].message
    assert Customer.select().count() == 0
    report = run(admin, path, skip_invalid=True)
    assert report.created == 1 and report.rejected == 2
    assert [c.number for c in Customer.select()] == [6002]


def test_update_fills_in_given_fields_and_ignore_leaves_alone(admin, tmp_path):
    made = customers.create_customer(
        admin, {"number": 7001, "name": "Oud BV", "email": "oud@x.nl", "visit_city": "Breda"},
        check_online=False,
    ).customer
    audits_before = AuditRecord.select().count()
    path = write(tmp_path / "upd.csv", "klantnummer,naam,plaats,e-mail\n7001,Oud BV,Tilburg,\n")

    ignored = run(admin, path, on_duplicate="ignore")
    assert (ignored.ignored, ignored.updated, ignored.exit_code) == (1, 0, 0)
    assert by_number(7001).visit_city == "Breda"
    assert AuditRecord.select().count() == audits_before

    report = run(admin, path, on_duplicate="update")
    assert (report.updated, report.created) == (1, 0), report.detail_lines()
    c = by_number(7001)
    assert c.visit_city == "Tilburg"
    assert c.email == "oud@x.nl"  # an empty cell leaves the field alone
    assert c.version == made.version + 1
    new = list(AuditRecord.select().where(AuditRecord.id > 0).order_by(AuditRecord.id))[audits_before:]
    assert [(a.field, a.old_value, a.new_value) for a in new] == [("visit_city", "Breda", "Tilburg")]
    assert new[0].username == "anna" and new[0].customer_id == c.id
    assert new[0].version == c.version and new[0].action == "update"


def test_rerunning_the_same_import_changes_nothing(admin, tmp_path):
    path = write(
        tmp_path / "same.csv",
        "number,name,email,city,postcode,iban,credit_limit,discount_percent,tags,charge_vat\n"
        f"8001,Een BV,een@x.nl,Utrecht,1234 AB,{VALID_IBAN},100,2.5,\"a, b\",no\n"
        "8002,Twee BV,twee@x.nl,Gouda,2801 AA,,0,0,,yes\n",
    )
    first = run(admin, path)
    assert first.created == 2
    snapshot = [(c.number, c.version, c.updated_at) for c in Customer.select().order_by(Customer.number)]
    audits = AuditRecord.select().count()
    second = run(admin, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2), second.detail_lines()
    assert not second.written
    assert AuditRecord.select().count() == audits
    assert [(c.number, c.version, c.updated_at) for c in Customer.select().order_by(Customer.number)] == snapshot


INVALID_ROWS = (
    "klantnummer;naam;e-mail;iban;btw-nummer;land\n"
    "9001;Goed BV;goed@x.nl;;;NL\n"
    f"9002;Slechte Bank BV;bank@x.nl;{BAD_IBAN};;NL\n"
    "9003;Slechte Mail BV;geen-mail@;;;NL\n"
    "9004;Foute BTW BV;btw@x.nl;;NL123;NL\n"
)


def test_invalid_rows_reject_the_whole_file_by_default(admin, tmp_path):
    path = write(tmp_path / "bad.csv", INVALID_ROWS)
    report = run(admin, path)
    assert report.exit_code == 1
    assert not report.written
    assert (report.created, report.rejected) == (2, 2)
    assert Customer.select().count() == 0
    assert AuditRecord.select().where(AuditRecord.table == "customer").count() == 0
    errors = {(i.row, i.column): i for i in report.errors}
    assert set(errors) == {(3, "iban"), (4, "e-mail")}
    assert errors[(3, "iban")].value == BAD_IBAN
    assert "checksum" in errors[(3, "iban")].message
    assert "Invalid e-mail address" in errors[(4, "e-mail")].message
    lines = report.detail_lines()
    assert any(line.startswith(f"row 3, column 'iban', value '{BAD_IBAN}': Invalid IBAN") for line in lines)
    assert "Nothing written: 2 rows rejected" in report.summary()


def test_skip_invalid_writes_the_good_rows(admin, tmp_path):
    path = write(tmp_path / "bad.csv", INVALID_ROWS)
    report = run(admin, path, skip_invalid=True)
    assert report.exit_code == 1
    assert report.written
    assert sorted(c.number for c in Customer.select()) == [9001, 9004]
    assert "rejected rows left out" in report.summary()


def test_dry_run_reports_and_writes_nothing(admin, tmp_path):
    path = write(tmp_path / "bad.csv", INVALID_ROWS)
    report = run(admin, path, dry_run=True, skip_invalid=True)
    assert (report.created, report.rejected, report.exit_code) == (2, 2, 1)
    assert not report.written
    assert Customer.select().count() == 0
    assert Counter.select().count() == 0
    assert "Dry run: nothing written." in report.summary()
    assert "2 to create" in report.summary()


def test_invalid_vat_number_is_imported_with_a_warning(admin, tmp_path):
    path = write(tmp_path / "bad.csv", INVALID_ROWS)
    run(admin, path, skip_invalid=True)
    c = by_number(9004)
    assert c.vat_status == "invalid"
    assert c.vat_number == "NL123"
    report = run(admin, write(tmp_path / "vat.csv", "number,name,vat\n9100,X BV,NL123\n"))
    assert report.exit_code == 0
    [warning] = report.warnings
    assert (warning.row, warning.column, warning.value) == (2, "vat", "NL123")
    assert "Invalid VAT number" in warning.message
    assert "warning: Invalid VAT number" in report.detail_lines()[-1]


def test_empty_file_is_unusable(admin, tmp_path):
    with pytest.raises(UnusableFile, match="empty"):
        run(admin, write(tmp_path / "empty.csv", ""))
    with pytest.raises(UnusableFile, match="empty"):
        run(admin, write(tmp_path / "blank.csv", "\n\n  \n"))


def test_header_only_file_imports_nothing(admin, tmp_path):
    report = run(admin, write(tmp_path / "head.csv", "klantnummer;naam;plaats\r\n"))
    assert (report.total, report.exit_code, report.written) == (0, 0, False)
    assert "no data rows" in " ".join(report.notes)
    assert "Nothing to write" in report.summary()


def test_binary_file_given_as_csv(admin, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000) + b"\x00\x00")
    with pytest.raises(UnusableFile, match="not a CSV text file"):
        run(admin, path)
    damaged = tmp_path / "broken.xlsx"
    damaged.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(UnusableFile, match="not a readable Excel workbook"):
        run(admin, damaged)


def test_file_without_name_or_number_column_is_unusable(admin, tmp_path):
    with pytest.raises(UnusableFile, match="no column for the customer's name"):
        run(admin, write(tmp_path / "x.csv", "city,country\nDelft,NL\n"))


def test_unknown_columns_are_reported(admin, tmp_path):
    report = run(admin, write(tmp_path / "u.csv", "naam,schoenmaat,plaats\nA BV,43,Delft\n"))
    assert report.created == 1
    assert any("'schoenmaat' is not a customer field" in n for n in report.notes)
    assert report.detail_lines()[0].startswith("note: column 2 'schoenmaat'")


def test_header_aliases_ignore_case_spaces_dashes_underscores():
    index = customer_format.customer_alias_index()
    for header, column in {
        " KLANT-NUMMER ": "number", "Customer_Number": "number", "e_mail": "email",
        "Btw nummer": "vat_number", "kvk nummer": "coc_number", "Woon-plaats": "city",
        "VAT number": "vat_number", "house_number": "house_number", "Mobiel": "mobile",
        "grootboek_rekening": "ledger_account", "Klant Groep": "customer_group",
        "Referentie": "reference", "Voornaam": "first_name", "Achter naam": "last_name",
        "Telefoon": "phone", "BIC": "bic", "Land": "country", "Company": "name",
    }.items():
        assert index[tabular.normalise_header(header)] == column, header


def test_rows_without_number_get_numbers_and_audit(admin, tmp_path, monkeypatch):
    monkeypatch.setattr(customer_writer, "AUDIT_BATCH", 4)  # audit rows written in several batches
    path = write(
        tmp_path / "new.csv",
        "number,name,city\n,Zonder Een,Delft\n20000,Met Nummer,Gouda\n,Zonder Twee,Leiden\n",
    )
    report = run(admin, path)
    assert report.created == 3
    numbers = {c.name: c.number for c in Customer.select()}
    assert numbers["Met Nummer"] == 20000
    assert sorted([numbers["Zonder Een"], numbers["Zonder Twee"]]) == [20001, 20002]
    # The counter moved past every number in use, so the form continues after them.
    made = customers.create_customer(admin, {"name": "Via formulier"}, check_online=False).customer
    assert made.number == 20003
    c = Customer.get(Customer.name == "Zonder Een")
    rows = list(AuditRecord.select().where(
        (AuditRecord.table == "customer") & (AuditRecord.record_id == c.id)
    ))
    # One audit row per new customer, holding all its values.
    assert [(r.action, r.version, r.customer_id, r.username, r.field) for r in rows] == [
        ("create", 1, c.id, "anna", audit.SNAPSHOT_FIELD)
    ]
    values = audit.snapshot_values(rows[0].new_value)
    assert values["name"] == "Zonder Een"
    assert values["number"] == str(c.number)
    assert values["visit_city"] == "Delft"
    assert c.version == 1
    for other in Customer.select().where(Customer.name != "Via formulier"):
        (created,) = AuditRecord.select().where(
            (AuditRecord.table == "customer") & (AuditRecord.record_id == other.id)
        )
        assert set(audit.snapshot_values(created.new_value)) >= {"number", "name", "visit_city"}
    # The History tab shows the import's values field by field, attributed to the importer.
    shown = {(h.action, h.field, h.new, h.who) for h in history.customer_history(admin, c.id)}
    assert {("created", "Name", "Zonder Een", "anna"), ("created", "City", "Delft", "anna"),
            ("created", "Number", str(c.number), "anna")} <= shown


def test_consumer_rows_by_first_and_last_name(admin, tmp_path):
    path = write(tmp_path / "p.csv", "voornaam;achternaam;plaats\nJan;de Vries;Zwolle\n;Jansen;Ede\n")
    report = run(admin, path)
    assert report.created == 2, report.detail_lines()
    c = Customer.get(Customer.last_name == "de Vries")
    assert (c.kind, c.name) == ("consumer", "Jan de Vries")


def test_tags_are_linked_and_replaced(admin, tmp_path):
    Tag.create(name="VIP")
    run(admin, write(tmp_path / "t1.csv", 'number,name,tags\n1,A BV,"vip, Beurs"\n'))
    c = by_number(1)
    assert groups.tags_of(c.id) == ["Beurs", "VIP"]  # existing tag matched case-insensitively
    report = run(admin, write(tmp_path / "t2.csv", 'number,tags\n1,"Beurs, Nieuw"\n'))
    assert report.updated == 1
    assert groups.tags_of(c.id) == ["Beurs", "Nieuw"]
    last = AuditRecord.select().where(AuditRecord.field == "tags").order_by(AuditRecord.id.desc()).first()
    assert (last.old_value, last.new_value) == ("Beurs, VIP", "Beurs, Nieuw")
    assert by_number(1).version == 2
    assert CustomerTag.select().count() == 2


def test_references_must_be_unique(admin, tmp_path):
    customers.create_customer(admin, {"name": "Heeft Kaart", "reference": "CARD1"}, check_online=False)
    path = write(tmp_path / "r.csv", "naam,referentie\nNieuw BV,CARD1\nTwee BV,CARD2\nDrie BV,CARD2\n")
    report = run(admin, path)
    messages = {i.row: i.message for i in report.errors}
    assert "already belongs to customer" in messages[2]
    assert "appears more than once" in messages[3] and "appears more than once" in messages[4]
    assert report.rejected == 3


def test_duplicate_guard_warns_for_rows_without_number(admin, tmp_path):
    known = customers.create_customer(
        admin, {"name": "Bekend BV", "email": "info@bekend.nl"}, check_online=False
    ).customer
    path = write(
        tmp_path / "d.csv",
        "naam,e-mail\nAnder BV,INFO@bekend.nl\nNog een,same@x.nl\nEn nog een,same@x.nl\n",
    )
    report = run(admin, path)
    assert report.created == 3
    texts = [w.message for w in report.warnings]
    assert any(f"duplicate of customer {known.number} (Bekend BV)" in t for t in texts)
    assert any("Rows 3, 4 have the same e-mail address" in t for t in texts)


def test_deleted_customer_number_and_extra_cells(admin, tmp_path):
    gone = customers.create_customer(admin, {"number": 500, "name": "Weg BV"}, check_online=False).customer
    customers.delete_customer(admin, gone.id, gone.version)
    path = write(tmp_path / "x.csv", "number,name\n500,Weg BV\n501,Te veel,extra\n")
    report = run(admin, path)
    messages = {i.row: i.message for i in report.errors}
    assert "deleted customer" in messages[2]
    assert "2 columns" in messages[3]
    assert report.rejected == 2


def test_import_needs_the_right(database, tmp_path):
    User.create(username="sam", role=Role.get(Role.name == "sales"))
    path = write(tmp_path / "a.csv", "naam\nA BV\n")
    with pytest.raises(PermissionDenied):
        run(actor_for("sam"), path)
    assert Customer.select().count() == 0


def test_forced_delimiter_and_encoding(admin, tmp_path):
    path = write(tmp_path / "f.csv", "naam|plaats\nCafé|Delft\n", encoding="latin-1")
    report = run(admin, path, delimiter="|", encoding="latin-1")
    assert report.created == 1
    assert Customer.get().name == "Café"
    with pytest.raises(UnusableFile, match="cannot be read as utf-8"):
        run(admin, path, encoding="utf-8")


def test_parallel_validation_gives_the_same_result(admin, tmp_path, monkeypatch):
    monkeypatch.setattr(row_validation, "PARALLEL_FROM", 10)
    monkeypatch.setattr(row_validation, "CHUNK", 7)
    lines = ["number,name,email,iban"]
    for i in range(30):
        iban = BAD_IBAN if i == 17 else VALID_IBAN
        lines.append(f"{100 + i},Klant {i},k{i}@x.nl,{iban}")
    path = write(tmp_path / "many.csv", "\n".join(lines) + "\n")
    report = run(admin, path, skip_invalid=True, workers=2)
    assert (report.created, report.rejected) == (29, 1)
    [error] = report.errors
    assert (error.row, error.column) == (19, "iban")
    assert Customer.select().count() == 29


def _export_text(actor, path) -> bytes:
    exports.export_customers(actor, path)
    return path.read_bytes()


def _rich_customers(actor):
    from tradium_tui.models import CustomerGroup

    CustomerGroup.create(name="Groothandel")
    customers.create_customer(actor, {
        "number": 1001, "kind": "company", "name": "Bakkerij Émile", "email": "info@emile.nl",
        "phone": "020 123 4567", "visit_street": "Dorpsstraat", "visit_house_number": "12a",
        "visit_postcode": "1234AB", "visit_city": "Utrecht", "visit_country": "NL",
        "vat_number": VALID_VAT, "coc_number": "12345678", "iban": VALID_IBAN,
        "credit_limit": "1500,5", "customer_group": "Groothandel", "reference": "LOY-1",
        "ledger_account": "1310", "mailing_code": "3", "remarks": "regel 1\nregel 2, met komma",
        "charge_vat": "no", "discount_percent": "2,5", "custom_num": "12,125",
        "postal_street": "Postbus", "postal_house_number": "77", "postal_postcode": "1000AA",
        "postal_city": "Amsterdam", "postal_country": "NL", "website": "emile.nl",
        "language": "fr", "opening_hours": "ma-vr 8-17", "account_manager": "anna",
    }, check_online=False)
    customers.create_customer(actor, {
        "number": 1002, "kind": "consumer", "title": "Herr", "first_name": "Jürgen",
        "last_name": "Müller", "visit_country": "DE", "visit_postcode": "10115",
        "mobile": "+49 151 23456789", "vat_number": "", "language": "de",
    }, check_online=False)
    customers.create_customer(actor, {
        "number": 1003, "name": "Foute BTW SL", "visit_country": "ES", "vat_number": "ESX1234567",
    }, check_online=False)
    customers.set_tags(actor, Customer.get(Customer.number == 1001).id, ["vip", "Beurs"])


def test_round_trip_export_import_export_is_identical(admin, tmp_path):
    _rich_customers(admin)
    first = _export_text(admin, tmp_path / "one.csv")

    # Into the same database: nothing changes.
    report = run(admin, tmp_path / "one.csv")
    assert (report.unchanged, report.updated, report.created, report.rejected) == (3, 0, 0, 0), (
        report.detail_lines()
    )
    assert _export_text(admin, tmp_path / "two.csv") == first

    # Into an emptied database: the same customers come back.
    CustomerTag.delete().execute()
    Customer.delete().execute()
    report = run(admin, tmp_path / "one.csv")
    assert report.created == 3 and report.rejected == 0, report.detail_lines()
    assert _export_text(admin, tmp_path / "three.csv") == first

    # And through an Excel workbook.
    exports.export_customers(admin, tmp_path / "one.xlsx")
    CustomerTag.delete().execute()
    Customer.delete().execute()
    report = run(admin, tmp_path / "one.xlsx")
    assert report.created == 3 and report.rejected == 0, report.detail_lines()
    assert _export_text(admin, tmp_path / "four.csv") == first


def derived_counts() -> tuple[int, int]:
    """(customers with a revenue row, customers counted in the revenue buckets)."""
    from tradium_tui.db import database

    rows = database.execute_sql("SELECT COUNT(*) FROM customer_revenue").fetchone()[0]
    counted = database.execute_sql("SELECT COALESCE(SUM(customers), 0) FROM revenue_bucket").fetchone()[0]
    return int(rows), int(counted)


def test_imported_customers_are_found_by_the_search(admin, tmp_path, monkeypatch):
    from tradium_tui.services.search import customers as search

    monkeypatch.setattr(bulk, "BULK_TRIGGERS_FROM", 2)
    path = write(
        tmp_path / "s.csv",
        "naam,plaats,e-mail\nZwaluw Tegels BV,Zwolle,info@zwaluw.nl\n"
        "Merel Keukens,Meppel,verkoop@merel.nl\nUil Bouw,Ulft,\n",
    )
    assert run(admin, path).created == 3
    assert [h.name for h in search.search_customers("zwaluw", 10)] == ["Zwaluw Tegels BV"]
    assert [h.name for h in search.search_customers("verkoop@merel", 10)] == ["Merel Keukens"]
    # What the schema keeps per customer for the ranking is there too.
    assert derived_counts() == (3, 3)
    # The search index keeps working for customers made one by one afterwards.
    customers.create_customer(admin, {"name": "Specht Schilders"}, check_online=False)
    assert [h.name for h in search.search_customers("specht", 10)] == ["Specht Schilders"]
    assert derived_counts() == (4, 4)
    # And for a failed import nothing is left in it.
    bad = write(tmp_path / "b.csv", f"naam,iban\nKoekoek BV,\nKauw BV,{BAD_IBAN}\n")
    assert run(admin, bad).rejected == 1
    assert search.search_customers("koekoek", 10) == []


def test_a_customer_changed_meanwhile_stops_the_import(admin, tmp_path, monkeypatch):
    made = customers.create_customer(admin, {"number": 77, "name": "Zeven BV"}, check_online=False).customer
    path = write(tmp_path / "c.csv", "number,name,city\n77,Zeven BV,Delft\n78,Acht BV,Gouda\n")
    original = customer_plan.CustomerPlanner.plan

    def someone_saves_meanwhile(self, rows):
        planned = original(self, rows)
        customers.update_customer(admin, made.id, {"visit_city": "Ede"}, made.version,
                                  check_online=False)
        return planned

    monkeypatch.setattr(customer_plan.CustomerPlanner, "plan", someone_saves_meanwhile)
    with pytest.raises(ImportConflict, match="Customer 77 changed"):
        run(admin, path)
    assert by_number(77).visit_city == "Ede"
    assert not Customer.select().where(Customer.number == 78).exists()
