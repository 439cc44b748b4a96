"""A scholarship call is in calendar feeds as its deadline, not as a weeks-long event."""

import datetime

import pytest
from django.utils import timezone

from faro.directory.models import Institution
from faro.portal.activity_queries import to_event
from faro.portal.activity_sources import Activity
from faro.portal.tests.conftest import activity

pytestmark = pytest.mark.django_db


def _call(**extra: object) -> Activity:
    opens = timezone.now() - datetime.timedelta(days=5)
    closes = opens + datetime.timedelta(days=30)
    return activity("call", "call-7", {"en": "Port scholarships", "es": "Becas portuarias"}, opens, closes, **extra)


def test_a_call_is_its_deadline_in_the_feed() -> None:
    call = _call(deadline=True)
    event = to_event(call, "en")
    assert event is not None
    assert event.start == call.end
    assert event.end == call.end
    assert event.title == "Deadline: Port scholarships"


def test_the_deadline_is_named_in_the_feeds_language() -> None:
    event = to_event(_call(deadline=True), "fr")
    assert event is not None
    assert event.title == "Date limite\u202f: Port scholarships"


def test_other_activities_keep_their_span() -> None:
    call = _call()
    event = to_event(call, "en")
    assert event is not None
    assert isinstance(event.start, datetime.datetime)
    assert isinstance(event.end, datetime.datetime)
    assert event.end - event.start == datetime.timedelta(days=30)


def test_scholarship_calls_are_marked_as_deadlines(partner_institution: Institution) -> None:
    from faro.courses.tests.factories import make_course, make_offering
    from faro.portal.activity_sources import CallSource
    from faro.scholarships.tests.factories import make_call

    call = make_call([make_offering(make_course(partner_institution))])
    assert CallSource().to_activity(call).deadline is True
