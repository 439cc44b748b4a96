"""Courses over the API: the public catalogue, a partner's enrolments and the completion push."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import person_of
from faro.accounts.models import User
from faro.api.models import WebhookDelivery
from faro.api.tests.conftest import Bearer, bearer
from faro.core.models import AuditEntry
from faro.courses.models import Course, Enrolment, Offering, PartnerContribution
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def make_offering(provider: Any, *, code: str, published: bool = True, **course: Any) -> Offering:
    course_fields = {"title": {"en": "Port management"}, "modality": "online_tutored", "hours": 40, **course}
    made = Course.objects.create(provider=provider, is_published=published, **course_fields)
    return Offering.objects.create(
        course=made, code=code, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 5, 1), seats=30
    )


@pytest.fixture
def offering(partner_institution: Institution, participant: User, outsider: User) -> Offering:
    offering = make_offering(partner_institution, code="APN-2026", minimum_grade=Decimal("70"))
    for user in (participant, outsider):
        Enrolment.objects.create(offering=offering, person=person_of(user))
    return offering


@pytest.fixture
def other_offering(other_institution: Institution, participant: User) -> Offering:
    offering = make_offering(other_institution, code="FV-2026")
    Enrolment.objects.create(offering=offering, person=person_of(participant))
    return offering


def push(api: APIClient, offering: Offering, headers: Bearer, results: Any) -> Any:
    url = f"/api/v1/offerings/{offering.pk}/completions/"
    return api.post(url, {"results": results}, format="json", **headers)


def test_the_catalogue_is_public_and_hides_unpublished_courses(
    api: APIClient, offering: Offering, partner_institution: Institution
) -> None:
    hidden = make_offering(partner_institution, code="DRAFT", published=False)
    courses = api.get("/api/v1/courses/").json()["results"]
    assert [c["id"] for c in courses] == [offering.course_id]
    assert courses[0]["provider"]["acronym"] == "APN"
    assert courses[0]["minimum_grade"] == 70.0
    assert api.get(f"/api/v1/offerings/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/offerings/{offering.pk}/").json()["code"] == "APN-2026"


def test_the_provider_sees_its_unpublished_course(
    api: APIClient, partner: User, partner_institution: Institution, offering: Offering
) -> None:
    hidden = make_offering(partner_institution, code="DRAFT", published=False)
    assert api.get(f"/api/v1/courses/{hidden.course_id}/", **bearer(partner)).status_code == 200


def test_offerings_filter_by_partner_and_mine(
    api: APIClient, partner: User, offering: Offering, other_offering: Offering, other_institution: Institution
) -> None:
    PartnerContribution.objects.create(offering=other_offering, institution=other_institution, kind="tuition")
    by_partner = api.get(f"/api/v1/offerings/?partner={other_institution.pk}").json()["results"]
    assert [o["id"] for o in by_partner] == [other_offering.pk]
    assert by_partner[0]["partners"] == [{"id": other_institution.pk, "name": other_institution.name, "acronym": ""}]
    mine = api.get("/api/v1/offerings/?mine=true", **bearer(partner)).json()["results"]
    assert [o["id"] for o in mine] == [offering.pk]


@pytest.mark.parametrize("query", ["modality=teleport", "provider=-3", "certified=perhaps", "topic=1.5"])
def test_bad_course_filters_are_named(api: APIClient, db: None, query: str) -> None:
    response = api.get(f"/api/v1/courses/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["error"]["fields"]


def test_a_partner_reads_the_enrolments_of_its_offering_only(
    api: APIClient, partner: User, offering: Offering, other_offering: Offering
) -> None:
    headers = bearer(partner)
    listed = api.get(f"/api/v1/offerings/{offering.pk}/enrolments/", **headers).json()
    assert listed["count"] == 2
    assert api.get(f"/api/v1/offerings/{other_offering.pk}/enrolments/", **headers).status_code == 404
    other_enrolment = other_offering.enrolments.get()
    assert api.get(f"/api/v1/enrolments/{other_enrolment.pk}/", **headers).status_code == 404
    assert {e["offering"] for e in api.get("/api/v1/enrolments/", **headers).json()["results"]} == {offering.pk}


def test_a_participant_reads_their_own_enrolments(
    api: APIClient, participant: User, offering: Offering, other_offering: Offering
) -> None:
    headers = bearer(participant)
    mine = api.get("/api/v1/enrolments/", **headers).json()["results"]
    assert {e["offering"] for e in mine} == {offering.pk, other_offering.pk}
    assert {e["person"]["email"] for e in mine} == {"keisha@port.example.jm"}
    assert api.get(f"/api/v1/offerings/{offering.pk}/enrolments/", **headers).status_code == 404


def test_completions_follow_the_courses_rule(
    api: APIClient, partner: User, offering: Offering, participant: User, outsider: User
) -> None:
    response = push(
        api,
        offering,
        bearer(partner, scope="write"),
        [{"email": "KEISHA@port.example.jm", "grade": "85.5"}, {"email": outsider.email, "grade": 50}],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["counts"]["completed"] == 1
    assert response.json()["counts"]["failed"] == 1
    outcomes = dict(Enrolment.objects.filter(offering=offering).values_list("person__email", "outcome"))
    assert outcomes == {"keisha@port.example.jm": "completed", "pierre@port.example.ht": "failed"}
    assert AuditEntry.objects.filter(action="courses.results.imported").exists()


def test_a_completion_push_with_one_bad_row_records_nothing(
    api: APIClient, partner: User, offering: Offering, participant: User
) -> None:
    response = push(
        api,
        offering,
        bearer(partner, scope="write"),
        [{"email": participant.email, "grade": 90}, {"email": "stranger@x.example", "status": "completed"}],
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["results.1"]
    assert "not enrolled" in response.json()["error"]["fields"]["results.1"][0]
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()


@pytest.mark.parametrize(
    ("results", "field"),
    [
        ([{"email": "not-an-email"}], "results.0.email"),
        ([{"email": "a@b.example", "grade": "lots"}], "results.0.grade"),
        ([{"email": "a@b.example", "grade": -1}], "results.0.grade"),
        ([{"email": "a@b.example", "status": "passed"}], "results.0.status"),
        ([{"email": "a@b.example", "score": 3}], "results.0.score"),
        ([{}], "results.0.email"),
        ([], "results"),
        ("everyone", "results"),
    ],
)
def test_bad_completion_bodies_are_named(
    api: APIClient, partner: User, offering: Offering, results: Any, field: str
) -> None:
    response = push(api, offering, bearer(partner, scope="write"), results)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()


def test_unknown_top_level_fields_and_missing_results_are_named(
    api: APIClient, partner: User, offering: Offering
) -> None:
    headers = bearer(partner, scope="write")
    response = api.post(f"/api/v1/offerings/{offering.pk}/completions/", {"rows": []}, format="json", **headers)
    assert set(response.json()["error"]["fields"]) == {"rows"}
    response = api.post(f"/api/v1/offerings/{offering.pk}/completions/", {}, format="json", **headers)
    assert set(response.json()["error"]["fields"]) == {"results"}


def test_a_partner_cannot_push_to_another_partners_offering(
    api: APIClient, partner: User, other_offering: Offering, participant: User
) -> None:
    response = push(api, other_offering, bearer(partner, scope="write"), [{"email": participant.email, "grade": 90}])
    assert response.status_code == 404
    assert not Enrolment.objects.exclude(outcome="enrolled").exists()


def test_participants_and_read_tokens_cannot_push(
    api: APIClient, partner: User, participant: User, offering: Offering
) -> None:
    results = [{"email": participant.email, "grade": 90}]
    assert push(api, offering, bearer(participant, scope="write"), results).status_code == 404
    assert push(api, offering, bearer(partner), results).status_code == 403


@pytest.mark.usefixtures("allow_local_webhooks")
def test_a_completion_is_announced_to_the_partner(
    api: APIClient, partner: User, partner_institution: Institution, offering: Offering, participant: User
) -> None:
    from django.test import TestCase

    from faro.api import services

    services.create_subscription(
        acting_user=partner, institution=partner_institution, url="http://127.0.0.1:9/", events=["enrolment.completed"]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("faro.api.tasks.deliver_webhook.delay", lambda pk: None)
        with TestCase.captureOnCommitCallbacks(execute=True):
            push(api, offering, bearer(partner, scope="write"), [{"email": participant.email, "grade": 90}])
    delivery = WebhookDelivery.objects.get(event="enrolment.completed")
    assert delivery.payload["offering"] == offering.pk


@pytest.mark.usefixtures("allow_local_webhooks")
def test_pushing_the_same_completion_again_announces_nothing_new(
    api: APIClient, partner: User, partner_institution: Institution, offering: Offering, participant: User
) -> None:
    from django.test import TestCase

    from faro.api import services

    services.create_subscription(
        acting_user=partner, institution=partner_institution, url="http://127.0.0.1:9/", events=["enrolment.completed"]
    )
    results = [{"email": participant.email, "grade": 90}]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("faro.api.tasks.deliver_webhook.delay", lambda pk: None)
        for _push in range(2):
            with TestCase.captureOnCommitCallbacks(execute=True):
                assert push(api, offering, bearer(partner, scope="write"), results).status_code == 200
    assert WebhookDelivery.objects.filter(event="enrolment.completed").count() == 1
