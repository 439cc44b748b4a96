"""Every write about webinars: their life cycle, registrations with a waitlist, reminders and surveys.

Capacity holds under concurrency because `register_for_webinar` and `cancel_registration` lock the
webinar row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transactions already let one
writer in at a time) before reading the seats taken, which the database keeps on that row. Mail goes out on commit, in
the recipient's language.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.accounts.usertypes import Actor, Viewer
from faro.core import outbox
from faro.core.audit import diff, log_action, snapshot
from faro.core.events import publish_event
from faro.core.ratelimit import hit
from faro.directory.models import Institution, MemberState, Person, Topic
from faro.lib.inserts import insert_one
from faro.lib.prepared import Prepared
from faro.lib.text import normalise_email
from faro.webinars import tasks
from faro.webinars.models import Attendance, Question, Registration, Speaker, SurveyResponse, Webinar

REGISTRATION_SALT = "faro.webinars.registration"
SURVEY_SALT = "faro.webinars.survey"


class WebinarError(Exception):
    """A webinar action that is not allowed now; the message is translated and shown as is."""


class TooManyRegistrations(WebinarError):
    """The public form was used too often in the last hour from one client or for one address."""


class RegisteringSomeoneElse(WebinarError):
    """A signed-in caller who does not organise the webinar tried to register another person's address."""


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool  # False when the same person had already registered (double submission, replay)


# --- Life cycle ----------------------------------------------------------------------------------


def _save_related(
    webinar: Webinar,
    *,
    topics: Iterable[Topic] | None,
    partners: Iterable[Institution] | None,
    speakers: list[dict[str, Any]] | None,
    questions: list[dict[str, Any]] | None,
) -> None:
    if topics is not None:
        webinar.topics.set(topics)
    if partners is not None:
        webinar.partners.set(partners)
    if speakers is not None:
        webinar.speakers.all().delete()
        Speaker.objects.bulk_create(Speaker(webinar=webinar, order=i, **data) for i, data in enumerate(speakers))
    if questions is not None:
        _replace_questions(webinar, questions)


def _replace_questions(webinar: Webinar, questions: list[dict[str, Any]]) -> None:
    """Keep question ids stable (answers refer to them): update in place, add new, drop missing."""
    keep = []
    for order, data in enumerate(questions):
        pk = data.pop("id", None)
        question = webinar.questions.filter(pk=pk).first() if pk else None
        if question is None:
            question = Question(webinar=webinar)
        question.label, question.required, question.order = data["label"], data.get("required", False), order
        question.save()
        keep.append(question.pk)
    webinar.questions.exclude(pk__in=keep).delete()


@transaction.atomic
def create_webinar(
    *,
    acting_user: Actor,
    fields: dict[str, Any],
    topics: Iterable[Topic] = (),
    partners: Iterable[Institution] = (),
    speakers: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
) -> Webinar:
    """Create a draft webinar with its topics, partners, speakers and extra questions."""
    webinar = Webinar(**fields)
    _check_times(webinar)
    webinar.save()
    _save_related(webinar, topics=topics, partners=partners, speakers=speakers or [], questions=questions or [])
    log_action(webinar, "webinars.webinar.created", user=acting_user, data={"title": str(webinar.title)})
    webinar.refresh_from_db()  # plain dicts become Translated text
    return webinar


@transaction.atomic
def update_webinar(
    webinar: Webinar,
    *,
    acting_user: Actor,
    fields: dict[str, Any],
    topics: Iterable[Topic] | None = None,
    partners: Iterable[Institution] | None = None,
    speakers: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
) -> Webinar:
    """Change a webinar. A published webinar whose times change is rescheduled: registrants are told."""
    webinar = Webinar.objects.select_for_update().get(pk=webinar.pk)
    before = snapshot(webinar)
    old_times = (webinar.starts_at, webinar.ends_at)
    for name, value in fields.items():
        setattr(webinar, name, value)
    _check_times(webinar)
    rescheduled = webinar.status == Webinar.Status.PUBLISHED and (webinar.starts_at, webinar.ends_at) != old_times
    if rescheduled:
        webinar.sequence += 1
    webinar.save()
    _save_related(webinar, topics=topics, partners=partners, speakers=speakers, questions=questions)
    log_action(webinar, "webinars.webinar.updated", user=acting_user, changes=diff(before, snapshot(webinar)))
    if rescheduled:
        _notify_registrants(webinar, "rescheduled")
    return webinar


