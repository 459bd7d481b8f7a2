"""Reading tables: CSV (any usual encoding and separator) and ``.xlsx``.

:func:`read_table` turns a file into a header row and data rows of strings, whatever
its encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252, Latin-1) and
separator (comma, semicolon, tab — detected, or forced).  A file that is not a table
(binary, damaged workbook, empty) raises :class:`UnusableFile` with one clear sentence.

:func:`map_headers` matches header names against a vocabulary of column names and
aliases, ignoring case, accents, spaces, dashes, underscores and dots.

Writing tables is :mod:`.writing`; the file-system checks are :mod:`.files`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tradium_tui import formatting as fmt
from tradium_tui.i18n import N_, _
from tradium_tui.services.text_safety import cut
from tradium_tui.services.transfer.files import read_bytes
from tradium_tui.services.transfer.reports import UnusableFile
from tradium_tui.services.values import unambiguous

# Most characters of one cell (csv's own limit, made explicit) and of one line of a file.
MAX_CELL_CHARS = 131_072
MAX_LINE_CHARS = 1_048_576

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": N_("CSV, {encoding}, comma-separated"),
                   ";": N_("CSV, {encoding}, semicolon-separated"),
                   "\t": N_("CSV, {encoding}, tab-separated"),
                   "|": N_("CSV, {encoding}, bar-separated")}
# Bytes that never occur in a text file (besides tab, newline, carriage return, form feed).
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_SAMPLE_RECORDS = 50


@dataclass
class Table:
    """A header and data rows. ``rows`` holds ``(row_number, cells)``; the header is row 1."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    kind: str  # "csv" | "xlsx"
    encoding: str | None = None
    delimiter: str | None = None

    def describe(self) -> str:
        if self.kind == "xlsx":
            return _("Excel workbook")
        sep = self.delimiter or ","
        if sep in DELIMITER_NAMES:
            return _(DELIMITER_NAMES[sep]).format(encoding=self.encoding)
        return _("CSV, {encoding}, separated by {separator}").format(
            encoding=self.encoding, separator=repr(sep))


# --------------------------------------------------------------------------- options


def parse_delimiter(text: str | None) -> str | None:
    """``--delimiter`` value → the character (``tab``/``\\t`` → tab). ``None`` = detect."""
    if text is None or text == "":
        return None
    lowered = text.strip().lower() if text.strip() else text
    named = {
        "tab": "\t",
        "\\t": "\t",
        "comma": ",",
        "semicolon": ";",
        "pipe": "|",
        "bar": "|",
    }
    if lowered in named:
        return named[lowered]
    if len(text) == 1 and text not in "\r\n\"":
        return text
    raise ValueError(
        _("The separator {text!r} is not usable: give one character such as ',' ';' '|' or 'tab'.").format(text=text)
    )


def check_encoding(name: str | None) -> str | None:
    """The codec name of a text encoding; ``ValueError`` for an unknown name and for
    codecs that are not text encodings (rot13, base64, hex, zlib, …)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError) as exc:
        raise ValueError(
            _("The encoding {name!r} is not known (try utf-8, cp1252 or latin-1).").format(name=cut(name, 30))
        ) from exc
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_FILES:
        raise ValueError(
            _("{name!r} is not a text encoding (try utf-8, cp1252 or latin-1).").format(name=cut(name, 30))
        )
    return info.name


_NOT_FOR_FILES = frozenset({
    "rot-13", "undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape",
    "utf-7", "mbcs", "oem", "charmap",
})


# --------------------------------------------------------------------------- reading


def read_table(
    path: str | Path,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> Table:
    """Read ``path`` as a table. ``.xlsx`` (by name or by content) is read with openpyxl."""
    file = Path(path)
    raw = read_bytes(file)
    if raw[:4] == b"PK\x03\x04" or file.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(file, raw)
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnusableFile(
            _("The file {name} is an old Excel (.xls) workbook; save it as .xlsx or CSV first.").format(name=file.name)
        )
    text, used = _decode(file, raw, encoding)
    return _read_csv_text(file, text, used, delimiter)


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """A text file's content and the encoding it was read with (detected when not given)."""
    file = Path(path)
    raw = read_bytes(file)
    return _decode(file, raw, encoding)


