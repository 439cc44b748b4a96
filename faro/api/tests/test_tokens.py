import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api import services
from faro.api.models import ApiToken
from faro.api.tests.conftest import bearer
from faro.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_only_its_digest_is_stored(staff: User) -> None:
    token, plain = services.create_api_token(staff, acting_user=staff, name="Moodle", scope="read", expires_at=None)
    assert plain.startswith(f"faro_{token.prefix}_")
    assert plain not in {token.digest, token.name, token.prefix}
    assert AuditEntry.objects.filter(action="api.token.created", object_id=str(token.pk)).exists()


def test_a_focal_point_token_sees_only_their_states_people(api: APIClient, focal_point: User, outsider: User) -> None:
    headers = bearer(focal_point)
    listed = api.get("/api/v1/people/", **headers).json()["results"]
    assert {p["country"] for p in listed} == {"JM"}
    assert api.get(f"/api/v1/people/{outsider.person_id}/", **headers).status_code == 404


def test_staff_tokens_see_everyone(api: APIClient, staff: User, outsider: User, participant: User) -> None:
    listed = api.get("/api/v1/people/?page_size=10", **bearer(staff)).json()
    assert listed["count"] == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expired"),
    ],
)
def test_revoked_and_expired_tokens_are_refused_with_a_reason(
    api: APIClient, staff: User, change: dict[str, Any], message: str
) -> None:
    headers = bearer(staff)
    ApiToken.objects.update(**change)
    response = api.get("/api/v1/people/", **headers)
    assert response.status_code == 401
    assert message in response.json()["error"]["message"]


def test_an_unknown_token_is_refused(api: APIClient, db: None) -> None:
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer faro_nope_nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_anonymous_callers_may_read_the_public_catalogue_only(api: APIClient, db: None) -> None:
    assert len(api.get("/api/v1/member-states/").json()) == 35
    assert api.get("/api/v1/people/").status_code in {401, 403}


@pytest.mark.parametrize("size", ["-1", "0", "abc", "100000"])
def test_nonsense_page_sizes_get_a_4xx_naming_the_parameter(api: APIClient, staff: User, size: str) -> None:
    response = api.get(f"/api/v1/people/?page_size={size}", **bearer(staff))
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


def test_a_read_token_may_not_write(api: APIClient, staff: User) -> None:
    from faro.api.permissions import TokenScope

    token, _plain = services.create_api_token(staff, acting_user=staff, name="r", scope="read", expires_at=None)
    request = type("R", (), {"method": "POST", "auth": token})()
    assert TokenScope().has_permission(request, None) is False
    token.scope = "write"
    assert TokenScope().has_permission(request, None) is True


def test_requests_are_throttled_per_token(api: APIClient, staff: User, settings: Settings) -> None:
    from faro.api.throttling import TokenRateThrottle

    TokenRateThrottle.THROTTLE_RATES = {"api": "3/minute"}
    try:
        headers = bearer(staff)
        codes = [api.get("/api/v1/people/", **headers).status_code for _ in range(4)]
    finally:
        TokenRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert codes == [200, 200, 200, 429]


def test_the_token_page_creates_shows_once_and_revokes(client: Client, participant: User) -> None:
    client.force_login(participant)
    response = client.post("/api/v1/tokens/", {"name": "My LMS", "scope": "read"})
    token = ApiToken.objects.get(user=participant)
    assert f"faro_{token.prefix}_" in response.content.decode()
    assert f"faro_{token.prefix}_" not in client.get("/api/v1/tokens/").content.decode()
    client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(client: Client, participant: User, outsider: User) -> None:
    token, _plain = services.create_api_token(
        participant, acting_user=participant, name="x", scope="read", expires_at=None
    )
    client.force_login(outsider)
    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404


def test_an_expiry_in_the_past_is_refused(client: Client, participant: User) -> None:
    client.force_login(participant)
    response = client.post("/api/v1/tokens/", {"name": "x", "scope": "read", "expires_on": "2001-01-01"})
    assert "future" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_schema_and_the_docs_are_served_without_other_hosts(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/people/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs.lower()
    assert "https://" not in docs


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("99999", "no results"),
        ("abc", "whole number"),
        ("", "whole number"),
        ("last", "whole number"),
        ("0", "less than"),
    ],
)
def test_pages_that_do_not_exist_get_a_4xx_naming_the_parameter(
    api: APIClient, staff: User, page: str, message: str
) -> None:
    response = api.get(f"/api/v1/people/?page={page}", **bearer(staff))
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["page"][0]
