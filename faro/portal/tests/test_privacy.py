import datetime
import json
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import person_of
from faro.accounts.models import User
from faro.core.fields import Translated
from faro.core.models import AuditEntry
from faro.directory.models import Institution, Person
from faro.portal.models import ConsentRecord, DeliveryEvent, Mailing, MailingRecipient, Profile
from faro.portal.services import calendar_token_for, profile_for, update_profile
from faro.portal.services.mailings import save_mailing, send_mailing, unsubscribe_person
from faro.portal.services.privacy import ErasureRefused, apply_retention, erase_person, export_person_data
from faro.portal.tests.conftest import FakeSource, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def keisha(
    participant: User, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> Person:
    """A participant with a profile, consent, a mailing received, a bounce and a calendar key."""
    person = person_of(participant)
    institution = Institution.objects.create(name="Port Authority of Jamaica", kind="port_authority", country_code="JM")
    Person.objects.filter(pk=person.pk).update(
        institution=institution, position="Security officer", position_level="middle"
    )
    person.refresh_from_db()
    update_profile(
        person,
        acting_user=participant,
        priority_areas=[],
        topics=[topic("isps")],
        languages=["en", "es"],
        wants=["webinars"],
        mailings_consent=True,
    )
    mailing = save_mailing(
        Mailing(),
        acting_user=staff,
        subject=Translated({"en": "Hi"}),
        body=Translated({"en": "B"}),
        category="webinars",
        segment={"member_states": ["JM"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_mailing(mailing, acting_user=staff)
    calendar_token_for(person)
    return person


def test_the_export_holds_every_record_about_the_person(keisha: Person, participant: User) -> None:
    data = export_person_data(keisha)
    json.dumps(data)  # plain JSON all the way down
    assert data["person"]["fields"]["email"] == "keisha@port.example.jm"
    records = data["records"]
    assert records["portal.profile"][0]["fields"]["languages"] == ["en", "es"]
    assert records["portal.profile"][0]["fields"]["topics"] == [topic("isps").pk]
    assert records["portal.mailingrecipient"][0]["fields"]["email"] == "keisha@port.example.jm"
    assert records["accounts.user"][0]["fields"]["email"] == participant.email
    assert "password" not in records["accounts.user"][0]["fields"]
    assert "token" not in records["portal.calendartoken"][0]["fields"]
    assert [h["action"] for h in data["history"]] == []  # nothing logged about the Person row itself yet


def test_a_person_downloads_their_data_from_their_page(client: Client, keisha: Person, participant: User) -> None:
    client.force_login(participant)
    assert "Download my data" in client.get("/me/data/").text
    response = client.get("/me/data/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-faro-data.json"'
    assert json.loads(response.content)["person"]["id"] == keisha.pk


def test_pages_about_ones_own_data_need_a_login_and_a_person(client: Client, staff: User) -> None:
    assert client.get("/me/data/").status_code == 302
    client.force_login(staff)  # a staff account with no person record
    assert client.get("/me/data/").status_code == 404
    assert client.get("/me/data/export.json").status_code == 404


def _figures() -> list[dict[str, Any]]:
    rows = Person.objects.values("member_state__code", "gender", "institution", "position_level").annotate(
        n=Count("pk")
    )
    return sorted((dict(row) for row in rows), key=lambda row: str(sorted(row.items())))


def test_erasure_blanks_the_person_and_keeps_every_report_figure(
    keisha: Person, staff: User, participant: User
) -> None:
    before = _figures()
    recipients_before = MailingRecipient.objects.count()
    erase_person(keisha, acting_user=staff)
    keisha.refresh_from_db()
    assert (keisha.first_name, keisha.last_name, keisha.email, keisha.position) == ("", "", None, "")
    assert (keisha.member_state.code, keisha.gender, keisha.position_level) == ("JM", "woman", "middle")  # type: ignore[union-attr]  # the record has a member state
    assert keisha.institution is not None
    assert _figures() == before
    assert MailingRecipient.objects.count() == recipients_before
    assert MailingRecipient.objects.get(person=keisha).email == ""
    user = User.objects.get(pk=participant.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert "keisha" not in user.email
    assert not Profile.objects.filter(person=keisha).exists()
    assert not ConsentRecord.objects.filter(person=keisha).exists()
    entry = AuditEntry.objects.for_object(keisha).first()
    assert entry is not None
    assert entry.action == "portal.person.erased"
    assert "keisha" not in json.dumps(export_person_data(keisha)).lower()


def test_erasure_blanks_the_name_as_typed_on_registrations(keisha: Person, staff: User) -> None:
    """A webinar registration keeps the name the registrant or a partner typed: it is personal too."""
    from faro.webinars.models import Registration, Webinar

    start = timezone.now() - datetime.timedelta(days=30)
    webinar = Webinar.objects.create(
        title={"en": "Past"}, starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=5, status="closed"
    )
    registration = Registration.objects.create(
        webinar=webinar, person=keisha, status="confirmed", consented_at=start, entered_name="Keisha Brown"
    )
    erase_person(keisha, acting_user=staff)
    registration.refresh_from_db()
    assert registration.entered_name == ""


def test_erasure_is_refused_with_reasons_and_changes_nothing(
    keisha: Person, staff: User, fake_webinars: FakeSource
) -> None:
    fake_webinars.blockers[keisha.pk] = ["You are registered for an upcoming webinar."]
    with pytest.raises(ErasureRefused) as refused:
        erase_person(keisha, acting_user=staff)
    assert refused.value.reasons == ["You are registered for an upcoming webinar."]
    keisha.refresh_from_db()
    assert keisha.first_name == "Keisha"
    assert Profile.objects.filter(person=keisha).exists()


def test_a_person_erases_themselves_or_is_told_why_not(
    client: Client, keisha: Person, participant: User, fake_webinars: FakeSource
) -> None:
    client.force_login(participant)
    fake_webinars.blockers[keisha.pk] = ["An application of yours is still open."]
    assert "An application of yours is still open." in client.get("/me/data/").text
    response = client.post("/me/data/erase/", {"confirm": "yes"}, follow=True)
    assert "cannot be erased yet" in response.text
    fake_webinars.blockers.clear()
    assert "Tick the box" in client.post("/me/data/erase/", follow=True).text
    response = client.post("/me/data/erase/", {"confirm": "yes"}, follow=True)
    assert "has been erased" in response.text
    keisha.refresh_from_db()
    assert keisha.first_name == ""
    assert client.get("/me/data/").status_code == 302  # logged out


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_erase_others(client: Client, persona: str, request: pytest.FixtureRequest, keisha: Person) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/manage/people/{keisha.pk}/erase/").status_code == 404
    assert client.post(f"/manage/people/{keisha.pk}/erase/", {"confirm": "yes"}).status_code == 404
    keisha.refresh_from_db()
    assert keisha.first_name == "Keisha"


def test_staff_erase_on_request(client: Client, keisha: Person, staff: User) -> None:
    client.force_login(staff)
    assert "Erase" in client.get(f"/manage/people/{keisha.pk}/erase/").text
    response = client.post(f"/manage/people/{keisha.pk}/erase/", {"confirm": "yes"}, follow=True)
    assert "has been erased" in response.text


def test_retention_removes_old_records_once(keisha: Person, staff: User, capsys: pytest.CaptureFixture[str]) -> None:
    unsubscribe_person(keisha)
    long_ago = timezone.now() - datetime.timedelta(days=4 * 365)
    Mailing.objects.update(sent_at=long_ago)
    DeliveryEvent.objects.update(created_at=long_ago)
    fresh = save_mailing(
        Mailing(),
        acting_user=staff,
        subject=Translated({"en": "New"}),
        body=Translated({"en": "B"}),
        category="news",
        segment={},
    )
    first = apply_retention()
    assert first["mailing_recipients"] == 1
    assert first["delivery_events"] == 1
    assert Mailing.objects.get(status="sent").recipient_count == 1  # the figure stays
    assert Mailing.objects.filter(pk=fresh.pk).exists()
    assert set(apply_retention().values()) == {0}  # idempotent
    call_command("apply_retention")
    assert "mailing_recipients: 0" in capsys.readouterr().out


def test_retention_is_scheduled(settings: Settings) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["portal-apply-retention"]
    assert entry["task"] == "faro.portal.tasks.apply_retention_task"
    from faro.portal.tasks import apply_retention_task

    assert apply_retention_task() == apply_retention()


def test_preferences_save_interests_and_record_consent(client: Client, participant: User) -> None:
    client.force_login(participant)
    page = client.get("/me/preferences/")
    assert page.status_code == 200
    isps = topic("isps")
    response = client.post(
        "/me/preferences/",
        {
            "topics": ["isps"],
            "languages": ["es", "fr"],
            "wants": ["courses"],
            "priority_areas": [isps.priority_area_id],
        },
    )
    assert response.status_code == 302
    profile = profile_for(person_of(participant))
    assert (profile.languages, profile.wants) == (["es", "fr"], ["courses"])
    assert set(profile.topics.values_list("slug", flat=True)) == {"isps"}  # the topic in every plan
    assert profile.unsubscribed_at is not None  # the consent box was left unticked
    consent = ConsentRecord.objects.get()
    assert (consent.purpose, consent.granted) == ("mailings", False)
    client.post("/me/preferences/", {"wants": ["courses"], "mailings_consent": "on"})
    assert profile_for(person_of(participant)).unsubscribed_at is None
    assert list(ConsentRecord.objects.values_list("granted", flat=True)) == [True, False]
    assert not mail.outbox


def test_the_privacy_notice_is_public(client: Client, db: None) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Your rights" in response.text


def test_staff_find_a_person_and_see_the_retention_policy(client: Client, staff: User, keisha: Person) -> None:
    client.force_login(staff)
    response = client.get("/manage/privacy/", {"q": "keisha@port.example.jm"})
    assert f"/manage/people/{keisha.pk}/erase/" in response.text
    assert "Who received each mailing" in response.text
    assert "2 years" in response.text


@pytest.mark.parametrize("persona", ["partner", "focal_point", "participant"])
def test_only_staff_see_the_privacy_page(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/manage/privacy/").status_code == 404


def test_erasure_blanks_the_member_state_and_position_as_typed_on_registrations(keisha: Person, staff: User) -> None:
    from faro.directory.models import MemberState
    from faro.webinars.models import Registration, Webinar

    start = timezone.now() - datetime.timedelta(days=30)
    webinar = Webinar.objects.create(
        title={"en": "Past"}, starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=5, status="closed"
    )
    registration = Registration.objects.create(
        webinar=webinar,
        person=keisha,
        status="confirmed",
        consented_at=start,
        entered_member_state=MemberState.objects.get(code="JM"),
        entered_position="Clerk",
    )
    erase_person(keisha, acting_user=staff)
    registration.refresh_from_db()
    assert registration.entered_member_state is None
    assert registration.entered_position == ""
