"""#16.5: every upload states its size limit on its page and refuses a larger file with a clear,
translated error, saving nothing (the imports' pages are tested in courses and webinars)."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reportlab.pdfgen.canvas import Canvas

from faro.certificates.models import CertificateTemplate, Kind, TemplateLogo
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import MemberState
from faro.meetings import services as meetings
from faro.meetings.models import Delegation, Document, Meeting
from faro.portal.models import NewsPost
from faro.scholarships import services as scholarships
from faro.scholarships.models import ApplicationDocument
from faro.scholarships.tests.factories import make_call

pytestmark = pytest.mark.django_db
LIMIT = 50_000  # FARO_MAX_UPLOAD_BYTES in these tests


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.FARO_MAX_UPLOAD_BYTES = LIMIT


def oversized(kind: str, size: int) -> SimpleUploadedFile:
    """A file of `kind` (right signature, valid start) padded past `size` bytes."""
    if kind == "pdf":
        buffer = io.BytesIO()
        Canvas(buffer).save()
        head = buffer.getvalue()
    else:
        head = b"\x89PNG\r\n\x1a\n"
    return SimpleUploadedFile(f"big.{kind}", head + b"\0" * (size + 1 - len(head)))


def refused(response: Any) -> str:
    text = str(response.content.decode())
    assert "is too large" in text
    return text


@pytest.fixture
def meeting(db: Any) -> Meeting:
    return meetings.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title={"en": "XIII Regular Meeting"},
        start_date=datetime.date(2027, 5, 19),
        end_date=datetime.date(2027, 5, 21),
    )


@pytest.fixture
def delegation(meeting: Meeting, focal_point: Any) -> Delegation:
    return meetings.register_delegation(
        meeting, acting_user=focal_point, member_state=MemberState.objects.get(code="JM")
    )


def test_credentials_letter(client: Client, delegation: Delegation, focal_point: Any) -> None:
    client.force_login(focal_point)
    assert "Up to 48.8\xa0KB." in client.get(reverse("meetings:delegation", args=[delegation.pk])).content.decode()
    url = reverse("meetings:credentials_upload", args=[delegation.pk])
    response = client.post(url, {"credentials": oversized("pdf", LIMIT)})
    assert response.status_code == 400
    refused(response)
    delegation.refresh_from_db()
    assert not delegation.credentials


def test_the_error_is_in_the_page_language(client: Client, delegation: Delegation, focal_point: Any) -> None:
    client.force_login(focal_point)
    url = reverse("meetings:credentials_upload", args=[delegation.pk])
    response = client.post(url, {"credentials": oversized("pdf", LIMIT)}, HTTP_ACCEPT_LANGUAGE="es")
    assert "demasiado grande" in response.content.decode()


def test_meeting_documents_and_their_language_versions(client: Client, meeting: Meeting, staff: Any) -> None:
    client.force_login(staff)
    url = reverse("meetings:document_create", args=[meeting.pk])
    assert "Up to 48.8\xa0KB." in client.get(url).content.decode()
    data = {"title_en": "Agenda", "visibility": "public", "language": "en", "file": oversized("pdf", LIMIT)}
    response = client.post(url, data)
    assert response.status_code == 400
    refused(response)
    assert not Document.objects.exists()
    small = oversized("pdf", 1000)
    document = meetings.add_document(
        meeting, acting_user=staff, title={"en": "Agenda"}, visibility="public", language="en", upload=small
    )
    files_url = reverse("meetings:document_files", args=[document.pk])
    assert "Up to 48.8\xa0KB." in client.get(files_url).content.decode()
    response = client.post(files_url, {"language": "es", "file": oversized("pdf", LIMIT)})
    refused(response)
    assert document.files.count() == 1


def test_scholarship_application_documents(client: Client, partner_institution: Any, participant: Any) -> None:
    call = make_call([make_offering(make_course(partner_institution))])
    application = scholarships.start_application(call, participant.person, acting_user=participant)
    client.force_login(participant)
    assert "Up to 48.8\xa0KB." in client.get(application.get_absolute_url()).content.decode()
    url = reverse("scholarships:document_upload", args=[application.pk])
    refused(client.post(url, {"kind": "cv", "file": oversized("pdf", LIMIT)}, follow=True))
    assert not ApplicationDocument.objects.exists()


def test_certificate_logos(client: Client, staff: Any) -> None:
    template = CertificateTemplate.objects.create(
        name="Webinar", kind=Kind.WEBINAR, heading={"en": "Certificate"}, body={"en": "{name}"}
    )
    client.force_login(staff)
    page = client.get(reverse("certificates:template_edit", args=[template.pk])).content.decode()
    assert "Up to 2.0\xa0MB." in page
    url = reverse("certificates:logo_create", args=[template.pk])
    refused(client.post(url, {"label": "APN", "image": oversized("png", 2 * 1024 * 1024)}, follow=True))
    assert not TemplateLogo.objects.exists()


def test_news_images(client: Client, staff: Any) -> None:
    client.force_login(staff)
    url = reverse("portal:news_create")
    assert "Up to 3.0\xa0MB." in client.get(url).content.decode()
    data = {"title_en": "Port news", "summary_en": "S", "body_en": "B", "image": oversized("png", 3 * 1024 * 1024)}
    refused(client.post(url, data))
    assert not NewsPost.objects.exists()


def test_credential_files_to_check(client: Client, db: Any) -> None:
    from faro.certificates.forms import CredentialCheckForm

    url = reverse("certificates:credential_check")
    assert "Up to 293.0\xa0KB." in client.get(url).content.decode()
    big = SimpleUploadedFile("credential.jwt", b"e" * (CredentialCheckForm.MAX_BYTES + 1))
    assert "too large to be a credential" in client.post(url, {"file": big}).content.decode()
