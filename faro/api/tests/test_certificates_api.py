"""Certificates over the API: public verification by code and one's own list."""

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import person_of
from faro.accounts.models import User
from faro.api.tests.conftest import bearer
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def make_certificate(person: Any, source: Institution, **fields: Any) -> Certificate:
    template, _created = CertificateTemplate.objects.get_or_create(
        name="Webinar", kind=Kind.WEBINAR, defaults={"heading": {"en": "Certificate"}, "body": {"en": "{name}"}}
    )
    return Certificate.objects.create(
        kind=Kind.WEBINAR,
        template=template,
        source_type=ContentType.objects.get_for_model(Institution),
        source_id=source.pk,
        holder=person,
        holder_name=person.full_name,
        achievement={"en": "Port security", "es": "Protección portuaria"},
        issuer_name="CIP · OAS",
        achieved_on=datetime.date(2026, 10, 15),
        **fields,
    )


@pytest.fixture
def certificate(participant: User, partner_institution: Institution) -> Certificate:
    return make_certificate(person_of(participant), partner_institution)


def test_anyone_verifies_a_code_in_any_case_and_format(api: APIClient, certificate: Certificate) -> None:
    response = api.get(f"/api/v1/certificates/verify/{certificate.display_code.lower()}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["state"], body["holder_name"]) == (certificate.display_code, "valid", "Keisha Brown")
    assert body["achievement"]["es"] == "Protección portuaria"
    assert body["credential_url"].endswith(f"/verify/{certificate.display_code}.jwt")
    assert "holder" not in body
    assert "email" not in str(body)


def test_a_revoked_certificate_says_so_with_its_reason(api: APIClient, certificate: Certificate) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=timezone.now(), revocation_reason="Issued in error"
    )
    body = api.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert (body["state"], body["revocation_reason"]) == ("revoked", "Issued in error")


@pytest.mark.parametrize(("code", "status"), [("NOPE", 400), ("ABCD-EFGH-JKMN", 404), ("0000-0000-0000", 400)])
def test_malformed_and_unknown_codes(api: APIClient, db: None, code: str, status: int) -> None:
    response = api.get(f"/api/v1/certificates/verify/{code}/")
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_verification_is_rate_limited_per_address(api: APIClient, db: None) -> None:
    from faro.certificates.views import VERIFY_LIMIT

    codes = [api.get("/api/v1/certificates/verify/ABCD-EFGH-JKMN/").status_code for _ in range(VERIFY_LIMIT + 1)]
    assert codes[-1] == 429
    assert set(codes[:-1]) == {404}


def test_people_list_their_own_certificates(
    api: APIClient, certificate: Certificate, outsider: User, partner_institution: Institution, participant: User
) -> None:
    make_certificate(person_of(outsider), partner_institution)
    mine = api.get("/api/v1/certificates/", **bearer(participant)).json()["results"]
    assert [c["code"] for c in mine] == [certificate.display_code]
    assert mine[0]["pdf_url"].endswith(f"/certificates/{certificate.display_code}/pdf/")
    assert api.get("/api/v1/certificates/?kind=diploma", **bearer(participant)).status_code == 400
    assert api.get("/api/v1/certificates/").status_code == 401
