"""Meetings over the API: public ones for everyone, private ones for staff; no online link."""

import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api.tests.conftest import bearer
from faro.directory.models import MemberState, PriorityArea
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
def meeting(db: None) -> Meeting:
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


def test_a_private_meeting_is_404_to_outsiders_and_visible_to_staff(
    api: APIClient, outsider: User, staff: User
) -> None:
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


def test_a_meeting_lists_its_languages_and_priority_areas(api: APIClient, meeting: Meeting) -> None:
    area = PriorityArea.objects.get(plan__start_year=2023, number=2)
    meeting.languages = ["es", "en"]
    meeting.save()
    meeting.priority_areas.set([area])
    body = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["languages"] == ["es", "en"]
    assert body["priority_areas"] == [{"id": area.pk, "number": 2, "name": dict(area.name)}]
    assert body["priority_areas"][0]["name"]["es"] == "Protección y seguridad portuaria"


def test_meetings_filter_by_language_and_priority_area(api: APIClient, meeting: Meeting) -> None:
    security, logistics = (PriorityArea.objects.get(plan__start_year=2023, number=n) for n in (2, 1))
    meeting.languages = ["es", "en"]
    meeting.save()
    meeting.priority_areas.set([security])
    french = make_meeting(start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 5, 2), languages=["fr"])
    french.priority_areas.set([security, logistics])

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/meetings/?{query}")
        assert response.status_code == 200
        return [m["id"] for m in response.json()["results"]]

    assert ids("language=es") == [meeting.pk]
    assert ids("language=fr") == [french.pk]
    assert ids("language=pt") == []
    assert ids(f"priority_area={security.pk}") == [french.pk, meeting.pk]
    assert ids(f"priority_area={logistics.pk}&language=fr") == [french.pk]


@pytest.mark.parametrize(
    "query",
    [
        "language=de",
        "language=",
        "language=%22es%22",
        "priority_area=abc",
        "priority_area=0",
        "priority_area=99999999999999999999",
        "priority_area=-1",
    ],
)
def test_bad_language_or_priority_area_filters_are_400_naming_them(api: APIClient, query: str) -> None:
    response = api.get(f"/api/v1/meetings/?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [query.split("=")[0]]
