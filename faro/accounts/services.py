"""Every write about accounts: sign-in bookkeeping, two-factor, preferences, accounts and roles."""

import datetime
from typing import Any

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from faro.accounts import lockout
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.audit import diff, log_action, snapshot
from faro.core.middleware import known_time_zones
from faro.directory import services as directory_services
from faro.directory.models import Appointment, Institution, MemberState, Person

TOTP_ISSUER = "Faro CIP"


def record_login_failure(email: str, *, ip: str) -> bool:
    """Count a failed sign-in; when it triggers a lockout, say so in the user's history."""
    locked = lockout.record_failure(email, ip)
    if locked:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is not None:
            log_action(
                user, "accounts.user.locked_out", data={"ip": ip, "minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}
            )
    return locked


@transaction.atomic
def record_login(user: User, *, ip: str, two_factor: bool) -> None:
    lockout.clear_failures(user.email)
    log_action(user, "accounts.user.logged_in", user=user, data={"ip": ip, "two_factor": two_factor})


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def verify_totp(secret: str, code: str) -> bool:
    code = "".join((code or "").split())
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


@transaction.atomic
def enable_two_factor(user: User, *, secret: str, code: str, acting_user: Any) -> bool:
    """Turn on two-factor for `user` once `code` proves their app holds `secret`."""
    if not verify_totp(secret, code):
        return False
    user.totp_secret = secret
    user.save(update_fields=["totp_secret"])
    log_action(user, "accounts.user.two_factor_enabled", user=acting_user)
    return True


@transaction.atomic
def disable_two_factor(user: User, *, acting_user: Any) -> None:
    user.totp_secret = ""
    user.save(update_fields=["totp_secret"])
    log_action(user, "accounts.user.two_factor_disabled", user=acting_user)


def _person_for(user: User) -> Person:
    """The user's Person, found by email or created, so preferences have a home."""
    if user.person_id and user.person:
        return user.person
    person = Person.objects.with_email(user.email).filter(user__isnull=True).first()
    if person is None:
        first, _sep, last = (user.full_name or user.email.split("@")[0]).partition(" ")
        person = Person.objects.create(first_name=first, last_name=last, email=user.email)
        log_action(person, "directory.person.created", user=user, changes=diff({}, snapshot(person)))
    user.person = person
    user.save(update_fields=["person"])
    return person


@transaction.atomic
def update_preferences(user: User, *, language: str, timezone: str, acting_user: Any) -> Person:
    """Save the user's language and time zone on their Person record."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if timezone and timezone not in known_time_zones():
        raise ValueError(f"unknown time zone {timezone!r}")
    person = _person_for(user)
    before = snapshot(person, ["preferred_language", "timezone"])
    person.preferred_language, person.timezone = language, timezone
    person.save(update_fields=["preferred_language", "timezone", "updated_at"])
    changes = diff(before, snapshot(person, ["preferred_language", "timezone"]))
    if changes:
        log_action(person, "directory.person.preferences_changed", user=acting_user, changes=changes)
    return person


def remember_language(user: User, language: str) -> None:
    """The language switcher's choice, kept for the next sign-in."""
    person = user.person if user.person_id else None
    if person is not None and person.preferred_language != language:
        update_preferences(user, language=language, timezone=person.timezone, acting_user=user)


@transaction.atomic
def create_account(
    email: str,
    *,
    password: str | None,
    acting_user: Any,
    person: Person | None = None,
    full_name: str = "",
    email_verified: bool = False,
    member_state: MemberState | None = None,
    institution: Institution | None = None,
    position: str = "",
    preferred_language: str = "",
) -> User:
    """A new account, joined to the Person with that email (or a new one when a name is given).

    `email_verified` says the caller proved the address (an invitation link did); the sign-up flow
    records it with the verified address once it exists."""
    if person is None and full_name:
        person = _person_for_new_account(
            email, full_name=full_name, member_state=member_state, institution=institution,
            position=position, preferred_language=preferred_language, acting_user=acting_user,
        )  # fmt: skip
    user = User.objects.create_user(
        email, password, person=person, full_name=full_name or (person.full_name if person else "")
    )
    log_action(user, "accounts.user.created", user=acting_user, data={"email": user.email, "verified": email_verified})
    return user


def _person_for_new_account(email: str, *, full_name: str, acting_user: Any, **fields: Any) -> Person:
    """The unclaimed Person with this email (its blank details filled in), or a new one."""
    fields = {"country": fields.pop("member_state"), **fields}
    person = Person.objects.with_email(email).filter(user__isnull=True).first()
    if person is not None:
        missing = {name: value for name, value in fields.items() if value and not getattr(person, name)}
        return directory_services.update_person(person, acting_user=acting_user, **missing) if missing else person
    first, _sep, last = full_name.strip().partition(" ")
    chosen = {name: value for name, value in fields.items() if value}
    return directory_services.create_person(
        acting_user=acting_user, first_name=first, last_name=last, email=email, **chosen
    )


@transaction.atomic
def assign_role(
    user: User,
    *,
    role: str,
    acting_user: Any,
    institution: Institution | None = None,
    member_state: MemberState | None = None,
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, institution=institution, member_state=member_state
    )
    if created:
        log_action(user, "accounts.user.role_assigned", user=acting_user, data={"role": str(assignment)})
    return assignment


# --- Roles: granted, approved, ended; accounts deactivated ---------------------------------------

ROLE_BEYOND_SCOPE = _("You cannot give this role: it reaches beyond your own.")


def grant_scope_check(
    acting_user: User | None, *, role: str, institution: Any = None, member_state: Any = None
) -> bool:
    """Whether `acting_user` may give this role, and if so whether staff must approve it (the return).

    Staff give any role. A partner coordinator may nominate coordinators of their own institution and
    a focal point alternates for their own member state; both wait for the Secretariat's approval.
    Anything else raises ValidationError.
    """
    scope = scope_for(acting_user)
    if scope.is_staff or acting_user is None:  # None: the command line, run by whoever owns the server
        return False
    if role == RoleAssignment.Role.PARTNER and institution is not None and institution.pk in scope.institution_ids:
        return True
    if (
        role == RoleAssignment.Role.FOCAL_POINT
        and member_state is not None
        and member_state.pk in scope.member_state_ids
    ):
        return True
    raise ValidationError(ROLE_BEYOND_SCOPE, code="beyond_scope")


def check_role_target(*, role: str, institution: Any = None, member_state: Any = None, on: datetime.date) -> None:
    """Refuse a role without the scope it needs, or a focal point for a state that does not take part."""
    if role == RoleAssignment.Role.PARTNER and institution is None:
        raise ValidationError(_("Choose the partner coordinator's institution."), code="institution")
    if role == RoleAssignment.Role.FOCAL_POINT and member_state is None:
        raise ValidationError(_("Choose the focal point's member state."), code="member_state")
    if role == RoleAssignment.Role.FOCAL_POINT and not member_state.is_participating_on(on):
        status = member_state.status_on(on)
        raise ValidationError(
            _("%(state)s does not take part in the CIP on %(day)s (%(status)s), so it has no focal point to invite."),
            code="not_participating",
            params={"state": member_state.name, "day": date_format(on), "status": status.get_status_display()},
        )


def _focal_point_appointment(
    user: User, member_state: MemberState, *, on: datetime.date, acting_user: User | None
) -> Appointment:
    """The person's current focal-point appointment for the state, or a new one from `on`."""
    person = _person_for(user)
    current = (
        Appointment.objects.current(on)
        .filter(person=person, member_state=member_state, role=Appointment.Role.FOCAL_POINT)
        .first()
    )
    if current is not None:
        return current
    later = Appointment.objects.filter(
        person=person, member_state=member_state, role=Appointment.Role.FOCAL_POINT, start__gt=on, end__isnull=True
    ).first()
    if later is not None:  # an appointment recorded to start later: bring it forward
        return directory_services.update_appointment(later, acting_user=acting_user, start=on)
    return directory_services.create_appointment(
        acting_user=acting_user, person=person, member_state=member_state, role=Appointment.Role.FOCAL_POINT, start=on
    )


def _open_role(user: User, role: str, institution: Any, member_state: Any) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.open()
        .filter(user=user, role=role, institution=institution, member_state=member_state)
        .first()
    )


