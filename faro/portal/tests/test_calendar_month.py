"""The calendar page has a server-rendered month view beside the list."""

import datetime
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.utils import timezone

from faro.portal.activity_queries import month_weeks, parse_month
from faro.portal.tests.conftest import activity

if TYPE_CHECKING:
    from faro.portal.tests.conftest import FakeSource

pytestmark = pytest.mark.django_db


def test_a_month_is_weeks_from_monday_with_blank_cells() -> None:
    first = datetime.date(2021, 5, 1)  # a Saturday
    webinar = activity("webinar", "w1", {"en": "Dredging"}, datetime.date(2021, 5, 19))
    weeks = month_weeks([webinar], first)
    assert [cell.day for cell in weeks[0][:5]] == [None] * 5
    assert weeks[0][5].day == first
    day = next(cell for week in weeks for cell in week if cell.day == datetime.date(2021, 5, 19))
    assert day.activities == (webinar,)


def test_a_call_sits_on_its_deadline_day() -> None:
    opens = timezone.make_aware(datetime.datetime(2021, 5, 3, 12))
    closes = timezone.make_aware(datetime.datetime(2021, 5, 28, 12))
    call = activity("call", "c1", {"en": "Scholarships"}, opens, closes, deadline=True)
    days = {cell.day: cell.activities for week in month_weeks([call], datetime.date(2021, 5, 1)) for cell in week}
    assert days[datetime.date(2021, 5, 28)] == (call,)
    assert days[datetime.date(2021, 5, 3)] == ()


@pytest.mark.parametrize("value", ["", "2021-13", "nonsense", "2021-05-01", None])
def test_a_bad_month_falls_back_to_this_month(value: str | None) -> None:
    today = datetime.date(2026, 12, 2)
    assert parse_month(value, today) == datetime.date(2026, 12, 1)


def test_the_calendar_page_shows_the_month_and_its_neighbours(client: Client, fake_meetings: "FakeSource") -> None:
    client.cookies["faro_language"] = "es"
    html = client.get("/calendar/", {"month": "2021-05"}).content.decode()
    assert '<h2 id="month-title">Mayo 2021</h2>' in html
    assert "?month=2021-04" in html
    assert "?month=2021-06" in html
    assert '<th scope="col">lun</th>' in html
