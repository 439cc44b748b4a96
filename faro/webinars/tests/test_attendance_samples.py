"""Files written by `samples` read back through `parse_attendance` with minutes and counts intact."""

from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faro.webinars.attendance import is_anonymous, parse_attendance
from faro.webinars.attendance.samples import teams_csv, zoom_meeting_csv, zoom_webinar_csv

START = datetime(2020, 10, 21, 15, 0)
HOST = {"name": "CIP Secretariat", "email": "cip@oas.org", "country": "United States", "minutes": 120}
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñçÁÉ -'", min_size=2, max_size=20).filter(
    lambda s: s.strip() and "," not in s
)


@st.composite
def attendees(draw: Any, *, absent: bool = True) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=25))
    people = []
    for index in range(count):
        splits = draw(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=4))
        minutes = 0 if absent and draw(st.booleans()) and draw(st.booleans()) else sum(splits)
        name = draw(NAMES).strip() + f" {index}"
        people.append(
            {
                "name": name,
                "email": f"p{index}@port{index % 7}.example.org",
                "country": "Jamaica",
                "minutes": minutes,
                "splits": splits if minutes else None,
            }
        )
    return people


def minutes_by_email(data: bytes) -> dict[str | None, int]:
    report = parse_attendance(data)
    assert report.errors == []
    return {a.email: a.minutes for a in report.attendees if a.role == "attendee"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attendees())
def test_zoom_webinar_round_trip(people: list[dict[str, Any]]) -> None:
    data = zoom_webinar_csv(people, topic="Port security", start=START, hosts=[HOST])
    report = parse_attendance(data)
    assert report.format == "zoom-webinar"
    assert report.rows == 1 + sum(len(p["splits"] or [0]) for p in people)
    assert minutes_by_email(data) == {p["email"]: p["minutes"] for p in people}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attendees(absent=False))
def test_zoom_meeting_round_trip(people: list[dict[str, Any]]) -> None:
    data = zoom_meeting_csv(people, topic="Coordination", start=START, host=HOST)
    report = parse_attendance(data)
    assert report.format == "zoom-meeting"
    assert [a.role for a in report.attendees].count("host") == 1
    assert minutes_by_email(data) == {p["email"]: p["minutes"] for p in people}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attendees(absent=False), st.sampled_from(["en", "es", "pt", "fr"]))
def test_teams_round_trip_in_every_language(people: list[dict[str, Any]], language: str) -> None:
    data = teams_csv(people, title="Webinar", start=START, language=language, organizer=HOST)
    report = parse_attendance(data)
    assert report.format == "teams"
    assert data[:2] == b"\xff\xfe"
    assert minutes_by_email(data) == {p["email"]: p["minutes"] for p in people}
    joins = {a.email: a.joins for a in report.attendees}
    assert all(joins[p["email"]] == len(p["splits"]) for p in people)


def test_anonymous_and_email_less_people_survive_a_round_trip() -> None:
    people: list[dict[str, Any]] = [
        {"name": "", "email": "", "country": "", "minutes": 30},
        {"name": "", "email": "", "country": "", "minutes": 30},
        {"name": "Patricia Núñez", "email": None, "country": "Mexico", "minutes": 45, "splits": [20, 25]},
    ]
    for data in (
        zoom_webinar_csv(people, topic="T", start=START),
        zoom_meeting_csv(people, topic="T", start=START),
        teams_csv(people, title="T", start=START, language="es"),
    ):
        report = parse_attendance(data)
        assert [a.minutes for a in report.attendees if is_anonymous(a)] == [30, 30]
        assert [a.minutes for a in report.attendees if a.name == "Patricia Núñez"] == [45]


def test_webinar_panelists_and_absent_registrants_are_written_as_zoom_does() -> None:
    people = [{"name": "Ana Pérez", "email": "ana@apn.gob.mx", "country": "Mexico", "minutes": 0}]
    panelist = {"name": "Rafael Aznar", "email": "raznar@valenciaport.com", "country": "Spain", "minutes": 50}
    data = zoom_webinar_csv(people, topic="T", start=START, panelists=[panelist])
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Panelist Details" in text
    assert "\r\nNo,Ana Pérez,Ana,Pérez,ana@apn.gob.mx," in text
    roles = {a.email: (a.role, a.minutes) for a in parse_attendance(data).attendees}
    assert roles == {"ana@apn.gob.mx": ("attendee", 0), "raznar@valenciaport.com": ("panelist", 50)}
