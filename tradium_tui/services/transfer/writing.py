"""Writing tables: CSV (to a file or a stream) and ``.xlsx``, safe to open.

A spreadsheet program never runs what an export writes: a text cell that would start a
formula gets a leading ``'`` in CSV and is stored as text in ``.xlsx``, and control
characters of stored text are made visible.  A file is replaced only when it is complete
(:func:`files.replace_file`).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from tradium_tui.services.text_safety import shown
from tradium_tui.services.transfer.files import replace_file
from tradium_tui.services.values import unambiguous


def is_xlsx_name(target: str | Path) -> bool:
    return str(target).lower().endswith((".xlsx", ".xlsm"))


def format_decimal(value: Any, places: int | None) -> str:
    """A stored decimal as text: fixed places for money/percent, minimal otherwise.

    Never exactly three decimals (:func:`~tradium_tui.services.values.unambiguous`), so the
    import reads it back the same in every locale.
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        return unambiguous(format(number.quantize(Decimal(1).scaleb(-places)), "f"))
    return unambiguous(format(number.normalize(), "f"))


# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed amount such as -12.50 or -1.234,56 is a number to a spreadsheet, not a formula.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,]*\Z")


def neutralise(value: Any) -> Any:
    """A CSV cell as text a spreadsheet shows and never runs: a leading ``'`` before
    ``= + - @``, tab or carriage return; control characters of stored text made visible.
    Numbers stay numbers (a negative amount is not text)."""
    if not isinstance(value, str):
        return value
    text = shown(value, multiline=True)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def write_table(
    target: str | Path | TextIO,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    delimiter: str = ",",
    sheet_title: str = "Export",
) -> int:
    """Write a table; ``target`` ``'-'`` is standard output. Returns the number of rows.

    CSV is UTF-8 (no BOM on standard output, a BOM in files so spreadsheet programs
    recognise the encoding); ``.xlsx`` when the file name says so.  A file is written to a
    temporary file in the same folder and renamed over the target (see
    :func:`files.check_target`).
    """
    if not hasattr(target, "write") and str(target) != "-" and is_xlsx_name(target):
        return _write_xlsx(Path(target), headers, rows, sheet_title)
    if hasattr(target, "write"):
        return _write_csv(target, headers, rows, delimiter)  # type: ignore[arg-type]
    if str(target) == "-":
        return _write_csv(sys.stdout, headers, rows, delimiter)

    def write(tmp: Path) -> int:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as stream:
            return _write_csv(stream, headers, rows, delimiter)

    return replace_file(Path(target), write)


def _write_csv(stream: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str) -> int:
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
        count += 1
    return count


def _xlsx_cell(sheet, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = shown(value, multiline=True)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell  # loaded by _write_xlsx already

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text, never a formula
        return cell
    return value


def _write_xlsx(file: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> int:
    import openpyxl  # heavy: loaded for a workbook only, not at start-up

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    replace_file(file, workbook.save)
    return count
