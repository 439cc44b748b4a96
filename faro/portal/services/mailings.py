"""Mailings: segments of people, previews per language, sending, unsubscribes and bounces.

A segment is a dict stored on the mailing. Within one criterion any value matches; across
criteria all must match. People without an email, who unsubscribed, whose address bounced
or who do not want this category are never included.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.models import RoleAssignment, User
from faro.accounts.usertypes import Actor
from faro.core.audit import diff, log_action, snapshot
from faro.core.fields import Translated, language_codes
from faro.core.jobs import start_job
from faro.core.mail import build_mail
from faro.directory.models import Appointment, Person
from faro.portal.activity_sources import sources
from faro.portal.models import DeliveryEvent, Mailing, MailingRecipient, Profile
from faro.portal.services import profile_for, record_consent

SEGMENT_KEYS = ["member_states", "regions", "institution_kinds", "roles", "priority_areas", "topics", "programmes"]
APPOINTMENT_ROLES = {Appointment.Role.FOCAL_POINT, Appointment.Role.PRINCIPAL_DELEGATE, Appointment.Role.ALTERNATE}
ACCOUNT_ROLES = {RoleAssignment.Role.PARTNER, RoleAssignment.Role.FOCAL_POINT, RoleAssignment.Role.REVIEWER}
UNSUBSCRIBE_SALT = "faro.portal.unsubscribe"
SAMPLE_SIZE = 3


class MailingError(Exception):
    """The mailing cannot be sent; the message says why, in the staff member's language."""


def has_criteria(segment: dict[str, Any]) -> bool:
    return bool(segment.get("everyone")) or any(segment.get(key) for key in SEGMENT_KEYS)


def _criteria(segment: dict[str, Any]) -> list[Q]:
    today = timezone.localdate()
    found = []
    if codes := segment.get("member_states"):
        found.append(Q(member_state__code__in=codes))
    if regions := segment.get("regions"):
        found.append(Q(member_state__regions__in=regions))
    if kinds := segment.get("institution_kinds"):
        found.append(Q(institution__kind__in=kinds))
    if roles := segment.get("roles"):
        current = Appointment.objects.current(today).filter(role__in=[r for r in roles if r in APPOINTMENT_ROLES])
        in_force = RoleAssignment.objects.in_force(today).filter(role__in=[r for r in roles if r in ACCOUNT_ROLES])
        accounts = Q(user__pk__in=in_force.values("user"))
        found.append(Q(pk__in=current.values("person_id")) | accounts)
    areas, topics = segment.get("priority_areas"), segment.get("topics")
    if areas or topics:
        found.append(
            Q(portal_profile__priority_areas__in=areas or [])
            | Q(portal_profile__topics__slug__in=topics or [])
            | Q(portal_profile__topics__priority_area__in=areas or [])
        )
    if programmes := segment.get("programmes"):
        ids = {pk for s in sources() if s.kind in programmes for pk in s.participant_ids()}
        found.append(Q(pk__in=ids))
    return found


def segment_people(segment: dict[str, Any], *, category: str) -> QuerySet[Person]:
    """Everyone the segment reaches for a mailing of `category`, honouring opt-outs at once."""
    if not has_criteria(segment):
        return Person.objects.none()
    people = Person.objects.filter(email__isnull=False).exclude(email="")
    for criterion in _criteria(segment):
        people = people.filter(criterion)
    blocked = Profile.objects.filter(Q(unsubscribed_at__isnull=False) | Q(bounced_at__isnull=False))
    not_wanted = [pid for pid, wants in Profile.objects.values_list("person_id", "wants") if category not in wants]
    people = people.exclude(pk__in=blocked.values("person_id")).exclude(pk__in=not_wanted)
    return Person.objects.filter(pk__in=people.values("pk")).order_by("last_name", "first_name", "pk")


