import io
import math
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.certificates import services
from faro.certificates.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    CertificateTemplate,
    EligibilityOverride,
    Kind,
    format_code,
    new_code,
    normalise_code,
)
from faro.certificates.pdf import render_pdf
from faro.core import outbox
from faro.core.models import AuditEntry, Job
from faro.directory.models import Institution, MemberState
from faro.lib.qr import qr_png

if TYPE_CHECKING:
    from faro.certificates.tests.conftest import EventAdapter

pytestmark = pytest.mark.django_db


def test_codes_are_unguessable_typable_and_read_in_any_case() -> None:
    assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 50
    assert not set("01OIL") & set(CODE_ALPHABET)
    code = new_code()
    shown = format_code(code)
    assert len(shown) == 14
    assert shown.count("-") == 2
    assert normalise_code(shown.lower()) == code
    assert normalise_code(" ".join(shown.split("-"))) == code
    assert normalise_code("ABCD-EFGH-JKM0") is None
    assert normalise_code("short") is None


def test_it_issues_one_certificate_with_mail_in_the_holders_language(
    attendees: list[Any],
    event: Institution,
    template: CertificateTemplate,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    jose = attendees[0]
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(Kind.WEBINAR, event, jose, acting_user=staff, template=template)
    assert certificate.holder_name == "José Pérez Núñez"
    assert certificate.achievement["es"].startswith("Seguridad portuaria")
    assert len(mail.outbox) == 1
    assert "Seguridad portuaria" in mail.outbox[0].subject
    assert f"/verify/{certificate.display_code}" in mail.outbox[0].body
    assert AuditEntry.objects.for_object(certificate).filter(action="certificates.certificate.issued").exists()
    again = services.issue_certificate(Kind.WEBINAR, event, jose, acting_user=staff, template=template)
    assert again == certificate


def test_bulk_issue_is_idempotent_and_mails_each_holder_once(
    attendees: list[Any],
    event: Institution,
    template: CertificateTemplate,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_bulk_issue(Kind.WEBINAR, event, acting_user=staff, template=template)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.total == 3
    assert job.done == 3
    assert Certificate.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in attendees)
    french = next(m for m in mail.outbox if m.to == ["anne@port.example.ht"])
    assert "Votre certificat" in french.subject
    with django_capture_on_commit_callbacks(execute=True):
        services.start_bulk_issue(Kind.WEBINAR, event, acting_user=staff, template=template)
    assert Certificate.objects.count() == 3
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(action="certificates.bulk.issued").count() == 2


def test_bulk_issue_after_a_crash_midway_fills_in_only_what_is_missing(
    attendees: list[Any],
    event: Institution,
    template: CertificateTemplate,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    first = services.issue_certificate(Kind.WEBINAR, event, attendees[0], acting_user=staff, template=template)
    # the process died after that commit, before handing the first mail over: it waits in the outbox
    with django_capture_on_commit_callbacks(execute=True):
        created = services.issue_eligible_certificates(Kind.WEBINAR, event, acting_user=staff, template=template)
    assert created == 2
    assert Certificate.objects.count() == 3
    assert Certificate.objects.filter(holder=attendees[0]).get() == first
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in attendees[1:])  # claimed once
    outbox.relay()  # the relay hands over the first one's mail
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in attendees)


