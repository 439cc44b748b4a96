"""Sending a mailing asks first: how many people, a test to oneself; a forged POST is refused."""

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import Person
from faro.portal.models import Mailing, MailingRecipient
from faro.portal.tests import test_mailings
from faro.portal.tests.test_mailings import make_mailing

people = test_mailings.people  # the fixture

pytestmark = pytest.mark.django_db


def test_the_send_page_says_how_many_are_mailed_and_sends_nothing(
    client: Client,
    staff: User,
    people: dict[str, Person],
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE", "BR"]})
    client.force_login(staff)
    page = client.get(f"/manage/mailings/{mailing.pk}/send/").text
    assert "2 people will be mailed. A mailing cannot be recalled once sent." in page
    assert "Send me a test first" in page
    client.post(f"/manage/mailings/{mailing.pk}/send/")  # no confirmation: the page again
    assert not MailingRecipient.objects.exists()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_send_me_a_test_mails_only_me(
    client: Client,
    staff: User,
    people: dict[str, Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE", "BR"]})
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/mailings/{mailing.pk}/test/")
    assert response["Location"] == f"/manage/mailings/{mailing.pk}/send/"
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert mail.outbox[0].subject.startswith("[TEST] ")
    assert not MailingRecipient.objects.exists()
    assert AuditEntry.objects.filter(action="portal.mailing.test_sent").count() == 1


def test_a_forged_send_or_test_is_refused(staff: User, people: dict[str, Person]) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE", "BR"]})
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(staff)
    assert forger.post(f"/manage/mailings/{mailing.pk}/send/", {"confirm": "yes"}).status_code == 403
    assert forger.post(f"/manage/mailings/{mailing.pk}/test/").status_code == 403
    assert not MailingRecipient.objects.exists()
    assert mail.outbox == []


def test_only_staff_reach_the_send_and_test_pages(
    client: Client,
    staff: User,
    partner: User,
    outsider: User,
    people: dict[str, Person],
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    for user in (partner, outsider):
        client.force_login(user)
        assert client.get(f"/manage/mailings/{mailing.pk}/send/").status_code == 404
        assert client.post(f"/manage/mailings/{mailing.pk}/test/").status_code == 404
