"""Cancelling a webinar mails every registrant: a page says so and asks first (no JavaScript)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from faro.accounts.models import User
from faro.webinars.models import Webinar
from faro.webinars.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_the_status_button_leads_to_the_confirmation_and_cancels_nothing(
    client: Client, webinar: Webinar, staff: User
) -> None:
    register(webinar, "a@x.example.org")
    register(webinar, "b@x.example.org")
    client.force_login(staff)
    response = client.post(reverse("webinars:webinar_status", args=[webinar.pk]), {"action": "cancel"})
    assert response["Location"] == reverse("webinars:webinar_cancel", args=[webinar.pk])
    page = client.get(response["Location"]).text
    assert "2 registrants are mailed that the webinar is cancelled." in page
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED


def test_confirming_cancels_and_mails_the_registrants(
    client: Client, webinar: Webinar, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org")
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webinars:webinar_cancel", args=[webinar.pk]), {"confirm": "yes"})
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.CANCELLED
    assert [m.to for m in mail.outbox] == [["a@x.example.org"]]


def test_a_forged_cancel_is_refused(webinar: Webinar, staff: User) -> None:
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(staff)
    assert forger.post(reverse("webinars:webinar_cancel", args=[webinar.pk]), {"confirm": "yes"}).status_code == 403
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED


def test_partners_and_outsiders_get_404(client: Client, webinar: Webinar, partner: User, outsider: User) -> None:
    for user in (partner, outsider):
        client.force_login(user)
        assert client.get(reverse("webinars:webinar_cancel", args=[webinar.pk])).status_code == 404
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED
