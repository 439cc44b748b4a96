import json
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from faro.accounts.models import User
from faro.certificates import services
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.core.models import Job
from faro.directory.models import Institution

if TYPE_CHECKING:
    from faro.certificates.tests.conftest import EventAdapter

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


# --- Public verification ---------------------------------------------------------------


def test_anyone_verifies_a_certificate_and_sees_only_what_is_needed(client: Client, certificate: Certificate) -> None:
    response = client.get(reverse("certificates:certificate_verify", args=[certificate.display_code]))
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ["Keisha Brown", "Port security Puerto de Cartagena", "Valid", "Inter-American Committee on Ports"]:
        assert shown in page
    for hidden in ["keisha@port.example.jm", "Jamaica", "woman"]:
        assert hidden not in page


def test_the_code_is_read_in_any_case_and_without_dashes(client: Client, certificate: Certificate) -> None:
    response = client.get(f"/verify/{certificate.code.lower()}")
    assert response.status_code == 200
    assert "Keisha Brown" in response.content.decode()


def test_the_form_takes_a_typed_code_to_its_page(client: Client, certificate: Certificate) -> None:
    response = client.get(reverse("certificates:verification_form"), {"code": certificate.display_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}"
    response = client.get(reverse("certificates:verification_form"), {"code": "not a code"})
    assert response.status_code == 200
    assert "Twelve letters and digits" in response.content.decode()


def test_an_unknown_code_is_a_404_with_a_clear_message(client: Client, db: None) -> None:
    response = client.get("/verify/ABCD-EFGH-JKMN")
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert client.get("/verify/ABCD-EFGH-JKMN.jwt").status_code == 404


def test_a_malformed_code_gets_a_clear_page(client: Client, db: None) -> None:
    response = client.get("/verify/hello-world")
    assert response.status_code == 400
    assert "is not a valid code" in response.content.decode()


def test_a_revoked_certificate_says_so_with_the_reason(client: Client, certificate: Certificate, staff: User) -> None:
    services.revoke_certificate(certificate, acting_user=staff, reason="Attendance was misrecorded")
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Revoked" in page
    assert "Attendance was misrecorded" in page


def test_a_replaced_certificate_points_to_the_new_one(client: Client, certificate: Certificate, staff: User) -> None:
    new = services.reissue_certificate(certificate, acting_user=staff, holder_name="Keisha A. Brown")
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Replaced by a corrected certificate" in page
    assert f"/verify/{new.display_code}" in page


def test_verification_is_rate_limited_per_ip(client: Client, certificate: Certificate) -> None:
    for _i in range(30):
        assert client.get(f"/verify/{certificate.display_code}").status_code == 200
    response = client.get(f"/verify/{certificate.display_code}")
    assert response.status_code == 429
    assert "Too many look-ups" in response.content.decode()
    other = client.get(f"/verify/{certificate.display_code}", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_verification_page_speaks_spanish(client: Client, certificate: Certificate) -> None:
    client.cookies["faro_language"] = "es"
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Válido" in page
    assert "Seguridad portuaria Puerto de Cartagena" in page


# --- The holder's own page and downloads ----------------------------------------------


def test_the_holder_lists_and_downloads_their_certificates(
    client: Client, certificate: Certificate, holder_user: User
) -> None:
    client.force_login(holder_user)
    page = client.get(reverse("certificates:my_certificates")).content.decode()
    assert certificate.display_code in page
    for language in ["en", "es", "pt", "fr"]:
        response = client.get(
            reverse("certificates:certificate_pdf", args=[certificate.display_code]), {"lang": language}
        )
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
        assert f"-{language}.pdf" in response["Content-Disposition"]
    credential = client.get(reverse("certificates:certificate_jwt", args=[certificate.display_code]), {"download": 1})
    assert "attachment" in credential["Content-Disposition"]


def test_the_pdf_is_rendered_once_then_cached(client: Client, certificate: Certificate, holder_user: User) -> None:
    client.force_login(holder_user)
    url = reverse("certificates:certificate_pdf", args=[certificate.display_code])
    first = client.get(url).content
    from django.core.files.storage import default_storage

    assert default_storage.listdir("certificates/pdf")[1]
    assert client.get(url).content == first


@pytest.mark.parametrize("persona", ["outsider", "partner", "focal_point"])
def test_other_people_cannot_download_someone_elses_pdf(
    client: Client, certificate: Certificate, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("certificates:certificate_pdf", args=[certificate.display_code])).status_code == 404
    assert certificate.display_code not in client.get(reverse("certificates:my_certificates")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_for_downloads(client: Client, certificate: Certificate) -> None:
    response = client.get(reverse("certificates:certificate_pdf", args=[certificate.display_code]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Staff pages -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "partner", "participant", "focal_point", "reviewer"])
def test_only_staff_reach_the_management_pages(
    client: Client, certificate: Certificate, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("certificates:manage_certificates"),
        reverse("certificates:source", args=[Kind.WEBINAR, certificate.source_id]),
        reverse("certificates:manage_certificate", args=[certificate.display_code]),
        reverse("certificates:template_edit", args=[certificate.template_id]),
    ]:
        assert client.get(url).status_code == 404, url


def test_staff_edit_a_template_in_four_languages(client: Client, staff: User, template: CertificateTemplate) -> None:
    client.force_login(staff)
    url = reverse("certificates:template_edit", args=[template.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": "Webinar 2020",
        "kind": Kind.WEBINAR,
        "is_default": "on",
        "heading_0": "Certificate",
        "heading_1": "Constancia",
        "heading_2": "",
        "heading_3": "",
        "body_0": "{name} took part in {achievement}.",
        "body_1": "{name} participó en {achievement}.",
        "body_2": "",
        "body_3": "",
        "validity_months": "",
    }
    response = client.post(url, data, follow=True)
    template.refresh_from_db()
    assert template.name == "Webinar 2020"
    assert template.heading["es"] == "Constancia"
    assert "The wording is missing in: pt, fr" in response.content.decode()


def test_staff_run_a_bulk_issue_and_land_on_its_progress_page(
    client: Client, staff: User, attendees: list[Any], event: Institution, template: CertificateTemplate
) -> None:
    client.force_login(staff)
    page = client.get(reverse("certificates:source", args=[Kind.WEBINAR, event.pk])).content.decode()
    assert "3 eligible · 0 issued" in page
    with_callbacks = client.post(
        reverse("certificates:source_issue", args=[Kind.WEBINAR, event.pk]), {"template": template.pk}
    )
    job = Job.objects.get()
    assert with_callbacks.status_code == 302
    assert with_callbacks["Location"].startswith(f"/jobs/{job.pk}/")


def test_staff_are_warned_before_issuing_with_a_template_missing_a_language(
    client: Client, staff: User, event: Institution, template: CertificateTemplate
) -> None:
    template.body = {"en": "{name}", "es": "{name}"}
    services.save_template(template, acting_user=staff)
    client.force_login(staff)
    page = client.get(reverse("certificates:source", args=[Kind.WEBINAR, event.pk])).content.decode()
    assert "has no wording in: pt, fr" in page


def test_a_bulk_issue_for_an_event_not_held_is_refused_clearly(
    client: Client, staff: User, adapter: "EventAdapter", event: Institution, template: CertificateTemplate
) -> None:
    adapter.not_held.add(event.pk)
    client.force_login(staff)
    url = reverse("certificates:source_issue", args=[Kind.WEBINAR, event.pk])
    response = client.post(url, {"template": template.pk}, follow=True)
    assert "has not been held yet" in response.content.decode()
    assert not Job.objects.exists()
    assert not Certificate.objects.exists()


def test_staff_add_a_person_with_a_reason_through_the_form(
    client: Client, staff: User, event: Institution, outsider: User
) -> None:
    client.force_login(staff)
    url = reverse("certificates:source_override", args=[Kind.WEBINAR, event.pk])
    response = client.post(url, {"email": "nobody@example.org", "action": "include", "reason": "x"})
    assert response.status_code == 400
    assert "No one in the directory has this email" in response.content.decode()
    response = client.post(url, {"email": "PIERRE@port.example.ht", "action": "include", "reason": "Joined by phone"})
    assert response.status_code == 302
    assert outsider.person in services.eligible_people(Kind.WEBINAR, event)


def test_staff_revoke_and_reissue_from_the_certificate_page(
    client: Client, staff: User, certificate: Certificate
) -> None:
    client.force_login(staff)
    detail = reverse("certificates:manage_certificate", args=[certificate.display_code])
    assert client.get(detail).status_code == 200
    client.post(
        reverse("certificates:certificate_reissue", args=[certificate.display_code]),
        {"holder_name": "Keisha Brown-Smith"},
    )
    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert new is not None
    assert new.holder_name == "Keisha Brown-Smith"
    response = client.post(
        reverse("certificates:certificate_revoke", args=[new.display_code]), {"reason": ""}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    client.post(reverse("certificates:certificate_revoke", args=[new.display_code]), {"reason": "Issued in error"})
    new.refresh_from_db()
    assert new.state == "revoked"


def test_staff_download_the_zip(client: Client, staff: User, certificate: Certificate) -> None:
    client.force_login(staff)
    response = client.get(reverse("certificates:source_zip", args=[Kind.WEBINAR, certificate.source_id]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_a_logo_that_is_not_an_image_is_refused(client: Client, staff: User, template: CertificateTemplate) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image")
    response = client.post(
        reverse("certificates:logo_create", args=[template.pk]), {"label": "APN", "image": fake}, follow=True
    )
    assert "not an accepted type" in response.content.decode()
    assert not template.logos.exists()


# --- Operations ------------------------------------------------------------------------


def test_list_certificates_prints_json(
    capsys: pytest.CaptureFixture[str],
    attendees: list[Any],
    event: Institution,
    template: CertificateTemplate,
    staff: User,
) -> None:
    services.issue_eligible_certificates(Kind.WEBINAR, event, acting_user=staff, template=template)
    call_command("list_certificates", "--json", "--limit", "2")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2
    assert set(rows[0]) == {"code", "kind", "holder", "issued_at", "status"}
    assert rows[0]["kind"] == "webinar_participation"
    assert rows[0]["status"] == "valid"
