"""Roles that start, end, wait for approval and follow a focal point's appointment."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_person, make_user, person_of
from faro.accounts import services
from faro.accounts.models import RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.models import AuditEntry
from faro.directory import services as directory_services
from faro.directory.models import Appointment, Institution, MemberState, MemberStateStatus

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def fresh(user: User) -> User:
    """The user as the next request sees them (the scope is cached per request)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def paraguay() -> MemberState:
    return MemberState.objects.get(code="PY")


@pytest.fixture
def ana(paraguay: MemberState) -> User:
    return make_user("ana@anpy.example.py", person=make_person("Ana", "Benítez", "PY", email="ana@anpy.example.py"))


def actions(user: User) -> list[str]:
    return list(AuditEntry.objects.for_object(user).values_list("action", flat=True))


def test_a_granted_focal_point_role_records_the_appointment_and_opens_the_state(
    staff: User, ana: User, paraguay: MemberState
) -> None:
    role = services.grant_role(ana, role=Role.FOCAL_POINT, member_state=paraguay, acting_user=staff)
    assert role.appointment is not None
    assert role.appointment.start == TODAY
    assert role.appointment.person == person_of(ana)
    assert role.granted_by == staff
    assert scope_for(fresh(ana)).member_state_ids == {paraguay.pk}
    assert actions(ana) == ["accounts.user.role_granted"]


def test_an_existing_appointment_is_reused(staff: User, ana: User, paraguay: MemberState) -> None:
    appointment = Appointment.objects.create(
        person=person_of(ana), member_state=paraguay, role=Appointment.Role.FOCAL_POINT, start=TODAY - 30 * DAY
    )
    role = services.grant_role(ana, role=Role.FOCAL_POINT, member_state=paraguay, acting_user=staff)
    assert role.appointment == appointment
    assert Appointment.objects.filter(person=person_of(ana)).count() == 1


def test_when_the_appointment_ends_the_role_ends(staff: User, ana: User, paraguay: MemberState) -> None:
    role = services.grant_role(
        ana, role=Role.FOCAL_POINT, member_state=paraguay, acting_user=staff, starts_on=TODAY - 10 * DAY
    )
    assert role.appointment is not None
    directory_services.end_appointment(role.appointment, acting_user=staff, on=TODAY - DAY)
    assert not scope_for(fresh(ana)).is_focal_point
    assert not role.is_in_force()
    assert role.is_in_force(TODAY - 2 * DAY)


def test_a_role_starting_later_gives_no_access_yet(staff: User, ana: User) -> None:
    role = services.grant_role(ana, role=Role.REVIEWER, acting_user=staff, starts_on=TODAY + DAY)
    assert not scope_for(fresh(ana)).is_reviewer
    assert role.is_in_force(TODAY + DAY)


def test_ending_a_role_takes_access_away_from_that_day_and_ends_the_appointment(
    staff: User, ana: User, paraguay: MemberState
) -> None:
    role = services.grant_role(
        ana, role=Role.FOCAL_POINT, member_state=paraguay, acting_user=staff, starts_on=TODAY - 10 * DAY
    )
    services.end_role(role, on=TODAY, reason="Left the port authority", acting_user=staff)
    assert not scope_for(fresh(ana)).is_focal_point
    role.refresh_from_db()
    assert role.end_reason == "Left the port authority"
    assert role.appointment is not None
    assert role.appointment.end == TODAY - DAY
    entry = AuditEntry.objects.get(action="accounts.user.role_ended")
    assert entry.actor == staff
    assert entry.data["reason"] == "Left the port authority"


def test_ending_a_role_in_the_future_keeps_it_until_then(staff: User, reviewer: User) -> None:
    role = RoleAssignment.objects.get(user=reviewer)
    services.end_role(role, on=TODAY + 7 * DAY, reason="Term ends", acting_user=staff)
    assert scope_for(fresh(reviewer)).is_reviewer
    assert not role.is_in_force(TODAY + 7 * DAY)


