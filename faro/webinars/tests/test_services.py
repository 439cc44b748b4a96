import datetime
from email.message import Message
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import Institution, Person
from faro.webinars import services
from faro.webinars.models import Registration, Webinar
from faro.webinars.tests.conftest import make_webinar, register

pytestmark = pytest.mark.django_db


def test_registering_creates_a_person_and_confirms_a_seat_with_mail_in_their_language(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(webinar, "Ana.Silva@Porto.example.br", language="pt")
    registration = outcome.registration
    assert outcome.created
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.person.email == "ana.silva@porto.example.br"
    assert AuditEntry.objects.for_object(registration).get().action == "webinars.registration.created"
    [message] = mail.outbox
    assert message.to == ["ana.silva@porto.example.br"]
    assert "Inscrição confirmada" in message.subject
    assert "Proteção portuária" in message.subject
    assert webinar.join_url in message.body
    assert "/webinars/registration/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "webinar.ics"
    assert mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["uid"] == f"webinar-{webinar.pk}@faro"
    assert webinar.join_url in str(event["description"])
    parts = message.message().get_payload()
    assert isinstance(parts, list)
    calendar_part = parts[1]
    assert isinstance(calendar_part, Message)
    assert calendar_part["Content-Type"].count("charset") == 1  # mail clients reject a doubled parameter


def test_a_known_email_in_any_case_reuses_the_person(webinar: Webinar, participant: User) -> None:
    outcome = register(webinar, "KEISHA@port.example.jm", first="K", last="B")
    assert outcome.registration.person == person_of(participant)
    assert Person.objects.with_email("keisha@port.example.jm").count() == 1


def test_a_double_submission_yields_one_registration(webinar: Webinar) -> None:
    first = register(webinar, "ana@porto.example.br")
    again = register(webinar, "ANA@porto.example.br")
    assert not again.created
    assert again.registration.pk == first.registration.pk
    assert webinar.registrations.count() == 1


def test_beyond_capacity_registrants_are_waitlisted_and_told_so(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org")
    register(webinar, "b@x.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(webinar, "c@x.example.org", language="es")
    assert outcome.registration.status == Registration.Status.WAITLISTED
    assert "lista de espera" in mail.outbox[-1].subject
    assert webinar.join_url not in mail.outbox[-1].body
    assert not mail.outbox[-1].attachments


def test_cancelling_promotes_the_first_on_the_waitlist(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first = register(webinar, "a@x.example.org").registration
    register(webinar, "b@x.example.org")
    waiting = register(webinar, "c@x.example.org").registration
    register(webinar, "d@x.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(first, acting_user=None)
    assert [r.pk for r in promoted] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert webinar.confirmed_count() == 2
    subjects = [m.subject for m in mail.outbox]
    assert any("cancelada" in s.lower() or "cancelled" in s.lower() for s in subjects)
    assert any(webinar.join_url in m.body for m in mail.outbox if m.to == ["c@x.example.org"])
    assert AuditEntry.objects.for_object(waiting).filter(action="webinars.registration.promoted").exists()


def test_cancelling_twice_is_refused_harmlessly(webinar: Webinar) -> None:
    registration = register(webinar, "a@x.example.org").registration
    services.cancel_registration(registration, acting_user=None)
    with pytest.raises(services.WebinarError, match="already cancelled"):
        services.cancel_registration(registration, acting_user=None)


def test_registering_again_after_cancelling_reuses_the_row_and_invalidates_the_old_link(webinar: Webinar) -> None:
    registration = register(webinar, "a@x.example.org").registration
    old_token = services.registration_token(registration)
    services.cancel_registration(registration, acting_user=None)
    again = register(webinar, "a@x.example.org")
    assert again.created
    assert again.registration.pk == registration.pk
    assert services.registration_from_token(old_token) is None
    assert services.registration_from_token(services.registration_token(again.registration)) == again.registration


def test_a_forged_token_designates_nothing(webinar: Webinar) -> None:
    registration = register(webinar, "a@x.example.org").registration
    token = services.registration_token(registration)
    assert services.registration_from_token(token[:-2] + "xx") is None
    assert services.registration_from_token("nonsense") is None


def test_registration_needs_consent_and_an_open_webinar(webinar: Webinar) -> None:
    with pytest.raises(services.WebinarError, match="consent"):
        services.register_for_webinar(webinar, acting_user=None, email="a@x.example.org", first_name="A")
    draft = make_webinar(status=Webinar.Status.DRAFT)
    with pytest.raises(services.WebinarError, match="closed"):
        register(draft, "a@x.example.org")
    assert not Registration.objects.exists()


def test_cancelling_a_webinar_notifies_every_registrant_with_a_cancelling_calendar_entry(
    webinar: Webinar, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    for email in ["a@x.example.org", "b@x.example.org", "c@x.example.org"]:
        register(webinar, email, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_webinar(webinar, acting_user=staff)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example.org", "b@x.example.org", "c@x.example.org"]
    assert all("cancelled" in m.subject for m in mail.outbox)
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(calendar["method"]) == "CANCEL"
    assert calendar.walk("VEVENT")[0]["status"] == "CANCELLED"


def test_rescheduling_notifies_registrants_and_bumps_the_calendar_sequence(
    webinar: Webinar, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org", language="fr")
    new_start = webinar.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_webinar(
            webinar, acting_user=staff, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=1)
        )
    webinar.refresh_from_db()
    assert webinar.sequence == 1
    [message] = mail.outbox
    assert "Nouvelle date" in message.subject
    event = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    assert event["sequence"] == 1
    entry = AuditEntry.objects.for_object(webinar).get(action="webinars.webinar.updated")
    assert "starts_at" in entry.changes


def test_reminders_go_out_once_24_hours_and_once_1_hour_before(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org", language="en")
    register(webinar, "b@x.example.org", language="en")
    services.cancel_registration(webinar.registrations.get(person__email="b@x.example.org"), acting_user=None)
    mail.outbox.clear()
    start = webinar.starts_at
    with django_capture_on_commit_callbacks(execute=True):  # reminders go through the outbox, after commit
        assert services.send_due_reminders(now=start - datetime.timedelta(hours=30)) == 0
        assert services.send_due_reminders(now=start - datetime.timedelta(hours=23)) == 1
        assert services.send_due_reminders(now=start - datetime.timedelta(hours=22)) == 0
        assert services.send_due_reminders(now=start - datetime.timedelta(minutes=50)) == 1
        assert services.send_due_reminders(now=start - datetime.timedelta(minutes=40)) == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Tomorrow", "Starting within the hour"]
    assert all(m.to == ["a@x.example.org"] for m in mail.outbox)


def test_a_late_registrant_gets_only_the_1_hour_reminder(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org", language="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders(now=webinar.starts_at - datetime.timedelta(minutes=30)) == 1
        assert services.send_due_reminders(now=webinar.starts_at - datetime.timedelta(minutes=20)) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_command_sends_the_reminders_that_are_due(
    webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.core.management import call_command

    register(webinar, "a@x.example.org", language="en")
    mail.outbox.clear()
    with (
        time_machine.travel(webinar.starts_at - datetime.timedelta(minutes=30)),
        django_capture_on_commit_callbacks(execute=True),  # the reminder goes through the outbox
    ):
        call_command("send_webinar_reminders")
        call_command("send_webinar_reminders")  # a second run (an overlapping cron) sends nothing more
    assert [m.to for m in mail.outbox] == [["a@x.example.org"]]
    assert mail.outbox[0].subject.startswith("Starting within the hour")


def test_state_transitions_follow_the_life_cycle(staff: User) -> None:
    webinar = make_webinar(
        status=Webinar.Status.DRAFT,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with pytest.raises(services.WebinarError):
        services.close_webinar(webinar, acting_user=staff)
    services.publish_webinar(webinar, acting_user=staff)
    services.mark_webinar_held(webinar, acting_user=staff)
    webinar = services.close_webinar(webinar, acting_user=staff)
    assert webinar.status == Webinar.Status.CLOSED
    assert webinar.is_held
    actions = list(AuditEntry.objects.for_object(webinar).values_list("action", flat=True))
    assert actions == ["webinars.webinar.closed", "webinars.webinar.held", "webinars.webinar.published"]


def test_a_future_webinar_cannot_be_marked_held(webinar: Webinar, staff: User) -> None:
    with pytest.raises(services.WebinarError, match="after it has started"):
        services.mark_webinar_held(webinar, acting_user=staff)


def test_create_webinar_saves_speakers_questions_and_partners(staff: User, partner_institution: Institution) -> None:
    start = timezone.now() + datetime.timedelta(days=10)
    webinar = services.create_webinar(
        acting_user=staff,
        fields={"title": {"en": "Dredging"}, "starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
        partners=[partner_institution],
        speakers=[{"name": "Laura Ruiz", "role": "moderator", "institution": "Valenciaport", "country_code": "ES"}],
        questions=[{"label": {"en": "Your port?"}, "required": True}],
    )
    assert webinar.status == Webinar.Status.DRAFT
    assert list(webinar.partners.all()) == [partner_institution]
    assert webinar.speakers.get().country_name == "Spain"
    question = webinar.questions.get()
    services.update_webinar(
        webinar, acting_user=staff, fields={}, questions=[{"id": question.pk, "label": {"en": "Port?"}}]
    )
    assert webinar.questions.get().pk == question.pk
    with pytest.raises(services.WebinarError, match="end after"):
        services.create_webinar(acting_user=staff, fields={"title": {"en": "X"}, "starts_at": start, "ends_at": start})


def test_importing_past_registrations_reuses_people_fills_seats_then_the_waitlist(
    webinar: Webinar, staff: User
) -> None:
    known = Person.objects.create(first_name="Ana", email="ana@x.example.org")
    people = [
        {"email": "ANA@x.example.org", "first_name": "Ana"},
        {"email": "b@x.example.org", "first_name": "Beto"},
        {"email": "c@x.example.org", "first_name": "Carla", "gender": "woman"},
    ]
    before = webinar.starts_at - datetime.timedelta(days=5)
    assert services.import_registrations(webinar, acting_user=staff, people=people, registered_at=before) == 3
    statuses = dict(webinar.registrations.values_list("person__email", "status"))
    assert statuses == {
        "ana@x.example.org": "confirmed",
        "b@x.example.org": "confirmed",
        "c@x.example.org": "waitlisted",
    }
    assert webinar.registrations.get(person=known)
    assert Person.objects.get(email="c@x.example.org").gender == "woman"
    assert services.import_registrations(webinar, acting_user=staff, people=people, registered_at=before) == 0
    assert not mail.outbox


def test_people_created_in_bulk_are_filed_and_found_like_everyone_else(webinar: Webinar, staff: User) -> None:
    """bulk_create skips save(): the import derives the filing keys and search text itself."""
    people = [{"email": "n@x.example.org", "first_name": "Eva", "last_name": "Ñáñez"}]
    before = webinar.starts_at - datetime.timedelta(days=5)
    services.import_registrations(webinar, acting_user=staff, people=people, registered_at=before)
    assert [p.email for p in Person.objects.matching(["nanez"])] == ["n@x.example.org"]
    imported = Person.objects.get(email="n@x.example.org")
    nuno = Person(last_name="Nuño", first_name="Rosa")
    nuno.normalise_names()
    assert imported.filing_key_es > nuno.filing_key_es  # Spanish files ñ after n
    assert imported.filing_key < nuno.filing_key  # the other languages file it with n


def test_registrations_are_announced_to_the_partners_listeners(
    webinar: Webinar,
    partner_institution: Institution,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from faro.core import events

    heard: list[tuple[str, dict[str, Any], frozenset[int]]] = []
    monkeypatch.setattr(events, "_handlers", [lambda name, payload, scope: heard.append((name, payload, scope))])
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(webinar, "a@x.example.org").registration
        register(webinar, "a@x.example.org")  # a replay announces nothing
        services.cancel_registration(registration, acting_user=None)
    assert [(name, scope) for name, _payload, scope in heard] == [
        ("registration.created", frozenset({partner_institution.pk})),
        ("registration.cancelled", frozenset({partner_institution.pk})),
    ]
    assert heard[0][1] == {
        "registration": registration.pk,
        "webinar": webinar.pk,
        "person": registration.person_id,
        "status": "confirmed",
    }
