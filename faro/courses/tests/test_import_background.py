"""A large results file is imported by a background job with the progress page; every file has a stated limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import Job
from faro.courses.models import Enrolment, Offering
from faro.courses.tests.test_import import moodle_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(offering: Offering, participant: User, focal_point: User) -> None:
    from faro.courses.services import enrol_person

    for user in (participant, focal_point):
        enrol_person(offering, person_of(user), acting_user=None)


def upload() -> SimpleUploadedFile:
    lines = [
        ["K", "B", "", "", "", "keisha@port.example.jm", "1", "75", "x"],
        ["A", "C", "", "", "", "andre@pa.example.jm", "1", "20", "x"],
    ]
    return SimpleUploadedFile("grades.csv", moodle_csv(lines))


def test_the_import_page_states_the_size_limit(client: Client, staff: User, offering: Offering) -> None:
    client.force_login(staff)
    page = client.get(reverse("courses:results_import", args=[offering.pk])).content.decode()
    assert "At most 10.0\xa0MB." in page


def test_a_file_over_the_limit_is_refused_with_the_limit(
    client: Client, staff: User, offering: Offering, settings: Settings
) -> None:
    settings.FARO_MAX_UPLOAD_BYTES = 100
    client.force_login(staff)
    response = client.post(reverse("courses:results_import", args=[offering.pk]), {"file": upload()})
    assert response.status_code == 200
    assert "The file is too large. At most 100\xa0bytes." in response.content.decode()


def test_a_large_file_is_committed_by_a_background_job(
    client: Client,
    staff: User,
    offering: Offering,
    enrolled: None,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.FARO_IMPORT_BACKGROUND_ROWS = 1
    client.force_login(staff)
    url = reverse("courses:results_import", args=[offering.pk])
    assert "Import 2 rows" in client.post(url, {"file": upload()}).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("courses:results_commit", args=[offering.pk]))
    job = Job.objects.get(kind="courses.results")
    assert response["Location"].startswith(reverse("core:job", args=[job.pk]))
    assert not Enrolment.objects.filter(outcome="completed").exists()  # the request did not import it
    for callback in callbacks:
        callback()  # the worker
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert Enrolment.objects.filter(outcome="completed").count() == 1
    assert "Results imported: 2 rows." in client.get(response["Location"]).content.decode()
