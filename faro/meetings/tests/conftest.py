"""Meetings fixtures: a regular meeting, delegations at each stage, PDF and not-PDF uploads."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen.canvas import Canvas

from conftest import make_person, make_user, state_of
from faro.accounts.models import User
from faro.directory.models import MemberState
from faro.meetings import services
from faro.meetings.models import Delegation, Meeting, Participant


def pdf_upload(name: str = "credentials.pdf", text: str = "Credentials") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, text)
    canvas.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def exe_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("credentials.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")


@pytest.fixture
def meeting(db: None) -> Meeting:
    return services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.REGULAR,
        title={"en": "XIII Regular Meeting of the CIP", "fr": "XIIIe Réunion ordinaire de la CIP"},
        host_country=MemberState.objects.get(code="AR"),
        city="Buenos Aires",
        start_date=datetime.date(2027, 5, 19),
        end_date=datetime.date(2027, 5, 21),
        time_zone="America/Argentina/Buenos_Aires",
        online_link="https://meet.example.org/xiii",
    )


@pytest.fixture
def other_meeting(db: None) -> Meeting:
    return services.create_meeting(
        acting_user=None,
        kind=Meeting.Kind.CECIP,
        title={"en": "CECIP 2024"},
        start_date=datetime.date(2027, 10, 1),
        end_date=datetime.date(2027, 10, 1),
        document_series="CIDI/CECIP",
    )


@pytest.fixture
def jamaica_delegation(meeting: Meeting, focal_point: User) -> Delegation:
    return services.register_delegation(meeting, acting_user=focal_point, member_state=state_of(focal_point))


@pytest.fixture
def head(jamaica_delegation: Delegation, focal_point: User) -> Participant:
    return services.add_participant(
        jamaica_delegation,
        acting_user=focal_point,
        first_name="Marlon",
        last_name="Grant",
        email="marlon@pa.example.jm",
        role="head",
        preferred_language="fr",
    )


@pytest.fixture
def accredited(jamaica_delegation: Delegation, head: Participant, focal_point: User, staff: User) -> Delegation:
    services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=pdf_upload())
    services.submit_delegation(jamaica_delegation, acting_user=focal_point)
    return services.accredit_delegation(jamaica_delegation, acting_user=staff)


@pytest.fixture
def peru_focal_point(peru: MemberState) -> User:
    person = make_person("Lucía", "Rojas", "PE", email="lucia@apn.example.pe", preferred_language="es")
    return make_user("lucia@apn.example.pe", person=person, role="focal_point", member_state=peru)


@pytest.fixture
def peru_delegation(meeting: Meeting, peru_focal_point: User) -> Delegation:
    state = MemberState.objects.get(code="PE")
    return services.register_delegation(meeting, acting_user=peru_focal_point, member_state=state)
