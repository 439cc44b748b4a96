import datetime
import gzip
from pathlib import Path
from typing import Any

import icalendar
import pytest
from django.conf import settings
from django.test import Client

from conftest import person_of
from faro.accounts.models import User
from faro.directory.models import PriorityArea
from faro.portal.activity_queries import ActivityFilter, search_catalogue, upcoming_activities
from faro.portal.models import NewsPost
from faro.portal.services import calendar_token_for
from faro.portal.tests.conftest import FakeSource, activity

pytestmark = pytest.mark.django_db


def test_upcoming_leaves_out_what_has_ended_and_sorts_by_date(fake_meetings: FakeSource) -> None:
    assert [a.key for a in upcoming_activities()] == ["webinar-1", "webinar-2", "meeting-12"]


def test_filters_by_kind_area_topic_and_language(fake_meetings: FakeSource, security_area: PriorityArea) -> None:
    def keys(**kwargs: Any) -> list[str]:
        return [a.key for a in upcoming_activities(filters=ActivityFilter(**kwargs))]

    assert keys(kind="meeting") == ["meeting-12"]
    assert keys(area=security_area.pk) == ["webinar-1"]
    assert keys(topic="dredging") == ["webinar-2"]
    assert keys(language="es") == ["webinar-1", "meeting-12"]


def test_search_folds_accents_and_case_in_every_language(fake_meetings: FakeSource) -> None:
    def keys(q: str) -> list[str]:
        return [a.key for a in search_catalogue(ActivityFilter(q=q))]

    assert keys("PROTECCION portuaria") == ["webinar-1"]  # Spanish title, no accent typed
    assert keys("sûreté") == ["webinar-1"]  # French title
    assert keys("cyber") == ["webinar-1"]  # summary
    assert keys("buenos aires") == ["meeting-12"]  # location
    assert keys("cruise") == ["webinar-0"]  # past items are in the catalogue too


def test_unknown_filter_values_are_ignored(client: Client, fake_meetings: FakeSource) -> None:
    response = client.get("/calendar/", {"kind": "<script>", "area": "abc", "language": "xx"})
    assert response.status_code == 200
    assert "XII Regular Meeting" in response.text


def test_the_calendar_page_filters_without_javascript(client: Client, fake_meetings: FakeSource) -> None:
    response = client.get("/calendar/", {"kind": "webinar", "language": "en"})
    assert "Green ports and dredging" in response.text
    assert "XII Regular Meeting" not in response.text
    assert "Cruise ports after the pandemic" not in response.text
    assert 'rel="alternate" type="text/calendar"' in response.text


def test_the_catalogue_searches_and_counts(client: Client, fake_meetings: FakeSource) -> None:
    client.cookies["faro_language"] = "es"
    response = client.get("/catalogue/", {"q": "proteccion"})
    assert "Protección portuaria y Código PBIP" in response.text
    assert "1 resultado" in response.text or "1 result" in response.text


def _events(body: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(body)
    return [c for c in calendar.walk("VEVENT")]


def test_the_ics_feed_parses_and_holds_every_upcoming_activity(client: Client, fake_meetings: FakeSource) -> None:
    response = client.get("/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert [str(e["UID"]) for e in events] == ["webinar-1@faro", "webinar-2@faro", "meeting-12@faro"]
    meeting = events[2]
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == datetime.timedelta(days=3)  # all-day, exclusive
    assert str(meeting["URL"]).startswith(settings.SITE_URL)
    assert isinstance(events[0].decoded("DTSTART"), datetime.datetime)


def test_the_priority_area_feed_holds_only_that_area(
    client: Client, fake_meetings: FakeSource, security_area: PriorityArea
) -> None:
    events = _events(client.get(f"/calendar/area/{security_area.pk}.ics").content)
    assert [str(e["UID"]) for e in events] == ["webinar-1@faro"]
    assert client.get("/calendar/area/999999.ics").status_code == 404


def test_the_private_feed_needs_the_right_key(client: Client, fake_webinars: FakeSource, participant: User) -> None:
    fake_webinars.registered[person_of(participant).pk] = [fake_webinars.items[0]]
    token = calendar_token_for(person_of(participant)).token
    assert len(token) >= 40
    events = _events(client.get(f"/calendar/my/{token}.ics").content)
    assert [str(e["UID"]) for e in events] == ["webinar-1@faro"]
    assert client.get("/calendar/my/not-the-key.ics").status_code == 404


def test_renewing_the_key_revokes_the_old_address(client: Client, fake_webinars: FakeSource, participant: User) -> None:
    old = calendar_token_for(person_of(participant)).token
    client.force_login(participant)
    client.post("/me/calendar/renew/")
    assert client.get(f"/calendar/my/{old}.ics").status_code == 404
    assert client.get(f"/calendar/my/{calendar_token_for(person_of(participant)).token}.ics").status_code == 200


def test_home_lists_upcoming_activities(client: Client, fake_meetings: FakeSource) -> None:
    html = client.get("/").text
    assert "Port protection and the ISPS Code" in html
    assert "Cruise ports after the pandemic" not in html


def test_home_stays_small_with_its_css(client: Client, fake_meetings: FakeSource, posts: list[NewsPost]) -> None:
    for n in range(20):
        fake_meetings.items.append(
            activity("meeting", f"m-{n}", {"en": "A meeting " * 10}, fake_meetings.items[0].start)
        )
    html = client.get("/").content
    static = Path(settings.BASE_DIR) / "faro"
    css = (static / "core/static/faro/faro.css").read_bytes() + (
        static / "portal/static/portal/portal.css"
    ).read_bytes()
    assert len(gzip.compress(html)) + len(gzip.compress(css)) <= 60 * 1024
