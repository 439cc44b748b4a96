"""Focal points are told when endorsement opens and reminded before its deadline, once each."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.directory.models import Appointment, MemberState
from faro.scholarships import services
from faro.scholarships.models import Application, Call, EndorsementNotice
from faro.scholarships.tests.factories import make_application, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_points(focal_point: User, jamaica: MemberState) -> list[Any]:
    """Jamaica's appointed focal point (the persona) and Chile's, who has no candidate."""
    chile = MemberState.objects.get(code="CL")
    chilean = make_person("Rosa", "Díaz", "CL", email="rosa@puertos.example.cl", preferred_language="es")
    for person, state in [(person_of(focal_point), jamaica), (chilean, chile)]:
        Appointment.objects.create(
            person=person, member_state=state, role="focal_point", start=datetime.date(2020, 1, 1)
        )
    return [person_of(focal_point), chilean]


def test_focal_points_with_candidates_are_told_once_when_endorsement_opens(
    client: Client,
    staff: User,
    call: Call,
    offering: Offering,
    participant: User,
    focal_points: list[Any],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    make_application(call, person_of(participant), [offering])
    make_application(call, make_person("Omar", "Reid", "JM", email="omar@port.example.jm"), [offering])
    mail.outbox.clear()  # the applicants' receipts
    move_to(call, Call.Status.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_call(call, acting_user=None)
    [message] = mail.outbox  # Jamaica's focal point; Chile's has no candidate
    assert message.to == ["andre@pa.example.jm"]
    assert "2 candidates await your endorsement" in message.subject
    assert "focal point of Jamaica" in message.body
    assert f"/scholarships/endorsements/{call.pk}/" in message.body
    notice = EndorsementNotice.objects.get()
    assert (notice.member_state.code, notice.kind, notice.pending) == ("JM", "opened", 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_endorsers(call, kind="opened") == 0
    assert len(mail.outbox) == 1

    client.force_login(staff)
    page = client.get(reverse("scholarships:manage_call", args=[call.pk])).text
    assert "Focal points mailed" in page
    assert "Endorsement opened" in page


def test_the_reminder_goes_close_to_the_deadline_only_to_states_still_pending(
    call: Call,
    offering: Offering,
    participant: User,
    focal_points: list[Any],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    jamaican = make_application(call, person_of(participant), [offering])
    make_application(call, make_person("Ana", "Rojas", "CL", email="ana@port.example.cl"), [offering])
    move_to(call, Call.Status.ENDORSEMENT)
    mail.outbox.clear()
    deadline = call.endorsement_deadline
    assert deadline is not None
    assert services.remind_endorsers(now=deadline - datetime.timedelta(days=5)) == 0  # too early
    services.endorse_application(jamaican, acting_user=None, endorse=True, now=deadline - datetime.timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_endorsers(now=deadline - datetime.timedelta(days=2)) == 1
    [message] = mail.outbox  # Jamaica has endorsed its candidate: only Chile is reminded, in Spanish
    assert message.to == ["rosa@puertos.example.cl"]
    assert message.subject.startswith("Recordatorio")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_endorsers(now=deadline - datetime.timedelta(days=1)) == 0  # once
        assert services.remind_endorsers(now=deadline + datetime.timedelta(minutes=1)) == 0  # too late
    assert len(mail.outbox) == 1
    assert Application.objects.filter(endorsement="pending").count() == 1


def test_the_reminder_task_runs_the_service(call: Call, settings: Settings) -> None:
    from faro.scholarships.tasks import remind_endorsers_task

    assert "scholarships-remind-endorsers" in settings.CELERY_BEAT_SCHEDULE
    assert remind_endorsers_task.delay().get() == 0
    assert call.endorsement_deadline is not None
    assert timezone.now() < call.endorsement_deadline


def test_the_reminder_command_for_cron(call: Call) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("remind_endorsers", stdout=out)
    assert out.getvalue().strip() == "0 member state(s) reminded."


def test_no_reminder_on_the_heels_of_the_first_mail(
    call: Call,
    offering: Offering,
    participant: User,
    focal_points: list[Any],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    make_application(call, person_of(participant), [offering])
    move_to(call, Call.Status.CLOSED)
    deadline = timezone.now() + datetime.timedelta(days=1)  # endorsement opened late: the deadline is close
    Call.objects.filter(pk=call.pk).update(endorsement_deadline=deadline)
    call.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_call(call, acting_user=None)
        assert services.remind_endorsers() == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["1 candidate awaits your endorsement"]