def test_a_role_cannot_end_twice_or_before_it_started(staff: User, reviewer: User) -> None:
    role = RoleAssignment.objects.get(user=reviewer)
    with pytest.raises(ValidationError, match="before it started"):
        services.end_role(role, on=role.starts_on - DAY, reason="x", acting_user=staff)
    services.end_role(role, reason="x", acting_user=staff)
    with pytest.raises(ValidationError, match="already ended"):
        services.end_role(role, reason="again", acting_user=staff)


def test_only_staff_end_roles(focal_point: User, reviewer: User) -> None:
    with pytest.raises(ValidationError, match="beyond your own"):
        services.end_role(RoleAssignment.objects.get(user=reviewer), reason="x", acting_user=focal_point)
    assert RoleAssignment.objects.get(user=reviewer).ends_on is None


def test_an_ended_role_can_be_granted_again(staff: User, reviewer: User) -> None:
    services.end_role(RoleAssignment.objects.get(user=reviewer), reason="break", acting_user=staff)
    again = services.grant_role(reviewer, role=Role.REVIEWER, acting_user=staff)
    assert again.ends_on is None
    assert RoleAssignment.objects.filter(user=reviewer).count() == 2
    assert scope_for(fresh(reviewer)).is_reviewer


def test_a_role_already_held_is_not_duplicated_and_reviewer_calls_merge(staff: User, ana: User) -> None:
    first = services.grant_role(ana, role=Role.REVIEWER, acting_user=staff, call_ids=[3])
    second = services.grant_role(ana, role=Role.REVIEWER, acting_user=staff, call_ids=[5])
    assert second.pk == first.pk
    assert second.call_ids == [3, 5]
    everything = services.grant_role(ana, role=Role.REVIEWER, acting_user=staff)
    assert everything.call_ids == []


def test_a_focal_point_for_a_state_that_does_not_take_part_is_refused(staff: User, ana: User) -> None:
    cuba = MemberState.objects.get(code="CU")
    MemberStateStatus.objects.get_or_create(
        member_state=cuba,
        status=MemberStateStatus.Kind.NON_PARTICIPATING,
        defaults={"start": datetime.date(1962, 1, 31)},
    )
    with pytest.raises(ValidationError, match="does not take part") as refused:
        services.grant_role(ana, role=Role.FOCAL_POINT, member_state=cuba, acting_user=staff)
    assert "not participating" in str(refused.value)
    assert not RoleAssignment.objects.filter(user=ana).exists()
    assert not Appointment.objects.filter(person=person_of(ana)).exists()


def test_a_partner_nominates_only_for_their_institution_and_waits_for_approval(
    partner: User, ana: User, partner_institution: Institution, other_institution: Institution
) -> None:
    with pytest.raises(ValidationError, match="beyond your own"):
        services.grant_role(ana, role=Role.PARTNER, institution=other_institution, acting_user=partner)
    with pytest.raises(ValidationError, match="beyond your own"):
        services.grant_role(ana, role=Role.STAFF, acting_user=partner)
    role = services.grant_role(ana, role=Role.PARTNER, institution=partner_institution, acting_user=partner)
    assert role.approval == RoleAssignment.Approval.PENDING
    assert not scope_for(fresh(ana)).is_partner
    assert actions(ana) == ["accounts.user.role_nominated"]


def test_a_focal_point_nominates_an_alternate_for_their_state_only(
    focal_point: User, ana: User, jamaica: MemberState, paraguay: MemberState
) -> None:
    with pytest.raises(ValidationError, match="beyond your own"):
        services.grant_role(ana, role=Role.FOCAL_POINT, member_state=paraguay, acting_user=focal_point)
    role = services.grant_role(ana, role=Role.FOCAL_POINT, member_state=jamaica, acting_user=focal_point)
    assert role.approval == RoleAssignment.Approval.PENDING
    assert role.appointment is None  # recorded when staff approve


