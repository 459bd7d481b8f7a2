"""``tradium-tui import articles FILE`` and ``export articles FILE``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradium_tui.models import Article, AuditRecord
from tradium_tui.services import users


@pytest.fixture
def run(cli_runner):
    users.bootstrap_first_admin("founder")
    return cli_runner


def test_import_dry_run_all_or_nothing_update_and_export(run, tmp_path):
    good = tmp_path / "articles.csv"
    good.write_text("artikelcode;omschrijving;artikelgroep;verkoopprijs;btw\n"
                    "LED-600;LED panel;LIGHT;42,95;21\nCAT-1;Koffie;CATERING;18,50;laag\n",
                    encoding="utf-8")
    code, out, _ = run("import", "articles", str(good), "--dry-run")
    assert code == 0 and "Dry run" in out and not Article.select().exists()
    code, out, _ = run("import", "articles", str(good))
    assert code == 0, out
    assert {(a.code, a.sales_price, a.vat_class) for a in Article.select()} == {
        ("LED-600", Decimal("42.95"), "standard"), ("CAT-1", Decimal("18.50"), "reduced")}
    audited = {r.record_id for r in AuditRecord.select().where(AuditRecord.table == "article")}
    assert audited == {a.id for a in Article.select()}

    bad = tmp_path / "bad.csv"
    bad.write_text("code,description,sales price,vat class\nLED-600,LED panel,39.95,standard\n"
                   "X 1,Bad,abc,medium\n", encoding="utf-8")
    code, out, _ = run("import", "articles", str(bad))
    assert code == 1 and "Nothing written" in out and "VAT class must be" in out
    assert Article.get(code="LED-600").sales_price == Decimal("42.95")
    code, out, _ = run("import", "articles", str(bad), "--skip-invalid")
    assert code == 1 and Article.get(code="LED-600").sales_price == Decimal("39.95")

    target = tmp_path / "out.csv"
    code, out, _ = run("export", "articles", str(target))
    assert code == 0 and "Exported 2 articles" in out
    text = target.read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "code,description,article_group,unit,sales_price,cost_price,vat_class,active"
    assert text[2].startswith("LED-600,LED panel,LIGHT,pcs,39.95,0.00,standard,yes")
    code, out, _ = run("import", "articles", str(target))
    assert code == 0 and "2 unchanged" in out


def test_import_articles_unusable_file(run, tmp_path):
    code, _out, err = run("import", "articles", str(tmp_path / "missing.csv"))
    assert code == 2 and "does not exist" in err


def test_import_articles_obeys_the_path_rules_of_every_import(run, tmp_path):
    secret = tmp_path / "config.toml"
    secret.write_text('db_url = "postgresql://tradium:secret@db/tradium"\n', encoding="utf-8")
    code, out, err = run("import", "articles", str(secret), "--dry-run")
    assert code == 2 and "is not a data file" in err
    assert "secret" not in out and "secret@" not in err