@transaction.atomic
def grant_role(
    user: User,
    *,
    role: str,
    acting_user: User | None,
    institution: Institution | None = None,
    member_state: MemberState | None = None,
    call_ids: list[int] | None = None,
    starts_on: datetime.date | None = None,
) -> RoleAssignment:
    """Give `user` a role from `starts_on` (default today), within the giver's own scope; a nomination
    by a partner or focal point waits for staff approval."""
    needs_approval = grant_scope_check(acting_user, role=role, institution=institution, member_state=member_state)
    return record_role(
        user, role=role, institution=institution, member_state=member_state, call_ids=call_ids,
        starts_on=starts_on, granted_by=acting_user, needs_approval=needs_approval, acting_user=acting_user,
    )  # fmt: skip


@transaction.atomic
def record_role(
    user: User,
    *,
    role: str,
    granted_by: User | None,
    needs_approval: bool,
    acting_user: User | None,
    institution: Institution | None = None,
    member_state: MemberState | None = None,
    call_ids: list[int] | None = None,
    starts_on: datetime.date | None = None,
) -> RoleAssignment:
    """Record a role whose giver was already checked (`grant_role`, an accepted invitation). A focal
    point's role follows an appointment, recorded or reused here (at approval for a nomination).
    A role the user already holds is returned as it is (a reviewer's calls are merged)."""
    on = starts_on or timezone.localdate()
    check_role_target(role=role, institution=institution, member_state=member_state, on=on)
    existing = _open_role(user, role, institution, member_state)
    if existing is not None:
        return _merge_calls(existing, call_ids or [], acting_user=acting_user)
    approval = RoleAssignment.Approval.PENDING if needs_approval else RoleAssignment.Approval.APPROVED
    assignment = RoleAssignment(
        user=user, role=role, institution=institution, member_state=member_state, call_ids=sorted(call_ids or []),
        starts_on=on, granted_by=granted_by, approval=approval,
    )  # fmt: skip
    if role == RoleAssignment.Role.FOCAL_POINT and not needs_approval and member_state is not None:
        assignment.appointment = _focal_point_appointment(user, member_state, on=on, acting_user=acting_user)
    assignment.save()
    verb = "role_nominated" if needs_approval else "role_granted"
    data = {**_role_data(assignment), "granted_by": granted_by.pk if granted_by else None}
    log_action(user, f"accounts.user.{verb}", user=acting_user, data=data)
    return assignment


