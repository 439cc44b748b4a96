import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.directory.models import MemberState
from faro.scholarships import services
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import make_application, make_call, pdf

pytestmark = pytest.mark.django_db


def test_a_complete_application_is_submitted_with_a_receipt_in_the_applicants_language(
    call: Call,
    offering: Offering,
    participant: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    person_of(participant).preferred_language = "es"
    person_of(participant).save()
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(call, person_of(participant), [offering])
    assert application.status == Application.Status.SUBMITTED
    assert mail.outbox[0].to == [person_of(participant).email]
    assert "Becas portuarias" in mail.outbox[0].subject
    actions = set(AuditEntry.objects.for_object(application).values_list("action", flat=True))
    assert {"scholarships.application.started", "scholarships.application.submitted"} <= actions


def test_an_incomplete_application_cannot_be_submitted(call: Call, offering: Offering, participant: User) -> None:
    application = services.start_application(call, person_of(participant), acting_user=participant)
    services.save_application(application, acting_user=participant, motivation="", offerings=[offering])
    with pytest.raises(ValidationError, match="incomplete"):
        services.submit_application(application, acting_user=participant)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_late_submission_is_refused(call: Call, offering: Offering, participant: User) -> None:
    application = make_application(call, person_of(participant), [offering], submit=False)
    with pytest.raises(ValidationError, match="deadline"):
        services.submit_application(application, acting_user=None, now=call.closes_at + datetime.timedelta(minutes=1))


def test_one_application_per_person_per_call(call: Call, participant: User) -> None:
    first = services.start_application(call, person_of(participant), acting_user=None)
    assert services.start_application(call, person_of(participant), acting_user=None) == first
    assert Application.objects.count() == 1


def test_a_closed_call_takes_no_new_application(offering: Offering, participant: User) -> None:
    call = make_call([offering], status=Call.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.start_application(call, person_of(participant), acting_user=None)


def test_language_certificate_only_when_the_course_language_is_not_the_applicants(
    call: Call, offering: Offering, offering_en: Offering, participant: User
) -> None:
    application = services.start_application(call, person_of(participant), acting_user=None)
    services.save_application(
        application, acting_user=None, motivation="x", offerings=[offering_en], spoken_languages=[]
    )
    assert "language_certificate" not in application.required_documents()  # English speaker, English course
    services.save_application(application, acting_user=None, motivation="x", offerings=[offering], spoken_languages=[])
    assert "language_certificate" in application.required_documents()  # Spanish course
    services.save_application(
        application, acting_user=None, motivation="x", offerings=[offering], spoken_languages=["es"]
    )
    assert "language_certificate" not in application.required_documents()


def test_upload_is_checked_by_content_and_size(call: Call, participant: User, settings: Settings) -> None:
    application = services.start_application(call, person_of(participant), acting_user=None)
    with pytest.raises(ValidationError, match="not an accepted type"):
        services.attach_document(
            application, "cv", ContentFile(b"MZ\x90\x00 not a pdf", name="cv.pdf"), acting_user=None
        )
    settings.FARO_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        services.attach_document(application, "cv", pdf(), acting_user=None)
    assert not application.documents.exists()


def test_withdraw(call: Call, offering: Offering, participant: User) -> None:
    application = make_application(call, person_of(participant), [offering])
    services.withdraw_application(application, acting_user=participant)
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.save_application(application, acting_user=None, motivation="x", offerings=[offering])


def test_participant_applies_through_the_pages(
    client: Client, call: Call, offering: Offering, participant: User
) -> None:
    client.force_login(participant)
    response = client.post(reverse("scholarships:application_create", args=[call.pk]))
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    page = client.get(application.get_absolute_url())
    assert "Keisha Brown" in page.text
    assert "Jamaica" in page.text  # profile prefilled
    for kind in ("cv", "employer_letter", "id", "language_certificate"):
        client.post(reverse("scholarships:document_upload", args=[application.pk]), {"kind": kind, "file": pdf()})
    bad = ContentFile(b"GIF89a", name="photo.pdf")
    response = client.post(
        reverse("scholarships:document_upload", args=[application.pk]), {"kind": "cv", "file": bad}, follow=True
    )
    assert "not an accepted type" in response.text
    data = {
        "motivation": "I run the port's security office.",
        "choice_1": offering.pk,
        "spoken_languages": ["en"],
        "submit": "1",
    }
    response = client.post(application.get_absolute_url(), data, follow=True)
    application.refresh_from_db()
    assert application.status == "submitted", response.text


def test_outsider_and_anonymous_cannot_see_an_application(
    client: Client, call: Call, offering: Offering, participant: User, outsider: User
) -> None:
    application = make_application(call, person_of(participant), [offering])
    assert client.get(application.get_absolute_url()).status_code == 302
    client.force_login(outsider)
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(reverse("scholarships:application_withdraw", args=[application.pk])).status_code == 404


def test_public_call_pages(client: Client, call: Call, offering: Offering) -> None:
    draft = make_call([offering], status=Call.Status.DRAFT, title={"en": "Hidden call"})
    listing = client.get(reverse("scholarships:calls"))
    assert "Port scholarships" in listing.text
    assert "Hidden call" not in listing.text
    assert client.get(call.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert list(Call.objects.public()) == [call]


def test_call_moves_through_its_states(offering: Offering, staff: User) -> None:
    call = make_call([offering], status=Call.Status.DRAFT, opens_at=timezone.now())
    seen = []
    while call.status not in {Call.Status.ALLOCATION}:
        services.advance_call(call, acting_user=staff)
        seen.append(call.status)
    assert seen == ["open", "closed", "endorsement", "review", "allocation"]
    with pytest.raises(ValidationError, match="Publish"):
        services.advance_call(call, acting_user=staff)


def test_eligibility_rules(call: Call, offering: Offering, participant: User, peru: MemberState) -> None:
    application = make_application(call, person_of(participant), [offering])
    assert services.eligibility_problems(application) == []
    call.eligible_states.set([peru])
    call.position_levels = ["senior"]
    call.languages = ["pt"]
    call.save()
    problems = services.eligibility_problems(application)
    assert len(problems) == 3
    assert "member state" in problems[0]


def test_my_applications_say_where_each_one_stands(
    client: Client, participant: User, offering: Offering, offering_en: Offering
) -> None:
    from faro.scholarships.models import Offer, Outcome
    from faro.scholarships.tests.factories import move_to

    person = person_of(participant)
    draft = make_application(make_call([offering], title={"en": "Draft call"}), person, [offering], submit=False)
    pending = make_application(make_call([offering], title={"en": "Pending call"}), person, [offering])
    awarded_call = make_call([offering_en], title={"en": "Awarded call"})
    awarded = make_application(awarded_call, person, [offering_en])
    Outcome.objects.create(application=awarded, result="awarded", offering=offering_en, reason_code="merit")
    Application.objects.filter(pk=awarded.pk).update(endorsement=Application.Endorsement.ENDORSED)
    offer = Offer.objects.create(application=awarded, offering=offering_en, accept_by=awarded_call.accept_by)

    assert draft.progress().startswith("Draft: submit it by")
    assert pending.progress() == "Submitted, awaiting national endorsement"
    move_to(awarded_call, Call.Status.ALLOCATION)  # the outcome exists but is not published yet
    assert Application.objects.get(pk=awarded.pk).progress() == "Submitted, under review"
    move_to(awarded_call, Call.Status.RESULTS_PUBLISHED)
    assert Application.objects.get(pk=awarded.pk).progress().startswith("Scholarship offered: answer by")
    offer.status = Offer.Status.ACCEPTED
    offer.save()
    assert Application.objects.get(pk=awarded.pk).progress() == f"{Offer.objects.get().offering.course}: Accepted"
    move_to(pending.call, Call.Status.REVIEW)  # the focal point let the endorsement deadline pass
    assert Application.objects.get(pk=pending.pk).progress() == "Not endorsed by your national focal point"
    move_to(pending.call, Call.Status.ENDORSEMENT)

    client.force_login(participant)
    page = client.get(reverse("scholarships:my_applications")).text
    assert "Draft: submit it by" in page
    assert "awaiting national endorsement" in page
    assert "Accepted" in page
    client.logout()
    assert client.get(reverse("scholarships:my_applications")).status_code == 302  # sign in first
