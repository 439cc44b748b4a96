"""XLSX workbooks from plain rows (openpyxl, write-only mode so large exports stay small in memory)."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# Excel refuses sheet titles longer than 31 characters or containing these.
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(title: str) -> str:
    return str(title).translate(_FORBIDDEN).strip()[:31] or "Sheet"


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """One workbook; each sheet given as (title, header, rows). Returns the .xlsx bytes."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(sheet_title(title))
        bold = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass local times
    return value if hasattr(value, "isoformat") else str(value)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
