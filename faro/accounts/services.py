"""Every write about accounts: sign-up and sign-in bookkeeping, profiles, preferences and roles.

Sign-in itself, codes, password reset and two-factor are django-allauth's (see `adapter.py`); it calls
back here for everything Faro records.
"""

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from faro.accounts.models import Invitation, RoleAssignment, User
from faro.accounts.scope import scope_for
from faro.core.audit import diff, log_action, snapshot
from faro.core.middleware import known_time_zones
from faro.directory import services as directory_services
from faro.directory.models import Appointment, Institution, MemberState, Person
from faro.lib.inserts import insert_one
from faro.lib.text import normalise_email

PROFILE_FIELDS = ["first_name", "last_name", "member_state", "institution", "position", "preferred_language"]


def record_lockout(user: User, *, ip: str) -> None:
    """Say in the user's history that repeated failures locked the account for a while."""
    log_action(user, "accounts.user.locked_out", data={"ip": ip, "minutes": settings.LOGIN_LOCKOUT_SECONDS // 60})


def record_signup(user: User, *, ip: str) -> None:
    log_action(user, "accounts.user.signed_up", user=user, data={"ip": ip})


def email_taken(email: str) -> bool:
    """Whether an account has the address, as its own or as one of its addresses (one query)."""
    accounts = User.objects.filter(email=email).values("pk")
    addresses = EmailAddress.objects.filter(email=email.lower()).values("user_id")
    return bool(accounts.union(addresses)[:1])


def add_first_address(user: User, *, email: str) -> EmailAddress:
    """A new account's address, primary and not yet proven, as allauth's sign-up records it (one INSERT);
    allauth's later lookups during this request read it from the account instead of the database."""
    address = EmailAddress(user=user, email=email.lower(), primary=True, verified=False)
    insert_one(address)
    EmailAddress.objects.fill_cache_for_user(user, [address])
    return address


def record_login(user: User, *, ip: str) -> None:
    log_action(user, "accounts.user.logged_in", user=user, data={"ip": ip, "two_factor": user.has_two_factor})


def _person_for(user: User) -> Person:
    """The user's Person, found by their (proven) email or created, so preferences have a home."""
    if user.person_id and user.person:
        return user.person
    return join_person(user, email=user.email)


@transaction.atomic
def update_preferences(user: User, *, language: str, timezone: str, acting_user: User | None) -> Person:
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
def join_person(user: User, *, email: str) -> Person:
    """Once `email` is proven to be the user's, join them to the directory's Person with it.

    A Person already known by that address (webinar registrant, import, applicant) becomes the
    user's, so their registrations and certificates are theirs at once; none is created twice.
    Called only after proof (allauth's email confirmation, or an invitation accepted by mail).
    """
    if user.person_id and user.person:
        return _follow_email(user.person, email=email, user=user)
    person = Person.objects.with_email(email).filter(user__isnull=True).first()
    if person is None:
        first, _sep, last = (user.full_name or "").partition(" ")
        person = Person(first_name=first or email.split("@")[0], last_name=last, email=normalise_email(email))
        person.save()
        log_action(person, "directory.person.created", user=user, changes=diff({}, snapshot(person)))
    user.person = person
    user.save(update_fields=["person"])
    log_action(user, "accounts.user.joined_person", user=user, data={"person": person.pk})
    return person


def _follow_email(person: Person, *, email: str, user: User) -> Person:
    """A changed (and proven) address moves to the user's Person, unless another Person holds it."""
    email = normalise_email(email) or ""
    if normalise_email(person.email) == email or Person.objects.with_email(email).exclude(pk=person.pk).exists():
        return person
    before = snapshot(person, ["email"])
    person.email = email
    person.save(update_fields=["email", "updated_at"])
    log_action(person, "directory.person.updated", user=user, changes=diff(before, snapshot(person, ["email"])))
    return person


@transaction.atomic
def update_profile(
    user: User,
    *,
    first_name: str,
    last_name: str,
    member_state: MemberState | None,
    institution: Institution | None,
    position: str,
    preferred_language: str,
    phone: str = "",
    acting_user: User | None,
) -> Person:
    """The person's own details: on their Person record (name, country, …) and the account (phone)."""
    if preferred_language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {preferred_language!r}")
    person = _person_for(user)
    before = snapshot(person, PROFILE_FIELDS)
    person.first_name, person.last_name, person.position = first_name.strip(), last_name.strip(), position.strip()
    person.member_state, person.institution, person.preferred_language = member_state, institution, preferred_language
    person.save()
    changes = diff(before, snapshot(person, PROFILE_FIELDS))
    if changes:
        log_action(person, "directory.person.updated", user=acting_user, changes=changes)
    account_before = snapshot(user, ["full_name", "phone"])
    user.full_name, user.phone = person.full_name, phone.strip()
    user.save(update_fields=["full_name", "phone"])
    account_changes = diff(account_before, snapshot(user, ["full_name", "phone"]))
    if account_changes:
        log_action(user, "accounts.user.updated", user=acting_user, changes=account_changes)
    return person


@transaction.atomic
def set_password(user: User, *, password: str, acting_user: User | None) -> None:
    """A password chosen at sign-up (optional: signing in by an emailed code works without one)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    log_action(user, "accounts.user.password_set", user=acting_user)


@transaction.atomic
def create_account(
    email: str,
    *,
    email_verified: bool,
    full_name: str,
    member_state: MemberState | None,
    institution: Institution | None,
    position: str,
    preferred_language: str,
    password: str | None,
    acting_user: User | None,
) -> User:
    """A new account for `email`, with its address row (verified or not) and, once verified, its Person.

    With `email_verified` (an invitation accepted from the mail, staff creating an account, the demo)
    the account is joined to the Person known by that address or a new one, filled with the details
    given. Without it the address still has to be proven; the Person is joined at that point.
    """
    email = normalise_email(email) or ""
    user = User.objects.create_user(email, password, full_name=full_name.strip())
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    log_action(user, "accounts.user.created", user=acting_user, data={"email": email, "verified": email_verified})
    if email_verified:
        person = join_person(user, email=email)
        first, _sep, last = full_name.strip().partition(" ")
        update_profile(
            user,
            first_name=first or person.first_name,
            last_name=last if first else person.last_name,
            member_state=member_state or person.member_state,
            institution=institution or person.institution,
            position=position or person.position,
            preferred_language=preferred_language or person.preferred_language,
            acting_user=acting_user,
        )
    return user


@transaction.atomic
def assign_role(
    user: User,
    *,
    role: str,
    acting_user: User | None,
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


def check_grantable(
    acting_user: User | None,
    *,
    role: str,
    institution: Institution | None = None,
    member_state: MemberState | None = None,
    on: datetime.date | None = None,
) -> bool:
    """The one check before a role is given or offered (`grant_role`, `send_invitation`): the giver's
    scope (`_giver_may_grant`), then the role's own target (`check_role_target`, on `on`, default today).
    Returns whether staff must approve the role; raises ValidationError otherwise."""
    needs_approval = _giver_may_grant(acting_user, role=role, institution=institution, member_state=member_state)
    check_role_target(role=role, institution=institution, member_state=member_state, on=on or timezone.localdate())
    return needs_approval


def _giver_may_grant(acting_user: User | None, *, role: str, institution: Any = None, member_state: Any = None) -> bool:
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


def check_role_target(
    *, role: str, institution: Institution | None = None, member_state: MemberState | None = None, on: datetime.date
) -> None:
    """Refuse a role without the scope it needs, or a focal point for a state that does not take part."""
    if role == RoleAssignment.Role.PARTNER and institution is None:
        raise ValidationError(_("Choose the partner coordinator's institution."), code="institution")
    if role == RoleAssignment.Role.FOCAL_POINT and member_state is None:
        raise ValidationError(_("Choose the focal point's member state."), code="member_state")
    if role == RoleAssignment.Role.FOCAL_POINT and member_state and not member_state.is_participating_on(on):
        status = member_state.status_on(on)
        assert status is not None  # a state that does not take part has a status saying so
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


def _open_role(
    user: User, role: str, institution: Institution | None, member_state: MemberState | None
) -> RoleAssignment | None:
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
    needs_approval = check_grantable(
        acting_user, role=role, institution=institution, member_state=member_state, on=starts_on
    )
    return record_role(
        user,
        role=role,
        institution=institution,
        member_state=member_state,
        call_ids=call_ids,
        starts_on=starts_on,
        granted_by=acting_user,
        needs_approval=needs_approval,
        acting_user=acting_user,
    )


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
        user=user,
        role=role,
        institution=institution,
        member_state=member_state,
        call_ids=sorted(call_ids or []),
        starts_on=on,
        granted_by=granted_by,
        approval=approval,
    )
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
        log_action(
            assignment.user,
            "accounts.user.role_changed",
            user=acting_user,
            changes=diff(before, snapshot(assignment, ["call_ids"])),
            data=_role_data(assignment),
        )
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
        raise ValidationError(
            _("A role cannot end before it started (%(start)s)."),
            code="before_start",
            params={"start": date_format(assignment.starts_on)},
        )
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
