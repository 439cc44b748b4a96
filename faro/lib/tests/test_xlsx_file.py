"""The streaming workbook writer: what openpyxl reads back is what `workbook_bytes` would have written."""

import datetime
import io

from openpyxl import load_workbook

from faro.lib.tests.test_formulas import HOSTILE, formula_problems_xlsx
from faro.lib.xlsx import workbook_bytes, workbook_file

HEADER = ["Name", "Count", "Share", "Here", "When", "Day", "Nothing"]
ROWS = [
    ["Ana <Pérez> & Co", 3, 0.25, True, datetime.datetime(2026, 3, 4, 9, 30), datetime.date(2026, 3, 4), None],
    ["  spaced  ", -5, 1e-3, False, datetime.datetime(2026, 12, 31, 23, 59), datetime.date(1999, 1, 1), None],
]


def values(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_file_reads_back_as_the_openpyxl_workbook_does() -> None:
    streamed = workbook_file([("Registrants", HEADER, iter(ROWS))]).read()
    assert values(streamed) == values(workbook_bytes([("Registrants", HEADER, ROWS)]))


def test_the_header_is_bold_and_the_sheet_keeps_its_title() -> None:
    book = load_workbook(io.BytesIO(workbook_file([("Regis/trants: 2026", HEADER, ROWS)]).read()))
    assert book.active.title == "Regis trants  2026"
    assert book.active["A1"].font.b is True
    assert book.active["A2"].font.b is False


def test_no_cell_is_a_formula_and_characters_xml_cannot_hold_are_dropped() -> None:
    rows = [[value, "bell\x07 and \x1b escape"] for value in HOSTILE]
    content = workbook_file([("Sheet", ["=title", "text"], rows)]).read()
    assert formula_problems_xlsx(content) == []
    assert values(content)[1][1] == "bell and  escape"


def test_several_sheets_and_a_long_generator() -> None:
    many = ([f"row {n}", n] for n in range(20_000))
    book = load_workbook(io.BytesIO(workbook_file([("One", ["a", "b"], many), ("Two", ["c"], [["x"]])]).read()))
    assert book.sheetnames == ["One", "Two"]
    assert book["One"].max_row == 20_001
    assert book["One"]["B20001"].value == 19_999
    assert book["Two"]["A2"].value == "x"
