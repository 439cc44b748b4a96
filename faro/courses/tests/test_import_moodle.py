"""Moodle exports as Moodle writes them (fixtures in tests/fixtures, xlsx/ods built here)."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.core.imports import ImportRejected
from faro.core.models import AuditEntry
from faro.courses.importers import read_results
from faro.courses.models import Enrolment, Offering
from faro.courses.services import ConfirmationNeeded, enrol_person, import_results, preview_results
from faro.lib.tables import read_table, split_text
from faro.lib.xlsx import workbook_bytes

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def preview(offering: Offering, data: bytes, **options: Any) -> Any:
    return preview_results(offering, io.BytesIO(data), **options)


@pytest.fixture
def enrolled(offering: Offering, participant: User, focal_point: User) -> list[Enrolment]:
    return [enrol_person(offering, person_of(user), acting_user=None) for user in (participant, focal_point)]


@pytest.fixture
def cohort(offering: Offering) -> list[Enrolment]:
    """The 34 people of the Spanish gradebook, enrolled."""
    table = split_text(fixture("moodle4_es_semicolon.csv").decode(), ";")
    people = [make_person(row[0], row[1], "PE", email=row[5]) for row in table[1:]]
    return [enrol_person(offering, person, acting_user=None) for person in people]


def outcomes(result: Any) -> list[str | None]:
    return [row.outcome for row in result.rows]


def test_spanish_gradebook_gives_29_completed_4_failed_and_1_left_as_is(offering: Offering, cohort: list[Any]) -> None:
    result = preview(offering, fixture("moodle4_es_semicolon.csv"))
    assert result.ok
    assert result.kind == "gradebook"
    assert outcomes(result).count("completed") == 29
    assert outcomes(result).count("failed") == 4
    assert outcomes(result)[-1] is None  # “-”: no grade, and the partner did not choose “dropped”


def test_spanish_gradebook_with_partner_choosing_dropped(offering: Offering, cohort: list[Any]) -> None:
    result = preview(offering, fixture("moodle4_es_semicolon.csv"), no_outcome="dropped")
    counts = import_results(offering, result, acting_user=None)
    assert counts == {"enrolled": 0, "completed": 29, "failed": 4, "dropped": 1}
    assert Enrolment.objects.get(person__email="felix.soto@apn.example.pe").outcome == "dropped"
    assert Enrolment.objects.get(person__email="luis.rodriguez@apn.example.pe").grade == Decimal("77.13")


def test_completion_report_records_completion_by_date(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle_completion_report.csv"))
    assert result.kind == "completion"
    assert outcomes(result) == ["completed", None]
    assert result.rows[0].value == "14/06/24, 10:25"


def test_completion_report_with_failed_chosen_for_the_rest(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle_completion_report.csv"), no_outcome="failed")
    import_results(offering, result, acting_user=None)
    assert Enrolment.objects.get(person__email="andre@pa.example.jm").outcome == "failed"


def test_moodle3_feedback_with_doubled_quotes_and_commas_is_read(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle3_feedback_quotes.csv"))
    assert result.ok
    assert [row.grade for row in result.rows] == [Decimal("85.00"), Decimal("55.00")]
    assert outcomes(result) == ["completed", "failed"]


def test_percentage_column_is_preferred_over_real(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle4_en_comma_real_percentage.csv"))
    assert [row.grade for row in result.rows] == [Decimal("85.00"), Decimal("55.00")]
    assert outcomes(result) == ["completed", "failed"]


def test_portuguese_tab_separated_percentage_with_decimal_comma(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle_pt_tab_percentage.txt"))
    assert [row.grade for row in result.rows] == [Decimal("85.00"), Decimal("55.00")]


def test_french_letters_follow_the_pass_mark(offering: Offering, enrolled: list[Any]) -> None:
    result = preview(offering, fixture("moodle_fr_letter.csv"))
    assert outcomes(result) == ["completed", "failed"]
    assert result.rows[0].grade is None  # a letter is not turned into an invented number


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_every_separator_moodle_writes(offering: Offering, enrolled: list[Any], separator: str) -> None:
    text = separator.join(["Email address", "Course total (Real)", "Feedback"]) + "\n"
    text += separator.join(["keisha@port.example.jm", '"75,5"', '"a, b; c\tdone"']) + "\n"
    result = preview(offering, text.encode("utf-8-sig"))
    assert [row.grade for row in result.rows] == [Decimal("75.5")]


def test_xlsx_gradebook_in_any_column_order(offering: Offering, enrolled: list[Any]) -> None:
    header = ["Course total (Real)", "Nombre", "Dirección de correo"]
    rows: list[list[Any]] = [[92.5, "Keisha", "keisha@port.example.jm"], ["-", "Andre", "andre@pa.example.jm"]]
    result = preview(offering, workbook_bytes([("Calificaciones", header, rows)]))
    assert [row.grade for row in result.rows] == [Decimal("92.5"), None]


def ods_bytes(rows: list[list[str]]) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice and Moodle write one (repeated empty cells and rows)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cells = ["<table:table-row>" + "".join(ods_cell(c) for c in row) for row in rows]
    body = "".join(f'{row}<table:table-cell table:number-columns-repeated="16384"/></table:table-row>' for row in cells)
    padding = '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        f'<office:spreadsheet><table:table table:name="Notas">{body}{padding}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def ods_cell(text: str) -> str:
    if not text:
        return '<table:table-cell table:number-columns-repeated="2"/>'
    return f"<table:table-cell><text:p>{escape(text)}</text:p></table:table-cell>"


def test_ods_gradebook(offering: Offering, enrolled: list[Any]) -> None:
    rows = [
        ["Nome", "", "Endereço de e-mail", "Total do curso (Real)"],
        ["Keisha", "", "keisha@port.example.jm", "88,00"],
        ["Andre", "", "andre@pa.example.jm", "12,00"],
    ]
    result = preview(offering, ods_bytes(rows))
    assert outcomes(result) == ["completed", "failed"]


def test_ods_padding_is_not_read_as_a_million_rows() -> None:
    table = read_table(ods_bytes([["a", "", "b"], ["c", "", "d"]]), lambda header: 0)
    assert table == [["a", "", "", "b"], ["c", "", "", "d"]]


def test_a_file_with_no_outcome_for_anyone_is_refused(offering: Offering, enrolled: list[Any]) -> None:
    data = b"Email address,Course total (Real)\nkeisha@port.example.jm,-\nandre@pa.example.jm,-\n"
    result = preview(offering, data, no_outcome="dropped")
    assert "No one in this file has a course total" in result.refused
    with pytest.raises(ImportRejected):
        import_results(offering, result, acting_user=None)
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()


def test_a_file_without_outcome_columns_names_what_was_expected(offering: Offering, enrolled: list[Any]) -> None:
    zoom = b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nK,keisha@port.example.jm,x,y,5\n"
    result = preview(offering, zoom)
    assert "Total del curso" in result.refused
    assert "Course complete" in result.refused


def test_a_pdf_is_refused_by_content(offering: Offering) -> None:
    assert "not a spreadsheet" in preview(offering, b"%PDF-1.7\x00\x01binary").refused


def test_export_of_another_course_says_so(offering: Offering, enrolled: list[Any]) -> None:
    data = b"email,grade\nkeisha@port.example.jm,90\nx@a.example,90\ny@a.example,80\nz@a.example,70\n"
    result = preview(offering, data)
    assert "3 of the 4 emails in this file are not enrolled" in result.refused


def test_one_unknown_email_is_a_row_error_the_partner_may_skip(offering: Offering, enrolled: list[Any]) -> None:
    data = b"email,grade\nkeisha@port.example.jm,90\nandre@pa.example.jm,80\nghost@a.example,70\n"
    result = preview(offering, data)
    assert [error.line for error in result.errors] == [4]
    assert result.can_skip_errors
    with pytest.raises(ImportRejected):
        import_results(offering, result, acting_user=None)
    counts = import_results(offering, result, acting_user=None, skip_errors=True)
    assert counts["completed"] == 2
    assert AuditEntry.objects.get(action="courses.results.imported").data["skipped_lines"] == [4]


def test_duplicate_rows_for_one_person(offering: Offering, enrolled: list[Any]) -> None:
    data = b"email,grade\nkeisha@port.example.jm,90\nKEISHA@port.example.jm,10\n"
    result = preview(offering, data)
    assert "appears more than once (first on line 2)" in result.errors[0].message
    assert [row.grade for row in result.rows] == [Decimal("90")]


def test_changing_many_recorded_outcomes_needs_confirmation(offering: Offering, enrolled: list[Any]) -> None:
    import_results(
        offering,
        preview(offering, b"email,grade\nkeisha@port.example.jm,90\nandre@pa.example.jm,90\n"),
        acting_user=None,
    )
    result = preview(offering, b"email,grade\nkeisha@port.example.jm,10\nandre@pa.example.jm,90\n")
    assert result.needs_confirmation
    assert [(row.previous, row.outcome, row.changed) for row in result.rows] == [
        ("completed", "failed", True),
        ("completed", "completed", False),
    ]
    with pytest.raises(ConfirmationNeeded):
        import_results(offering, result, acting_user=None)
    assert Enrolment.objects.get(person__email="keisha@port.example.jm").outcome == "completed"
    import_results(offering, result, acting_user=None, confirmed=True)
    assert Enrolment.objects.get(person__email="keisha@port.example.jm").outcome == "failed"


def test_a_first_import_does_not_ask_for_confirmation(offering: Offering, enrolled: list[Any]) -> None:
    assert not preview(offering, fixture("moodle3_feedback_quotes.csv")).needs_confirmation


def test_read_results_is_pure_and_reports_bad_grades() -> None:
    parsed = read_results(b'Email address;Course total (Real)\na@b.example;"\xe2\x80\x9cthanks\xe2\x80\x9d"\n')
    assert parsed.errors[0][0] == 2
    assert "is not a grade" in parsed.errors[0][1]


def test_command_prints_the_json_shape(
    offering: Offering, enrolled: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = FIXTURES / "moodle3_feedback_quotes.csv"
    call_command("import_results", str(offering.pk), str(path), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "rows": 2,
        "results": [
            {
                "line": 2,
                "email": "keisha@port.example.jm",
                "grade": 85.0,
                "outcome": "completed",
                "previous": None,
                "changed": True,
            },
            {
                "line": 3,
                "email": "andre@pa.example.jm",
                "grade": 55.0,
                "outcome": "failed",
                "previous": None,
                "changed": True,
            },
        ],
        "errors": [],
    }
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()


def test_command_imports_and_refuses(
    offering: Offering, enrolled: list[Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    call_command("import_results", str(offering.pk), str(FIXTURES / "moodle_completion_report.csv"), "--json")
    assert Enrolment.objects.get(person__email="keisha@port.example.jm").outcome == "completed"
    capsys.readouterr()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"Email address,Course complete\nkeisha@port.example.jm,\n")
    with pytest.raises(CommandError):
        call_command("import_results", str(offering.pk), str(empty), "--json")
    assert json.loads(capsys.readouterr().out)["errors"][0]["line"] == 1


def test_view_preview_shows_old_and_new_then_skips_the_error_line(
    client: Client, partner: User, offering: Offering, enrolled: list[Any]
) -> None:
    client.force_login(partner)
    data = b"email,grade\nkeisha@port.example.jm,90\nandre@pa.example.jm,40\nghost@a.example,70\n"
    response = client.post(reverse("courses:results_import", args=[offering.pk]), {"file": upload(data)})
    assert "Line 4: ghost@a.example is not enrolled" in response.text
    assert "Leave out the lines in error" in response.text
    commit = reverse("courses:results_commit", args=[offering.pk])
    assert client.post(commit).status_code == 200  # not ticked: nothing imported
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()
    assert client.post(commit, {"skip_errors": "on"}).status_code == 302
    assert Enrolment.objects.filter(outcome="completed").count() == 1


def test_view_asks_to_confirm_many_changes(
    client: Client, staff: User, offering: Offering, enrolled: list[Any]
) -> None:
    Enrolment.objects.update(outcome="completed")
    client.force_login(staff)
    data = b"email,grade\nkeisha@port.example.jm,10\nandre@pa.example.jm,10\n"
    response = client.post(reverse("courses:results_import", args=[offering.pk]), {"file": upload(data)})
    assert "would change the recorded outcomes of 2 people out of 2 enrolled" in response.text
    commit = reverse("courses:results_commit", args=[offering.pk])
    client.post(commit)
    assert Enrolment.objects.filter(outcome="failed").count() == 0
    client.post(commit, {"confirmed": "on"})
    assert Enrolment.objects.filter(outcome="failed").count() == 2


def test_view_refuses_a_file_with_no_outcome(
    client: Client, partner: User, offering: Offering, enrolled: list[Any]
) -> None:
    client.force_login(partner)
    data = fixture("moodle_completion_report.csv").replace(b'"14/06/24, 10:25"', b"")
    response = client.post(reverse("courses:results_import", args=[offering.pk]), {"file": upload(data)})
    assert "This file cannot be imported" in response.text
    assert "completion date" in response.text


def test_template_lists_the_enrolled(client: Client, partner: User, offering: Offering, enrolled: list[Any]) -> None:
    client.force_login(partner)
    response = client.get(reverse("courses:results_template", args=[offering.pk]))
    assert response.content.decode("utf-8-sig").splitlines()[:2] == ["email,grade,status", "andre@pa.example.jm,,"]


def test_import_page_lists_accepted_values(client: Client, partner: User, offering: Offering) -> None:
    client.force_login(partner)
    response = client.get(reverse("courses:results_import", args=[offering.pk]))
    assert "Total del curso" in response.text
    assert "85,00 %" in response.text


def test_outsider_cannot_download_the_template_or_commit(client: Client, outsider: User, offering: Offering) -> None:
    client.force_login(outsider)
    assert client.get(reverse("courses:results_template", args=[offering.pk])).status_code == 404
    assert client.post(reverse("courses:results_commit", args=[offering.pk])).status_code == 404


def upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("grades.csv", data)


def test_the_template_neutralises_an_address_a_spreadsheet_would_run(
    client: Client, partner: User, offering: Offering
) -> None:
    enrol_person(offering, make_person("Ana", "Plus", "PE", email="+ana@port.example.pe"), acting_user=None)
    enrol_person(offering, make_person("Eq", "Uals", "PE", email="=eq@port.example.pe"), acting_user=None)
    client.force_login(partner)
    lines = client.get(reverse("courses:results_template", args=[offering.pk])).content.decode("utf-8-sig")
    assert lines.splitlines()[1:] == ["'+ana@port.example.pe,,", "'=eq@port.example.pe,,"]


def test_a_downloaded_and_filled_template_reimports_exactly(client: Client, partner: User, offering: Offering) -> None:
    for email in ("+ana@port.example.pe", "=eq@port.example.pe"):
        enrol_person(offering, make_person("A", "B", "PE", email=email), acting_user=None)
    client.force_login(partner)
    template = client.get(reverse("courses:results_template", args=[offering.pk])).content.decode("utf-8-sig")
    filled = template.replace(",,", ",85,")
    result = preview(offering, filled.encode())
    assert result.errors == []
    assert sorted(row.email for row in result.rows) == ["+ana@port.example.pe", "=eq@port.example.pe"]
    assert [row.grade for row in result.rows] == [Decimal("85"), Decimal("85")]


def test_only_the_neutralisers_apostrophe_is_removed() -> None:
    from faro.lib.xlsx import neutralise, unneutralise

    assert unneutralise(neutralise("=SUM(A1)")) == "=SUM(A1)"
    assert unneutralise("'ordinary") == "'ordinary"
