"""A large attendance file is applied by a background job; the upload page states the limit."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from faro.accounts.models import User
from faro.core.models import Job
from faro.webinars.models import Attendance, Webinar
from faro.webinars.services import attendance
from faro.webinars.tests.conftest import Record, Report, register

pytestmark = pytest.mark.django_db


def test_the_upload_page_states_the_size_limit(client: Client, webinar: Webinar, staff: User) -> None:
    client.force_login(staff)
    page = client.get(reverse("webinars:attendance_import", args=[webinar.pk])).content.decode()
    assert "At most 10.0\xa0MB." in page


def test_a_large_attendance_file_is_applied_by_a_background_job(
    client: Client,
    webinar: Webinar,
    staff: User,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.FARO_IMPORT_BACKGROUND_ROWS = 3
    register(webinar, "ana@x.example.org")
    report = Report(rows=2, attendees=[Record("Ana", "ana@x.example.org", 80), Record("Zé", "ze@x.example.br", 70)])
    monkeypatch.setattr(attendance, "parse_report", lambda data, filename="": report)
    client.force_login(staff)
    upload = io.BytesIO(b"Attendee Report\n" + b"line\n" * 10)
    upload.name = "report.csv"
    response = client.post(reverse("webinars:attendance_import", args=[webinar.pk]), {"file": upload})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.post(response["Location"])
    job = Job.objects.get(kind="webinars.attendance")
    assert started["Location"].startswith(reverse("core:job", args=[job.pk]))
    assert not Attendance.objects.exists()  # the request did not apply it
    for callback in callbacks:
        callback()  # the worker
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert Attendance.objects.count() == 2
