"""A wrong upload can be taken off a draft before the deadline, by its applicant only."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import ApplicationDocument, Call
from faro.scholarships.tests.factories import make_application

pytestmark = pytest.mark.django_db


def _draft(call: Call, participant: User, offering: Offering) -> Any:
    return make_application(call, person_of(participant), [offering], submit=False)


def test_the_applicant_removes_a_wrong_upload(
    client: Client, call: Call, participant: User, offering: Offering
) -> None:
    application = _draft(call, participant, offering)
    document = application.documents.get(kind="cv")
    client.force_login(participant)
    response = client.post(reverse("scholarships:document_remove", args=[application.pk, document.pk]))
    assert response.status_code == 302
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert AuditEntry.objects.filter(action="scholarships.document.removed").count() == 1
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Document removed" in page


def test_someone_else_cannot_remove_it(
    client: Client, call: Call, participant: User, offering: Offering, outsider: User
) -> None:
    application = _draft(call, participant, offering)
    document = application.documents.get(kind="cv")
    client.force_login(outsider)
    response = client.post(reverse("scholarships:document_remove", args=[application.pk, document.pk]))
    assert response.status_code == 404
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


def test_nothing_is_removed_after_the_deadline(call: Call, participant: User, offering: Offering) -> None:
    application = _draft(call, participant, offering)
    document = application.documents.get(kind="cv")
    with pytest.raises(ValidationError, match="deadline"):
        services.remove_document(document, acting_user=None, now=call.closes_at + datetime.timedelta(minutes=1))
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


def test_the_form_puts_documents_before_the_submit_button(
    client: Client, call: Call, participant: User, offering: Offering
) -> None:
    application = _draft(call, participant, offering)
    client.force_login(participant)
    html = client.get(application.get_absolute_url()).content.decode()
    assert html.index('id="docs-title"') < html.index('name="submit" form="application-form"')
    assert "T" not in html.split("You can save a draft and come back until ")[1][:12]  # no ISO date
