"""A compact site for whole-site tests: one of each programme object, built through the services."""

import datetime

from django.utils import timezone

from conftest import person_of
from faro.accounts.models import User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, MemberState
from faro.meetings import services as meetings
from faro.meetings.models import Meeting
from faro.scholarships.tests.factories import make_application, make_call
from faro.webinars import services as webinars


def build_site(*, staff: User, partner: User, focal_point: User, participant: User, institution: Institution) -> None:
    """A call with an application, a published webinar with a registration, a meeting with a delegation."""
    course = make_course(institution)
    offering = make_offering(course)
    call = make_call([offering])
    make_application(call, person_of(participant), [offering], submit=False)
    start = timezone.now() + datetime.timedelta(days=3)
    webinar = webinars.create_webinar(
        acting_user=staff,
        fields={
            "title": {"en": "Port security and the ISPS Code", "es": "Protección portuaria y Código PBIP"},
            "description": {"en": "What changed since 2004."},
            "starts_at": start,
            "ends_at": start + datetime.timedelta(minutes=90),
            "capacity": 20,
            "join_url": "https://zoom.example.org/j/123456",
            "language": "en",
        },
        partners=[institution],
    )
    webinar = webinars.publish_webinar(webinar, acting_user=staff)
    webinars.register_for_webinar(
        webinar,
        acting_user=None,
        email=participant.email,
        first_name="Keisha",
        last_name="Brown",
        consent=True,
        member_state=MemberState.objects.get(code="JM"),
        language="en",
    )
    meeting = meetings.create_meeting(
        acting_user=staff,
        kind=Meeting.Kind.REGULAR,
        title={"en": "XIII Regular Meeting of the CIP", "es": "XIII Reunión Ordinaria de la CIP"},
        host_country=MemberState.objects.get(code="AR"),
        city="Buenos Aires",
        start_date=datetime.date.today() + datetime.timedelta(days=60),
        end_date=datetime.date.today() + datetime.timedelta(days=62),
        time_zone="America/Argentina/Buenos_Aires",
    )
    meetings.register_delegation(meeting, acting_user=focal_point, member_state=MemberState.objects.get(code="JM"))
