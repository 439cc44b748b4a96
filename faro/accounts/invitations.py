"""Invitations: someone is offered a role by email and accepts it through a single-use link.

Staff invite anyone to any role; a partner coordinator invites colleagues of their own institution and a
focal point an alternate for their own state — those roles wait for the Secretariat's approval. The
link carries a random token of which only a SHA-256 digest is stored; it works once, for 14 days,
and re-sending replaces it. Accepting with a new address signs the person up (the link proved the
address); an existing user accepts after signing in with that address.
"""

import datetime
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from faro.accounts import services
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.core import outbox
from faro.core.audit import log_action
from faro.directory.models import Institution, MemberState, Person
from faro.lib.text import normalise_email

VALID_FOR = datetime.timedelta(days=14)

# Reviewers may be invited for named calls; the scholarships app says which calls there are
# (accounts does not import the programmes).
_call_choices: list[Callable[[], list[tuple[int, str]]]] = []


def register_call_choices(provider: Callable[[], list[tuple[int, str]]]) -> None:
    _call_choices.append(provider)


def call_choices() -> list[tuple[int, str]]:
    return [choice for provider in _call_choices for choice in provider()]


class InvitationProblem(Exception):
    """Why a link cannot be used; `message` is for the person who opened it."""

    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(str(message))
        self.message, self.code = message, code


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_digest = _digest(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + VALID_FOR
    return token


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def _language_for(email: str, user: User | None, chosen: str) -> str:
    if chosen:
        return chosen
    person = user.person if user is not None and user.person_id else Person.objects.with_email(email).first()
    return person.preferred_language if person is not None else settings.LANGUAGE_CODE


def _check_not_duplicate(
    email: str, user: User | None, role: str, institution: Institution | None, member_state: MemberState | None
) -> None:
    if user is not None and not user.is_active:
        raise ValidationError(
            _("The account for %(email)s is deactivated. It cannot be invited."),
            code="inactive",
            params={"email": email},
        )
    scope = {"role": role, "institution": institution, "member_state": member_state}
    if user is not None and RoleAssignment.objects.open().filter(user=user, **scope).exists():
        raise ValidationError(_("%(email)s already has this role."), code="has_role", params={"email": email})
    earlier = Invitation.objects.open().filter(email__iexact=email, **scope).first()
    if earlier is not None:
        raise ValidationError(
            _("%(email)s was already invited to this role on %(day)s. Re-send that invitation instead."),
            code="invited",
            params={"email": email, "day": date_format(timezone.localtime(earlier.sent_at).date())},
        )


@transaction.atomic
def send_invitation(
    email: str,
    *,
    role: str,
    acting_user: User | None,
    institution: Institution | None = None,
    member_state: MemberState | None = None,
    call_ids: list[int] | None = None,
    starts_on: datetime.date | None = None,
    language: str = "",
) -> tuple[Invitation, str]:
    """Invite `email` to a role; returns the invitation and its link (mailed on commit).

    The address may belong to an existing user: the role is then offered to them, to accept once
    signed in. Refused (ValidationError): a role beyond the inviter's scope, a focal point for a
    state that does not take part, a deactivated account, a role already held or already offered."""
    email = normalise_email(email) or ""
    on = starts_on or timezone.localdate()
    needs_approval = services.check_grantable(
        acting_user, role=role, institution=institution, member_state=member_state, on=on
    )
    user = User.objects.filter(email__iexact=email).select_related("person").first()
    _check_not_duplicate(email, user, role, institution, member_state)
    invitation = Invitation(
        email=email,
        role=role,
        institution=institution,
        member_state=member_state,
        call_ids=sorted(call_ids or []) if role == RoleAssignment.Role.REVIEWER else [],
        starts_on=on,
        language=_language_for(email, user, language),
        invited_by=acting_user,
        needs_approval=needs_approval,
    )
    token = _new_token(invitation)
    invitation.save()
    log_action(
        invitation,
        "accounts.invitation.sent",
        user=acting_user,
        data={"email": email, "role": invitation.label, "existing_user": user is not None},
    )
    _mail_invitation(invitation, token, existing_user=user is not None)
    return invitation, invitation_link(token)


def _mail_invitation(invitation: Invitation, token: str, *, existing_user: bool) -> None:
    context = {
        "invitation": invitation,
        "link": invitation_link(token),
        "inviter": invitation.invited_by,
        "existing_user": existing_user,
        "expires": invitation.expires_at,
    }
    outbox.mail_each("accounts/emails/invitation", context, [(invitation.email, invitation.language)])


def _check_manageable(invitation: Invitation, acting_user: User | None) -> None:
    if acting_user is not None and not Invitation.objects.for_user(acting_user).filter(pk=invitation.pk).exists():
        raise ValidationError(services.ROLE_BEYOND_SCOPE, code="beyond_scope")
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("This invitation was already %(state)s."),
            code="closed",
            params={"state": invitation.get_status_display().lower()},
        )


