"""Submitting from the application page: what the form holds is saved and submitted in one transaction,
taken at once when the application is still as the page read it, read again when it is not."""

from typing import Any

import pytest
from django.test import Client

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry, OutboxMessage
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import make_application

pytestmark = pytest.mark.django_db


def form(offerings: list[Offering], **fields: Any) -> dict[str, Any]:
    choices = {f"choice_{rank}": o.pk for rank, o in enumerate(offerings, start=1)}
    return {"motivation": "I run the port.", "spoken_languages": ["es", "en"], "submit": "1", **choices, **fields}


def as_the_page_read_it(application: Application, user: User) -> tuple[Application, list[Offering]]:
    mine = Application.objects.own(user).select_related("call", "person").with_document_kinds()
    read = mine.get(pk=application.pk)
    return read, services.choosable_offerings(read)


def actions(application: Application) -> list[str]:
    return list(AuditEntry.objects.for_object(application).values_list("action", flat=True))


def test_the_page_says_the_application_was_submitted(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    client.force_login(participant)
    response = client.post(application.get_absolute_url(), form([offering]), follow=True)
    assert "Your application has been submitted." in response.text
    assert actions(application)[:2] == ["scholarships.application.submitted", "scholarships.application.saved"]
    assert OutboxMessage.objects.filter(task="scholarships/emails/submitted").count() == 1
    assert "Your application has been submitted." not in client.get(application.get_absolute_url()).text


def test_an_incomplete_submission_keeps_what_was_typed_as_a_draft(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    application.documents.filter(kind="cv").delete()
    client.force_login(participant)
    response = client.post(application.get_absolute_url(), form([offering], motivation="Kept."), follow=True)
    assert "The application is incomplete" in response.text
    application.refresh_from_db()
    assert (application.status, application.motivation) == (Application.Status.DRAFT, "Kept.")
    assert actions(application)[0] == "scholarships.application.saved"
    assert "scholarships.application.submitted" not in actions(application)


def test_preferences_saved_in_another_tab_since_the_page_was_read_give_way_to_the_form(
    call: Call, offering: Offering, offering_en: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    read, shown = as_the_page_read_it(application, participant)
    services.save_application(application, acting_user=participant, motivation="Other tab.", offerings=[offering_en])
    draft = services.Draft("This tab.", [offering, offering_en], ["es", "en"], shown=shown)
    services.submit_application(read, acting_user=participant, draft=draft)
    application.refresh_from_db()
    assert (application.status, application.motivation) == (Application.Status.SUBMITTED, "This tab.")
    assert [(c.rank, c.offering_id) for c in application.choices.all()] == [(1, offering.pk), (2, offering_en.pk)]


def test_a_document_removed_since_the_page_was_read_is_missed(
    call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    read, shown = as_the_page_read_it(application, participant)
    services.remove_document(application.documents.get(kind="id"), acting_user=participant)
    draft = services.Draft("I run the port.", [offering], ["es", "en"], shown=shown)
    with pytest.raises(services.ScholarshipError, match="incomplete"):
        services.submit_application(read, acting_user=participant, draft=draft)
    assert Application.objects.get(pk=application.pk).status == Application.Status.DRAFT


def test_saving_preferences_rewrites_only_those_that_change(
    call: Call, offering: Offering, offering_en: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    for offerings in ([offering, offering_en], [offering_en, offering], [offering_en], [], [offering]):
        services.save_application(application, acting_user=participant, motivation="x", offerings=offerings)
        assert [(c.rank, c.offering_id) for c in application.choices.all()] == [
            (rank, o.pk) for rank, o in enumerate(offerings, start=1)
        ]


def test_a_submitted_application_is_not_submitted_again_from_a_stale_page(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    read, shown = as_the_page_read_it(application, participant)
    client.force_login(participant)
    client.post(application.get_absolute_url(), form([offering]))
    draft = services.Draft("Again.", [offering], ["es", "en"], shown=shown)
    with pytest.raises(services.ScholarshipError, match="Only a draft application can be changed"):
        services.submit_application(read, acting_user=participant, draft=draft)
    assert actions(application).count("scholarships.application.submitted") == 1
