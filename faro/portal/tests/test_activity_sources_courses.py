"""The courses and scholarships adapters, with real courses, offerings, calls and applications."""

import datetime
import json
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from conftest import person_of
from faro.accounts.models import User
from faro.courses import services as course_services
from faro.courses.models import Course, Offering
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, PriorityArea
from faro.portal.activity_queries import ActivityFilter, search_catalogue, upcoming_activities
from faro.portal.services import calendar_token_for
from faro.portal.services.mailings import segment_people
from faro.portal.services.privacy import ErasureRefused, apply_retention, erase_person, export_person_data
from faro.portal.tests.conftest import topic
from faro.scholarships.models import Application, ApplicationDocument, Call
from faro.scholarships.tests.factories import make_application, make_call, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> PriorityArea:
    return topic("isps").priority_area


@pytest.fixture
def course(partner_institution: Institution, area: PriorityArea) -> Course:
    course = make_course(
        partner_institution,
        title={"en": "Port Security", "es": "Protección portuaria"},
        languages=["es"],
        priority_area=area,
    )
    course.topics.add(topic("isps"))
    return course


@pytest.fixture
def offering(course: Course) -> Offering:
    return make_offering(course, start=timezone.localdate() + datetime.timedelta(days=60))


@pytest.fixture
def call(offering: Offering) -> Call:
    return make_call(
        [offering],
        title={"en": "Port security scholarships 2030", "fr": "Bourses de sûreté portuaire"},
        languages=["es"],
    )


def test_offerings_and_calls_are_on_the_calendar_with_their_areas(
    client: Client, call: Call, offering: Offering, area: PriorityArea, partner_institution: Institution
) -> None:
    make_course(partner_institution, title={"en": "Unpublished"}, is_published=False)
    keys = [a.key for a in upcoming_activities()]
    assert keys == [f"call-{call.pk}", f"offering-{offering.pk}"]
    assert [a.key for a in upcoming_activities(filters=ActivityFilter(area=area.pk, language="es"))] == keys
    assert upcoming_activities(filters=ActivityFilter(topic="dredging")) == []
    events = icalendar.Calendar.from_ical(client.get(f"/calendar/area/{area.pk}.ics").content).walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"call-{call.pk}@faro", f"offering-{offering.pk}@faro"}
    client.cookies["faro_language"] = "fr"
    assert "Bourses de sûreté portuaire" in client.get("/calendar/").text


def test_the_catalogue_finds_courses_and_calls_in_any_language(course: Course, call: Call) -> None:
    def keys(**kwargs: Any) -> list[str]:
        return [a.key for a in search_catalogue(ActivityFilter(**kwargs))]

    assert keys(q="SECURITY") == [f"call-{call.pk}", f"course-{course.pk}"]
    assert keys(q="proteccion") == [f"course-{course.pk}"]
    assert keys(q="surete", kind="call") == [f"call-{call.pk}"]
    assert search_catalogue(ActivityFilter(kind="course"))[0].url == course.get_absolute_url()


def test_an_open_application_blocks_erasure_and_is_exported(
    call: Call, offering: Offering, participant: User, staff: User
) -> None:
    application = make_application(call, person_of(participant), [offering])
    data = export_person_data(person_of(participant))
    json.dumps(data)
    assert data["records"]["scholarships.application"][0]["fields"]["motivation"] == "To learn."
    assert len(data["records"]["scholarships.applicationdocument"]) == len(application.required_documents())
    with pytest.raises(ErasureRefused) as refused:
        erase_person(person_of(participant), acting_user=staff)
    assert "Port security scholarships 2030" in refused.value.reasons[0]
    move_to(call, Call.Status.FINISHED)
    erase_person(person_of(participant), acting_user=staff)
    application.refresh_from_db()
    assert application.motivation == ""
    assert application.person_id == person_of(participant).pk
    assert all(not d.file for d in ApplicationDocument.objects.filter(application=application))


def test_an_enrolment_is_in_the_private_feed_and_blocks_erasure(
    client: Client, offering: Offering, participant: User, staff: User
) -> None:
    course_services.enrol_person(offering, person_of(participant), acting_user=staff)
    token = calendar_token_for(person_of(participant)).token
    events = icalendar.Calendar.from_ical(client.get(f"/calendar/my/{token}.ics").content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"offering-{offering.pk}@faro"]
    with pytest.raises(ErasureRefused, match="Port Security"):
        erase_person(person_of(participant), acting_user=staff)


def test_past_course_participants_and_applicants_are_segments(
    call: Call, offering: Offering, participant: User, outsider: User, staff: User
) -> None:
    course_services.enrol_person(offering, person_of(participant), acting_user=staff)
    make_application(call, person_of(outsider), [offering])
    assert list(segment_people({"programmes": ["course"]}, category="courses")) == []
    Offering.objects.filter(pk=offering.pk).update(start=datetime.date(2020, 3, 1), end=datetime.date(2020, 5, 1))
    assert list(segment_people({"programmes": ["course"]}, category="courses")) == [person_of(participant)]
    assert list(segment_people({"programmes": ["call"]}, category="courses")) == [person_of(outsider)]


def test_retention_clears_unsuccessful_applications_once(
    call: Call, offering: Offering, participant: User, outsider: User
) -> None:
    lost = make_application(call, person_of(outsider), [offering])
    make_application(call, person_of(participant), [offering], submit=False)
    Call.objects.filter(pk=call.pk).update(
        status="finished", start=datetime.date(2019, 9, 1), end=datetime.date(2020, 1, 1)
    )
    done = apply_retention()
    assert done["unsuccessful_applications"] == 2
    lost.refresh_from_db()
    assert lost.motivation == ""
    assert not lost.documents.exists()
    assert Application.objects.filter(call=call).count() == 2  # figures keep their rows
    assert apply_retention()["unsuccessful_applications"] == 0
