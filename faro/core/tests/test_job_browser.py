"""Browser: a stalled job says so and offers Resume, which finishes it; the page passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.core.jobs import start_job
from faro.core.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

finished_jobs: list[int] = []


def finish_probe(job_id: int) -> None:
    from faro.core.jobs import finish_job

    finished_jobs.append(job_id)
    finish_job(job_id, message="Probe finished.")


def test_a_stalled_job_offers_resume_and_resuming_finishes_it(page: Page, staff: User) -> None:
    job = Job.objects.create(
        kind="probe",
        title="Probe job",
        total=10,
        done=4,
        created_by=staff,
        status=Job.Status.RUNNING,
        task=f"{__name__}.finish_probe",
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    login(page, staff.email)
    page.goto(f"/jobs/{job.pk}/")
    assert "Stalled: 4 of 10" in page.locator("#job-status").inner_text()
    assert_accessible(page)
    page.click("text=Resume")
    page.wait_for_load_state()
    assert finished_jobs == [job.pk]
    assert "Done" in page.locator("#job-status").inner_text()
    assert "Probe finished." in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_running_job_is_not_stalled_and_has_no_resume(staff: User) -> None:
    job = start_job(kind="probe", title="Probe", total=1, user=staff)
    assert not job.stalled
    assert not job.resumable
