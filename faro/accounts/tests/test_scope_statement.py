"""The roles in force come from a statement built once per connection, and are read afresh on every
request: what it answers is what `RoleAssignment.objects.in_force` answers, and a role ended or
granted takes effect on the very next request."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person, make_user, person_of, state_of
from faro.accounts import services
from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import roles_in_force
from faro.directory import services as directory_services
from faro.directory.models import Appointment, Institution, MemberState

pytestmark = pytest.mark.django_db
TODAY = timezone.now().date()
DAY = datetime.timedelta(days=1)
Role = RoleAssignment.Role


def in_force(user: User, day: datetime.date) -> list[tuple[str, int | None, int | None]]:
    rows = RoleAssignment.objects.in_force(day).filter(user=user)
    return sorted(rows.values_list("role", "institution_id", "member_state_id"), key=str)


def test_it_answers_what_in_force_answers_on_every_day(partner_institution: Institution, jamaica: MemberState) -> None:
    person = make_person("Lee", "Brown", "JM", email="lee@port.example.jm")
    user = make_user("lee@port.example.jm", person=person)
    appointment = Appointment.objects.create(
        person=person, member_state=jamaica, role=Appointment.Role.FOCAL_POINT, start=TODAY - 9 * DAY, end=TODAY
    )
    RoleAssignment.objects.create(user=user, role=Role.FOCAL_POINT, member_state=jamaica, appointment=appointment)
    RoleAssignment.objects.create(user=user, role=Role.PARTNER, institution=partner_institution, starts_on=TODAY + DAY)
    RoleAssignment.objects.create(user=user, role=Role.REVIEWER, ends_on=TODAY + 2 * DAY)
    RoleAssignment.objects.create(user=user, role=Role.STAFF, approval=RoleAssignment.Approval.PENDING)
    other = make_user("other@port.example.jm", role=Role.STAFF)
    for offset in range(-10, 5):
        day = TODAY + offset * DAY
        assert sorted(roles_in_force(user.pk, day), key=str) == in_force(user, day), day
    assert roles_in_force(other.pk, TODAY) == [(Role.STAFF, None, None)]
    assert roles_in_force(10**12, TODAY) == []


def test_a_staff_role_ended_closes_staff_pages_at_the_next_request(staff: User, client: Client) -> None:
    colleague = make_user("colleague@cip.example.org", role=Role.STAFF)
    client.force_login(colleague)
    assert client.get(reverse("directory:people")).status_code == 200
    services.end_role(colleague.roles.get(), reason="Left the Secretariat", acting_user=staff)
    assert client.get(reverse("directory:people")).status_code == 404


def test_a_role_granted_opens_the_page_at_the_next_request(staff: User, client: Client) -> None:
    newcomer = make_user("newcomer@cip.example.org")
    client.force_login(newcomer)
    assert client.get(reverse("directory:people")).status_code == 404
    services.grant_role(newcomer, role=Role.STAFF, acting_user=staff)
    assert client.get(reverse("directory:people")).status_code == 200


def test_a_focal_points_appointment_ended_closes_their_states_people(
    staff: User, focal_point: User, client: Client
) -> None:
    client.force_login(focal_point)
    assert client.get(reverse("directory:people")).status_code == 200
    appointment = Appointment.objects.create(
        person=person_of(focal_point),
        member_state=state_of(focal_point),
        role=Appointment.Role.FOCAL_POINT,
        start=TODAY - 30 * DAY,
    )
    RoleAssignment.objects.filter(user=focal_point).update(appointment=appointment)
    directory_services.end_appointment(appointment, acting_user=staff, on=TODAY - DAY)
    assert client.get(reverse("directory:people")).status_code == 404