def _decode(file: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            name = check_encoding(encoding) or "utf-8"
        except ValueError as exc:
            raise UnusableFile(str(exc)) from exc
        if name in ("utf-8", "utf_8") and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        try:
            text = raw.decode(name)
        except UnicodeDecodeError as exc:
            raise UnusableFile(
                _("The file {name} cannot be read as {encoding}: byte {value} ({text!r}) is not valid in that encoding.").format(name=file.name, encoding=cut(encoding, 30), value=exc.start + 1, text=raw[exc.start:exc.start + 1])
            ) from exc
        except (UnicodeError, LookupError, ValueError, TypeError) as exc:
            raise UnusableFile(
                _("The file {name} cannot be read as {encoding}.").format(name=file.name, encoding=cut(encoding, 30))
            ) from exc
        _reject_binary_text(file, text)
        return text, name
    if raw.startswith(codecs.BOM_UTF8):
        try:
            text = raw[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnusableFile(
                _("The file {name} starts as UTF-8 but byte {value} is not valid UTF-8.").format(name=file.name, value=exc.start + 4)
            ) from exc
        _reject_binary_text(file, text)
        return text, "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnusableFile(_("The file {name} is damaged UTF-16 text.").format(name=file.name)) from exc
        _reject_binary_text(file, text)
        return text, "utf-16"
    _reject_binary_bytes(file, raw)
    _reject_mixed_encodings(file, raw)
    for name in ("utf-8", "cp1252", "latin-1"):
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        _reject_binary_text(file, text)
        return text, name
    raise UnusableFile(_("The file {name} is not readable text.").format(name=file.name))  # pragma: no cover


def _reject_mixed_encodings(file: Path, raw: bytes) -> None:
    """A file whose lines are partly UTF-8 (with accents) and partly not is two files
    pasted together: read as one encoding, half of its accents would be stored wrong."""
    if raw.isascii():
        return
    try:
        raw.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    utf8_line = other_line = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            raise UnusableFile(
                _("The file {name} mixes encodings: line {utf8_line} is UTF-8 but line {other_line} is not (Windows-1252 or Latin-1?); save it in one encoding, or give --encoding.").format(name=file.name, utf8_line=utf8_line, other_line=other_line)
            )


def _reject_binary_bytes(file: Path, raw: bytes) -> None:
    sample = raw[:65536]
    if b"\x00" in sample:
        raise UnusableFile(
            _("The file {name} is not a CSV text file (it contains binary data); give a CSV or .xlsx file.").format(name=file.name)
        )


def _reject_binary_text(file: Path, text: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL)
    if "\x00" in sample or controls > max(2, len(sample) // 200):
        raise UnusableFile(
            _("The file {name} is not a CSV text file (it contains binary data); give a CSV or .xlsx file.").format(name=file.name)
        )


def detect_delimiter(text: str) -> str:
    """The separator that splits the first records into the most, consistent columns."""
    best: tuple[tuple, str] | None = None
    for candidate in DELIMITERS:
        records = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=candidate)
        try:
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                records.append(len(record))
                if len(records) >= _SAMPLE_RECORDS:
                    break
        except csv.Error:
            continue
        if not records:
            continue
        width = records[0]
        consistent = sum(1 for n in records if n == width) / len(records)
        score = (width > 1, consistent >= 0.9, consistent, width)
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else ","


def _read_csv_text(file: Path, text: str, encoding: str, delimiter: str | None) -> Table:
    if not text.strip():
        raise UnusableFile(_("The file {name} is empty: there is no header row.").format(name=file.name))
    _check_line_lengths(file, text)
    sep = delimiter or detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    number = 0
    line = 0
    try:
        for record in reader:
            number += 1
            first_line, line = line + 1, reader.line_num
            if headers is None:
                if not any(cell.strip() for cell in record):
                    number -= 1  # blank lines before the header do not count
                    continue
                headers = record
                continue
            if not any(cell.strip() for cell in record):
                continue
            if line > first_line and len(record) != len(headers):
                # A quoted cell over several lines that leaves the row with the wrong number
                # of cells: a quote that was opened and never closed swallowed the lines.
                raise UnusableFile(_unbalanced(file, number, first_line))
            rows.append((number, record))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc) or "EOF" in str(exc):
            raise UnusableFile(_unbalanced(file, number + 1, line + 1)) from exc
        if "field larger than field limit" in str(exc):
            raise UnusableFile(
                _("The file {name} has a cell longer than {limit} characters in row {row}.").format(name=file.name, limit=fmt.number(MAX_CELL_CHARS), row=number + 1)
            ) from exc
        raise UnusableFile(
            _("The file {name} is not valid CSV near row {value}: {reason}.").format(name=file.name, value=number + 1, reason=exc)
        ) from exc
    assert headers is not None
    return Table(headers=headers, rows=rows, kind="csv", encoding=encoding, delimiter=sep)


def _unbalanced(file: Path, row: int, line: int) -> str:
    return (
        f"The file {file.name} has a quote that is not closed in row {row} (line {line}): "
        "the rows after it would run into one cell; close the quote or remove it."
    )


def _check_line_lengths(file: Path, text: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    start = 0
    number = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            raise UnusableFile(
                _("The file {name} has a line longer than {MAX_LINE_CHARS:,} characters (line {number}); it is not a table.").format(name=file.name, MAX_LINE_CHARS=MAX_LINE_CHARS, number=number)
            )
        start = end + 1
        number += 1


def _read_xlsx(file: Path, raw: bytes) -> Table:
    if raw[:4] != b"PK\x03\x04":
        raise UnusableFile(
            _("The file {name} is not an Excel workbook (.xlsx files are zip archives).").format(name=file.name)
        )
    try:
        import openpyxl  # heavy: loaded for a workbook only, not at start-up
        from openpyxl.utils.exceptions import InvalidFileException

        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnusableFile(
            _("The file {name} is not a readable Excel workbook ({reason}).").format(name=file.name, reason=cut(exc, 80))
        ) from exc
    except Exception as exc:  # damaged XML inside the archive, and the like
        raise UnusableFile(
            _("The file {name} is not a readable Excel workbook (its contents are damaged: {name2}).").format(name=file.name, name2=cut(type(exc).__name__, 40))
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnusableFile(_("The workbook {name} has no sheets.").format(name=file.name))
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = cells
                continue
            rows.append((index, cells))
    except UnusableFile:
        raise
    except Exception as exc:  # damaged sheet XML and the like
        raise UnusableFile(_("The workbook {name} cannot be read ({reason}).").format(name=file.name, reason=cut(exc, 80))) from exc
    finally:
        workbook.close()
    if headers is None:
        raise UnusableFile(_("The workbook {name} is empty: there is no header row.").format(name=file.name))
    return Table(headers=headers, rows=rows, kind="xlsx")


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return unambiguous(format(Decimal(repr(value)), "f"))  # a number, not "1.234" text
    if isinstance(value, Decimal):
        return unambiguous(format(value, "f"))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- headers


def normalise_header(text: str) -> str:
    """Lower case, accents stripped, spaces / dashes / underscores / dots removed."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in "#%")


def describe_headers(headers: Sequence[str], most: int = 8) -> str:
    """The header row for a message: escaped, each cut short, at most ``most`` of them."""
    named = [f"'{cut(h.strip(), 24)}'" for h in headers if h.strip()]
    if not named:
        return _("none")
    more = len(named) - most
    if more > 0:
        return _("{headers} and {count} more").format(headers=", ".join(named[:most]), count=more)
    return ", ".join(named)


def alias_index(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{column: [alias, …]}`` → ``{normalised alias: column}`` (the column name included)."""
    index: dict[str, str] = {}
    for column, names in aliases.items():
        for name in (column, *names):
            key = normalise_header(name)
            if key in index and index[key] != column:
                raise ValueError(_("alias {name!r} given for both {index} and {column}").format(name=name, index=index[key], column=column))
            index[key] = column
    return index


@dataclass
class HeaderMap:
    """Which column of the file feeds which field."""

    columns: list[str | None]  # per file column: the field, or None when unknown/empty
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (1-based column, header)

    def position(self, name: str) -> int | None:
        try:
            return self.columns.index(name)
        except ValueError:
            return None

    @property
    def fields(self) -> list[str]:
        return [c for c in self.columns if c]


def map_headers(headers: Sequence[str], index: Mapping[str, str], what: str = "file") -> HeaderMap:
    """Match the header row. Two columns feeding one field make the file unusable."""
    columns: list[str | None] = []
    unknown: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = normalise_header(header)
        target = index.get(key) if key else None
        if target is None:
            columns.append(None)
            if header.strip():
                unknown.append((position, cut(header.strip(), 40)))
            continue
        if target in seen:
            raise UnusableFile(
                _("The file has two columns for {target}: column {seen} ('{text}') and column {position} ('{text2}').").format(target=target, seen=seen[target], text=cut(headers[seen[target] - 1].strip(), 30), position=position, text2=cut(header.strip(), 30))
            )
        seen[target] = position
        columns.append(target)
    return HeaderMap(columns=columns, unknown=unknown)


def row_values(header_map: HeaderMap, cells: Sequence[str]) -> tuple[dict[str, str], list[int]]:
    """A row as ``{field: text}``; also the 1-based positions of non-empty cells past the header."""
    values: dict[str, str] = {}
    for name, cell in zip(header_map.columns, cells, strict=False):
        if name is not None:
            values[name] = cell
    extra = [
        position
        for position, cell in enumerate(cells[len(header_map.columns):], start=len(header_map.columns) + 1)
        if cell.strip()
    ]
    return values, extra


