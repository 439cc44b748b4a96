"""Course results from a partner's LMS: Moodle gradebook and completion exports, or a plain CSV.

Two steps. `read_results(data)` is pure (bytes in → `ResultsFile` out): it finds the columns by
their titles — never by their order — and reads each row's email, grade and completion. Then
`match_results(offering, parsed)` pairs rows with enrolments and lets the course's rule decide.

What is read (titles as Moodle's own language packs write them, en / es / pt_br / fr):
- gradebook export (plain text with comma, semicolon, tab or colon; .xlsx; .ods), Moodle 3.x and
  4.x: the email column (“Email address”, “Dirección de correo”, “Endereço de e-mail”, “Adresse de
  courriel”) and the course total (“Course total”, “Total del curso”, “Total do curso”, “Total du
  cours”), written as Real (“85.00”, “85,00”), Percentage (“85,00 %”) or Letter (“B+”), “-” when
  there is no grade. Every other column (items, feedback, suspended, last downloaded) is ignored.
- course completion report: “Course complete” (“Curso finalizado”, “Curso concluído”, “Cours
  terminé”) holds the completion date, or nothing.
- plain CSV: email, grade, status (completed, failed, dropped or empty).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faro.core.imports import ImportPreview
from faro.courses.models import Enrolment, Offering
from faro.lib.tables import UnreadableTable, read_table
from faro.lib.text import fold, normalise_email
from faro.lib.xlsx import csv_text, unneutralise

EMAIL_TITLES = {
    "email address",
    "email",
    "e-mail",
    "e-mail address",  # en
    "direccion de correo",
    "direccion email",
    "correo electronico",
    "correo",  # es
    "endereco de e-mail",
    "endereco de email",  # pt_br
    "adresse de courriel",
    "adresse courriel",
    "adresse e-mail",
    "courriel",  # fr
}
TOTAL_TITLES = ("course total", "total del curso", "total do curso", "total du cours", "total de la sequence")
COMPLETE_TITLES = {"course complete", "curso finalizado", "curso concluido", "cours termine", "curso completado"}
STATUS_TITLES = {"status", "outcome", "estado", "statut", "situacao", "resultado"}
GRADE_TITLES = {"grade", "calificacion", "nota", "note"}
# The display type Moodle appends in parentheses: “Course total (Real)”, “Total del curso (Porcentaje)”.
PERCENT_WORDS = {"percentage", "porcentaje", "porcentagem", "pourcentage"}
LETTER_WORDS = {"letter", "letra", "lettre"}
# Moodle's default grade letters and the lowest percentage each stands for.
LETTERS = {"A": 93, "A-": 90, "B+": 87, "B": 83, "B-": 80, "C+": 77, "C": 73, "C-": 70, "D+": 67, "D": 60, "F": 0}
STATUS_WORDS = {
    "": None,
    "completed": "completed",
    "complete": "completed",
    "completado": "completed",
    "concluido": "completed",
    "termine": "completed",
    "failed": "failed",
    "fail": "failed",
    "reprobado": "failed",
    "reprovado": "failed",
    "echoue": "failed",
    "dropped": "dropped",
    "withdrawn": "dropped",
    "abandono": "dropped",
    "desistente": "dropped",
    "abandon": "dropped",
}
NO_OUTCOME_CHOICES = (
    ("keep", gettext_lazy("leave their outcome as it is")),
    ("dropped", gettext_lazy("record them as dropped")),
    ("failed", gettext_lazy("record them as failed")),
)


def expected_columns() -> str:
    return _(
        "Expected an email column (“Email address”, “Dirección de correo”, “Endereço de e-mail”, "
        "“Adresse de courriel” or “email”) and an outcome column: the course total (“Course total”, "
        "“Total del curso”, “Total do curso”, “Total du cours”), the completion report's “Course "
        "complete” (“Curso finalizado”, “Curso concluído”, “Cours terminé”), or “grade”/“status”."
    )


@dataclass(frozen=True)
class Columns:
    email: int | None = None
    total: int | None = None
    total_kind: str = "real"  # real, percentage or letter
    complete: int | None = None
    status: int | None = None

    @property
    def kind(self) -> str:
        if self.complete is not None:
            return "completion"
        return "gradebook" if self.total is not None else "plain"

    @property
    def has_outcome(self) -> bool:
        return any(i is not None for i in (self.total, self.complete, self.status))


@dataclass(frozen=True)
class FileRow:
    """One person's line as the file has it (nothing decided yet)."""

    line: int
    email: str
    grade: Decimal | None = None
    letter: str = ""
    completed_on: str = ""
    status: str | None = None
    value: str = ""  # the cell as written, for the preview

    @property
    def has_outcome(self) -> bool:
        return self.grade is not None or bool(self.letter or self.completed_on or self.status)


