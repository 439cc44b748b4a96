"""With FARO_REQUIRE_STAFF_2FA, a staff token is refused until its owner has two-factor sign-in."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_staff_token_without_two_factor_is_refused_saying_why(
    api: APIClient, staff: User, settings: Settings
) -> None:
    headers = bearer(staff)
    settings.FARO_REQUIRE_STAFF_2FA = True
    response = api.get("/api/v1/people/", **headers)
    assert response.status_code == 401
    assert "two-factor" in response.json()["error"]["message"]


def test_the_token_works_once_two_factor_is_on(api: APIClient, staff: User, settings: Settings) -> None:
    headers = bearer(staff)
    settings.FARO_REQUIRE_STAFF_2FA = True
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert api.get("/api/v1/people/", **headers).status_code == 200


def test_other_tokens_are_not_affected(api: APIClient, focal_point: User, settings: Settings) -> None:
    settings.FARO_REQUIRE_STAFF_2FA = True
    assert api.get("/api/v1/people/", **bearer(focal_point)).status_code == 200
