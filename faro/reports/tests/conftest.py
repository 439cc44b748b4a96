"""Records for report tests, created straight through the ORM (reports only read them)."""

import datetime
import itertools
from typing import Any

import pytest
from django.apps import apps

from faro.directory.models import Institution, Person

UTC = datetime.UTC
_serial = itertools.count(1)


def needs(*labels: str) -> pytest.MarkDecorator:
    """Skip a test while a programme it reads is not installed."""
    missing = []
    for label in labels:
        try:
            apps.get_model(label)
        except LookupError:
            missing.append(label)
    return pytest.mark.skipif(bool(missing), reason=f"programme not installed: {', '.join(missing)}")


def at(year: int, month: int = 6, day: int = 15) -> datetime.datetime:
    return datetime.datetime(year, month, day, 15, tzinfo=UTC)


def make_offering(provider: Institution, *, year: int = 2020, course: Any = None, **course_fields: Any) -> Any:
    from faro.courses.models import Course, Offering

    if course is None:
        fields = {"modality": "online_tutored", "hours": 40, "is_published": True} | course_fields
        course = Course.objects.create(title={"en": f"Course {next(_serial)}"}, provider=provider, **fields)
    return Offering.objects.create(
        course=course,
        code=f"C-{next(_serial)}",
        start=datetime.date(year, 7, 1),
        end=datetime.date(year, 9, 30),
        seats=30,
    )


def make_call(year: int = 2020) -> Any:
    from faro.scholarships.models import Call

    return Call.objects.create(
        title={"en": f"Call {year}"},
        year=year,
        status="finished",
        opens_at=at(year, 3, 1),
        closes_at=at(year, 4, 1),
        results_on=datetime.date(year, 5, 1),
        accept_by=at(year, 5, 15),
        start=datetime.date(year, 7, 1),
        end=datetime.date(year, 12, 31),
    )


def make_offer(offering: Any, person: Person, *, status: str = "accepted", call: Any = None) -> Any:
    from faro.scholarships.models import Application, Offer

    call = call or make_call(offering.start.year)
    call.offerings.add(offering)
    application, _new = Application.objects.get_or_create(call=call, person=person, defaults={"status": "submitted"})
    return Offer.objects.create(application=application, offering=offering, status=status, accept_by=call.accept_by)


def enrol(offering: Any, person: Person, outcome: str = "completed") -> Any:
    from faro.courses.models import Enrolment

    return Enrolment.objects.create(offering=offering, person=person, outcome=outcome)


def make_webinar(
    *, year: int = 2020, status: str = "held", partners: tuple[Institution, ...] = (), **fields: Any
) -> Any:
    from faro.webinars.models import Webinar

    starts = at(year, 1 + next(_serial) % 12, 10)
    webinar = Webinar.objects.create(
        title={"en": f"Webinar {next(_serial)}"},
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=status,
        **fields,
    )
    webinar.partners.set(partners)
    return webinar


def attend(webinar: Any, person: Person, *, role: str = "attendee", minutes: int = 90) -> Any:
    from faro.webinars.models import Attendance, Registration

    Registration.objects.get_or_create(
        webinar=webinar, person=person, defaults={"status": "confirmed", "consented_at": webinar.starts_at}
    )
    return Attendance.objects.create(webinar=webinar, person=person, role=role, minutes=minutes)


def make_meeting(*, year: int = 2021, status: str = "held", host: Institution | None = None) -> Any:
    from faro.meetings.models import Meeting

    return Meeting.objects.create(
        kind="regular",
        title={"en": f"Meeting {next(_serial)}"},
        start_date=datetime.date(year, 5, 19),
        end_date=datetime.date(year, 5, 21),
        status=status,
        host_institution=host,
    )


def delegate(meeting: Any, person: Person, *, role: str = "delegate") -> Any:
    from faro.meetings.models import Delegation, Participant

    delegation, _new = Delegation.objects.get_or_create(
        meeting=meeting, member_state=person.member_state, defaults={"status": "accredited"}
    )
    return Participant.objects.create(delegation=delegation, person=person, role=role)


def certify(
    source: Any,
    person: Person,
    *,
    issued_at: datetime.datetime,
    status: str = "issued",
    achieved_on: datetime.date | None = None,
) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from faro.certificates.models import Certificate, CertificateTemplate

    template, _new = CertificateTemplate.objects.get_or_create(
        name="Completion",
        kind="course_completion",
        defaults={"heading": {"en": "Certificate"}, "body": {"en": "{name}"}},
    )
    return Certificate.objects.create(
        kind="course_completion",
        template=template,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        holder=person,
        holder_name=person.full_name,
        achievement={"en": "A course"},
        issuer_name="CIP",
        achieved_on=achieved_on or issued_at.date(),
        issued_at=issued_at,
        status=status,
        revocation_reason="Error" if status == "revoked" else "",
    )
