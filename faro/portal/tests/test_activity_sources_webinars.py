"""The webinars adapter, with real webinars, registrations and attendance."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from conftest import person_of
from faro.accounts.models import User
from faro.directory.models import Institution
from faro.portal.activity_queries import ActivityFilter, search_catalogue, upcoming_activities
from faro.portal.services import calendar_token_for
from faro.portal.services.mailings import segment_people
from faro.portal.services.privacy import ErasureRefused, erase_person, export_person_data
from faro.portal.tests.conftest import topic
from faro.webinars.models import Attendance, Registration, Webinar
from faro.webinars.tests.conftest import make_webinar, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(partner_institution: Institution) -> Webinar:
    isps = topic("isps")
    webinar = make_webinar(
        partners=[partner_institution], priority_area=isps.priority_area, interpretation_languages=["en"], sequence=2
    )
    webinar.topics.add(isps)
    return webinar


def test_webinars_are_timed_events_on_the_calendar(client: Client, webinar: Webinar) -> None:
    make_webinar(title={"en": "Draft webinar"}, status=Webinar.Status.DRAFT)
    [item] = upcoming_activities()
    assert (item.key, item.languages) == (f"webinar-{webinar.pk}", frozenset({"es", "en"}))
    assert upcoming_activities(filters=ActivityFilter(topic="isps", language="en", kind="webinar")) == [item]
    event = icalendar.Calendar.from_ical(client.get("/calendar.ics").content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == webinar.starts_at.replace(microsecond=0)  # iCalendar keeps seconds
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=90)
    assert event["SEQUENCE"] == 2
    client.cookies["faro_language"] = "pt"
    assert "Proteção portuária e Código ISPS" in client.get("/calendar/").text


def test_past_webinars_stay_in_the_catalogue(webinar: Webinar) -> None:
    Webinar.objects.filter(pk=webinar.pk).update(
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=9),
        ends_at=timezone.now() - datetime.timedelta(days=9) + datetime.timedelta(hours=1),
    )
    assert upcoming_activities() == []
    assert [a.key for a in search_catalogue(ActivityFilter(q="PBIP"))] == [f"webinar-{webinar.pk}"]


def test_a_registration_is_in_the_private_feed_and_blocks_erasure(
    client: Client, webinar: Webinar, staff: User
) -> None:
    registration = register(webinar, "ana@portos.example.br").registration
    person = registration.person
    token = calendar_token_for(person).token
    events = icalendar.Calendar.from_ical(client.get(f"/calendar/my/{token}.ics").content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"webinar-{webinar.pk}@faro"]
    with pytest.raises(ErasureRefused, match="Port security and the ISPS Code"):
        erase_person(person, acting_user=staff)
    assert export_person_data(person)["records"]["webinars.registration"][0]["fields"]["webinar"] == webinar.pk


def test_after_the_webinar_the_person_is_erased_and_their_answers_blanked(webinar: Webinar, staff: User) -> None:
    registration = register(webinar, "ana@portos.example.br").registration
    Registration.objects.filter(pk=registration.pk).update(answers={"1": "I work at the Santos port gate"})
    Webinar.objects.filter(pk=webinar.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    erase_person(registration.person, acting_user=staff)
    registration.refresh_from_db()
    assert registration.answers == {}
    assert registration.status == "confirmed"
    assert registration.person.first_name == ""
    assert registration.person.member_state.code == "BR"


def test_attendees_are_past_participants(webinar: Webinar, participant: User, outsider: User) -> None:
    Attendance.objects.create(webinar=webinar, person=person_of(participant), minutes=80)
    Attendance.objects.create(webinar=webinar, person=person_of(outsider), minutes=90, role="host")
    assert list(segment_people({"programmes": ["webinar"]}, category="webinars")) == [person_of(participant)]