def _merge_calls(assignment: RoleAssignment, call_ids: list[int], *, acting_user: User | None) -> RoleAssignment:
    """A reviewer of named calls given more calls reviews those too; "every call" (empty) wins."""
    if assignment.role != RoleAssignment.Role.REVIEWER or not assignment.call_ids:
        return assignment
    merged = [] if not call_ids else sorted(set(assignment.call_ids) | set(call_ids))
    if merged != assignment.call_ids:
        before = snapshot(assignment, ["call_ids"])
        assignment.call_ids = merged
        assignment.save(update_fields=["call_ids", "updated_at"])
        log_action(assignment.user, "accounts.user.role_changed", user=acting_user,
                   changes=diff(before, snapshot(assignment, ["call_ids"])), data=_role_data(assignment))  # fmt: skip
    return assignment


def _role_data(assignment: RoleAssignment) -> dict[str, Any]:
    data: dict[str, Any] = {"role": assignment.role, "label": assignment.label, "role_id": assignment.pk}
    data["starts_on"] = assignment.starts_on
    if assignment.call_ids:
        data["calls"] = assignment.call_ids
    if assignment.ends_on:
        data.update(ends_on=assignment.ends_on, reason=assignment.end_reason)
    return data


def _check_staff(acting_user: User | None) -> None:
    """Only staff approve, refuse or end roles and deactivate accounts (and the command line)."""
    if acting_user is not None and not scope_for(acting_user).is_staff:
        raise ValidationError(ROLE_BEYOND_SCOPE, code="beyond_scope")


