"""Awkward and hostile import files: each ends in the documented exit code and one clear
message, no traceback, no raw control characters on the terminal, and — when the file is
refused — a database that is exactly as before (every table fingerprinted)."""

from __future__ import annotations

import codecs
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.fingerprint import fingerprint

from tradium_tui import cli, config
from tradium_tui.models import Customer, Role, User

ESC = "\x1b"


@pytest.fixture
def env(database, monkeypatch):
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TRADIUM_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "_settings", config.Settings(language="en"))
    User.create(username="anna", role=Role.get(Role.name == "admin"))
    return database.test_url


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _broken_xlsx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["name"], ["A BV"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # cut in the middle of the XML
            target.writestr(item, data)
    return out.getvalue()


@dataclass
class Case:
    name: str
    content: bytes | str | None  # None: ``make`` builds the path
    code: int
    words: str  # in the output (stderr for exit 2, stdout otherwise)
    created: int = 0  # customers stored afterwards
    file: str = "in.csv"
    args: tuple[str, ...] = ()
    make: object = None
    what: str = "customers"


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.csv"
    os.mkfifo(path)
    return path


def _link_to_zero(tmp: Path) -> Path:
    link = tmp / "zero.csv"
    link.symlink_to("/dev/zero")
    return link


def _symlink_to_fifo(tmp: Path) -> Path:
    link = tmp / "link.csv"
    link.symlink_to(_fifo(tmp))
    return link


def _folder(tmp: Path) -> Path:
    path = tmp / "folder.csv"
    path.mkdir()
    return path


def _big(tmp: Path) -> Path:
    path = tmp / "big.csv"
    path.write_bytes(b"name\n" + b"A BV\n" * 400)  # 2,005 bytes, more than the 1,000 allowed
    return path


def _order(**extra) -> str:
    order = {
        "order_number": "W1", "order_date": "2026-11-20", "email": "jan@example.nl",
        "name": "Jan de Vries",
        "invoice_address": {"street": "Kerkstraat", "house_number": "5", "postcode": "1017GA",
                            "city": "Amsterdam", "country": "NL"},
        "lines": [{"article": "BRD-1", "description": "Brood", "quantity": 2, "unit_price": "3.15",
                   "vat_rate": 9}],
    }
    order.update(extra)
    return json.dumps(order) + "\n"


BOMLESS = "name,city\nCafé Noord,Köln\n"
BASE = 64 * 1024

CASES = [
    Case("unbalanced quote", 'name,city\n"Open Quote BV,Delft\nB BV,Leiden\nC BV,Gouda\n', 2,
         "quote that is not closed in row 2"),
    Case("unbalanced quote at the end", 'name,city\nA BV,Delft\nB BV,"Leiden\n', 2,
         "quote that is not closed in row 3"),
    Case("mixed utf-8 and cp1252", "name,city\nCafé,Köln\n".encode() + "Café,Köln\n".encode("cp1252"),
         2, "mixes encodings: line 2 is UTF-8 but line 3 is not"),
    Case("fifo", None, 2, "named pipe (FIFO), not a regular file", make=_fifo),
    Case("symlink to a fifo", None, 2, "named pipe (FIFO)", make=_symlink_to_fifo),
    Case("device /dev/zero", None, 2, "not a data file", make=lambda tmp: Path("/dev/zero")),
    Case("link.csv to /dev/zero", None, 2, "not a data file", make=_link_to_zero),
    Case("folder", None, 2, "is a folder", make=_folder),
    Case("missing file", None, 2, "does not exist", make=lambda tmp: tmp / "nope.csv"),
    # The limit as the locale writes numbers (the tests run with nl_NL: 1.000).
    Case("larger than import_max_bytes", None, 2, "larger than 1.000 bytes", make=_big),
    Case("empty file", b"", 2, "is empty"),
    Case("only blank lines", b"\n\n \n", 2, "is empty"),
    Case("only a header", b"name,city\n", 0, "0 rows"),
    Case("utf-8 bom", codecs.BOM_UTF8 + BOMLESS.encode(), 0, "1 created", created=1),
    Case("two utf-8 boms", codecs.BOM_UTF8 * 2 + BOMLESS.encode(), 0, "1 created", created=1),
    Case("utf-16 le bom", BOMLESS.encode("utf-16"), 0, "1 created", created=1),
    Case("utf-16 be bom", codecs.BOM_UTF16_BE + BOMLESS.encode("utf-16-be"), 0, "1 created", created=1),
    Case("cp1252 tab separated", "name\tcity\nCafé\tKöln\n".encode("cp1252"), 0, "1 created", created=1),
    Case("crlf line ends", b"name,city\r\nA BV,Delft\r\nB BV,Gouda\r\n", 0, "2 created", created=2),
    Case("cr line ends", b"name,city\rA BV,Delft\rB BV,Gouda\r", 0, "2 created", created=2),
    Case("quoted multi-line remark", 'name,remarks\n"A BV","line one\nline two"\n', 0, "1 created",
         created=1),
    Case("duplicate headers", "name,naam\nA,B\n", 2, "two columns for name"),
    Case("no name column", "colour,size\nred,4\n", 2, "no column for the customer's name"),
    Case("binary junk", bytes(range(256)) * 20, 2, "binary data"),
    Case("nul in the first 64 KB", b"name\nA\x00B\n", 2, "binary data"),
    Case("nul after 64 KB", b"name,remarks\n" + b"A BV," + b"x" * BASE + b"\n" + b"B\x00C,y\n", 1,
         "NUL character"),
    Case("10 MB cell", b"name\n" + b"x" * (10 * 1024 * 1024) + b"\n", 2, "longer than"),
    Case("10 MB quoted cell", b'name\n"' + b"x" * (10 * 1024 * 1024) + b'"\n', 2, "longer than"),
    Case("zip named csv", b"PK\x03\x04" + b"\x00" * 60, 2, "not a readable Excel workbook"),
    Case("broken xlsx xml", None, 2, "cannot be read", file="in.xlsx",
         make=lambda tmp: _write(tmp / "in.xlsx", _broken_xlsx())),
    Case("broken xlsx xml named csv", None, 2, "cannot be read",
         make=lambda tmp: _write(tmp / "x.csv", _broken_xlsx())),
    Case("old xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, 2, "old Excel"),
    Case("xlsx with a c1 control", None, 1, "control character (U+009B)", file="in.xlsx",
         make=lambda tmp: _write(tmp / "in.xlsx", _xlsx([["name", "website"],
                                                          ["A BV", "a.nl\x9b2J"]]))),
    Case("osc title in website", f"name,website\nA BV,a.nl{ESC}]0;owned\x07\n", 1, "escape character"),
    Case("clear screen in vat", f"name,vat_number\nA BV,NL{ESC}[2J\n", 1, "escape character"),
    Case("c1 csi in name", "name\nA\x9b2J BV\n", 1, "control character (U+009B)"),
    Case("del in city", "name,city\nA BV,Del\x7fft\n", 1, "control character (U+007F)"),
    Case("bidi override in name", "name\nA \u202egnp.exe BV\n", 1, "text-direction override"),
    Case("escape in a header", f"name,col{ESC}[2J\nA BV,x\n", 0, "col␛[2J", created=1),
    Case("phone 41 characters", "name,phone\nA BV,+31 20 123 4567 " + "1" * 25 + "\n", 1, "phone"),
    Case("name longer than its column", "name\n" + "N" * 300 + "\n", 1, "Too long"),
    Case("formula in name", "name\n=cmd|' /C calc'!A0\n", 0, "1 created", created=1),
    Case("huge number", "name,credit_limit\nA BV,1" + "0" * 40 + "\n", 1, "credit_limit"),
    Case("negative zero", "name,credit_limit\nA BV,-0\n", 0, "1 created", created=1),
    Case("nan amount", "name,credit_limit\nA BV,NaN\n", 1, "credit_limit"),
    Case("more cells than headers", "name\nA BV,extra\n", 0, "1 created", created=1),
    Case("config file as import", 'db_url = "postgresql://tradium:s3cr3tpassw0rd@db/crm"\n', 2,
         "its headers are"),
    Case("encoding rot13", BOMLESS, 2, "not a text encoding", args=("--encoding", "rot13")),
    Case("encoding base64", BOMLESS, 2, "not a text encoding", args=("--encoding", "base64")),
    Case("encoding hex", BOMLESS, 2, "not a text encoding", args=("--encoding", "hex")),
    Case("encoding unknown", BOMLESS, 2, "not known", args=("--encoding", "klingon")),
    Case("wrong forced encoding", "name\nCafé\n".encode("cp1252"), 2, "cannot be read as utf-8",
         args=("--encoding", "utf-8")),
    Case("orders: broken json", "{not json\n", 2, "not JSON lines", file="o.jsonl", what="orders"),
    Case("orders: nul in order number", _order(order_number="W1\x00"), 1, "NUL character",
         file="o.jsonl", what="orders"),
    Case("orders: escape in name", _order(name=f"A{ESC}]0;x\x07"), 1, "escape character",
         file="o.jsonl", what="orders"),
    Case("orders: nul in a line description", _order(lines=[{"description": "Br\x00od",
                                                             "quantity": 1, "unit_price": "2"}]),
         1, "NUL character", file="o.jsonl", what="orders"),
    Case("orders: surrogate in remarks", _order(remarks="a\ud800b"), 1, "lone surrogate",
         file="o.jsonl", what="orders"),
    Case("orders: fifo", None, 2, "named pipe", what="orders", make=_fifo),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _path(case: Case, tmp: Path) -> Path:
    if case.make is not None:
        return case.make(tmp)
    path = tmp / case.file
    data = case.content.encode("utf-8") if isinstance(case.content, str) else case.content
    path.write_bytes(data)
    return path


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_awkward_import_file(env, tmp_path, capsys, monkeypatch, case):
    if case.name == "larger than import_max_bytes":
        monkeypatch.setattr(config, "_settings", config.Settings(import_max_bytes=1000, language="en"))
        monkeypatch.setattr(cli, "get_settings", lambda: config._settings)
    path = _path(case, tmp_path)
    before = fingerprint()
    code = cli.main(["--db", env, "--user", "anna", "import", case.what, str(path), *case.args])
    out, err = capsys.readouterr()
    assert code == case.code, (out, err)
    shown = err if code == 2 else out + err
    assert case.words in shown, shown
    assert "Traceback" not in out + err
    assert ESC not in out + err and "\x9b" not in out + err and "\x00" not in out + err
    if code == 2:  # one sentence (after the usage lines for a wrong option)
        said = [line for line in err.splitlines() if line.startswith("tradium-tui:")]
        assert len(said) == 1 and said[0] == err.strip().splitlines()[-1], err
    if case.created == 0:
        assert fingerprint() == before  # nothing written, not even an audit row
    if case.what == "customers":
        assert Customer.select().count() == case.created
    assert "s3cr3tpassw0rd" not in out + err


def test_stored_values_of_an_accepted_file_are_right(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_bytes("name,city\nCafé Noord,Köln\n".encode("cp1252"))
    assert cli.main(["--db", env, "--user", "anna", "import", "customers", str(path)]) == 0
    stored = Customer.get()
    assert (stored.name, stored.visit_city) == ("Café Noord", "Köln")


def test_export_neutralises_formulas_and_refuses_special_targets(env, tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("name,city\n=cmd|' /C calc'!A0,+31 Delft\n@SUM(A1),-Gouda\n", encoding="utf-8")
    assert cli.main(["--db", env, "--user", "anna", "import", "customers", str(path)]) == 0
    capsys.readouterr()
    target = tmp_path / "out.csv"
    assert cli.main(["--db", env, "--user", "anna", "export", "customers", str(target)]) == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and "'@SUM(A1)" in text
    assert "'+31 Delft" in text and "'-Gouda" in text
    assert not list(tmp_path.glob(".out.csv*"))  # the temporary file is gone
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    for bad, words in ((fifo, "named pipe"), (link, "symbolic link"), (Path("/dev/full"), "device"),
                       (tmp_path, "folder")):
        capsys.readouterr()
        assert cli.main(["--db", env, "--user", "anna", "export", "customers", str(bad)]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
    assert fifo.is_fifo() and link.is_symlink()