def delivered_language(mailing: Mailing, wanted: str) -> str:
    """The recipient's language when the mailing has it, else the fallback the text falls back to."""
    if mailing.subject.get(wanted) and mailing.body.get(wanted):
        return wanted
    for code in [settings.LANGUAGE_CODE, *language_codes()]:
        if mailing.subject.get(code) and mailing.body.get(code):
            return code
    return settings.LANGUAGE_CODE


@dataclass
class LanguageSample:
    language: str
    delivered_in: str
    count: int
    names: list[str]
    subject: str
    body: str

    @property
    def falls_back(self) -> bool:
        return self.language != self.delivered_in


@dataclass
class MailingPreview:
    count: int
    samples: list[LanguageSample] = field(default_factory=list)
    problem: str = ""

    @property
    def missing_languages(self) -> list[str]:
        """Languages some recipients read but the mailing is not written in."""
        return [s.language for s in self.samples if s.falls_back and s.count]

    @property
    def untranslated(self) -> list[str]:
        """Every language the mailing is not written in, read by recipients or not."""
        return [s.language for s in self.samples if s.falls_back]


def preview_mailing(mailing: Mailing) -> MailingPreview:
    """How many people the mailing reaches, and what each language group will get."""
    people = list(segment_people(mailing.segment, category=mailing.category))
    by_language = Counter(p.preferred_language for p in people)
    samples = []
    for code in language_codes():
        delivered = delivered_language(mailing, code)
        names = [p.full_name for p in people if p.preferred_language == code][:SAMPLE_SIZE]
        subject, body = mailing.subject.in_language(delivered), mailing.body.in_language(delivered)
        samples.append(LanguageSample(code, delivered, by_language[code], names, subject, body))
    return MailingPreview(count=len(people), samples=samples, problem=sending_problem(mailing, len(people)))


def sending_problem(mailing: Mailing, count: int) -> str:
    """Why the mailing cannot go now, or "" when it can."""
    if mailing.status != Mailing.Status.DRAFT:
        return _("This mailing has already been sent.")
    if not has_criteria(mailing.segment):
        return _("Choose who receives this mailing: pick at least one criterion, or everyone.")
    if not count:
        return _(
            "No one matches this segment: nobody with an email address who accepts this kind of mailing "
            "meets all the criteria. Widen the segment."
        )
    return ""


@transaction.atomic
def save_mailing(
    mailing: Mailing,
    *,
    acting_user: Actor,
    subject: Translated,
    body: Translated,
    category: str,
    segment: dict[str, Any],
) -> Mailing:
    """Create or edit a draft mailing."""
    if mailing.pk and mailing.status != Mailing.Status.DRAFT:
        raise MailingError(_("This mailing has already been sent."))
    creating = mailing.pk is None
    before = {} if creating else snapshot(mailing)
    mailing.subject, mailing.body, mailing.category, mailing.segment = subject, body, category, segment
    if creating:
        mailing.created_by = acting_user if isinstance(acting_user, User) else None
    mailing.save()
    action = "portal.mailing.created" if creating else "portal.mailing.updated"
    log_action(mailing, action, user=acting_user, changes=diff(before, snapshot(mailing)))
    return mailing


