"""Report figures over the API: the web reports' numbers, scoped the same way."""

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api.tests.conftest import bearer
from faro.courses.models import Course, Offering
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def make_offering(provider: Any, code: str) -> Offering:
    course = Course.objects.create(
        title={"en": "Port management"}, provider=provider, modality="online_tutored", hours=40, is_published=True
    )
    return Offering.objects.create(
        course=course, code=code, start=datetime.date(2025, 3, 1), end=datetime.date(2025, 5, 1), seats=20
    )


@pytest.fixture
def offerings(partner_institution: Institution, other_institution: Institution) -> None:
    make_offering(partner_institution, "APN-1")
    make_offering(other_institution, "FV-1")


def figures(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.json()
    return {figure["key"]: figure["value"] for figure in response.json()["figures"]}


def test_staff_see_every_programme_and_partners_their_own(
    api: APIClient, staff: User, partner: User, offerings: None
) -> None:
    assert figures(api.get("/api/v1/reports/figures/?year=2025", **bearer(staff)))["offerings"] == 2
    assert figures(api.get("/api/v1/reports/figures/?year=2025", **bearer(partner)))["offerings"] == 1
    custom = api.get("/api/v1/reports/figures/?start=2025-03-01&end=2025-03-01", **bearer(staff))
    assert figures(custom)["offerings"] == 2
    assert custom.json()["period"] == {"start": "2025-03-01", "end": "2025-03-01", "label": "2025-03-01 – 2025-03-01"}


def test_staff_may_ask_for_one_partners_report_but_a_partner_not_for_anothers(
    api: APIClient, staff: User, partner: User, other_institution: Institution, offerings: None
) -> None:
    url = f"/api/v1/reports/figures/?year=2025&partner={other_institution.pk}"
    assert figures(api.get(url, **bearer(staff)))["offerings"] == 1
    assert api.get(url, **bearer(partner)).status_code == 404


def test_participants_and_anonymous_callers_get_no_report(api: APIClient, participant: User) -> None:
    assert api.get("/api/v1/reports/figures/", **bearer(participant)).status_code == 404
    assert api.get("/api/v1/reports/figures/").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=last", "year"),
        ("year=99999", "year"),
        ("start=2025-01-01", "end"),
        ("start=2025-02-01&end=2025-01-01", "end"),
        ("start=2025-01-01&end=2025-02-01&year=2025", "year"),
        ("partner=x", "partner"),
    ],
)
def test_bad_periods_are_named(api: APIClient, staff: User, query: str, field: str) -> None:
    response = api.get(f"/api/v1/reports/figures/?{query}", **bearer(staff))
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
