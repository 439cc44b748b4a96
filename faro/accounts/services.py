"""Every write about accounts: sign-up and sign-in bookkeeping, profiles, preferences and roles.

Sign-in itself, codes, password reset and two-factor are django-allauth's (see `adapter.py`); it calls
back here for everything Faro records.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from faro.accounts.models import RoleAssignment, User
from faro.core.audit import diff, log_action, snapshot
from faro.core.middleware import known_time_zones
from faro.directory.models import Institution, MemberState, Person
from faro.lib.text import normalise_email

PROFILE_FIELDS = ["first_name", "last_name", "country", "institution", "position", "preferred_language"]


def record_lockout(user: User, *, ip: str) -> None:
    """Say in the user's history that repeated failures locked the account for a while."""
    log_action(user, "accounts.user.locked_out", data={"ip": ip, "minutes": settings.LOGIN_LOCKOUT_SECONDS // 60})


def record_signup(user: User, *, ip: str) -> None:
    log_action(user, "accounts.user.signed_up", user=user, data={"ip": ip})


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
    person.country, person.institution, person.preferred_language = member_state, institution, preferred_language
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
            member_state=member_state or person.country,
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