def test_the_database_refuses_a_second_live_certificate(
    attendees: list[Any], event: Institution, template: CertificateTemplate, staff: User
) -> None:
    services.issue_certificate(Kind.WEBINAR, event, attendees[0], acting_user=staff, template=template)
    duplicate = services._new_certificate(Kind.WEBINAR, event, attendees[0], template, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_bulk_issue_for_an_event_not_held_is_refused(
    adapter: "EventAdapter", event: Institution, template: CertificateTemplate, staff: User
) -> None:
    adapter.not_held.add(event.pk)
    with pytest.raises(ValidationError, match="has not been held"):
        services.start_bulk_issue(Kind.WEBINAR, event, acting_user=staff, template=template)
    assert not Job.objects.exists()


def test_staff_add_and_exclude_people_with_a_reason(
    attendees: list[Any], event: Institution, staff: User, jamaica: MemberState
) -> None:
    guest = make_person("Marcia", "Reid", "JM", email="marcia@port.example.jm")
    with pytest.raises(ValidationError):
        services.set_eligibility(Kind.WEBINAR, event, guest, acting_user=staff, action="include", reason=" ")
    services.set_eligibility(
        Kind.WEBINAR, event, guest, acting_user=staff, action="include", reason="Attended by phone"
    )
    services.set_eligibility(
        Kind.WEBINAR, event, attendees[2], acting_user=staff, action="exclude", reason="Left early"
    )
    eligible = set(services.eligible_people(Kind.WEBINAR, event))
    assert eligible == {attendees[0], attendees[1], guest}
    assert EligibilityOverride.objects.get(person=guest).reason == "Attended by phone"
    assert AuditEntry.objects.filter(action="certificates.eligibility.excluded", data__reason="Left early").exists()


def test_revocation_needs_a_reason_and_is_recorded(certificate: Certificate, staff: User) -> None:
    with pytest.raises(ValidationError):
        services.revoke_certificate(certificate, acting_user=staff, reason="")
    services.revoke_certificate(certificate, acting_user=staff, reason="Attendance was misrecorded")
    certificate.refresh_from_db()
    assert certificate.state == "revoked"
    assert certificate.revocation_reason == "Attendance was misrecorded"
    assert AuditEntry.objects.for_object(certificate).filter(action="certificates.certificate.revoked").exists()
    with pytest.raises(ValidationError):
        services.revoke_certificate(certificate, acting_user=staff, reason="again")


def test_reissue_after_a_name_correction_points_the_old_to_the_new(
    certificate: Certificate, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reissue_certificate(certificate, acting_user=staff, holder_name="Keisha  Brown-Campbell")
    certificate.refresh_from_db()
    assert certificate.state == "replaced"
    assert certificate.replaced_by == new
    assert new.holder_name == "Keisha Brown-Campbell"
    assert new.code != certificate.code
    assert new.is_valid
    assert len(mail.outbox) == 1
    # a bulk run afterwards does not bring the replaced one back
    assert (
        services.issue_eligible_certificates(
            Kind.WEBINAR, certificate_source(new), acting_user=staff, template=new.template
        )
        == 0
    )


def certificate_source(certificate: Certificate) -> Any:
    return certificate.source_type.get_object_for_this_type(pk=certificate.source_id)


def test_a_template_with_a_validity_makes_certificates_expire(
    holder_user: User, event: Institution, template: CertificateTemplate, staff: User
) -> None:
    template.validity_months = 24
    services.save_template(template, acting_user=staff)
    certificate = services.issue_certificate(
        Kind.WEBINAR, event, person_of(holder_user), acting_user=staff, template=template
    )
    assert str(certificate.expires_on) == "2022-10-15"
    assert certificate.state == "expired"


def test_a_template_missing_a_language_is_flagged_and_falls_back(template: CertificateTemplate, staff: User) -> None:
    template.body = {"en": "{name} attended {achievement}.", "es": "{name} asistió a {achievement}."}
    services.save_template(template, acting_user=staff)
    template.refresh_from_db()
    assert template.missing_languages() == ["pt", "fr"]
    assert template.body.in_language("fr") == "{name} attended {achievement}."


def test_only_one_default_template_per_kind(template: CertificateTemplate, staff: User) -> None:
    other = CertificateTemplate(name="Other", kind=Kind.WEBINAR, is_default=True, heading={"en": "H"}, body={"en": "B"})
    services.save_template(other, acting_user=staff)
    template.refresh_from_db()
    assert not template.is_default
    assert services.default_template(Kind.WEBINAR) == other


def test_logos_are_checked_by_content(template: CertificateTemplate, staff: User) -> None:
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        services.add_logo(template, acting_user=staff, label="APN", upload=fake)
    real = SimpleUploadedFile("logo.png", qr_png("APN"), content_type="image/png")
    logo = services.add_logo(template, acting_user=staff, label="APN", upload=real)
    assert logo.image.name is not None
    assert logo.image.name.startswith("certificates/logos/")


def test_the_pdf_embeds_a_unicode_font_logos_and_long_names(
    certificate: Certificate, template: CertificateTemplate, staff: User
) -> None:
    services.add_logo(template, acting_user=staff, label="APN", upload=SimpleUploadedFile("a.png", qr_png("A")))
    services.add_signatory(template, acting_user=staff, name="Jorge Durán", title={"en": "Executive Secretary"})
    certificate.holder_name = "María de los Ángeles Fernández-Castañeda y Sánchez-Villalobos de la Peña Ñúñez Çağlar"
    for language in ["en", "es", "pt", "fr"]:
        content = render_pdf(certificate, language)
        assert content.startswith(b"%PDF-")
        assert b"DejaVuSans" in content  # the TrueType font is embedded, not a base-14 one


def test_staff_download_all_certificates_as_one_zip(
    attendees: list[Any], event: Institution, template: CertificateTemplate, staff: User
) -> None:
    services.issue_eligible_certificates(Kind.WEBINAR, event, acting_user=staff, template=template)
    archive = zipfile.ZipFile(io.BytesIO(services.zip_certificates(Kind.WEBINAR, event)))
    names = archive.namelist()
    assert len(names) == 3
    assert any(name.endswith("-es.pdf") for name in names)
    assert any(name.endswith("-fr.pdf") for name in names)


def test_issue_and_revocation_are_announced_to_partners(
    attendees: list[Any],
    event: Institution,
    template: CertificateTemplate,
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from faro.core import events

    heard: list[tuple[str, dict[str, Any], frozenset[int]]] = []
    events.subscribe(lambda name, payload, scope: heard.append((name, payload, scope)))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.issue_eligible_certificates(Kind.WEBINAR, event, acting_user=staff, template=template)
        certificate = Certificate.objects.first()
        assert certificate is not None
        with django_capture_on_commit_callbacks(execute=True):
            services.revoke_certificate(certificate, acting_user=staff, reason="Error")
    finally:
        events._handlers.pop()
    issued = [payload for name, payload, _scope in heard if name == "certificate.issued"]
    assert len(issued) == 1
    assert len(issued[0]["codes"]) == 3
    assert issued[0]["kind"] == Kind.WEBINAR
    assert heard[-1][0] == "certificate.revoked"
    assert heard[-1][2] == frozenset({event.pk})