@transaction.atomic
def send_mailing(mailing: Mailing, *, acting_user: Actor) -> int:
    """Freeze the recipients, start a job and queue delivery on commit. Returns the job's id."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    people = list(segment_people(mailing.segment, category=mailing.category))
    if problem := sending_problem(mailing, len(people)):
        raise MailingError(problem)
    MailingRecipient.objects.bulk_create(
        MailingRecipient(
            mailing=mailing,
            person=p,
            email=p.email or "",
            language=delivered_language(mailing, p.preferred_language),
        )
        for p in people
    )
    from faro.portal.tasks import deliver_mailing_job

    title = _("Sending “%(subject)s”") % {"subject": mailing.subject}
    job = start_job(
        kind="portal.mailing",
        title=title[:200],
        total=len(people),
        user=acting_user,
        task=deliver_mailing_job,
        args=[mailing.pk],
    )
    mailing.status, mailing.job, mailing.recipient_count = Mailing.Status.SENDING, job, len(people)
    mailing.save(update_fields=["status", "job", "recipient_count", "updated_at"])
    log_action(mailing, "portal.mailing.sent", user=acting_user, data={"recipients": len(people), "job": job.pk})
    return job.pk


def unsubscribe_token(person_id: int, mailing_id: int | None) -> str:
    return signing.dumps([person_id, mailing_id], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int | None] | None:
    """(person id, mailing id) from a genuine token; None for anything forged or garbled."""
    try:
        person_id, mailing_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (person_id, mailing_id) if isinstance(person_id, int) else None


def unsubscribe_url(person_id: int, mailing_id: int | None) -> str:
    path = reverse("portal:mail_unsubscribe", kwargs={"token": unsubscribe_token(person_id, mailing_id)})
    return settings.SITE_URL + path


def build_mailing_message(recipient: MailingRecipient) -> EmailMultiAlternatives:
    """The message one recipient gets, in their language, with one-click unsubscribe headers."""
    mailing = recipient.mailing
    url = unsubscribe_url(recipient.person_id, mailing.pk)
    context = {
        "subject": mailing.subject.in_language(recipient.language),
        "body": mailing.body.in_language(recipient.language),
        "unsubscribe_url": url,
        "person": recipient.person,
    }
    headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return build_mail(
        "portal/emails/mailing", context, to=recipient.email, language=recipient.language, headers=headers
    )


@transaction.atomic
def unsubscribe_person(person: Person, *, mailing: Mailing | None = None, source: str = "link") -> bool:
    """Stop all mailings to the person at once. Returns False if they had already unsubscribed."""
    profile = Profile.objects.select_for_update().filter(pk=profile_for(person).pk).get()
    if profile.unsubscribed_at:
        return False
    profile.unsubscribed_at = timezone.now()
    profile.save(update_fields=["unsubscribed_at", "updated_at"])
    DeliveryEvent.objects.create(
        kind=DeliveryEvent.Kind.UNSUBSCRIBED, person=person, mailing=mailing, email=person.email or "", detail=source
    )
    record_consent(person, purpose="mailings", granted=False, source=f"unsubscribe:{source}")
    log_action(profile, "portal.profile.unsubscribed", data={"mailing": mailing.pk if mailing else None})
    return True


@transaction.atomic
def record_bounce(
    email: str, *, acting_user: Actor = None, detail: str = "", mailing: Mailing | None = None
) -> DeliveryEvent | None:
    """Record that mail to `email` bounced; the address gets no more mailings. None if unknown."""
    person = Person.objects.with_email(email).first()
    if person is None:
        return None
    profile = profile_for(person)
    profile.bounced_at = profile.bounced_at or timezone.now()
    profile.save(update_fields=["bounced_at", "updated_at"])
    sent = MailingRecipient.objects.filter(person=person, status=MailingRecipient.Status.SENT)
    latest = sent.filter(mailing=mailing) if mailing else sent.order_by("-sent_at", "-pk")[:1]
    for recipient in latest:
        recipient.status = MailingRecipient.Status.BOUNCED
        recipient.error = detail[:500]
        recipient.save(update_fields=["status", "error"])
        mailing = mailing or recipient.mailing
    event = DeliveryEvent.objects.create(
        kind=DeliveryEvent.Kind.BOUNCED, person=person, mailing=mailing, email=email.strip(), detail=detail[:2000]
    )
    log_action(profile, "portal.profile.bounced", user=acting_user, data={"email": email, "detail": detail[:200]})
    return event


def blocked_person_ids(person_ids: list[int]) -> set[int]:
    """Those of `person_ids` who unsubscribed or whose address bounced, as of now."""
    blocked = Profile.objects.filter(person_id__in=person_ids).filter(
        Q(unsubscribed_at__isnull=False) | Q(bounced_at__isnull=False)
    )
    return set(blocked.values_list("person_id", flat=True))


def mark_mailing_sent(mailing_id: int) -> None:
    Mailing.objects.filter(pk=mailing_id).update(status=Mailing.Status.SENT, sent_at=timezone.now())
