"""The People & access pages: who reaches them, filters, no N+1, confirmation pages that work without JS."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person, make_user
from faro.accounts import invitations, services
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.core.models import AuditEntry
from faro.directory.models import Institution, MemberState

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def staff_urls(user: User, role: RoleAssignment) -> list[str]:
    return [
        reverse("accounts:manage_people"),
        reverse("accounts:manage_person", args=[user.pk]),
        reverse("accounts:account_deactivate", args=[user.pk]),
        reverse("accounts:role_end", args=[role.pk]),
    ]


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_reach_the_people_and_access_pages(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    reviewer = request.getfixturevalue("reviewer")
    client.force_login(request.getfixturevalue(persona))
    for url in staff_urls(reviewer, RoleAssignment.objects.get(user=reviewer)):
        assert client.get(url).status_code == 404, url
    role = RoleAssignment.objects.get(user=reviewer)
    assert (
        client.post(reverse("accounts:role_end", args=[role.pk]), {"on": "2026-01-01", "reason": "x"}).status_code
        == 404
    )
    assert RoleAssignment.objects.get(user=reviewer).ends_on is None


def test_anonymous_visitors_are_sent_to_log_in(client: Client, reviewer: User) -> None:
    urls = [
        *staff_urls(reviewer, RoleAssignment.objects.get(user=reviewer)),
        reverse("accounts:invitation_create"),
        reverse("accounts:manage_invitations"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["reviewer", "participant", "outsider"])
def test_people_without_a_scope_to_share_cannot_invite(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:invitation_create")).status_code == 404
    assert client.get(reverse("accounts:manage_invitations")).status_code == 404


def test_the_list_shows_roles_and_scopes_and_filters(
    client: Client,
    staff: User,
    partner: User,
    focal_point: User,
    reviewer: User,
    participant: User,
    jamaica: MemberState,
) -> None:
    client.force_login(staff)
    page = client.get(reverse("accounts:manage_people")).content.decode()
    assert "National focal point (Jamaica)" in page
    assert "Partner coordinator (Autoridad Portuaria Nacional (APN))" in page
    by_role = client.get(reverse("accounts:manage_people"), {"role": "reviewer"}).content.decode()
    assert reviewer.email in by_role
    assert partner.email not in by_role
    by_state = client.get(reverse("accounts:manage_people"), {"member_state": jamaica.pk}).content.decode()
    assert focal_point.email in by_state
    assert participant.email in by_state
    assert reviewer.email not in by_state
    searched = client.get(reverse("accounts:manage_people"), {"q": "quispe"}).content.decode()
    assert partner.email in searched
    assert reviewer.email not in searched
    never = client.get(reverse("accounts:manage_people"), {"signed_in": "never"}).content.decode()
    assert reviewer.email in never


def test_filter_by_institution_and_recent_sign_in(
    client: Client, staff: User, partner: User, reviewer: User, partner_institution: Institution
) -> None:
    User.objects.filter(pk=partner.pk).update(last_login=timezone.now())
    client.force_login(staff)
    at = client.get(reverse("accounts:manage_people"), {"institution": partner_institution.pk}).content.decode()
    assert partner.email in at
    assert reviewer.email not in at
    recent = client.get(reverse("accounts:manage_people"), {"signed_in": "30"}).content.decode()
    assert partner.email in recent
    assert reviewer.email not in recent


def _add_people(n: int, state: MemberState, institution: Institution) -> None:
    for i in range(n):
        person = make_person(f"P{i}", "Official", "PY", email=f"p{i}.{n}@example.py", institution=institution)
        user = make_user(f"p{i}.{n}@example.py", person=person)
        RoleAssignment.objects.create(user=user, role=Role.FOCAL_POINT, member_state=state)
        RoleAssignment.objects.create(user=user, role=Role.PARTNER, institution=institution)


def test_the_list_makes_the_same_number_of_queries_however_many_rows(
    client: Client, staff: User, partner_institution: Institution
) -> None:
    paraguay = MemberState.objects.get(code="PY")
    client.force_login(staff)
    _add_people(3, paraguay, partner_institution)
    client.get(reverse("accounts:manage_people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:manage_people"))
    _add_people(30, paraguay, partner_institution)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("accounts:manage_people"))
    assert "34 accounts" in response.content.decode()
    assert len(many) == len(few)


def test_the_list_is_paginated(client: Client, staff: User, partner_institution: Institution) -> None:
    _add_people(55, MemberState.objects.get(code="PY"), partner_institution)
    client.force_login(staff)
    second = client.get(reverse("accounts:manage_people"), {"page": 2})
    assert second.status_code == 200
    assert second.content.decode().count("/accounts/manage/people/") >= 5


def test_a_persons_page_shows_roles_invitations_and_history(client: Client, staff: User, reviewer: User) -> None:
    invitations.send_invitation(reviewer.email, role=Role.STAFF, acting_user=staff)
    services.end_role(RoleAssignment.objects.get(user=reviewer), reason="Term over", acting_user=staff)
    client.force_login(staff)
    page = client.get(reverse("accounts:manage_person", args=[reviewer.pk])).content.decode()
    assert "Term over" in page
    assert "Secretariat staff" in page  # the open invitation
    assert "Role ended" in page  # the history entries
    assert "Invitation sent" in page


def test_ending_a_role_asks_for_confirmation_then_ends_it(client: Client, staff: User, focal_point: User) -> None:
    role = RoleAssignment.objects.get(user=focal_point)
    client.force_login(staff)
    url = reverse("accounts:role_end", args=[role.pk])
    confirm = client.get(url).content.decode()
    assert "gives no access" in confirm
    assert 'name="csrfmiddlewaretoken"' in confirm
    bad = client.post(url, {"on": timezone.localdate().isoformat(), "reason": ""})
    assert bad.status_code == 200
    assert RoleAssignment.objects.get(pk=role.pk).ends_on is None
    done = client.post(url, {"on": timezone.localdate().isoformat(), "reason": "Replaced"})
    assert done.status_code == 302
    assert RoleAssignment.objects.get(pk=role.pk).end_reason == "Replaced"
    assert AuditEntry.objects.filter(action="accounts.user.role_ended", actor=staff).exists()


def test_the_role_end_form_needs_the_csrf_token(staff: User, focal_point: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    role = RoleAssignment.objects.get(user=focal_point)
    response = client.post(reverse("accounts:role_end", args=[role.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert RoleAssignment.objects.get(pk=role.pk).ends_on is None


def test_deactivating_asks_for_confirmation_and_says_what_happens(
    client: Client, staff: User, focal_point: User
) -> None:
    client.force_login(staff)
    url = reverse("accounts:account_deactivate", args=[focal_point.pk])
    page = client.get(url).content.decode()
    assert "National focal point (Jamaica)" in page
    assert "no longer be able to sign in" in page
    assert client.post(url, {"reason": "Retired"}).status_code == 302
    focal_point.refresh_from_db()
    assert not focal_point.is_active


def test_a_deactivated_user_is_signed_out_on_the_next_request(client: Client, staff: User, participant: User) -> None:
    client.force_login(participant)
    services.deactivate_user(participant, reason="Left", acting_user=staff)
    assert client.get(reverse("accounts:me")).status_code == 302


def test_staff_invite_through_the_form_and_errors_re_render(client: Client, staff: User) -> None:
    client.force_login(staff)
    url = reverse("accounts:invitation_create")
    cuba = MemberState.objects.get(code="CU")
    refused = client.post(
        url,
        {
            "email": "x@example.cu",
            "role": Role.FOCAL_POINT,
            "member_state": cuba.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert refused.status_code == 200
    assert "does not take part" in refused.content.decode()
    assert not Invitation.objects.exists()
    sent = client.post(
        url,
        {
            "email": "rev@example.org",
            "role": Role.REVIEWER,
            "starts_on": timezone.localdate().isoformat(),
            "language": "pt",
        },
    )
    assert sent.status_code == 302
    assert Invitation.objects.get().language == "pt"


def test_staff_re_send_and_withdraw_from_the_list(client: Client, staff: User) -> None:
    invitation, _link = invitations.send_invitation("rev@example.org", role=Role.REVIEWER, acting_user=staff)
    client.force_login(staff)
    before = Invitation.objects.get().token_digest
    assert client.post(reverse("accounts:invitation_resend", args=[invitation.pk])).status_code == 302
    assert Invitation.objects.get().token_digest != before
    assert client.post(reverse("accounts:invitation_withdraw", args=[invitation.pk])).status_code == 302
    assert Invitation.objects.get().status == Invitation.Status.WITHDRAWN
    assert "rev@example.org" in client.get(reverse("accounts:manage_invitations")).content.decode()


def test_a_partner_nominates_a_colleague_of_their_institution_only(
    client: Client, partner: User, partner_institution: Institution, other_institution: Institution
) -> None:
    client.force_login(partner)
    url = reverse("accounts:invitation_create")
    form = client.get(url).content.decode()
    assert other_institution.name not in form
    outside = client.post(
        url,
        {
            "email": "x@example.org",
            "role": Role.PARTNER,
            "institution": other_institution.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert outside.status_code == 200
    staff_role = client.post(
        url,
        {
            "email": "x@example.org",
            "role": Role.STAFF,
            "institution": partner_institution.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert staff_role.status_code == 200
    assert not Invitation.objects.exists()
    ok = client.post(
        url,
        {
            "email": "luis@apn.example.pe",
            "role": Role.PARTNER,
            "institution": partner_institution.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 302
    assert Invitation.objects.get().needs_approval


def test_a_focal_point_nominates_an_alternate_and_sees_only_their_own_invitations(
    client: Client, staff: User, focal_point: User, jamaica: MemberState
) -> None:
    invitations.send_invitation("someone@example.org", role=Role.REVIEWER, acting_user=staff)
    client.force_login(focal_point)
    response = client.post(
        reverse("accounts:invitation_create"),
        {
            "email": "alt@pa.example.jm",
            "role": Role.FOCAL_POINT,
            "member_state": jamaica.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("accounts:manage_invitations")).content.decode()
    assert "alt@pa.example.jm" in listing
    assert "someone@example.org" not in listing
    other = Invitation.objects.get(email="someone@example.org")
    assert client.post(reverse("accounts:invitation_withdraw", args=[other.pk])).status_code == 404


def test_staff_approve_a_nomination_from_the_list_and_my_page_says_it_waits(
    client: Client, staff: User, focal_point: User, jamaica: MemberState
) -> None:
    alternate = make_user("alt@pa.example.jm", person=make_person("Alt", "Ernate", "JM", email="alt@pa.example.jm"))
    role = services.grant_role(alternate, role=Role.FOCAL_POINT, member_state=jamaica, acting_user=focal_point)
    client.force_login(staff)
    assert "1 nomination waits for your approval" in client.get(reverse("accounts:me")).content.decode()
    assert "Alt Ernate" in client.get(reverse("accounts:manage_people")).content.decode()
    client.post(reverse("accounts:role_approve", args=[role.pk]))
    assert RoleAssignment.objects.get(pk=role.pk).approval == RoleAssignment.Approval.APPROVED


def test_the_menu_leads_staff_partners_and_focal_points_to_their_pages(
    client: Client, staff: User, partner: User, participant: User
) -> None:
    client.force_login(staff)
    assert reverse("accounts:manage_people") in client.get(reverse("accounts:me")).content.decode()
    client.force_login(partner)
    page = client.get(reverse("accounts:me")).content.decode()
    assert reverse("accounts:manage_invitations") in page
    assert reverse("accounts:manage_people") not in page
    client.force_login(participant)
    assert reverse("accounts:manage_invitations") not in client.get(reverse("accounts:me")).content.decode()
