"""Every spreadsheet Faro writes: XLSX workbooks (openpyxl, write-only mode so large exports stay small
in memory) and CSV files, from plain rows.

Both neutralise formulas: a text that starts with = + - @, a tab or a carriage return (a delegate's
name typed by a focal point, a webinar registrant's position) would run as a formula — or a DDE
command — when staff open the file in a spreadsheet. Such texts get a leading apostrophe, the
spreadsheet convention for "this is text", and XLSX cells are always written as strings.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# Excel refuses sheet titles longer than 31 characters or containing these.
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text`, made inert if a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV file (with a BOM, so Excel reads UTF-8) with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(value)) for value in header])
    for row in rows:
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
    return "\ufeff" + buffer.getvalue()


def csv_chunks(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, lines: int = 500) -> Iterator[str]:
    """`csv_text`, a few hundred lines at a time: for a StreamingHttpResponse, so a long export is
    never held in memory whole (pass `rows` as a generator)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(value)) for value in header])
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, 1):
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
        if number % lines == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def sheet_title(title: str) -> str:
    return str(title).translate(_FORBIDDEN).strip()[:31] or "Sheet"


Sheets = Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]


def workbook_bytes(sheets: Sheets) -> bytes:
    """One workbook; each sheet given as (title, header, rows). Returns the .xlsx bytes."""
    buffer = io.BytesIO()
    _write(sheets, buffer)
    return buffer.getvalue()


def workbook_file(sheets: Sheets) -> IO[bytes]:
    """`workbook_bytes` in a temporary file, rewound (for a FileResponse, which streams it and closes
    it). With `rows` as generators nothing holds the whole export: openpyxl's write-only sheets
    spool their rows to disk and the zip is written to the file."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    _write(sheets, spool)
    spool.seek(0)
    return spool


def _write(sheets: Sheets, target: IO[bytes]) -> None:
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(sheet_title(title))
        bold = []
        for value in header:
            cell = _text_cell(sheet, str(value))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([_cell(sheet, v) for v in row])
    book.save(target)


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.data_type = "s"  # never "f" (formula), whatever the text looks like
    return cell


def _cell(sheet: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass local times
    return value if hasattr(value, "isoformat") else _text_cell(sheet, str(value))


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
