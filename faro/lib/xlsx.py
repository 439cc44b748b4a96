"""Every spreadsheet Faro writes: XLSX workbooks (SpreadsheetML written straight into the zip, a few
hundred rows at a time, so large exports stay small in memory) and CSV files, from plain rows.

Both neutralise formulas: a text that starts with = + - @, a tab or a carriage return (a delegate's
name typed by a focal point, a webinar registrant's position) would run as a formula — or a DDE
command — when staff open the file in a spreadsheet. Such texts get a leading apostrophe, the
spreadsheet convention for "this is text", and XLSX cells are always written as strings.
"""

import csv
import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

# Excel refuses sheet titles longer than 31 characters or containing these.
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text`, made inert if a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """`text` as it was before `neutralise`: a file Faro wrote and someone filled in reads back exactly."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


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
    """The workbook in a temporary file, rewound (for a FileResponse, which streams it and closes it):
    for exports that may be long (a webinar's registrants); with `rows` as generators nothing holds
    the whole export."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    _write(sheets, spool)
    spool.seek(0)
    return spool


def _write(sheets: Sheets, target: IO[bytes]) -> None:
    """SpreadsheetML written straight into the zip, a few hundred rows at a time, with no cell objects
    (about ten times faster than openpyxl's write-only mode, and openpyxl is not loaded by a worker
    that only writes). Texts neutralised and always strings (inline, never formulas), numbers,
    booleans, dates and times (local: Excel has no time zones), a bold header."""
    titles = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number, (title, header, rows) in enumerate(sheets, 1):
            titles.append(sheet_title(title))
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as sheet:
                _write_sheet(sheet, header, rows)
        for name, text in _package(titles).items():
            archive.writestr(name, text)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug accounted for)
_BOLD, _DATETIME, _DATE = 1, 2, 3  # cell styles in _STYLES
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
    '<border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" '
    'xfId="0" applyFont="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)


def _package(titles: list[str]) -> dict[str, str]:
    """Every part of the package but the sheets: content types, relationships, workbook, styles."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    numbers = range(1, len(titles) + 1)
    sheets = "".join(
        f'<sheet name="{escape(t, _QUOTE)}" sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, 1)
    )
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_DOCUMENT}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>' for n in numbers
    )
    return {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>',
        "_rels/.rels": head + f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{_DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head
        + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{_RELATIONSHIPS}">{links}<Relationship '
        f'Id="rId{len(titles) + 1}" Type="{_DOCUMENT}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": head + _STYLES,
    }


_QUOTE = {'"': "&quot;"}


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _write_sheet(sheet: IO[bytes], header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    sheet.write(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    )
    columns: list[str] = []
    cells = [_xml_cell(_column(i) + "1", str(value), _BOLD) for i, value in enumerate(header)]
    parts = [f'<row r="1">{"".join(cells)}</row>']
    for number, row in enumerate(rows, 2):
        while len(columns) < len(row):
            columns.append(_column(len(columns)))
        line = "".join(_xml_cell(f"{columns[i]}{number}", value) for i, value in enumerate(row))
        parts.append(f'<row r="{number}">{line}</row>')
        if len(parts) >= 500:
            sheet.write("".join(parts).encode())
            parts.clear()
    parts.append("</sheetData></worksheet>")
    sheet.write("".join(parts).encode())


def _xml_cell(ref: str, value: Any, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{styled}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    text = escape(_XML_ILLEGAL.sub("", neutralise(str(value))))
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{text}</t></is></c>'


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