@pytest.mark.parametrize("persona", ["reviewer", "participant", "outsider"])
def test_other_personas_cannot_grant_anything(
    persona: str, request: pytest.FixtureRequest, ana: User, jamaica: MemberState
) -> None:
    giver = request.getfixturevalue(persona)
    cases: list[tuple[str, dict[str, Any]]] = [
        (Role.STAFF, {}),
        (Role.REVIEWER, {}),
        (Role.FOCAL_POINT, {"member_state": jamaica}),
    ]
    for role, scope in cases:
        with pytest.raises(ValidationError, match="beyond your own"):
            services.grant_role(ana, role=role, acting_user=giver, **scope)
    assert not RoleAssignment.objects.filter(user=ana).exists()


def test_staff_approve_a_nomination_which_then_follows_a_new_appointment(
    staff: User, focal_point: User, ana: User, jamaica: MemberState
) -> None:
    role = services.grant_role(ana, role=Role.FOCAL_POINT, member_state=jamaica, acting_user=focal_point)
    with pytest.raises(ValidationError, match="beyond your own"):
        services.approve_role(role, acting_user=focal_point)
    services.approve_role(role, acting_user=staff)
    assert scope_for(fresh(ana)).member_state_ids == {jamaica.pk}
    assert role.appointment is not None
    assert role.appointment.member_state == jamaica
    assert actions(ana)[0] == "accounts.user.role_approved"
    with pytest.raises(ValidationError, match="not waiting"):
        services.approve_role(role, acting_user=staff)


def test_staff_refuse_a_nomination(staff: User, partner: User, ana: User, partner_institution: Institution) -> None:
    role = services.grant_role(ana, role=Role.PARTNER, institution=partner_institution, acting_user=partner)
    services.refuse_role(role, reason="Not a staff member of APN", acting_user=staff)
    role.refresh_from_db()
    assert role.approval == RoleAssignment.Approval.REFUSED
    assert not scope_for(fresh(ana)).is_partner
    assert actions(ana)[0] == "accounts.user.role_refused"


def test_deactivating_an_account_ends_its_roles_and_blocks_sign_in(staff: User, focal_point: User) -> None:
    services.deactivate_user(focal_point, reason="Retired", acting_user=staff)
    focal_point.refresh_from_db()
    assert not focal_point.is_active
    assert RoleAssignment.objects.get(user=focal_point).end_reason == "Retired"
    assert scope_for(focal_point).member_state_ids == frozenset()
    assert actions(focal_point)[:2] == ["accounts.user.deactivated", "accounts.user.role_ended"]
    with pytest.raises(ValidationError, match="already deactivated"):
        services.deactivate_user(focal_point, reason="again", acting_user=staff)


def test_staff_cannot_deactivate_themselves_and_others_cannot_at_all(
    staff: User, partner: User, reviewer: User
) -> None:
    with pytest.raises(ValidationError, match="your own account"):
        services.deactivate_user(staff, reason="oops", acting_user=staff)
    with pytest.raises(ValidationError, match="beyond your own"):
        services.deactivate_user(reviewer, reason="no", acting_user=partner)
    reviewer.refresh_from_db()
    assert reviewer.is_active


def test_scope_counts_only_roles_in_force(staff: User, ana: User, paraguay: MemberState) -> None:
    services.grant_role(ana, role=Role.REVIEWER, acting_user=staff, starts_on=TODAY - 5 * DAY)
    RoleAssignment.objects.create(user=ana, role=Role.STAFF, approval=RoleAssignment.Approval.PENDING)
    RoleAssignment.objects.create(
        user=ana, role=Role.FOCAL_POINT, member_state=paraguay, starts_on=TODAY - 9 * DAY, ends_on=TODAY - DAY
    )
    scope = scope_for(fresh(ana))
    assert scope.is_reviewer
    assert not scope.is_staff
    assert not scope.is_focal_point


def test_users_with_a_role_are_those_in_force(staff: User, focal_point: User, jamaica: MemberState) -> None:
    assert list(User.objects.with_role(Role.FOCAL_POINT, member_state=jamaica)) == [focal_point]
    services.end_role(RoleAssignment.objects.get(user=focal_point), reason="x", acting_user=staff)
    assert not User.objects.with_role(Role.FOCAL_POINT, member_state=jamaica).exists()
