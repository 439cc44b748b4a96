"""The meetings adapter, with real meetings, delegations and participants."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from conftest import state_of
from faro.accounts.models import User
from faro.directory.models import MemberState, PriorityArea
from faro.meetings import services
from faro.meetings.models import Meeting, Participant
from faro.portal.activity_queries import upcoming_activities
from faro.portal.activity_sources import MeetingSource, sources
from faro.portal.services import calendar_token_for
from faro.portal.services.mailings import segment_people
from faro.portal.services.privacy import ErasureRefused, erase_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db: None) -> Meeting:
    today = timezone.localdate()
    return services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title={
            "en": "XIII Regular Meeting of the CIP",
            "es": "XIII Reunión Ordinaria de la CIP",
            "fr": "XIIIe Réunion ordinaire de la CIP",
        },
        host_country=MemberState.objects.get(code="AR"),
        city="Buenos Aires",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=32),
        time_zone="America/Argentina/Buenos_Aires",
    )


@pytest.fixture
def delegate(meeting: Meeting, focal_point: User, participant: User) -> Participant:
    delegation = services.register_delegation(meeting, acting_user=focal_point, member_state=state_of(focal_point))
    return services.add_participant(
        delegation,
        acting_user=focal_point,
        first_name="Keisha",
        last_name="Brown",
        role="delegate",
        email=participant.email,
    )


def test_public_meetings_are_on_the_calendar_and_in_the_feed(client: Client, meeting: Meeting) -> None:
    services.create_meeting(
        acting_user=None,
        kind="cecip",
        title={"en": "Closed session"},
        is_public=False,
        start_date=meeting.start_date,
        end_date=meeting.start_date,
    )
    assert any(isinstance(s, MeetingSource) for s in sources())
    assert [a.key for a in upcoming_activities()] == [f"meeting-{meeting.pk}"]
    client.cookies["faro_language"] = "fr"
    page = client.get("/calendar/", {"kind": "meeting"}).text
    assert "XIIIe Réunion ordinaire de la CIP" in page
    assert "Closed session" not in page
    event = icalendar.Calendar.from_ical(client.get("/calendar.ics").content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == meeting.start_date
    assert event.decoded("DTEND") == meeting.end_date + datetime.timedelta(days=1)
    assert "Buenos Aires" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(meeting.get_absolute_url())


def test_a_delegate_sees_the_meeting_in_their_private_feed(
    client: Client, delegate: Participant, meeting: Meeting
) -> None:
    token = calendar_token_for(delegate.person).token
    events = icalendar.Calendar.from_ical(client.get(f"/calendar/my/{token}.ics").content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{meeting.pk}@faro"]


def test_a_delegate_to_an_upcoming_meeting_cannot_be_erased_yet(
    delegate: Participant, staff: User, meeting: Meeting
) -> None:
    with pytest.raises(ErasureRefused) as refused:
        erase_person(delegate.person, acting_user=staff)
    assert "XIII Regular Meeting of the CIP" in refused.value.reasons[0]
    Meeting.objects.filter(pk=meeting.pk).update(
        start_date=meeting.start_date - datetime.timedelta(days=400),
        end_date=meeting.end_date - datetime.timedelta(days=400),
    )
    erase_person(delegate.person, acting_user=staff)
    delegate.person.refresh_from_db()
    assert delegate.person.email is None
    assert delegate.person.member_state.code == "JM"  # type: ignore[union-attr]  # the record has a member state


def test_past_delegates_are_a_mailing_segment(delegate: Participant, meeting: Meeting, outsider: User) -> None:
    assert list(segment_people({"programmes": ["meeting"]}, category="meetings")) == []
    Meeting.objects.filter(pk=meeting.pk).update(
        start_date=datetime.date(2021, 5, 19), end_date=datetime.date(2021, 5, 21)
    )
    assert list(segment_people({"programmes": ["meeting"]}, category="meetings")) == [delegate.person]


def test_a_cancelled_meeting_is_marked_in_the_feed(client: Client, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    event = icalendar.Calendar.from_ical(client.get("/calendar.ics").content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_calendar_and_catalogue_filter_meetings_by_language_and_priority_area(
    client: Client, meeting: Meeting, security_area: PriorityArea
) -> None:
    other = security_area.plan.priority_areas.exclude(pk=security_area.pk).first()
    assert other is not None
    services.update_meeting(meeting, acting_user=None, languages=["es", "en"], priority_areas=[security_area])
    for page in ("/calendar/", "/catalogue/"):
        assert "XIII Regular Meeting" in client.get(page, {"area": security_area.pk}).text
        assert "XIII Regular Meeting" not in client.get(page, {"area": other.pk}).text
        assert "XIII Regular Meeting" in client.get(page, {"language": "es"}).text
        assert "XIII Regular Meeting" not in client.get(page, {"language": "fr"}).text
