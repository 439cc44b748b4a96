"""One definition of "attended": the database's `Attendance.objects.attended()` agrees with the
webinar's own `attended_minimum` for every rule and duration (on SQLite and PostgreSQL)."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_person
from faro.webinars.models import Attendance, Webinar, attended_minimum

pytestmark = pytest.mark.django_db
START = datetime.datetime(2020, 6, 3, 15, 0, tzinfo=datetime.UTC)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seconds=st.integers(60, 6 * 3600),
    rule=st.sampled_from(list(Webinar.AttendedRule)),
    threshold=st.integers(0, 100),
    minutes=st.lists(st.integers(0, 400), min_size=1, max_size=4),
)
def test_the_database_applies_the_webinars_attendance_rule(
    seconds: int, rule: str, threshold: int, minutes: list[int]
) -> None:
    webinar = Webinar.objects.create(
        title={"en": "W"},
        starts_at=START,
        ends_at=START + datetime.timedelta(seconds=seconds),
        status=Webinar.Status.HELD,
        attended_rule=rule,
        attended_threshold=threshold,
    )
    rows = [
        Attendance.objects.create(webinar=webinar, person=make_person(f"P{n}", "X", "JM"), minutes=m)
        for n, m in enumerate(minutes)
    ]
    annotated = Webinar.objects.annotate(m=attended_minimum()).values_list("m", flat=True).get(pk=webinar.pk)
    assert annotated == webinar.attended_minimum
    expected = {row.pk for row in rows if row.attended()}
    assert set(Attendance.objects.filter(webinar=webinar).attended().values_list("pk", flat=True)) == expected
    assert webinar.attended_people().count() == len(expected)
    webinar.delete()


def test_hosts_never_count_as_attending_however_long_they_stay() -> None:
    webinar = Webinar.objects.create(
        title={"en": "W"}, starts_at=START, ends_at=START + datetime.timedelta(minutes=90), status=Webinar.Status.HELD
    )
    Attendance.objects.create(webinar=webinar, person=make_person("H", "X", "JM"), minutes=90, role="host")
    Attendance.objects.create(webinar=webinar, person=make_person("A", "X", "JM"), minutes=44)
    assert Attendance.objects.attendees().count() == 1
    assert Attendance.objects.attended().count() == 0
