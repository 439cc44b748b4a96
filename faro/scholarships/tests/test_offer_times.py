"""The offer mail states the answer deadline as the offer page and the call's timeline do.

The cause of "07:00 UTC" in the mail against "12:00 UTC" on the page: the mail was rendered on
commit inside the request of the staff member publishing results, in *their* time zone, under a
fixed "(UTC)". Now every moment goes through `faro.core.timefmt.format_moment` with its zone named.
"""

import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from faro.accounts.models import User
from faro.core.timefmt import UTC, format_moment, zone_for
from faro.scholarships import services
from faro.scholarships.models import Call, Offer
from faro.scholarships.services.allocation_outcomes import offer_link
from faro.scholarships.tests.test_results import applications  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_offer_mail_page_and_timeline_give_one_deadline(
    client: Client,
    call: Call,
    applications: dict[str, Any],  # noqa: F811
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    services.preview_allocation(call, acting_user=staff)
    mail.outbox.clear()
    timezone.activate(zoneinfo.ZoneInfo("America/Lima"))  # the publishing staff member's zone
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_results(call, acting_user=staff)
    finally:
        timezone.deactivate()
    offer = Offer.objects.get(application=applications["A"])
    person = offer.application.person
    stated = format_moment(offer.accept_by, zone_for(person), with_utc=True, language="en")
    assert zone_for(person).key == "America/Jamaica"  # no profile zone: the capital's
    body = next(m.body for m in mail.outbox if m.to == [person.email])
    assert stated in body
    assert "(UTC)" not in body
    assert stated in client.get(offer_link(offer)).text
    timeline = client.get(call.get_absolute_url()).text  # an anonymous viewer: UTC, named
    assert format_moment(call.accept_by, UTC, language="en") in timeline
