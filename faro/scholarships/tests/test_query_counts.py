"""Applying and submitting are pinned to the statements they send, as the webinar registration is
(`faro/webinars/tests/test_query_counts.py`): a change that adds queries fails here.

Counted as production sends them (`production_statements`: the service's transaction is BEGIN and
COMMIT there, which Django does not count); the receipt goes after commit as one broker message, which
costs no statement. `bench/registration_load.py --flow application` measures them under load.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person, make_user, person_of, production_statements
from faro.accounts.models import User
from faro.core.models import AuditEntry, OutboxMessage
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import make_application, make_call, pdf

pytestmark = pytest.mark.django_db

# session, user, person, roles (scope) | the call for this viewer | this person's application in the
# call | INSERT application | INSERT audit entry.
APPLY_STATEMENTS = 8
# Submitting a saved draft (the page shows it as saved, the applicant presses Submit): session, user,
# person (the time zone) | the applicant's application with its call and which documents it has | the
# call's offerings with the preference saved for each | one UPDATE that takes the row only if it is
# still the draft the page read (saving what the form holds and submitting it) | one INSERT of the
# audit entries "saved" and "submitted" | the receipt's outbox row. No session write: the page says it.
SUBMIT_STATEMENTS = 8
# The same when the form holds preferences not saved yet: their INSERT (a changed preference list
# also deletes the ones that no longer match: one DELETE more).
SUBMIT_NEW_CHOICES_STATEMENTS = 9


@pytest.fixture(autouse=True)
def warm_content_types() -> None:
    """A running server has the audit log's content type cached after its first request."""
    ContentType.objects.get_for_model(Application)


def submit_form(offering: Offering) -> dict[str, Any]:
    return {
        "motivation": "I run the port's security office.",
        "choice_1": offering.pk,
        "spoken_languages": ["es"],
        "submit": "1",
    }


def saved_draft(call: Call, offering: Offering, user: User) -> Application:
    """A draft as the applicant leaves it before submitting: saved, with the documents uploaded."""
    application = make_application(call, person_of(user), [offering], submit=False, languages=["es"])
    services.save_application(
        application, acting_user=user, motivation=submit_form(offering)["motivation"], offerings=[offering]
    )
    return application


def submitted(client: Client, application: Application, data: dict[str, Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(application.get_absolute_url(), data)
    assert response["Location"] == f"{application.get_absolute_url()}?submitted=1"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    return production_statements(captured)


def test_applying_costs_a_fixed_number_of_statements(client: Client, call: Call, participant: User) -> None:
    client.force_login(participant)
    client.get(reverse("scholarships:call", args=[call.pk]))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("scholarships:application_create", args=[call.pk]))
    assert len(production_statements(captured)) <= APPLY_STATEMENTS
    assert response["Location"] == Application.objects.get().get_absolute_url()


def test_submitting_a_saved_draft_costs_at_most_eight_statements(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = saved_draft(call, offering, participant)
    client.force_login(participant)
    client.get(application.get_absolute_url())
    sent = submitted(client, application, submit_form(offering))
    assert len(sent) <= SUBMIT_STATEMENTS, sent
    actions = AuditEntry.objects.for_object(application).values_list("action", flat=True)
    assert list(actions)[:2] == ["scholarships.application.submitted", "scholarships.application.saved"]
    assert OutboxMessage.objects.filter(task="scholarships/emails/submitted").count() == 1


def test_submitting_with_preferences_not_saved_yet_adds_their_insert(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = services.start_application(call, person_of(participant), acting_user=participant)
    for kind in application.call.required_documents:
        services.attach_document(application, kind, pdf(f"{kind}.pdf"), acting_user=participant)
    client.force_login(participant)
    sent = submitted(client, application, submit_form(offering))
    assert len(sent) <= SUBMIT_NEW_CHOICES_STATEMENTS, sent
    assert [c.offering_id for c in application.choices.all()] == [offering.pk]


def test_submitting_costs_the_same_however_many_applications_calls_and_people_exist(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    client.force_login(participant)
    first = submitted(client, saved_draft(call, offering, participant), submit_form(offering))
    for number in range(12):
        person = make_person("Ana", f"Rojas {number}", "CL", email=f"ana{number}@port.example.cl")
        make_user(f"ana{number}@port.example.cl", person=person)
        for each in (call, make_call([offering], title={"en": f"Call {number}"})):
            make_application(each, person, [offering], submit=number % 2 == 0)
    later = make_call([offering], title={"en": "Later call"})
    assert len(submitted(client, saved_draft(later, offering, participant), submit_form(offering))) == len(first)
