import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import person_of
from faro.accounts.models import User
from faro.core.imports import ImportRejected
from faro.core.models import AuditEntry
from faro.courses.models import Enrolment, Offering
from faro.courses.services import enrol_person, import_results, preview_results
from faro.lib.xlsx import workbook_bytes

pytestmark = pytest.mark.django_db

MOODLE_HEADER = [
    "First name",
    "Surname",
    "ID number",
    "Institution",
    "Department",
    "Email address",
    "Quiz: Module 1 (Real)",
    "Course total (Real)",
    "Last downloaded from this course",
]


@pytest.fixture
def enrolled(offering: Offering, participant: User, focal_point: User) -> list[Enrolment]:
    return [enrol_person(offering, person_of(user), acting_user=None) for user in (participant, focal_point)]


def moodle_csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(f'"{c}"' for c in row) for row in [MOODLE_HEADER, *rows]]
    return "\n".join(lines).encode("utf-8-sig")


def test_moodle_csv_decides_outcomes_by_the_certification_rule(offering: Offering, enrolled: list[Any]) -> None:
    data = moodle_csv(
        [
            ["Keisha", "Brown", "", "", "", "KEISHA@port.example.jm", "80.00", "85.00", "1606780800"],
            ["Andre", "Campbell", "", "", "", "andre@pa.example.jm", "-", "55.00", "1606780800"],
        ]
    )
    preview = preview_results(offering, io.BytesIO(data))
    assert preview.ok
    assert [r.outcome for r in preview.rows] == ["completed", "failed"]
    assert Enrolment.objects.filter(outcome="enrolled").count() == 2  # a preview writes nothing
    counts = import_results(offering, preview, acting_user=None)
    assert counts["completed"] == 1
    assert counts["failed"] == 1
    assert AuditEntry.objects.filter(action="courses.results.imported").exists()


def test_moodle_xlsx_with_missing_grade_is_dropped(offering: Offering, enrolled: list[Any]) -> None:
    rows = [
        ["Keisha", "Brown", "", "", "", "keisha@port.example.jm", "-", "-", "x"],
        ["Andre", "Campbell", "", "", "", "andre@pa.example.jm", "90", "90", "x"],
    ]
    preview = preview_results(
        offering, io.BytesIO(workbook_bytes([("Grades", MOODLE_HEADER, rows)])), no_outcome="dropped"
    )
    assert preview.ok
    assert [r.outcome for r in preview.rows] == ["dropped", "completed"]


def test_plain_csv_with_status(offering: Offering, enrolled: list[Any]) -> None:
    data = b"email,grade,status\nkeisha@port.example.jm,95,completed\nandre@pa.example.jm,,dropped\n"
    preview = preview_results(offering, io.BytesIO(data))
    assert [r.outcome for r in preview.rows] == ["completed", "dropped"]


def test_a_row_for_someone_not_enrolled_rejects_the_whole_file(offering: Offering, enrolled: list[Any]) -> None:
    data = (
        b"email,grade,status\nkeisha@port.example.jm,95,completed\n"
        b"nobody@example.org,80,completed\nandre@pa.example.jm,abc,\n"
    )
    preview = preview_results(offering, io.BytesIO(data))
    assert [e.line for e in preview.errors] == [3, 4]
    assert "nobody@example.org is not enrolled" in preview.errors[0].message
    with pytest.raises(ImportRejected):
        import_results(offering, preview, acting_user=None)
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()


def test_file_without_email_column_is_reported(offering: Offering) -> None:
    preview = preview_results(offering, io.BytesIO(b"name,grade\nx,1\n"))
    assert not preview.ok
    assert "email" in preview.refused


def test_import_view_previews_then_commits(
    client: Client, partner: User, offering: Offering, enrolled: list[Any]
) -> None:
    client.force_login(partner)
    url = reverse("courses:results_import", args=[offering.pk])
    upload = SimpleUploadedFile(
        "grades.csv", moodle_csv([["K", "B", "", "", "", "keisha@port.example.jm", "1", "75", "x"]])
    )
    response = client.post(url, {"file": upload})
    assert "Import 1 row" in response.text
    assert not Enrolment.objects.filter(outcome="completed").exists()
    response = client.post(reverse("courses:results_commit", args=[offering.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(outcome="completed").count() == 1


def test_import_view_shows_row_errors(client: Client, staff: User, offering: Offering, enrolled: list[Any]) -> None:
    client.force_login(staff)
    upload = SimpleUploadedFile("r.csv", b"email,grade,status\nghost@example.org,80,completed\n")
    response = client.post(reverse("courses:results_import", args=[offering.pk]), {"file": upload})
    assert "Line 2" in response.text
    assert "nothing was imported" in response.text


def test_outsider_cannot_import(client: Client, outsider: User, offering: Offering) -> None:
    client.force_login(outsider)
    assert client.get(reverse("courses:results_import", args=[offering.pk])).status_code == 404
