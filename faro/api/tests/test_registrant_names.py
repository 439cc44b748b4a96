"""#16.11 over the API: a partner registering a known address reads back the name they typed.

The outsider persona (Pierre Joseph) is known to the directory; the partner co-organising the webinar
registers his address as "Someone Else". Staff read the directory's name; the partner, whose scope
does not cover him, the typed one; the registrant, their own.
"""

import pytest
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api.tests.conftest import bearer
from faro.api.tests.test_webinars_api import make_webinar
from faro.directory.models import Institution, MemberState
from faro.webinars import services
from faro.webinars.models import Registration, Webinar

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(partner_institution: Institution) -> Webinar:
    return make_webinar(partners=[partner_institution], capacity=5)


@pytest.fixture
def typed_by_partner(webinar: Webinar, partner: User, outsider: User) -> Registration:
    outcome = services.register_for_webinar(
        webinar,
        acting_user=partner,
        email=outsider.email,
        first_name="Someone",
        last_name="Else",
        member_state=MemberState.objects.get(code="BB"),
        consent=True,
    )
    return outcome.registration


def test_the_api_shows_the_partner_the_typed_name_and_staff_the_directorys(
    api: APIClient, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    as_partner = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(partner)).json()["results"]
    assert [(r["name"], r["first_name"], r["last_name"]) for r in as_partner] == [("Someone Else", "Someone Else", "")]
    detail = api.get(f"/api/v1/registrations/{typed_by_partner.pk}/", **bearer(partner)).json()
    assert "Joseph" not in str(detail)
    as_staff = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(staff)).json()["results"]
    assert [(r["name"], r["first_name"], r["last_name"]) for r in as_staff] == [("Pierre Joseph", "Pierre", "Joseph")]


def test_a_partner_registering_by_api_then_listing_never_sees_the_directorys_name(
    api: APIClient, webinar: Webinar, partner: User, outsider: User
) -> None:
    """The email alone: register the address with any name, then read every answer the API gives."""
    headers = bearer(partner, scope="write")
    body = {"consent": True, "email": outsider.email, "first_name": "X", "country": "BB"}
    created = api.post(f"/api/v1/webinars/{webinar.pk}/registrations/", body, format="json", **headers)
    assert created.status_code == 201
    listed = api.get("/api/v1/registrations/", **headers)
    answers = created.content.decode() + listed.content.decode()
    assert "Pierre" not in answers
    assert "Joseph" not in answers
    assert listed.json()["results"][0]["name"] == "X"


def test_the_registrant_reads_their_own_directory_name(
    api: APIClient, webinar: Webinar, typed_by_partner: Registration, outsider: User
) -> None:
    mine = api.get("/api/v1/registrations/", **bearer(outsider)).json()["results"]
    assert [r["name"] for r in mine] == ["Pierre Joseph"]


def test_the_api_shows_the_partner_the_typed_member_state_and_staff_the_directorys(
    api: APIClient, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    as_partner = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(partner)).json()["results"]
    assert [r["country"] for r in as_partner] == ["BB"]
    as_staff = api.get(f"/api/v1/webinars/{webinar.pk}/registrations/", **bearer(staff)).json()["results"]
    assert [r["country"] for r in as_staff] == ["HT"]
