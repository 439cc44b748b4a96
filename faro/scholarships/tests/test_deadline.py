"""Calls close at their deadline: refused at once, and moved to closed by the scheduled job."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.scholarships import services, tasks
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import make_application, make_call

pytestmark = pytest.mark.django_db


def overdue(offering: Offering, **fields: Any) -> Call:
    now = timezone.now()
    values = {"opens_at": now - datetime.timedelta(days=10), "closes_at": now - datetime.timedelta(minutes=1)}
    return make_call([offering], **(values | fields))


def closings(call: Call) -> int:
    return AuditEntry.objects.for_object(call).filter(action="scholarships.call.advanced").count()


def test_the_job_closes_only_open_calls_past_their_deadline_once(offering: Offering, call: Call) -> None:
    late = overdue(offering)
    late_draft = overdue(offering, status=Call.Status.DRAFT)
    late_in_review = overdue(offering, status=Call.Status.REVIEW)
    assert services.close_overdue_calls() == 1
    assert services.close_overdue_calls() == 0
    statuses = dict(Call.objects.values_list("pk", "status"))
    assert statuses == {late.pk: "closed", call.pk: "open", late_draft.pk: "draft", late_in_review.pk: "review"}
    entry = AuditEntry.objects.for_object(late).get(action="scholarships.call.advanced")
    assert entry.changes == {"status": ["open", "closed"]}
    assert entry.actor is None
    assert [closings(c) for c in (call, late_draft, late_in_review)] == [0, 0, 0]


def test_the_job_takes_the_moment_it_runs_at(call: Call) -> None:
    assert services.close_overdue_calls(now=call.closes_at - datetime.timedelta(seconds=1)) == 0
    assert services.close_overdue_calls(now=call.closes_at) == 1
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    assert closings(call) == 1


def test_the_task_the_command_and_the_beat_schedule(
    offering: Offering, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    late = overdue(offering)
    assert tasks.close_overdue_calls_task.delay().get() == 1
    call_command("close_overdue_calls")
    assert "0 call(s) closed" in capsys.readouterr().out
    assert closings(late) == 1
    entry = settings.CELERY_BEAT_SCHEDULE["scholarships-close-overdue-calls"]
    assert entry["task"] == "faro.scholarships.tasks.close_overdue_calls_task"


def test_nobody_can_apply_after_the_deadline_before_the_job_runs(
    client: Client, offering: Offering, participant: User
) -> None:
    late = overdue(offering)
    client.force_login(participant)
    page = client.get(late.get_absolute_url()).text
    assert "The deadline for this call has passed." in page
    assert reverse("scholarships:application_create", args=[late.pk]) not in page
    response = client.post(reverse("scholarships:application_create", args=[late.pk]), follow=True)
    assert "The deadline for this call has passed." in response.text
    assert not Application.objects.exists()


def test_a_draft_cannot_be_submitted_after_the_deadline(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(participant)
    data = {"motivation": "To learn.", "choice_1": offering.pk, "spoken_languages": ["es"], "submit": "1"}
    response = client.post(application.get_absolute_url(), data, follow=True)
    assert "The deadline for this call has passed." in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_draft_cannot_be_changed_after_the_deadline_either(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    from faro.scholarships.tests.factories import pdf

    application = make_application(call, person_of(participant), [offering], submit=False)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="deadline for this call has passed"):
        services.save_application(application, acting_user=None, motivation="Late", offerings=[offering])
    with pytest.raises(ValidationError, match="deadline for this call has passed"):
        services.attach_document(application, "cv", pdf(), acting_user=None)
    client.force_login(participant)
    data = {"motivation": "Late words", "choice_1": offering.pk, "spoken_languages": ["es"]}
    assert (
        "The deadline for this call has passed." in client.post(application.get_absolute_url(), data, follow=True).text
    )
    application.refresh_from_db()
    assert application.motivation == "To learn."  # nothing written


def test_an_open_call_shows_the_apply_button(client: Client, call: Call, participant: User) -> None:
    client.force_login(participant)
    page = client.get(call.get_absolute_url()).text
    assert reverse("scholarships:application_create", args=[call.pk]) in page
    assert "deadline for this call has passed" not in page
