"""Parsers for partner LMS results: a Moodle gradebook export (CSV or XLSX) or a plain CSV.

Moodle's gradebook export ("Export to plain text file / Excel spreadsheet") writes the columns
`First name`, `Surname` (or `Last name`), `ID number`, `Institution`, `Department`,
`Email address`, one column per grade item (`Quiz: Ports 101 (Real)`, `Feedback: …`),
`Course total (Real)` (or `Course total`, possibly with `(Percentage)`), and
`Last downloaded from this course`; a missing grade is written as `-`.
The plain format is `email,grade,status` with status completed, failed, dropped or empty.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from faro.core.imports import ImportPreview
from faro.courses.models import Enrolment, Offering
from faro.lib.text import normalise_email

EMAIL_HEADERS = {"email address", "email", "e-mail", "correo electrónico", "dirección de correo"}
PLAIN_STATUSES = {"": None, "completed": True, "complete": True, "failed": True, "dropped": False, "withdrawn": False}


@dataclass(frozen=True)
class ResultRow:
    line: int
    enrolment_id: int
    email: str
    name: str
    grade: Decimal | None
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(dict(Enrolment.Outcome.choices)[self.outcome])


def read_table(upload: Any, filename: str = "") -> list[list[str]]:
    """Rows of strings from a CSV (any common encoding and delimiter) or an XLSX workbook."""
    upload.seek(0)
    data = upload.read()
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _grade_column(header: list[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for preferred in ("course total (real)", "course total", "course total (percentage)", "grade"):
        if preferred in lowered:
            return lowered.index(preferred)
    return next((i for i, h in enumerate(lowered) if h.startswith("course total")), None)


def _parse_grade(text: str) -> Decimal | None:
    text = text.strip().rstrip("%").replace(",", ".").strip()
    if text in {"", "-"}:
        return None
    return Decimal(text)


def parse_results(offering: Offering, upload: Any, *, filename: str = "") -> ImportPreview:
    """Match each row to an enrolment by email and decide its outcome; report per-row errors."""
    preview = ImportPreview()
    try:
        table = read_table(upload, filename)
    except Exception:
        preview.error(1, _("The file could not be read as CSV or XLSX."))
        return preview
    if not table:
        preview.error(1, _("The file is empty."))
        return preview
    header = [h.strip().lower() for h in table[0]]
    email_col = next((i for i, h in enumerate(header) if h in EMAIL_HEADERS), None)
    grade_col = _grade_column(table[0])
    status_col = header.index("status") if "status" in header else None
    if email_col is None:
        preview.error(1, _("No email column: expected “Email address” (Moodle) or “email”."))
        return preview
    enrolments = {normalise_email(e.person.email) or "": e for e in offering.enrolments.select_related("person")}
    seen: set[str] = set()
    for line, row in enumerate(table[1:], start=2):
        parsed = _parse_row(offering, row, email_col, grade_col, status_col, enrolments, line, preview, seen)
        if parsed:
            preview.rows.append(parsed)
    return preview


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _parse_row(
    offering: Offering,
    row: list[str],
    email_col: int,
    grade_col: int | None,
    status_col: int | None,
    enrolments: dict[str, Enrolment],
    line: int,
    preview: ImportPreview,
    seen: set[str],
) -> ResultRow | None:
    email = normalise_email(_cell(row, email_col)) or ""
    enrolment = enrolments.get(email)
    if enrolment is None:
        preview.error(line, _("%(email)s is not enrolled in this offering.") % {"email": email or "—"})
        return None
    if email in seen:
        preview.error(line, _("%(email)s appears more than once.") % {"email": email})
        return None
    seen.add(email)
    try:
        grade = _parse_grade(_cell(row, grade_col))
    except InvalidOperation:
        preview.error(line, _("“%(value)s” is not a grade.") % {"value": _cell(row, grade_col)})
        return None
    status = _cell(row, status_col).lower()
    if status not in PLAIN_STATUSES:
        preview.error(line, _("Unknown status “%(status)s”: use completed, failed or dropped.") % {"status": status})
        return None
    dropped = status in {"dropped", "withdrawn"}
    finished = status in {"completed", "complete"} or (status_col is None and grade is not None)
    outcome = (
        Enrolment.Outcome.FAILED
        if status == "failed"
        else offering.course.outcome_for(grade, finished=finished, dropped=dropped)
    )
    return ResultRow(line, enrolment.pk, email, enrolment.person.full_name, grade, outcome)
