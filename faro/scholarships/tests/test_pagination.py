"""Lists that grow with the programme come in pages: two rows a page here, three rows in all."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.directory.models import Person
from faro.scholarships.models import Application, Call, Outcome, Review
from faro.scholarships.tests.factories import make_call, move_to

pytestmark = pytest.mark.django_db

NAMES = ["Alpha", "Bravo", "Charlie"]


@pytest.fixture(autouse=True)
def _two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("faro.core.pagination.PER_PAGE", 2)


def jamaicans() -> list[Person]:
    return [make_person(name, "Test", "JM", email=f"{name.lower()}@port.example.jm") for name in NAMES]


def submitted(call: Call, people: list[Person]) -> list[Application]:
    return [Application.objects.create(call=call, person=person, status="submitted") for person in people]


def assert_paged(client: Client, url: str, names: list[str], query: str = "") -> None:
    """Page 1 shows two and links to page 2; page 2 shows the rest; a bad page number is still a page."""
    first, second = client.get(f"{url}?{query}"), client.get(f"{url}?{query}page=2")
    assert len(first.context["page_obj"]) == 2
    assert len(second.context["page_obj"]) == 1
    assert f'href="?{query.replace("&", "&amp;")}page=2"' in first.text
    assert sorted(n for n in names if n in first.text or n in second.text) == sorted(names)
    assert not any(n in first.text and n in second.text for n in names)
    assert client.get(f"{url}?{query}page=abc").context["page_obj"].number == 1
    assert client.get(f"{url}?{query}page=999").context["page_obj"].number == 2


def test_the_review_table_of_a_call_is_paginated(client: Client, staff: User, call: Call) -> None:
    submitted(call, jamaicans())
    move_to(call, Call.Status.REVIEW)
    client.force_login(staff)
    assert_paged(client, reverse("scholarships:manage_call", args=[call.pk]), NAMES)


def test_the_allocation_table_of_a_call_is_paginated_and_counts_every_outcome(
    client: Client, staff: User, call: Call
) -> None:
    for application in submitted(call, jamaicans()):
        Outcome.objects.create(application=application, result="awarded", reason_code="awarded_first_choice")
    move_to(call, Call.Status.ALLOCATION)
    client.force_login(staff)
    url = reverse("scholarships:manage_call", args=[call.pk])
    assert_paged(client, url, NAMES)
    page = " ".join(client.get(url).text.split())
    assert "3 scholarships awarded to officials of 1 member state." in page


def test_assigning_a_reviewer_returns_to_the_same_page(client: Client, staff: User, reviewer: User, call: Call) -> None:
    last = submitted(call, jamaicans())[-1]
    move_to(call, Call.Status.REVIEW)
    client.force_login(staff)
    url = reverse("scholarships:reviewer_assign", args=[last.pk])
    response = client.post(url, {"reviewer": reviewer.pk, "page": 2})
    assert response["Location"] == reverse("scholarships:manage_call", args=[call.pk]) + "?page=2"


def test_my_applications_are_paginated(client: Client, participant: User, offering: Offering) -> None:
    for name in NAMES:
        call = make_call([offering], title={"en": f"Call {name}"})
        Application.objects.create(call=call, person=person_of(participant))
    client.force_login(participant)
    assert_paged(client, reverse("scholarships:my_applications"), [f"Call {n}" for n in NAMES])


def test_the_calls_awaiting_endorsement_are_paginated(client: Client, focal_point: User, offering: Offering) -> None:
    for name in NAMES:
        make_call([offering], title={"en": f"Call {name}"}, status=Call.Status.ENDORSEMENT)
    client.force_login(focal_point)
    assert_paged(client, reverse("scholarships:endorsements"), [f"Call {n}" for n in NAMES])


def test_a_calls_applications_for_endorsement_are_paginated_and_the_ranking_is_on_every_page(
    client: Client, focal_point: User, call: Call
) -> None:
    applications = submitted(call, jamaicans())
    Application.objects.filter(pk=applications[0].pk).update(endorsement="endorsed")
    move_to(call, Call.Status.ENDORSEMENT)
    client.force_login(focal_point)
    url = reverse("scholarships:call_endorsements", args=[call.pk])
    assert_paged(client, url, [f"<h3>{n} Test</h3>" for n in NAMES])
    assert f'name="rank_{applications[0].pk}"' in client.get(url, {"page": 2}).text
    endorse = reverse("scholarships:application_endorse", args=[applications[2].pk])
    response = client.post(endorse, {"decision": "endorse", "page": 2})
    assert response["Location"] == f"{url}?page=2"


def test_my_reviews_are_paginated(client: Client, reviewer: User, call: Call) -> None:
    for application in submitted(call, jamaicans()):
        Review.objects.create(application=application, reviewer=reviewer)
    client.force_login(reviewer)
    assert_paged(client, reverse("scholarships:my_reviews"), [f"{n} Test" for n in NAMES])
