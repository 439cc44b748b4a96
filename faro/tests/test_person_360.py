"""The directory's person page shows the person's participation across programmes (360° view),
gathered from each programme's own `participation.py` and its own rules, as the viewer may see it."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.courses.services import enrol_person
from faro.directory.models import Person
from faro.meetings.models import Delegation, Participant
from faro.meetings.tests.conftest import jamaica_delegation, meeting  # noqa: F401  (fixtures)
from faro.scholarships.models import Call
from faro.scholarships.tests.conftest import call, course, offering, offering_en  # noqa: F401  (fixtures)
from faro.scholarships.tests.factories import make_application
from faro.webinars.models import Attendance, Webinar
from faro.webinars.tests.conftest import register, webinar  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(participant: User, call: Call, offering: Offering, webinar: Webinar, jamaica_delegation: Delegation) -> Person:  # noqa: F811
    """Keisha applied to a call, is enrolled, registered for a webinar and stayed 20 of its 45 minutes,
    and sits in Jamaica's delegation."""
    person = person_of(participant)
    make_application(call, person, [offering])
    enrol_person(offering, person, acting_user=None)
    registration = register(webinar, participant.email).registration
    webinar.attended_threshold = 45
    webinar.save()
    Attendance.objects.create(webinar=webinar, person=person, registration=registration, minutes=20)
    Participant.objects.create(delegation=jamaica_delegation, person=person, role=Participant.Role.DELEGATE)
    return person


def test_staff_see_every_programme_on_the_person_page(client: Client, staff: User, busy: Person) -> None:
    client.force_login(staff)
    page = client.get(reverse("directory:person", args=[busy.pk])).text
    assert "Participation across programmes" in page
    assert "Scholarship applications" in page
    assert "Submitted, awaiting national endorsement" in page
    assert "Course enrolments" in page
    assert "Enrolled" in page
    assert "Port security and the ISPS Code" in page
    assert "joined 20 min: below the webinar&#x27;s rule" in page  # the webinar's own rule, not "reached"
    assert "Meeting delegations" in page
    assert "Delegate" in page


def test_staff_open_the_application_file_from_the_person_page(client: Client, staff: User, busy: Person) -> None:
    client.force_login(staff)
    page = client.get(reverse("directory:person", args=[busy.pk])).text
    application = busy.applications.get()
    assert reverse("scholarships:application_file", args=[application.pk]) in page


def test_a_focal_point_sees_only_what_their_scope_allows(client: Client, focal_point: User, busy: Person) -> None:
    client.force_login(focal_point)
    page = client.get(reverse("directory:person", args=[busy.pk])).text
    assert "Scholarship applications" in page  # Jamaica's submitted applications
    assert "joined 20 min" not in page  # webinar attendance is the organisers' and the person's own
    assert "/file/" not in page  # focal points do not run calls


def test_outsiders_get_404_on_the_person_page(client: Client, outsider: User, busy: Person) -> None:
    client.force_login(outsider)
    assert client.get(reverse("directory:person", args=[busy.pk])).status_code == 404


def test_a_person_with_no_records_is_said_so(client: Client, staff: User, outsider: User) -> None:
    client.force_login(staff)
    page = client.get(reverse("directory:person", args=[person_of(outsider).pk])).text
    assert "No applications, enrolments, webinars, delegations or certificates." in page