def _check_times(webinar: Webinar) -> None:
    if webinar.starts_at and webinar.ends_at and webinar.ends_at <= webinar.starts_at:
        raise WebinarError(_("The webinar must end after it starts."))


@transaction.atomic
def reschedule_webinar(
    webinar: Webinar, *, acting_user: Actor, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Webinar:
    """Move a webinar to new times and tell every registrant (with an updated calendar entry)."""
    return update_webinar(webinar, acting_user=acting_user, fields={"starts_at": starts_at, "ends_at": ends_at})


def _transition(webinar: Webinar, *, acting_user: Actor, allowed_from: set[str], to: str, verb: str) -> Webinar:
    webinar = Webinar.objects.select_for_update().get(pk=webinar.pk)
    if webinar.status not in allowed_from:
        raise WebinarError(
            _("A webinar that is “%(status)s” cannot be changed this way.") % {"status": webinar.get_status_display()}
        )
    before = webinar.status
    webinar.status = to
    webinar.save(update_fields=["status", "updated_at"])
    log_action(webinar, f"webinars.webinar.{verb}", user=acting_user, changes={"status": [before, to]})
    return webinar


@transaction.atomic
def publish_webinar(webinar: Webinar, *, acting_user: Actor) -> Webinar:
    """Open a draft webinar for registration."""
    if not webinar.capacity:
        raise WebinarError(_("Set a capacity before publishing."))
    S = Webinar.Status
    return _transition(webinar, acting_user=acting_user, allowed_from={S.DRAFT}, to=S.PUBLISHED, verb="published")


@transaction.atomic
def mark_webinar_held(webinar: Webinar, *, acting_user: Actor) -> Webinar:
    """Record that the webinar took place (only once it has started)."""
    if webinar.starts_at > timezone.now():
        raise WebinarError(_("A webinar can be marked as held only after it has started."))
    S = Webinar.Status
    return _transition(webinar, acting_user=acting_user, allowed_from={S.PUBLISHED}, to=S.HELD, verb="held")


@transaction.atomic
def close_webinar(webinar: Webinar, *, acting_user: Actor) -> Webinar:
    """Close a held webinar: attendance and surveys are final."""
    S = Webinar.Status
    return _transition(webinar, acting_user=acting_user, allowed_from={S.HELD}, to=S.CLOSED, verb="closed")


@transaction.atomic
def cancel_webinar(webinar: Webinar, *, acting_user: Actor) -> Webinar:
    """Cancel a draft or published webinar and tell every registrant."""
    S = Webinar.Status
    webinar = _transition(
        webinar, acting_user=acting_user, allowed_from={S.DRAFT, S.PUBLISHED}, to=S.CANCELLED, verb="cancelled"
    )
    Webinar.objects.filter(pk=webinar.pk).update(sequence=webinar.sequence + 1)
    _notify_registrants(webinar, "webinar_cancelled")
    return webinar


def _notify_registrants(webinar: Webinar, template: str) -> None:
    pk = webinar.pk
    outbox.enqueue(tasks.notify_registrants, pk, template)


# --- Registration --------------------------------------------------------------------------------


def _find_or_create_person(email: str, details: dict[str, Any]) -> tuple[Person, bool]:
    """(the person with this email in any case, or a new one; whether it is new). Safe when two requests race.

    `email` is already lower-case. The insert comes first, as most registrants are new: one statement
    (`INSERT … ON CONFLICT DO NOTHING RETURNING id`, SQLite's `INSERT OR IGNORE`) instead of a lookup
    and an insert in a savepoint. When the unique index on LOWER(email) already holds the address —
    or another request inserted it a moment ago, whose commit the insert waits for — nothing is
    written and the person is read.
    """
    person = Person(email=email, **details)
    person.normalise_names()
    if insert_one(person, ignore_conflicts=True):
        return person, True
    # order_by("pk"): Person's default ordering (by name) would add a sort to an index lookup.
    by_email = Person.objects.annotate(lower_email=Lower("email")).filter(lower_email=email).order_by("pk")
    return by_email.get(), False


WEBINAR_FOR_UPDATE = Prepared(lambda pk: Webinar.objects.select_for_update().filter(pk=pk), 0)


def _locked(webinar: Webinar) -> Webinar:
    """The webinar's row, read again and locked until the transaction ends (the registration's lock)."""
    locked = WEBINAR_FOR_UPDATE.one(webinar.pk)
    if locked is None:
        raise Webinar.DoesNotExist
    return locked


def check_may_register(webinar: Webinar, *, user: Viewer, email: str) -> None:
    """Refuse (`RegisteringSomeoneElse`) a signed-in caller registering an address not their own,
    unless they organise the webinar (staff, co-organising partners). A visitor who is not signed in
    may type any address on the public form: only that inbox is told about the registration."""
    if not isinstance(user, User):
        return
    own = [address for address in (user.person.email if user.person else None, user.email) if address]
    if normalise_email(email) in {normalise_email(address) for address in own}:
        return
    if Webinar.objects.managed_by(user).filter(pk=webinar.pk).exists():
        return
    raise RegisteringSomeoneElse(
        _("You may register only yourself (%(email)s); only this webinar's organisers register other people.")
        % {"email": own[0] if own else ""}
    )


@transaction.atomic
def register_for_webinar(
    webinar: Webinar,
    *,
    acting_user: Actor,
    email: str,
    first_name: str,
    last_name: str = "",
    member_state: MemberState | None = None,
    position: str = "",
    language: str = "en",
    answers: dict[str, str] | None = None,
    consent: bool = False,
    registered_at: datetime.datetime | None = None,
) -> RegistrationOutcome:
    """Register someone (a known person when the email is known, else a new one): a seat or the waitlist.

    A second submission for the same person returns the existing registration unchanged.
    `registered_at` records a registration taken earlier (historical records, the demo); default now.
    """
    if not consent:
        raise WebinarError(_("Registration needs your consent to the privacy notice."))
    email = normalise_email(email) or ""
    moment = registered_at or timezone.now()
    if not webinar.is_open_for_registration_at(moment):
        raise WebinarError(_("Registration for this webinar is closed."))
    details = {"first_name": first_name, "last_name": last_name, "member_state": member_state, "position": position}
    entered = _entered(details)
    person, new_person = _find_or_create_person(email, {**details, "preferred_language": language})
    # From here on the webinar row is locked: keep this part short, it is what serialises registrations.
    webinar = _locked(webinar)
    if not webinar.is_open_for_registration_at(moment):
        raise WebinarError(_("Registration for this webinar is closed."))
    # A person created in this transaction is invisible to every other one: nobody can have registered
    # them yet, so the lookup is skipped (not even built). order_by("pk"): the default ordering would
    # join the webinar table.
    registration = None
    if not new_person:
        registration = Registration.objects.filter(webinar=webinar, person=person).order_by("pk").first()
    if registration and registration.status != Registration.Status.CANCELLED:
        return RegistrationOutcome(registration, created=False)
    if registration is None:  # the crowd's case
        registration = _insert_registration(webinar, person, entered, language, answers or {}, moment)
        status = registration.status
    else:
        has_seat = webinar.confirmed_registrations < webinar.capacity
        status = Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITLISTED
        registration = _save_registration(
            registration, webinar, person, status, entered, language, answers or {}, moment
        )
    log_action(registration, "webinars.registration.created", user=acting_user, data={"status": status})
    # The mail and the partners' event in one INSERT; the partners are looked up when it is delivered.
    template = "confirmed" if status == Registration.Status.CONFIRMED else "waitlisted"
    outbox.enqueue_together(
        (tasks.send_registration_mail, [registration.pk, template]),
        (tasks.announce, ["registration.created", _payload(registration)]),
    )
    return RegistrationOutcome(registration, created=True)


def _save_registration(
    registration: Registration | None,
    webinar: Webinar,
    person: Person,
    status: str,
    entered: dict[str, Any],
    language: str,
    answers: dict[str, str],
    now: datetime.datetime,
) -> Registration:
    registration = registration or Registration(webinar=webinar, person=person)
    registration.status, registration.language, registration.answers = status, language, answers
    for field, value in entered.items():
        setattr(registration, field, value)
    registration.consented_at, registration.cancelled_at = now, None
    registration.waitlisted_at = now if status == Registration.Status.WAITLISTED else None
    if registration.pk:  # a new registration after a cancellation: old links stop working
        registration.key = registration._meta.get_field("key").get_default()
    registration.save()
    return registration


def _insert_registration(
    webinar: Webinar,
    person: Person,
    entered: dict[str, Any],
    language: str,
    answers: dict[str, str],
    now: datetime.datetime,
) -> Registration:
    """A new registration: confirmed while the webinar's confirmed registrations are below its
    capacity, else waitlisted. The count is read from the webinar row, which is locked (so it holds
    every seat taken before) and which the database's trigger moves when this row is inserted."""
    S = Registration.Status
    confirmed = webinar.confirmed_registrations < webinar.capacity
    registration = Registration(
        webinar=webinar,
        person=person,
        **entered,
        language=language,
        answers=answers,
        consented_at=now,
        status=S.CONFIRMED if confirmed else S.WAITLISTED,
        waitlisted_at=None if confirmed else now,
    )
    insert_one(registration)
    return registration


def _partner_ids(webinar_id: int) -> list[int]:
    """The co-organising institutions' ids, read from the link table alone (no join, no sort)."""
    links = Webinar.partners.through.objects.filter(webinar_id=webinar_id)
    return list(links.values_list("institution_id", flat=True))


def _announce(registration: Registration, event: str, partners: list[int] | None = None) -> None:
    """Tell listeners (webhooks of the co-organising partners) after commit."""
    if partners is None:
        partners = _partner_ids(registration.webinar_id)
    publish_event(event, _payload(registration), institution_ids=partners)


def _payload(registration: Registration) -> dict[str, Any]:
    return {
        "registration": registration.pk,
        "webinar": registration.webinar_id,
        "person": registration.person_id,
        "status": registration.status,
    }


PERSON_FIELDS = {
    "first_name",
    "last_name",
    "member_state",
    "institution",
    "position",
    "position_level",
    "gender",
    "preferred_language",
    "timezone",
}


@transaction.atomic
def import_registrations(
    webinar: Webinar, *, acting_user: Actor, people: list[dict[str, Any]], registered_at: datetime.datetime
) -> int:
    """Record registrations taken elsewhere (a platform's registration report, past webinars), in bulk.

    Each entry needs `email` and `first_name`; other Person fields are optional. People are reused by
    email in any case or created; seats go in list order, then the waitlist. Already registered people
    are left alone, so importing the same list again changes nothing. No mail is sent (they are past
    events). Returns the number of registrations created.
    """
    webinar = Webinar.objects.select_for_update().get(pk=webinar.pk)
    emails = list(dict.fromkeys(normalise_email(row["email"]) or "" for row in people))
    known = _people_by_lower_email(emails)
    details = {normalise_email(row["email"]): row for row in people}
    missing = [email for email in emails if email and email not in known]
    newcomers = [
        Person(email=email, **{k: v for k, v in details[email].items() if k in PERSON_FIELDS}) for email in missing
    ]
    for newcomer in newcomers:
        newcomer.normalise_names()  # bulk_create does not call save()
    created = Person.objects.bulk_create(newcomers)
    known.update(
        _people_by_lower_email([p.email or "" for p in created])
        if created and created[0].pk is None
        else {p.email or "": p.pk for p in created}
    )
    registered = set(webinar.registrations.values_list("person_id", flat=True))
    seats = webinar.capacity - webinar.confirmed_registrations
    rows = []
    for email in emails:
        person_id = known.get(email)
        if person_id is None or person_id in registered:
            continue
        registered.add(person_id)
        confirmed = seats > 0
        seats -= confirmed
        rows.append(
            Registration(
                webinar=webinar,
                person_id=person_id,
                consented_at=registered_at,
                status=Registration.Status.CONFIRMED if confirmed else Registration.Status.WAITLISTED,
                waitlisted_at=None if confirmed else registered_at,
                language=details[email].get("preferred_language") or webinar.language,
                **_entered(details[email]),
            )
        )
    Registration.objects.bulk_create(rows, batch_size=500)
    log_action(webinar, "webinars.registrations.imported", user=acting_user, data={"created": len(rows)})
    return len(rows)


def _entered(row: dict[str, Any]) -> dict[str, Any]:
    """The name, member state and position as typed, kept on the registration (the directory's may
    differ for a known address): what organisers whose scope does not cover the person are shown."""
    name = f"{(row.get('first_name') or '').strip()} {(row.get('last_name') or '').strip()}".strip()
    member_state = row.get("member_state")
    return {
        "entered_name": name,
        "entered_member_state": member_state if isinstance(member_state, MemberState) else None,
        "entered_position": (row.get("position") or "").strip(),
    }


def _people_by_lower_email(emails: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(emails), 500):
        rows = Person.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails[start : start + 500])
        found.update(rows.values_list("lower_email", "pk"))
    return found


