"""Rows of strings from an uploaded spreadsheet: delimited text, Excel (.xlsx) or OpenDocument (.ods).

Pure functions, bytes in → rows out, so importers can run them in a request or a background job.
Delimited text is decoded (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252) and read
once under each candidate separator; the caller's `score(header)` picks the separator under which
the header makes sense, because guessing a dialect from a sample misreads quoted text with commas.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from xml.etree import ElementTree

SEPARATORS = (",", ";", "\t", ":")
Table = list[list[str]]

_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_MAX_XML = 64 * 1024 * 1024
_MAX_REPEAT = 1000  # ODS writers pad sheets with "repeated 1048576 times" empty rows and columns


class UnreadableTable(ValueError):
    """The bytes are not a spreadsheet this module reads."""


def kind_of(data: bytes) -> str:
    """'xlsx', 'ods' or 'text', by content."""
    if not data.startswith(b"PK\x03\x04"):
        return "text"
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise UnreadableTable("broken zip container") from exc
    if "content.xml" in names:
        return "ods"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnreadableTable("zip container that is neither .xlsx nor .ods")


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_text(text: str, separator: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True)
    return [row for row in reader if any(cell.strip() for cell in row)]


def best_split(text: str, score: Callable[[Sequence[str]], int]) -> Table:
    """The table under the separator whose header scores highest (ties: the earlier separator)."""
    best: Table = []
    best_score = -1
    for separator in SEPARATORS:
        try:
            table = split_text(text, separator)
        except csv.Error:
            continue
        points = score(table[0]) if table else -1
        if points > best_score:
            best, best_score = table, points
    return best


def read_table(data: bytes, score: Callable[[Sequence[str]], int]) -> Table:
    """Non-empty rows of the file's first sheet, every cell a stripped string."""
    kind = kind_of(data)
    if kind == "xlsx":
        return _xlsx(data)
    if kind == "ods":
        return _ods(data)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableTable("binary file")
    return best_split(decode_text(data), score)


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableTable("damaged workbook") from exc
    rows = [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    return [row for row in rows if any(row)]


def _xlsx_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ods(data: bytes) -> Table:
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        if archive.getinfo("content.xml").file_size > _MAX_XML:
            raise UnreadableTable("OpenDocument spreadsheet too large")
        xml = archive.read("content.xml")
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # ODS has no DTD; refusing one rules out entity bombs
            raise UnreadableTable("OpenDocument spreadsheet with a DTD")
        root = ElementTree.fromstring(xml)  # noqa: S314 — no DTD, size bounded (checked above)
    except (KeyError, ElementTree.ParseError) as exc:
        raise UnreadableTable("damaged OpenDocument spreadsheet") from exc
    table = root.find(".//table:table", _ODS)
    if table is None:
        return []
    rows: Table = []
    for row in table.iter(f"{{{_ODS['table']}}}table-row"):
        cells = _ods_row(row)
        repeat = min(int(row.get(f"{{{_ODS['table']}}}number-rows-repeated", "1")), _MAX_REPEAT)
        if any(cells):
            rows.extend([list(cells) for _ in range(repeat)])
    return rows


def _ods_row(row: ElementTree.Element) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if not cell.tag.endswith(("}table-cell", "}covered-table-cell")):
            continue
        repeat = min(int(cell.get(f"{{{_ODS['table']}}}number-columns-repeated", "1")), _MAX_REPEAT)
        cells.extend([_ods_text(cell)] * repeat)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _ods_text(cell: ElementTree.Element) -> str:
    paragraphs = cell.findall("text:p", _ODS)
    if paragraphs:
        return "\n".join("".join(p.itertext()) for p in paragraphs).strip()
    return (cell.get(f"{{{_ODS['office']}}}value") or "").strip()
