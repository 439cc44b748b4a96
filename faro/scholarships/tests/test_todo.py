"""My page's "Waiting for you" for scholarships: each persona sees their own work, nobody else's."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.core.todo import todo_for
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Call, Offer, Review
from faro.scholarships.tests.factories import make_application, move_to

pytestmark = pytest.mark.django_db


def texts(user: User) -> list[str]:
    return [item.text for item in todo_for(user)]


def test_each_persona_sees_their_own_scholarship_work(
    client: Client,
    call: Call,
    offering: Offering,
    participant: User,
    focal_point: User,
    reviewer: User,
    staff: User,
    outsider: User,
    partner: User,
) -> None:
    draft = make_application(call, person_of(participant), [offering], submit=False)
    assert texts(participant) == ["Finish and submit your application: Port scholarships"]
    assert todo_for(participant)[0].url == draft.get_absolute_url()
    services.submit_application(draft, acting_user=participant)
    make_application(call, make_person("Omar", "Reid", "JM", email="omar@port.example.jm"), [offering])
    make_application(call, person_of(outsider), [offering])
    assert texts(participant) == []

    move_to(call, Call.Status.ENDORSEMENT)
    assert texts(focal_point) == ["2 candidates await your endorsement: Port scholarships"]  # Jamaica's only
    assert todo_for(focal_point)[0].url == reverse("scholarships:call_endorsements", args=[call.pk])
    assert todo_for(focal_point)[0].due == call.endorsement_deadline

    Call.objects.filter(pk=call.pk).update(endorsement_deadline=timezone.now() - datetime.timedelta(minutes=1))
    assert texts(staff) == ["Endorsement is over: move the call on to review: Port scholarships"]
    assert texts(partner) == texts(staff)  # the call is for APN's offering
    assert texts(outsider) == []
    assert texts(reviewer) == []

    for application in call.applications.all():
        Review.objects.create(application=application, reviewer=reviewer)
    move_to(call, Call.Status.REVIEW)
    assert texts(reviewer) == ["3 reviews to submit: Port scholarships"]

    application = call.applications.get(person=person_of(participant))
    move_to(call, Call.Status.RESULTS_PUBLISHED)
    Offer.objects.create(application=application, offering=offering, accept_by=call.accept_by)
    [item] = todo_for(participant)
    assert item.text == f"Answer the scholarship offer: {Offer.objects.get().offering.course}"
    assert item.due == call.accept_by

    client.force_login(participant)
    page = client.get(reverse("accounts:me")).text
    assert "Waiting for you" in page
    assert item.text in page
    client.force_login(outsider)
    assert "Nothing is waiting for you." in client.get(reverse("accounts:me")).text