RESEND_LIMIT = 3  # links re-sent to one address for one webinar per hour


def check_registration_rate(*, email: str, client: str) -> None:
    """Refuse (`TooManyRegistrations`) a visitor's registration beyond `FARO_MAIL_LIMIT_PER_EMAIL` an
    hour for one address, or `FARO_MAIL_LIMIT_PER_IP` from one client: each one mails the address,
    so the public form cannot be used to flood inboxes. Every attempt counts, refused ones too."""
    per_address = hit(
        f"webinars:register:email:{normalise_email(email)}", limit=settings.FARO_MAIL_LIMIT_PER_EMAIL, window=3600
    )
    per_client = hit(f"webinars:register:client:{client}", limit=settings.FARO_MAIL_LIMIT_PER_IP, window=3600)
    if not (per_address and per_client):
        raise TooManyRegistrations(
            _(
                "Too many registrations came from your network or for this address in the last hour. "
                "Please try again later, or sign in first."
            )
        )


def resend_registration_link(registration: Registration, *, acting_user: Actor) -> bool:
    """Mail an existing registration's details and link again, to the registrant's own address only.

    Someone who registers again with an address that is already registered is answered as if it were
    new ("check your inbox"); the real registrant gets their link again. At most `RESEND_LIMIT` an
    hour per registration, so the form cannot be used to flood someone's inbox. Returns whether a
    mail was sent.
    """
    if not hit(f"webinars:resend:{registration.pk}", limit=RESEND_LIMIT, window=3600):
        return False
    confirmed = registration.status == Registration.Status.CONFIRMED  # a mail, not a change: nothing to audit
    _mail_registration(registration, "confirmed" if confirmed else "waitlisted")
    return True