@transaction.atomic
def resend_invitation(invitation: Invitation, *, acting_user: User | None) -> str:
    """Mail a fresh link, valid 14 days from now; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_manageable(invitation, acting_user)
    token = _new_token(invitation)
    invitation.save(update_fields=["token_digest", "sent_at", "expires_at", "updated_at"])
    log_action(invitation, "accounts.invitation.resent", user=acting_user, data={"email": invitation.email})
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    _mail_invitation(invitation, token, existing_user=existing)
    return invitation_link(token)


@transaction.atomic
def withdraw_invitation(invitation: Invitation, *, acting_user: User | None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_manageable(invitation, acting_user)
    invitation.status = Invitation.Status.WITHDRAWN
    invitation.save(update_fields=["status", "updated_at"])
    log_action(invitation, "accounts.invitation.withdrawn", user=acting_user, data={"email": invitation.email})
    return invitation


# --- Accepting ----------------------------------------------------------------------------------


def find_invitation(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted; otherwise InvitationProblem."""
    invitation = (
        Invitation.objects.filter(token_digest=_digest(token or ""))
        .select_related("institution", "member_state", "invited_by")
        .first()
    )
    if invitation is None:
        raise InvitationProblem(
            _(
                "This invitation link is not valid. Check that you opened the whole link from the mail, "
                "or ask the person who invited you to send it again."
            ),
            code="unknown",
        )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationProblem(
            _("This invitation has already been used. Sign in with the address it was sent to."), code="used"
        )
    if invitation.status == Invitation.Status.WITHDRAWN:
        raise InvitationProblem(
            _("This invitation was withdrawn. Ask the CIP Secretariat if you think it should not have been."),
            code="withdrawn",
        )
    if invitation.is_expired():
        raise InvitationProblem(
            _("This invitation expired on %(day)s. Ask the person who invited you to send it again.")
            % {"day": date_format(timezone.localtime(invitation.expires_at).date())},
            code="expired",
        )


def _locked(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("invited_by").get(pk=invitation.pk)
    _check_usable(locked)
    return locked


def other_user_problem(invitation: Invitation, user: User) -> InvitationProblem:
    return InvitationProblem(
        _(
            "This invitation is for %(invited)s, but you are signed in as %(current)s. "
            "Sign out, then open the link again and sign in as %(invited)s."
        )
        % {"invited": invitation.email, "current": user.email},
        code="other_user",
    )


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user: User) -> RoleAssignment:
    """The signed-in `user`, whose address the invitation was sent to, takes the role."""
    invitation = _locked(invitation)
    if user.email.lower() != invitation.email.lower():
        raise other_user_problem(invitation, user)
    inviter = invitation.invited_by
    if inviter is not None and not inviter.is_active:
        raise InvitationProblem(
            _("The person who invited you no longer has an account. Ask the CIP Secretariat for a new invitation."),
            code="inviter_gone",
        )
    try:
        assignment = services.record_role(
            user,
            role=invitation.role,
            institution=invitation.institution,
            member_state=invitation.member_state,
            call_ids=invitation.call_ids,
            starts_on=invitation.starts_on,
            granted_by=inviter,
            needs_approval=invitation.needs_approval,
            acting_user=user,
        )
    except ValidationError as error:
        raise InvitationProblem(" ".join(error.messages), code="refused") from error
    invitation.status, invitation.accepted_at = Invitation.Status.ACCEPTED, timezone.now()
    invitation.accepted_by, invitation.role_assignment = user, assignment
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "role_assignment", "updated_at"])
    log_action(invitation, "accounts.invitation.accepted", user=user, data={"email": invitation.email})
    return assignment


@transaction.atomic
def accept_invitation_as_new_user(
    invitation: Invitation,
    *,
    full_name: str,
    member_state: MemberState | None,
    institution: Institution | None,
    position: str,
    preferred_language: str,
    password: str | None,
) -> RoleAssignment:
    """Sign up the invited address (the link proved it) and give it the role."""
    invitation = _locked(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationProblem(
            _("An account with %(email)s exists already. Sign in with it to accept the invitation.")
            % {"email": invitation.email},
            code="exists",
        )
    user = services.create_account(
        invitation.email,
        email_verified=True,
        full_name=full_name,
        member_state=member_state,
        institution=institution,
        position=position,
        preferred_language=preferred_language,
        password=password or None,
        acting_user=None,
    )
    return accept_invitation(invitation, user=user)
