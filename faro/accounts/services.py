"""Every write about accounts: sign-in bookkeeping, two-factor, preferences, accounts and roles."""

from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction

from faro.accounts import lockout
from faro.accounts.models import RoleAssignment, User
from faro.core.audit import diff, log_action, snapshot
from faro.core.middleware import known_time_zones
from faro.directory.models import Institution, MemberState, Person

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
) -> User:
    user = User.objects.create_user(
        email, password, person=person, full_name=full_name or (person.full_name if person else "")
    )
    log_action(user, "accounts.user.created", user=acting_user, data={"email": user.email})
    return user


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