@dataclass
class ResultsFile:
    kind: str = "plain"
    rows: list[FileRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    refused: str = ""


def title_of(cell: str) -> tuple[str, str]:
    """(folded title, folded word in trailing parentheses): 'Course total (Real)' → ('course total', 'real')."""
    folded = fold(cell.replace("\ufeff", ""))
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", folded)
    return (match.group(1), match.group(2)) if match else (folded, "")


def find_columns(header: Sequence[str]) -> Columns:
    found: dict[str, int] = {}
    totals: dict[str, int] = {}
    for index, cell in enumerate(header):
        title, extra = title_of(cell)
        whole = fold(cell)
        if whole in EMAIL_TITLES or title in EMAIL_TITLES:
            found.setdefault("email", index)
        elif title.startswith(TOTAL_TITLES):
            kind = "percentage" if extra in PERCENT_WORDS else "letter" if extra in LETTER_WORDS else "real"
            totals.setdefault(kind, index)
        elif whole in COMPLETE_TITLES:
            found.setdefault("complete", index)
        elif whole in STATUS_TITLES:
            found.setdefault("status", index)
        elif whole in GRADE_TITLES:
            totals.setdefault("real", index)
    kind = next((k for k in ("percentage", "real", "letter") if k in totals), "real")
    return Columns(found.get("email"), totals.get(kind), kind, found.get("complete"), found.get("status"))


def header_score(header: Sequence[str]) -> int:
    columns = find_columns(header)
    return (columns.email is not None) * 2 + columns.has_outcome * 2 + (len(header) > 1)


def parse_grade(text: str, kind: str) -> tuple[Decimal | None, str]:
    """(grade, letter) from a course-total cell; raises ValueError for anything else."""
    text = text.replace("\xa0", " ").replace("\u202f", " ").strip()
    text = text.removeprefix("'")  # a spreadsheet's text marker, as exports that neutralise formulas write "'-"
    if text in {"", "-", "—"}:
        return None, ""
    if text.upper() in LETTERS and (kind == "letter" or not any(c.isdigit() for c in text)):
        return None, text.upper()
    number = text.rstrip("%").strip().replace(" ", "")
    if "," in number:
        number = number.replace(".", "").replace(",", ".") if "." in number else number.replace(",", ".")
    try:
        grade = Decimal(number)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not grade.is_finite() or grade < 0:
        raise ValueError(text)
    return grade, ""


def read_results(data: bytes) -> ResultsFile:
    """Parse the file without touching the database."""
    try:
        table = read_table(data, header_score)
    except UnreadableTable:
        return ResultsFile(refused=_("This is not a spreadsheet Faro reads. ") + expected_columns())
    if len(table) < 2:
        return ResultsFile(refused=_("The file has no rows below its header. ") + expected_columns())
    columns = find_columns(table[0])
    if columns.email is None or not columns.has_outcome:
        return ResultsFile(refused=_("The columns Faro needs were not found. ") + expected_columns())
    parsed = ResultsFile(kind=columns.kind)
    for line, row in enumerate(table[1:], start=2):
        _read_row(parsed, columns, row, line)
    if parsed.rows and not any(row.has_outcome for row in parsed.rows):
        parsed.refused = _no_outcome_message(columns)
    return parsed


def _no_outcome_message(columns: Columns) -> str:
    if columns.kind == "completion":
        return _("No one in this file has a completion date in “Course complete”, so there is no outcome to record.")
    if columns.kind == "gradebook":
        return _("No one in this file has a course total (every cell is empty or “-”): there is no outcome to record.")
    return _("No one in this file has a grade or a status: there is no outcome to record.")


def _cell(row: Sequence[str], index: int | None) -> str:
    """The cell, trimmed, with the apostrophe Faro's own exports put before a formula-like value removed."""
    return unneutralise(row[index]).strip() if index is not None and index < len(row) else ""


def _read_row(parsed: ResultsFile, columns: Columns, row: Sequence[str], line: int) -> None:
    email = normalise_email(_cell(row, columns.email)) or ""
    if not email:
        parsed.errors.append((line, _("This row has no email address.")))
        return
    value = _cell(row, columns.total)
    try:
        grade, letter = parse_grade(value, columns.total_kind)
    except ValueError:
        message = _(
            "“%(value)s” is not a grade: write a number (85.00 or 85,00), a percentage (85,00 %%) or a letter (A to F)."
        )
        parsed.errors.append((line, message % {"value": value}))
        return
    status_text = fold(_cell(row, columns.status))
    if status_text not in STATUS_WORDS:
        message = _("Unknown status “%(status)s”: use completed, failed or dropped (or leave it empty).")
        parsed.errors.append((line, message % {"status": _cell(row, columns.status)}))
        return
    completed_on = _cell(row, columns.complete)
    shown = value or completed_on or _cell(row, columns.status)
    parsed.rows.append(FileRow(line, email, grade, letter, completed_on, STATUS_WORDS[status_text], shown))


# ---- matching against an offering (reads the database, writes nothing) ----


@dataclass(frozen=True)
class ResultRow:
    line: int
    enrolment_id: int
    email: str
    name: str
    grade: Decimal | None
    outcome: str | None  # None: the file says nothing and the partner chose to leave it
    previous: str | None  # the outcome recorded now (None while only enrolled)
    value: str = ""

    @property
    def changed(self) -> bool:
        return self.outcome is not None and self.outcome != (self.previous or Enrolment.Outcome.ENROLLED)

    @property
    def overwrites(self) -> bool:
        return self.changed and self.previous is not None

    @property
    def outcome_label(self) -> str:
        return _label(self.outcome)

    @property
    def previous_label(self) -> str:
        return _label(self.previous)

    def as_dict(self) -> dict[str, object]:
        grade = None if self.grade is None else float(self.grade)
        return {
            "line": self.line,
            "email": self.email,
            "grade": grade,
            "outcome": self.outcome,
            "previous": self.previous,
            "changed": self.changed,
        }


def _label(outcome: str | None) -> str:
    return str(dict(Enrolment.Outcome.choices)[outcome]) if outcome else "—"


@dataclass
class ResultsPreview(ImportPreview):
    kind: str = "plain"
    refused: str = ""
    total_rows: int = 0
    enrolment_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors

    @property
    def can_skip_errors(self) -> bool:
        return not self.refused and bool(self.errors) and bool(self.rows)

    @property
    def overwrites(self) -> list[ResultRow]:
        return [row for row in self.rows if row.overwrites]

    @property
    def needs_confirmation(self) -> bool:
        """More than a quarter of the offering's enrolments would get a different recorded outcome."""
        return len(self.overwrites) * 4 > self.enrolment_count

    def as_dict(self) -> dict[str, object]:
        errors = [{"line": 1, "message": self.refused}] if self.refused else []
        errors += [error.as_dict() for error in self.errors]
        return {"rows": self.total_rows, "results": [row.as_dict() for row in self.rows], "errors": errors}


def parse_results(offering: Offering, data: bytes, *, no_outcome: str = "keep") -> ResultsPreview:
    """Read the file and pair its rows with the offering's enrolments; nothing is written."""
    parsed = read_results(data)
    enrolments = {normalise_email(e.person.email) or "": e for e in offering.enrolments.select_related("person")}
    preview = ResultsPreview(kind=parsed.kind, refused=parsed.refused, enrolment_count=len(enrolments))
    preview.total_rows = len(parsed.rows) + len(parsed.errors)
    for line, message in parsed.errors:
        preview.error(line, message)
    if parsed.refused:
        return preview
    unknown = [row for row in parsed.rows if row.email not in enrolments]
    if len(unknown) >= 2 and len(unknown) * 2 > len(parsed.rows):
        preview.refused = _(
            "%(unknown)s of the %(rows)s emails in this file are not enrolled in %(offering)s: "
            "is it the export of another course?"
        ) % {"unknown": len(unknown), "rows": len(parsed.rows), "offering": offering.code}
        return preview
    seen: dict[str, int] = {}
    for row in parsed.rows:
        _match_row(offering, preview, row, enrolments, seen, no_outcome)
    preview.errors.sort(key=lambda error: error.line)
    return preview


def _match_row(
    offering: Offering,
    preview: ResultsPreview,
    row: FileRow,
    enrolments: dict[str, Enrolment],
    seen: dict[str, int],
    no_outcome: str,
) -> None:
    enrolment = enrolments.get(row.email)
    if enrolment is None:
        preview.error(row.line, _("%(email)s is not enrolled in this offering.") % {"email": row.email})
        return
    if row.email in seen:
        message = _("%(email)s appears more than once (first on line %(first)s); this line is left out.")
        preview.error(row.line, message % {"email": row.email, "first": seen[row.email]})
        return
    seen[row.email] = row.line
    previous = None if enrolment.outcome == Enrolment.Outcome.ENROLLED else enrolment.outcome
    outcome = decide_outcome(offering, row, no_outcome)
    name = enrolment.person.full_name
    preview.rows.append(ResultRow(row.line, enrolment.pk, row.email, name, row.grade, outcome, previous, row.value))


def decide_outcome(offering: Offering, row: FileRow, no_outcome: str) -> str | None:
    """The course's rule applied to what the file says; `no_outcome` for a row that says nothing."""
    course = offering.course
    if row.status == "dropped":
        return Enrolment.Outcome.DROPPED
    if row.status == "failed":
        return Enrolment.Outcome.FAILED
    if row.letter:
        return course.outcome_for(Decimal(LETTERS[row.letter]), finished=True, dropped=False)
    if row.grade is not None:
        return course.outcome_for(row.grade, finished=True, dropped=False)
    if row.completed_on or row.status == "completed":
        if course.minimum_grade is not None and row.status == "completed":
            return Enrolment.Outcome.FAILED  # completed but ungraded where a grade is required
        return Enrolment.Outcome.COMPLETED
    return None if no_outcome == "keep" else no_outcome


def accepted_values() -> list[tuple[str, str]]:
    """What the import page lists: each column Faro reads and the values it accepts."""
    return [
        (_("Email"), "Email address · Dirección de correo · Endereço de e-mail · Adresse de courriel · email"),
        (_("Course total"), "Course total · Total del curso · Total do curso · Total du cours"),
        (
            _("Course total values"),
            _("85.00 or 85,00 (Real, out of 100); 85,00 % (Percentage); A to F (Letter); - for no grade"),
        ),
        (
            _("Completion report"),
            _("Course complete · Curso finalizado · Curso concluído · Cours terminé: a date, or empty"),
        ),
        (_("Plain CSV"), _("email, grade, status — status is completed, failed, dropped or empty")),
    ]


def results_template_csv(offering: Offering) -> bytes:
    """The plain format with one line per enrolled person, grade and status left to fill in; written by
    the one export writer, so an address a spreadsheet would read as a formula is made inert."""
    enrolments = offering.enrolments.select_related("person").order_by("person__email")
    return csv_text(["email", "grade", "status"], ([e.person.email or "", "", ""] for e in enrolments)).encode("utf-8")
