"""Applying and submitting are pinned to the statements they send, as the webinar registration is
(`faro/webinars/tests/test_query_counts.py`): a change that adds queries fails here.

Savepoints are left out (in production they are the transaction's BEGIN and COMMIT, which Django does
not count); the receipt goes after commit as one broker message, which costs no statement.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faro.accounts.models import User
from faro.courses.models import Offering
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import pdf

pytestmark = pytest.mark.django_db

# session, user, person, roles (scope) | the call for this viewer | this person's application in the
# call | INSERT application | INSERT audit entry.
APPLY_STATEMENTS = 8
# session, user, person, roles | the application for this viewer, its call, its choices, the call's
# offerings (the form) | saving the form: lock, the call's offerings, UPDATE, DELETE + INSERT choices,
# the person, audit | submitting: lock, choices present, documents present, choices, UPDATE, audit,
# the receipt's outbox row | the session (the "submitted" message). Two services (save, then submit),
# each checking its own rules on the locked row, as the staff and the API call them one at a time.
SUBMIT_STATEMENTS = 23


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.fixture(autouse=True)
def warm_content_types() -> None:
    """A running server has the audit log's content type cached after its first request."""
    ContentType.objects.get_for_model(Application)


def test_applying_costs_a_fixed_number_of_statements(client: Client, call: Call, participant: User) -> None:
    client.force_login(participant)
    client.get(reverse("scholarships:call", args=[call.pk]))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("scholarships:application_create", args=[call.pk]))
    assert len(statements(captured)) <= APPLY_STATEMENTS
    assert response["Location"] == Application.objects.get().get_absolute_url()


def test_submitting_costs_a_fixed_number_of_statements(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    client.force_login(participant)
    client.post(reverse("scholarships:application_create", args=[call.pk]))
    application = Application.objects.get()
    for kind in ("cv", "employer_letter", "id", "language_certificate"):
        client.post(reverse("scholarships:document_upload", args=[application.pk]), {"kind": kind, "file": pdf()})
    data: dict[str, Any] = {
        "motivation": "I run the port's security office.",
        "choice_1": offering.pk,
        "spoken_languages": ["en"],
        "submit": "1",
    }
    with CaptureQueriesContext(connection) as captured:
        client.post(application.get_absolute_url(), data)
    assert len(statements(captured)) <= SUBMIT_STATEMENTS
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
