"""Invitations: sent in the invitee's language, single use, 14 days, re-sent or withdrawn; accepted by
signing up (a new address) or signing in (an existing user); every bad link answered clearly."""

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import PASSWORD, make_person
from faro.accounts import invitations, services
from faro.accounts.invitations import InvitationProblem
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.models import AuditEntry
from faro.directory.models import Appointment, Institution, MemberState, Person

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


@pytest.fixture
def paraguay() -> MemberState:
    return MemberState.objects.get(code="PY")


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/invitation/(\S+)/", message.body)
    assert found, message.body
    return f"/accounts/invitation/{found.group(1)}/"


def invite_focal_point(staff: User, paraguay: MemberState, **kwargs: Any) -> tuple[Invitation, str]:
    args = {"role": Role.FOCAL_POINT, "member_state": paraguay, "acting_user": staff, **kwargs}
    return invitations.send_invitation("Ana@ANPY.example.py", **args)


def sign_up(client: Client, url: str, **fields: Any) -> Any:
    data = {
        "full_name": "Ana Benítez",
        "member_state": "",
        "institution": "",
        "position": "Jefa de Capacitación",
        "preferred_language": "es",
        "password1": "",
        "password2": "",
        **fields,
    }
    return client.post(url, data)


# --- Sending ----------------------------------------------------------------------------------