def _mail_registration(registration: Registration, template: str) -> None:
    pk = registration.pk
    outbox.enqueue(tasks.send_registration_mail, pk, template)


@transaction.atomic
def cancel_registration(registration: Registration, *, acting_user: Actor) -> list[Registration]:
    """Cancel a registration and promote the waitlist into freed seats. Returns those promoted."""
    Webinar.objects.select_for_update().filter(pk=registration.webinar_id).first()
    registration = Registration.objects.select_related("webinar").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise WebinarError(_("This registration was already cancelled."))
    if registration.webinar.status != Webinar.Status.PUBLISHED:
        raise WebinarError(_("This webinar can no longer be changed."))
    before = registration.status
    registration.status, registration.cancelled_at = Registration.Status.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    log_action(
        registration, "webinars.registration.cancelled", user=acting_user, changes={"status": [before, "cancelled"]}
    )
    _mail_registration(registration, "cancelled")
    _announce(registration, "registration.cancelled")
    return _promote_waitlist(registration.webinar, acting_user=acting_user)


def _promote_waitlist(webinar: Webinar, *, acting_user: Actor) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served. The webinar row is locked."""
    free = webinar.capacity - webinar.confirmed_count()
    if free <= 0:
        return []
    waiting = list(
        webinar.registrations.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        log_action(
            registration,
            "webinars.registration.promoted",
            user=acting_user,
            changes={"status": ["waitlisted", "confirmed"]},
        )
        _mail_registration(registration, "promoted")
    return waiting


def registration_token(registration: Registration) -> str:
    """A signed link token for managing (and cancelling) one registration without logging in."""
    return signing.dumps([registration.pk, registration.key], salt=REGISTRATION_SALT)


def registration_from_token(token: str) -> Registration | None:
    """The registration a token designates, or None when it is forged or outdated."""
    try:
        pk, key = signing.loads(token, salt=REGISTRATION_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Registration.objects.select_related("webinar", "person").filter(pk=pk, key=key).first()


# --- Reminders -----------------------------------------------------------------------------------

REMINDERS = (("reminded_1h_at", datetime.timedelta(hours=1)), ("reminded_24h_at", datetime.timedelta(hours=24)))


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send the 24-hour and 1-hour reminders that are due. Idempotent: each is sent at most once.

    A registration within the last hour gets only the 1-hour reminder (the 24-hour one is then moot).
    """
    now = now or timezone.now()
    sent = 0
    for field, ahead in REMINDERS:
        due = Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            webinar__status=Webinar.Status.PUBLISHED,
            webinar__starts_at__gt=now,
            webinar__starts_at__lte=now + ahead,
            **{f"{field}__isnull": True},
        )
        for pk in list(due.values_list("pk", flat=True)):
            sent += _claim_reminder(pk, field, now)
    return sent