@transaction.atomic
def approve_role(assignment: RoleAssignment, *, acting_user: User | None) -> RoleAssignment:
    """Staff approve a nomination; a focal point's role then gets its appointment, from today on."""
    _check_staff(acting_user)
    if assignment.approval != RoleAssignment.Approval.PENDING:
        raise ValidationError(_("This role is not waiting for approval."), code="not_pending")
    today = timezone.localdate()
    if assignment.role == RoleAssignment.Role.FOCAL_POINT and assignment.member_state is not None:
        check_role_target(role=assignment.role, member_state=assignment.member_state, on=today)
        assignment.appointment = _focal_point_appointment(
            assignment.user, assignment.member_state, on=max(today, assignment.starts_on), acting_user=acting_user
        )
    assignment.approval = RoleAssignment.Approval.APPROVED
    assignment.starts_on = max(today, assignment.starts_on)
    assignment.save()
    log_action(assignment.user, "accounts.user.role_approved", user=acting_user, data=_role_data(assignment))
    return assignment


@transaction.atomic
def refuse_role(assignment: RoleAssignment, *, reason: str, acting_user: User | None) -> RoleAssignment:
    _check_staff(acting_user)
    if assignment.approval != RoleAssignment.Approval.PENDING:
        raise ValidationError(_("This role is not waiting for approval."), code="not_pending")
    assignment.approval = RoleAssignment.Approval.REFUSED
    assignment.ends_on, assignment.end_reason = max(timezone.localdate(), assignment.starts_on), reason
    assignment.save()
    log_action(assignment.user, "accounts.user.role_refused", user=acting_user, data=_role_data(assignment))
    return assignment


@transaction.atomic
def end_role(
    assignment: RoleAssignment, *, on: datetime.date | None = None, reason: str, acting_user: User | None
) -> RoleAssignment:
    """End a role from `on` (default today; that day it no longer gives access). A focal point's
    appointment ends with it, on the day before."""
    _check_staff(acting_user)
    if assignment.ends_on is not None:
        raise ValidationError(_("This role has already ended."), code="ended")
    on = on or timezone.localdate()
    if on < assignment.starts_on:
        raise ValidationError(_("A role cannot end before it started (%(start)s)."), code="before_start",
                              params={"start": date_format(assignment.starts_on)})  # fmt: skip
    assignment.ends_on, assignment.end_reason = on, reason
    assignment.save(update_fields=["ends_on", "end_reason", "updated_at"])
    appointment = assignment.appointment
    if appointment is not None and (appointment.end is None or appointment.end >= on):
        last_day = max(on - datetime.timedelta(days=1), appointment.start)
        directory_services.end_appointment(appointment, acting_user=acting_user, on=last_day)
    log_action(assignment.user, "accounts.user.role_ended", user=acting_user, data=_role_data(assignment))
    return assignment


@transaction.atomic
def deactivate_user(user: User, *, reason: str, acting_user: User | None) -> User:
    """Close an account: it can no longer sign in, its open roles end today and its open
    invitations are withdrawn. The person record (registrations, certificates) stays."""
    _check_staff(acting_user)
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    today = timezone.localdate()
    for assignment in RoleAssignment.objects.filter(user=user, ends_on__isnull=True):
        end_role(assignment, on=max(today, assignment.starts_on), reason=reason, acting_user=acting_user)
    for invitation in Invitation.objects.open().filter(email__iexact=user.email):
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.save(update_fields=["status", "updated_at"])
        log_action(invitation, "accounts.invitation.withdrawn", user=acting_user, data={"email": invitation.email})
    user.is_active = False
    user.save(update_fields=["is_active"])
    log_action(user, "accounts.user.deactivated", user=acting_user, data={"reason": reason})
    return user
