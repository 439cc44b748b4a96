"""The programme adapters, with real objects of each programme."""

import datetime
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import state_of
from faro.accounts.models import User
from faro.certificates import services
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.certificates.programme_adapters import ADAPTERS, CourseAdapter, MeetingAdapter, WebinarAdapter
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db

if TYPE_CHECKING:
    from faro.meetings.models import Meeting


def make_template(kind: str) -> CertificateTemplate:
    template = CertificateTemplate(
        name=kind, kind=kind, is_default=True, heading={"en": "Certificate"}, body={"en": "{name}"}
    )
    return services.save_template(template, acting_user=None)


@pytest.fixture
def held_meeting(staff: User, focal_point: User, partner_institution: Institution) -> "Meeting":
    from faro.directory.models import MemberState
    from faro.meetings import services as meetings
    from faro.meetings.models import Meeting
    from faro.meetings.tests.conftest import pdf_upload

    meeting = meetings.create_meeting(
        acting_user=staff,
        kind=Meeting.Kind.REGULAR,
        title={"en": "XIII Regular Meeting of the CIP", "es": "XIII Reunión Ordinaria de la CIP"},
        host_country=MemberState.objects.get(code="PE"),
        host_institution=partner_institution,
        city="Lima",
        start_date=datetime.date(2027, 5, 19),
        end_date=datetime.date(2027, 5, 21),
        time_zone="America/Lima",
    )
    delegation = meetings.register_delegation(meeting, acting_user=focal_point, member_state=state_of(focal_point))
    head = meetings.add_participant(
        delegation,
        acting_user=focal_point,
        first_name="Marlon",
        last_name="Grant",
        email="marlon@pa.example.jm",
        role="head",
        preferred_language="fr",
    )
    meetings.add_participant(
        delegation,
        acting_user=focal_point,
        first_name="Sasha",
        last_name="Reid",
        email="sasha@pa.example.jm",
        role="delegate",
    )
    meetings.upload_credentials(delegation, acting_user=focal_point, upload=pdf_upload())
    meetings.submit_delegation(delegation, acting_user=focal_point)
    meetings.accredit_delegation(delegation, acting_user=staff)
    meetings.check_in(head, acting_user=staff, day=datetime.date(2027, 5, 19))
    return meeting


def test_the_programme_adapters_are_registered() -> None:
    assert isinstance(ADAPTERS[Kind.MEETING], MeetingAdapter)
    assert isinstance(ADAPTERS[Kind.COURSE], CourseAdapter)
    assert isinstance(ADAPTERS[Kind.WEBINAR], WebinarAdapter)


def test_meeting_attendance_certificates_go_to_those_checked_in_once_the_meeting_is_held(
    held_meeting: "Meeting", staff: User, partner_institution: Institution
) -> None:
    from faro.meetings import services as meetings

    template = make_template(Kind.MEETING)
    with pytest.raises(ValidationError, match="has not been held"):
        services.start_bulk_issue(Kind.MEETING, held_meeting, acting_user=staff, template=template)
    meetings.change_meeting_status(held_meeting, acting_user=staff, status="held")
    held_meeting.refresh_from_db()
    assert services.issue_eligible_certificates(Kind.MEETING, held_meeting, acting_user=staff, template=template) == 1
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Marlon Grant"
    assert certificate.achievement["es"] == "XIII Reunión Ordinaria de la CIP"
    assert certificate.achieved_on == datetime.date(2027, 5, 21)
    assert "APN" in certificate.issuer_name
    assert services.issue_eligible_certificates(Kind.MEETING, held_meeting, acting_user=staff, template=template) == 0


def test_course_completion_certificates_go_to_those_who_completed(
    staff: User, partner_institution: Institution
) -> None:
    from conftest import make_person
    from faro.courses.models import Enrolment
    from faro.courses.tests.factories import make_course, make_offering

    offering = make_offering(make_course(partner_institution), start=datetime.date(2020, 3, 2))
    passed = make_person("Lucía", "Rojas", "PE", email="lucia.r@apn.example.pe", preferred_language="es")
    failed = make_person("Tomás", "Vega", "CL", email="tomas@port.example.cl")
    Enrolment.objects.create(offering=offering, person=passed, outcome=Enrolment.Outcome.COMPLETED, grade=88)
    Enrolment.objects.create(offering=offering, person=failed, outcome=Enrolment.Outcome.FAILED, grade=40)
    template = make_template(Kind.COURSE)
    assert services.issue_eligible_certificates(Kind.COURSE, offering, acting_user=staff, template=template) == 1
    certificate = Certificate.objects.get()
    assert certificate.holder == passed
    assert certificate.achievement["es"] == "Protección portuaria"
    assert certificate.achieved_on == offering.end
    assert "APN" in certificate.issuer_name


def test_webinar_participation_certificates_follow_the_attended_rule(
    staff: User, partner_institution: Institution, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.core import mail

    from conftest import make_person
    from faro.webinars import services as webinars
    from faro.webinars.models import Attendance
    from faro.webinars.tests.conftest import make_webinar

    starts = datetime.datetime(2020, 10, 21, 15, 0, tzinfo=datetime.UTC)
    webinar = make_webinar(
        partners=[partner_institution], starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90)
    )
    stayed = make_person("Ana", "Silva", "BR", email="ana@porto.example.br", preferred_language="pt")
    left_early = make_person("Rui", "Costa", "BR", email="rui@porto.example.br")
    host = make_person("Rosa", "Quispe", "PE", email="rosa.q@apn.example.pe")
    Attendance.objects.create(webinar=webinar, person=stayed, minutes=80)
    Attendance.objects.create(webinar=webinar, person=left_early, minutes=10)
    Attendance.objects.create(webinar=webinar, person=host, minutes=90, role=Attendance.Role.HOST)
    template = make_template(Kind.WEBINAR)
    with pytest.raises(ValidationError, match="has not been held"):
        services.start_bulk_issue(Kind.WEBINAR, webinar, acting_user=staff, template=template)
    webinars.mark_webinar_held(webinar, acting_user=staff)
    webinar.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        created = services.issue_eligible_certificates(Kind.WEBINAR, webinar, acting_user=staff, template=template)
    assert created == 1
    certificate = Certificate.objects.get()
    assert certificate.holder == stayed
    assert certificate.achievement["es"] == "Protección portuaria y Código PBIP"
    assert certificate.achieved_on == datetime.date(2020, 10, 21)
    assert "APN" in certificate.issuer_name
    assert [m.to for m in mail.outbox] == [["ana@porto.example.br"]]
    assert "Seu certificado" in mail.outbox[0].subject
