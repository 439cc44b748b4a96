"""Meetings over the API: public ones for everyone, private ones for staff; no online link."""

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from faro.api.tests.conftest import bearer
from faro.directory.models import MemberState
from faro.meetings.models import Meeting, Session

pytestmark = pytest.mark.django_db


def make_meeting(**fields: Any) -> Meeting:
    values = {
        "kind": Meeting.Kind.REGULAR,
        "title": {"en": "XIV Regular Meeting of the CIP", "es": "XIV Reunión Ordinaria de la CIP"},
        "host_country": MemberState.objects.get(code="PA"),
        "city": "Panamá",
        "start_date": datetime.date(2026, 11, 3),
        "end_date": datetime.date(2026, 11, 5),
        "time_zone": "America/Panama",
        "online_link": "https://meet.example.org/secret",
        **fields,
    }
    return Meeting.objects.create(**values)


@pytest.fixture
def meeting(db: Any) -> Meeting:
    meeting = make_meeting()
    start = datetime.datetime(2026, 11, 3, 14, tzinfo=datetime.UTC)
    Session.objects.create(
        meeting=meeting, title={"en": "Opening"}, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    return meeting


def test_anyone_lists_public_meetings_with_their_agenda_but_no_online_link(api: APIClient, meeting: Meeting) -> None:
    make_meeting(is_public=False, title={"en": "CECIP closed session"}, kind=Meeting.Kind.CECIP)
    body = api.get("/api/v1/meetings/").json()
    assert [m["id"] for m in body["results"]] == [meeting.pk]
    listed = body["results"][0]
    assert (listed["host_country"], listed["sessions"][0]["title"]["en"]) == ("PA", "Opening")
    assert "secret" not in str(body)


def test_a_private_meeting_is_404_to_outsiders_and_visible_to_staff(api: APIClient, outsider: Any, staff: Any) -> None:
    private = make_meeting(is_public=False)
    assert api.get(f"/api/v1/meetings/{private.pk}/", **bearer(outsider)).status_code == 404
    assert api.get(f"/api/v1/meetings/{private.pk}/", **bearer(staff)).status_code == 200


def test_meeting_filters(api: APIClient, meeting: Meeting) -> None:
    later = make_meeting(start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 5, 2), kind="workshop")
    assert [m["id"] for m in api.get("/api/v1/meetings/?year=2027").json()["results"]] == [later.pk]
    assert [m["id"] for m in api.get("/api/v1/meetings/?kind=regular&host_country=pa").json()["results"]] == [
        meeting.pk
    ]
    response = api.get("/api/v1/meetings/?year=twenty&kind=party")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"year", "kind"}