@transaction.atomic
def _claim_reminder(pk: int, field: str, now: datetime.datetime) -> int:
    """Claim one reminder and queue its mail in one transaction: 1 if claimed here, else 0."""
    claimed = Registration.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(**{field: now})
    if not claimed:  # another worker claimed it between our read and this update
        return 0
    if field == "reminded_1h_at":
        Registration.objects.filter(pk=pk, reminded_24h_at__isnull=True).update(reminded_24h_at=now)
    outbox.enqueue(tasks.send_registration_mail, pk, "reminder_1h" if field == "reminded_1h_at" else "reminder_24h")
    return 1


# --- Surveys -------------------------------------------------------------------------------------


def survey_token(webinar: Webinar, person: Person) -> str:
    return signing.dumps([webinar.pk, person.pk], salt=SURVEY_SALT)


def survey_from_token(token: str) -> tuple[Webinar, Person] | None:
    """(webinar, person) for a survey link, or None when forged."""
    try:
        webinar_pk, person_pk = signing.loads(token, salt=SURVEY_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    webinar = Webinar.objects.filter(pk=webinar_pk).first()
    person = Person.objects.filter(pk=person_pk).first()
    return (webinar, person) if webinar and person else None


@transaction.atomic
def send_survey_invitations(webinar: Webinar, *, acting_user: Actor) -> int:
    """Invite every attendee (per the attended rule) who has not been invited yet. Returns how many."""
    if not webinar.is_held:
        raise WebinarError(_("Surveys go out once the webinar has been held."))
    pending = Attendance.objects.filter(
        webinar=webinar, person__in=webinar.attended_people(), survey_sent_at__isnull=True
    ).exclude(person__email__isnull=True)
    ids = list(pending.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=ids).update(survey_sent_at=timezone.now())
    log_action(webinar, "webinars.survey.sent", user=acting_user, data={"invited": len(ids)})
    outbox.enqueue(tasks.send_survey_invitations, ids)
    return len(ids)


@transaction.atomic
def submit_survey_response(
    webinar: Webinar, *, person: Person, acting_user: Actor, ratings: dict[str, int], comment: str = ""
) -> SurveyResponse:
    """Record (or replace) one attendee's satisfaction ratings for a held webinar."""
    if not webinar.is_held:
        raise WebinarError(_("This survey is not open."))
    if not Attendance.objects.filter(webinar=webinar, person=person).exists():
        raise WebinarError(_("Only attendees can answer this survey."))
    values = {name: int(ratings[name]) for name in SurveyResponse.RATINGS}
    if any(not 1 <= value <= 5 for value in values.values()):
        raise WebinarError(_("Each rating goes from 1 to 5."))
    response, created = SurveyResponse.objects.update_or_create(
        webinar=webinar, person=person, defaults={**values, "comment": comment.strip()}
    )
    log_action(response, "webinars.survey.answered", user=acting_user, data={"updated": not created})
    return response


def registrants(
    webinar: Webinar, *, viewer: Viewer, status: str = "", member_state: str = "", query: str = ""
) -> "QuerySet[Registration]":
    """A webinar's registrations, filtered for the organisers' list and its exports, each with the name
    `viewer` may see (`Registration.objects.shown_to`); the search looks at that name, never at a
    directory name the viewer may not read."""
    rows = Registration.objects.filter(webinar=webinar).shown_to(viewer)
    rows = rows.select_related("person", "person__member_state", "person__institution")
    if status:
        rows = rows.filter(status=status)
    if member_state:
        rows = rows.filter(Q(shown_member_state_code=member_state))
    if query:
        rows = rows.filter(Q(shown_name__icontains=query) | Q(person__email__icontains=query))
    return rows.order_by("status", "created_at", "pk")
