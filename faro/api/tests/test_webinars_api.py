"""Webinars over the API: public list and detail, registrations with the web form's rules."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api.models import WebhookDelivery
from faro.api.tests.conftest import Bearer, bearer
from faro.directory.models import Institution
from faro.webinars.models import Question, Registration, Webinar

pytestmark = pytest.mark.django_db


def make_webinar(*, partners: Any = (), **fields: Any) -> Webinar:
    start = timezone.now() + datetime.timedelta(days=3)
    values = {
        "title": {"en": "Port security", "es": "Protección portuaria"},
        "starts_at": start,
        "ends_at": start + datetime.timedelta(minutes=90),
        "capacity": 1,
        "status": Webinar.Status.PUBLISHED,
        "join_url": "https://zoom.example.org/j/1",
        **fields,
    }
    webinar = Webinar.objects.create(**values)
    webinar.partners.set(partners)
    return webinar


@pytest.fixture
def webinar(partner_institution: Institution) -> Webinar:
    return make_webinar(partners=[partner_institution])


def register(api: APIClient, webinar: Webinar, headers: Bearer, **body: Any) -> Any:
    return api.post(
        f"/api/v1/webinars/{webinar.pk}/registrations/", {"consent": True, **body}, format="json", **headers
    )


def test_anyone_lists_public_webinars_but_not_drafts(api: APIClient, webinar: Webinar) -> None:
    make_webinar(status=Webinar.Status.DRAFT, title={"en": "Secret"})
    body = api.get("/api/v1/webinars/").json()
    assert [w["id"] for w in body["results"]] == [webinar.pk]
    assert body["results"][0]["title"]["es"] == "Protección portuaria"
    assert "join_url" not in body["results"][0]
    assert body["results"][0]["seats_left"] == 1


def test_a_draft_is_404_to_outsiders_and_visible_to_its_partner(
    api: APIClient, partner: User, partner_institution: Institution, outsider: User
) -> None:
    draft = make_webinar(status=Webinar.Status.DRAFT, partners=[partner_institution])
    assert api.get(f"/api/v1/webinars/{draft.pk}/", **bearer(outsider)).status_code == 404
    assert api.get(f"/api/v1/webinars/{draft.pk}/", **bearer(partner)).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=nonsense", "status"), ("starts_after=yesterday", "starts_after"), ("partner=abc", "partner")],
)
def test_bad_filters_are_named(api: APIClient, db: None, query: str, field: str) -> None:
    response = api.get(f"/api/v1/webinars/?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_filters_narrow_the_list(api: APIClient, webinar: Webinar, other_institution: Institution) -> None:
    other = make_webinar(partners=[other_institution], language="fr")
    assert [w["id"] for w in api.get(f"/api/v1/webinars/?partner={other_institution.pk}").json()["results"]] == [
        other.pk
    ]
    assert [w["id"] for w in api.get("/api/v1/webinars/?language=fr&upcoming=true").json()["results"]] == [other.pk]


def test_a_participant_registers_themselves_once_then_waits(
    api: APIClient, webinar: Webinar, participant: User, outsider: User
) -> None:
    headers = bearer(participant, scope="write")
    first = register(api, webinar, headers)
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    assert first.json()["email"] == "keisha@port.example.jm"
    assert first.json()["join_url"] == "https://zoom.example.org/j/1"
    again = register(api, webinar, headers)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Registration.objects.count() == 1
    late = register(api, webinar, bearer(outsider, scope="write"))
    assert (late.status_code, late.json()["status"], late.json()["join_url"]) == (201, "waitlisted", None)


def test_a_read_token_cannot_register(api: APIClient, webinar: Webinar, participant: User) -> None:
    response = register(api, webinar, bearer(participant))
    assert response.status_code == 403
    assert "write" in response.json()["error"]["message"]


def test_anonymous_callers_cannot_register(api: APIClient, webinar: Webinar) -> None:
    response = register(api, webinar, {}, email="a@b.example", first_name="A", country="JM")
    assert response.status_code == 401


def test_a_participant_cannot_register_someone_else(api: APIClient, webinar: Webinar, participant: User) -> None:
    body = {"email": "other@x.example", "first_name": "Other", "country": "JM"}
    response = register(api, webinar, bearer(participant, scope="write"), **body)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "only yourself (keisha@port.example.jm)" in error["message"]
    assert not Registration.objects.exists()


def test_a_participant_may_spell_their_own_address_differently(
    api: APIClient, webinar: Webinar, participant: User
) -> None:
    response = register(api, webinar, bearer(participant, scope="write"), email="KEISHA@Port.Example.JM")
    assert response.status_code == 201


def test_the_partner_registers_people_and_reads_all_registrations(
    api: APIClient, webinar: Webinar, partner: User, participant: User
) -> None:
    headers = bearer(partner, scope="write")
    response = register(api, webinar, headers, email="New.Person@Port.example", first_name="Nia", country="BB")
    assert response.status_code == 201, response.json()
    register(api, webinar, bearer(participant, scope="write"))
    listed = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **headers).json()
    assert listed["count"] == 2
    assert api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(participant)).json()["count"] == 1


def test_another_partner_sees_no_registrations(
    api: APIClient, webinar: Webinar, participant: User, other_institution: Institution
) -> None:
    from conftest import make_user

    register(api, webinar, bearer(participant, scope="write"))
    other = make_user("coord@valenciaport.example", role="partner", institution=other_institution)
    registration = Registration.objects.get()
    assert api.get(f"/api/v1/registrations/{registration.pk}/", **bearer(other)).status_code == 404
    assert api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(other)).json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": "maybe"}, "consent"),
        ({"colour": "blue"}, "colour"),
        ({"country": "XX"}, "country"),
        ({"language": 7}, "language"),
        ({"answers": ["a"]}, "answers"),
        ({"first_name": "x" * 101}, "first_name"),
    ],
)
def test_bad_registration_bodies_are_refused_field_by_field(
    api: APIClient, webinar: Webinar, participant: User, body: dict[str, Any], field: str
) -> None:
    response = register(api, webinar, bearer(participant, scope="write"), **body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Registration.objects.exists()


def test_consent_is_required(api: APIClient, webinar: Webinar, participant: User) -> None:
    headers = bearer(participant, scope="write")
    response = api.post(f"/api/v1/webinars/{webinar.pk}/registrations/", {}, format="json", **headers)
    assert response.json()["error"]["fields"] == {"consent": ["This field is required."]}


def test_required_questions_need_answers_and_unknown_ones_are_refused(
    api: APIClient, webinar: Webinar, participant: User
) -> None:
    question = Question.objects.create(webinar=webinar, label={"en": "Your port?"}, required=True)
    headers = bearer(participant, scope="write")
    missing = register(api, webinar, headers, answers={"999": "x"})
    assert set(missing.json()["error"]["fields"]) == {f"answers.{question.pk}", "answers.999"}
    ok = register(api, webinar, headers, answers={str(question.pk): "Kingston"})
    assert ok.json()["answers"] == {str(question.pk): "Kingston"}


def test_registration_closed_says_so(api: APIClient, participant: User) -> None:
    past = make_webinar(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    response = register(api, past, bearer(participant, scope="write"))
    assert response.status_code == 400
    assert "closed" in response.json()["error"]["message"]


def test_a_draft_webinar_cannot_be_registered_for(api: APIClient, participant: User) -> None:
    draft = make_webinar(status=Webinar.Status.DRAFT)
    assert register(api, draft, bearer(participant, scope="write")).status_code == 404


@pytest.mark.usefixtures("allow_local_webhooks")
def test_cancelling_promotes_the_waitlist_and_tells_the_partner(
    api: APIClient, webinar: Webinar, participant: User, outsider: User, partner: User, partner_institution: Institution
) -> None:
    from faro.api import services

    services.create_subscription(
        acting_user=partner,
        institution=partner_institution,
        url="http://127.0.0.1:9/",
        events=["registration.cancelled"],
    )
    mine = register(api, webinar, bearer(participant, scope="write")).json()
    waiting = register(api, webinar, bearer(outsider, scope="write")).json()
    assert api.post(f"/api/v1/registrations/{mine['id']}/cancel/", **bearer(outsider, scope="write")).status_code == 404
    response = api.post(f"/api/v1/registrations/{mine['id']}/cancel/", **bearer(participant, scope="write"))
    assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=waiting["id"]).status == "confirmed"
    assert (
        api.post(f"/api/v1/registrations/{mine['id']}/cancel/", **bearer(participant, scope="write")).status_code == 400
    )


def test_own_registrations_list(api: APIClient, webinar: Webinar, participant: User, outsider: User) -> None:
    register(api, webinar, bearer(participant, scope="write"))
    register(api, webinar, bearer(outsider, scope="write"))
    mine = api.get("/api/v1/registrations/", **bearer(participant)).json()["results"]
    assert [r["email"] for r in mine] == ["keisha@port.example.jm"]
    assert api.get("/api/v1/registrations/?status=bogus", **bearer(participant)).status_code == 400


@pytest.mark.usefixtures("allow_local_webhooks")
def test_registration_events_reach_the_co_organising_partner(
    api: APIClient, webinar: Webinar, participant: User, partner: User, partner_institution: Institution
) -> None:
    from faro.api import services

    services.create_subscription(
        acting_user=partner, institution=partner_institution, url="http://127.0.0.1:9/", events=["registration.created"]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("faro.api.tasks.deliver_webhook.delay", lambda pk: None)
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            register(api, webinar, bearer(participant, scope="write"))
    assert WebhookDelivery.objects.filter(event="registration.created").count() == 1


def test_a_partner_registering_a_known_address_is_told_back_only_what_they_typed(
    api: APIClient, webinar: Webinar, partner: Any, outsider: Any
) -> None:
    """#16.11: the address belongs to someone in the directory (outside the partner's scope)."""
    body = {"email": outsider.email.upper(), "first_name": "Someone", "country": "BB", "consent": True}
    response = api.post(
        f"/api/v1/webinars/{webinar.pk}/registrations/", body, format="json", **bearer(partner, scope="write")
    )
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["first_name"] == "Someone"
    assert answer["last_name"] == ""
    assert answer["country"] == "BB"
    assert outsider.person.last_name not in response.content.decode()
    assert Registration.objects.get().person_id == outsider.person_id  # linked all the same
    again = api.post(
        f"/api/v1/webinars/{webinar.pk}/registrations/", body, format="json", **bearer(partner, scope="write")
    )
    assert again.status_code == 200
    assert outsider.person.first_name not in again.content.decode()


def test_staff_registering_a_known_address_see_the_directorys_record(
    api: APIClient, webinar: Webinar, staff: Any, outsider: Any
) -> None:
    body = {"email": outsider.email, "first_name": "Someone", "country": "BB", "consent": True}
    response = api.post(
        f"/api/v1/webinars/{webinar.pk}/registrations/", body, format="json", **bearer(staff, scope="write")
    )
    assert response.json()["last_name"] == outsider.person.last_name


def test_the_organising_partner_sees_who_registered_but_not_their_join_links(
    api: APIClient, webinar: Webinar, partner: Any, participant: Any
) -> None:
    assert register(api, webinar, bearer(participant, scope="write")).json()["join_url"]  # the registrant's own
    listed = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(partner)).json()["results"]
    assert [r["name"] for r in listed] == ["Keisha Brown"]  # as she typed it (her directory record is not theirs)
    assert [r["join_url"] for r in listed] == [None]
