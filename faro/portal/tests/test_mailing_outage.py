"""A mailing sent while the mail server is down: recipients wait, are retried, and Resume finishes them.

Uses a real SMTP server (aiosmtpd) that the test starts only after the send, and that refuses one
address for good (550) and another for now (451).
"""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from faro.accounts.models import User
from faro.core.models import Job, OutboxMessage
from faro.core.tests.servers import free_port
from faro.directory.models import Person
from faro.portal.models import Mailing, MailingRecipient
from faro.portal.services import delivery
from faro.portal.services.mailings import send_mailing
from faro.portal.tests.conftest import person_with
from faro.portal.tests.test_mailings import Collector, make_mailing

pytestmark = pytest.mark.django_db

GONE = "gone@port.example.pe"  # the server says this mailbox does not exist (permanent)
FULL = "full@port.example.pe"  # the server says try later (temporary)


class Picky(Collector):
    """Accepts mail, except a permanent refusal for GONE and a temporary one for FULL (while `full`)."""

    full = True

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == GONE:
            return "550 5.1.1 No such mailbox"
        if address == FULL and self.full:
            return "451 4.2.2 Mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def recipients(participant: User, focal_point: User) -> list[Person]:
    return [
        person_with("lucia@apn.example.pe", "PE", preferred_language="es"),
        person_with(GONE, "PE"),
        person_with(FULL, "PE"),
    ]


def test_a_mailing_sent_while_the_mail_server_is_down_waits_then_resumes_and_records_failures(
    settings: Settings,
    staff: User,
    recipients: list[Person],
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    mailing = make_mailing(staff, {"member_states": ["PE", "JM"]})
    with django_capture_on_commit_callbacks(execute=True):
        job_id = send_mailing(mailing, acting_user=staff)  # nothing listens on the port yet

    mailing.refresh_from_db()
    job = Job.objects.get(pk=job_id)
    assert mailing.status == Mailing.Status.SENDING
    assert delivery.counts(mailing.pk) == {"sent": 0, "waiting": 5, "failed": 0, "skipped": 0, "total": 5}
    waiting = MailingRecipient.objects.filter(mailing=mailing, status=MailingRecipient.Status.QUEUED)
    assert all("could not be reached" in r.error for r in waiting)
    assert all(r.next_attempt_at and r.next_attempt_at > timezone.now() for r in waiting)  # backs off
    assert not job.stalled  # waiting for its next attempt, which is queued in the outbox
    assert OutboxMessage.objects.filter(task__endswith="deliver_mailing_job", status="pending").count() == 1

    client.force_login(staff)
    page = client.get(mailing.get_absolute_url()).content.decode()
    assert 'id="count-waiting">5<' in page
    assert reverse("portal:mailing_resume", args=[mailing.pk]) in page

    picky = Picky()
    controller = Controller(picky, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:mailing_resume", args=[mailing.pk]))
        assert response.status_code == 302
        assert delivery.counts(mailing.pk) == {"sent": 3, "waiting": 1, "failed": 1, "skipped": 0, "total": 5}
        gone = MailingRecipient.objects.get(mailing=mailing, email=GONE)
        assert gone.status == MailingRecipient.Status.FAILED
        assert "550" in gone.error
        full = MailingRecipient.objects.get(mailing=mailing, email=FULL)
        assert full.status == MailingRecipient.Status.QUEUED
        assert "451" in full.error

        picky.full = False  # later, the mailbox has room: the scheduled attempt (relay) finishes the mailing
        MailingRecipient.objects.filter(pk=full.pk).update(next_attempt_at=timezone.now())
        OutboxMessage.objects.filter(status="pending").update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            call_command("relay_outbox")
    finally:
        controller.stop()

    delivered = sorted(rcpt for rcpts, _message in picky.messages for rcpt in rcpts)
    assert delivered == sorted(["lucia@apn.example.pe", "keisha@port.example.jm", "andre@pa.example.jm", FULL])
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert Job.objects.get(pk=job_id).status == Job.Status.DONE
    assert delivery.counts(mailing.pk) == {"sent": 4, "waiting": 0, "failed": 1, "skipped": 0, "total": 5}
    page = client.get(mailing.get_absolute_url()).content.decode()
    assert "550 5.1.1 No such mailbox" in page


def test_a_recipient_that_keeps_failing_is_given_up_with_its_reason(
    settings: Settings,
    staff: User,
    recipients: list[Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    job_id = send_mailing(mailing, acting_user=staff)
    for _attempt in range(delivery.MAX_ATTEMPTS):
        MailingRecipient.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        delivery.deliver(mailing.pk, job_id)
    assert delivery.counts(mailing.pk)["failed"] == 3
    assert set(MailingRecipient.objects.values_list("status", flat=True)) == {"failed"}
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT  # finished: nobody is waiting any more


def test_resume_is_refused_when_nobody_waits(
    staff: User,
    recipients: list[Person],
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    with django_capture_on_commit_callbacks(execute=True):
        send_mailing(mailing, acting_user=staff)
    client.force_login(staff)
    response = client.post(reverse("portal:mailing_resume", args=[mailing.pk]), follow=True)
    assert "nothing to resume" in response.content.decode()


def test_outsiders_cannot_resume_a_mailing(staff: User, outsider: User, client: Client) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    client.force_login(outsider)
    assert client.post(reverse("portal:mailing_resume", args=[mailing.pk])).status_code == 404