def test_an_invitation_is_mailed_in_the_chosen_language_with_a_link(
    staff: User, paraguay: MemberState, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = invite_focal_point(staff, paraguay, language="es")
    assert invitation.email == "ana@anpy.example.py"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@anpy.example.py"]
    assert "Paraguay" in message.subject
    assert "Punto focal nacional" in message.body
    assert link in message.body
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in Invitation.objects.values_list("token_digest", flat=True)[0]  # only the digest is kept
    assert AuditEntry.objects.get(action="accounts.invitation.sent").actor == staff


def test_the_mail_is_in_the_persons_preferred_language_when_none_is_chosen(
    staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    make_person("Marie", "Joseph", "HT", email="marie@apn.example.ht", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _link = invitations.send_invitation("marie@apn.example.ht", role=Role.REVIEWER, acting_user=staff)
    assert invitation.language == "fr"
    assert mail.outbox[0].body.startswith("Bonjour")


def test_a_focal_point_invitation_for_a_state_that_does_not_take_part_is_refused(staff: User) -> None:
    cuba = MemberState.objects.get(code="CU")
    with pytest.raises(ValidationError, match="does not take part"):
        invitations.send_invitation("x@example.cu", role=Role.FOCAL_POINT, member_state=cuba, acting_user=staff)
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_address_already_invited_to_the_role_is_refused(staff: User, paraguay: MemberState) -> None:
    invite_focal_point(staff, paraguay)
    with pytest.raises(ValidationError, match="already invited"):
        invite_focal_point(staff, paraguay)
    assert Invitation.objects.count() == 1


def test_a_user_who_already_has_the_role_is_refused(staff: User, focal_point: User, jamaica: MemberState) -> None:
    with pytest.raises(ValidationError, match="already has this role"):
        invitations.send_invitation(focal_point.email, role=Role.FOCAL_POINT, member_state=jamaica, acting_user=staff)


def test_a_deactivated_account_is_refused(staff: User, participant: User) -> None:
    participant.is_active = False
    participant.save()
    with pytest.raises(ValidationError, match="deactivated"):
        invitations.send_invitation(participant.email, role=Role.REVIEWER, acting_user=staff)


def test_an_existing_user_is_offered_the_role_and_told_to_sign_in(
    staff: User, participant: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(participant.email.upper(), role=Role.REVIEWER, acting_user=staff)
    assert "already have an account" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("persona", "role", "scope"),
    [
        ("partner", Role.PARTNER, "other_institution"),
        ("partner", Role.STAFF, None),
        ("focal_point", Role.FOCAL_POINT, "paraguay"),
        ("focal_point", Role.REVIEWER, None),
        ("reviewer", Role.REVIEWER, None),
        ("participant", Role.STAFF, None),
        ("outsider", Role.STAFF, None),
    ],
)
def test_an_invitation_beyond_the_inviters_scope_is_refused(
    persona: str, role: str, scope: str | None, request: pytest.FixtureRequest
) -> None:
    inviter = request.getfixturevalue(persona)
    target = request.getfixturevalue(scope) if scope else None
    extra = {"institution": target} if isinstance(target, Institution) else {"member_state": target} if target else {}
    with pytest.raises(ValidationError, match="beyond your own"):
        invitations.send_invitation("new@example.org", role=role, acting_user=inviter, **extra)
    assert not Invitation.objects.exists()


def test_a_partner_invites_a_colleague_who_waits_for_approval(
    client: Client,
    partner: User,
    partner_institution: Institution,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _link = invitations.send_invitation(
            "luis@apn.example.pe", role=Role.PARTNER, institution=partner_institution, acting_user=partner
        )
    assert invitation.needs_approval
    assert "approves it" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, link_in(mail.outbox[0]), full_name="Luis Rojas", institution=partner_institution.pk)
    assert response.status_code == 302
    luis = User.objects.get(email="luis@apn.example.pe")
    assert luis.roles.get().approval == RoleAssignment.Approval.PENDING
    assert not scope_for(luis).is_partner
    assert luis.person is not None
    assert luis.person.institution == partner_institution


# --- Accepting ---------------------------------------------------------------------------------


def test_a_new_address_signs_up_through_the_link_and_becomes_focal_point(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite_focal_point(staff, paraguay, starts_on=timezone.localdate() - datetime.timedelta(days=3))
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert "ana@anpy.example.py" in page.content.decode()
    response = sign_up(
        client, url, member_state=paraguay.pk, password1="un puerto seguro 2026", password2="un puerto seguro 2026"
    )
    assert response.status_code == 302
    ana = User.objects.get(email="ana@anpy.example.py")
    assert ana.check_password("un puerto seguro 2026")
    assert ana.person is not None
    assert ana.person.preferred_language == "es"
    assert ana.person.member_state == paraguay
    appointment = Appointment.objects.get(person=ana.person)
    assert appointment.start == timezone.localdate() - datetime.timedelta(days=3)
    assert appointment.role == Appointment.Role.FOCAL_POINT
    assert scope_for(User.objects.get(pk=ana.pk)).member_state_ids == {paraguay.pk}
    assert client.get(reverse("accounts:me")).status_code == 200  # signed in
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == ana
    assert AuditEntry.objects.filter(action="accounts.invitation.accepted", actor=ana).exists()
    assert client.get(url).status_code == 410  # single use


def test_signing_up_joins_the_existing_person_instead_of_duplicating_it(
    client: Client, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    earlier = make_person("Ana", "Benítez", "PY", email="ana@anpy.example.py")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation("ana@anpy.example.py", role=Role.REVIEWER, acting_user=staff)
    sign_up(client, link_in(mail.outbox[0]))
    assert Person.objects.with_email("ana@anpy.example.py").count() == 1
    assert User.objects.get(email="ana@anpy.example.py").person == earlier


def test_a_bad_form_re_renders_and_writes_nothing(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite_focal_point(staff, paraguay)
    response = sign_up(client, link_in(mail.outbox[0]), full_name="", password1="abc", password2="abd")
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email="ana@anpy.example.py").exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_existing_user_signs_in_then_accepts(
    client: Client, staff: User, participant: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(participant.email, role=Role.REVIEWER, acting_user=staff)
    url = link_in(mail.outbox[0])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(participant)
    assert "Accept" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert scope_for(User.objects.get(pk=participant.pk)).is_reviewer


def test_someone_signed_in_as_another_user_cannot_accept(
    client: Client,
    staff: User,
    participant: User,
    outsider: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(participant.email, role=Role.REVIEWER, acting_user=staff)
    url = link_in(mail.outbox[0])
    client.force_login(outsider)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert "but you are signed in as pierre@port.example.ht" in response.content.decode()
    assert not RoleAssignment.objects.filter(role=Role.REVIEWER, user__in=[participant, outsider]).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_the_service_refuses_another_user_too(staff: User, participant: User, outsider: User) -> None:
    invitation, _link = invitations.send_invitation(participant.email, role=Role.REVIEWER, acting_user=staff)
    with pytest.raises(InvitationProblem) as problem:
        invitations.accept_invitation(invitation, user=outsider)
    assert problem.value.code == "other_user"


def test_a_forged_link_is_answered_clearly(client: Client) -> None:
    response = client.get("/accounts/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_an_expired_link_is_answered_clearly(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _link = invite_focal_point(staff, paraguay)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = sign_up(client, link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert not User.objects.filter(email="ana@anpy.example.py").exists()


def test_a_withdrawn_link_is_answered_clearly(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _link = invite_focal_point(staff, paraguay)
    invitations.withdraw_invitation(invitation, acting_user=staff)
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "This invitation was withdrawn" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.invitation.withdrawn").count() == 1
    with pytest.raises(ValidationError, match="already withdrawn"):
        invitations.resend_invitation(invitation, acting_user=staff)


def test_re_sending_mails_a_new_link_and_the_old_one_stops_working(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _link = invite_focal_point(staff, paraguay)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        invitations.resend_invitation(invitation, acting_user=staff)
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)


def test_the_state_stopping_to_take_part_before_acceptance_refuses_the_role(
    client: Client,
    staff: User,
    paraguay: MemberState,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite_focal_point(staff, paraguay)
    paraguay.statuses.create(status="suspended", start=timezone.localdate() - datetime.timedelta(days=1))
    response = sign_up(client, link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "does not take part" in response.content.decode()
    assert not User.objects.filter(email="ana@anpy.example.py").exists()


# --- The command line ---------------------------------------------------------------------------


def test_the_command_invites_the_first_staff_user_and_prints_the_link(
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    client: Client,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", "admin@cip.example.org", "--role", "staff")
    printed = capsys.readouterr().out
    assert "admin@cip.example.org" in printed
    url = re.search(r"/accounts/invitation/\S+/", printed)
    assert url is not None
    assert link_in(mail.outbox[0]) == url.group(0)
    sign_up(client, url.group(0), full_name="Secretariat Admin")
    assert scope_for(User.objects.get(email="admin@cip.example.org")).is_staff


def test_the_command_invites_a_focal_point_of_paraguay(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "invite", "ana@anpy.example.py", "--role", "focal-point", "--member-state", "py", "--language", "es"
        )
    invitation = Invitation.objects.get()
    assert invitation.member_state is not None
    assert invitation.member_state.code == "PY"
    assert invitation.invited_by is None
    assert mail.outbox[0].to == ["ana@anpy.example.py"]


def test_the_command_invites_a_partner_by_acronym(partner_institution: Institution) -> None:
    call_command("invite", "luis@apn.example.pe", "--role", "partner", "--institution", "apn")
    assert Invitation.objects.get().institution == partner_institution


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "focal-point", "--member-state", "CU"], "does not take part"),
        (["--role", "focal-point", "--member-state", "XX"], "no member state"),
        (["--role", "focal-point"], "member state"),
        (["--role", "partner", "--institution", "Nowhere"], "no institution matches"),
    ],
)
def test_the_command_refuses_bad_input_with_the_reason(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("invite", "x@example.org", *args)
    assert not Invitation.objects.exists()


def test_password_login_works_after_signing_up_with_a_password(
    client: Client, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation("new@example.org", role=Role.REVIEWER, acting_user=staff)
    sign_up(Client(), link_in(mail.outbox[0]), password1=PASSWORD, password2=PASSWORD)
    assert client.login(username="new@example.org", password=PASSWORD)


def test_deactivating_an_account_withdraws_the_invitations_to_its_address(staff: User, participant: User) -> None:
    invitation, _link = invitations.send_invitation(participant.email, role=Role.REVIEWER, acting_user=staff)
    services.deactivate_user(participant, reason="Left the port", acting_user=staff)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert (
        AuditEntry.objects.for_object(invitation).values_list("action", flat=True)[0] == "accounts.invitation.withdrawn"
    )
