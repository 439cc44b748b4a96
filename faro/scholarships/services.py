"""Writes for scholarships: calls, applications, endorsement and review.

Allocation, publication and offers live in `faro.scholarships.results` and are re-exported here.
Every service takes `acting_user`, runs in one transaction, writes the audit log and sends mail
on commit. `now` may be given to run a past programme (the demo); it defaults to the clock.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.models import RoleAssignment, User
from faro.core.audit import diff, log_action, snapshot
from faro.core.mail import send_templated_mail
from faro.courses.models import Offering
from faro.directory.models import Appointment, MemberState, Person
from faro.lib.uploads import check_upload
from faro.scholarships.models import (
    Application,
    ApplicationDocument,
    Call,
    Choice,
    Criterion,
    EndorsementNotice,
    Review,
    aggregate,
)

DOCUMENT_KINDS = {"pdf", "png", "jpeg"}


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _mail(template: str, person: Person, context: dict[str, Any]) -> None:
    if person.email:
        email, language = person.email, person.preferred_language
        transaction.on_commit(lambda: send_templated_mail(template, context, to=email, language=language))


# --- Calls ---------------------------------------------------------------------------------


@transaction.atomic
def create_call(
    *,
    acting_user: Any,
    offerings: Any,
    criteria: list[dict[str, Any]] | None = None,
    eligible_states: Any = (),
    eligible_regions: Any = (),
    **fields: Any,
) -> Call:
    """Create a call (draft) for `offerings`, with its rubric `criteria` ({name, weight, max_score})."""
    call = Call.objects.create(**fields)
    call.offerings.set(offerings)
    call.eligible_states.set(eligible_states)
    call.eligible_regions.set(eligible_regions)
    for criterion in criteria or [{"name": {"en": "Overall merit", "es": "Mérito general"}}]:
        Criterion.objects.create(call=call, **criterion)
    log_action(call, "scholarships.call.created", user=acting_user, data={"title": dict(call.title)})
    return call


@transaction.atomic
def update_call(
    call: Call,
    *,
    acting_user: Any,
    offerings: Any = None,
    eligible_states: Any = None,
    eligible_regions: Any = None,
    **fields: Any,
) -> Call:
    """Change a call's texts, rules, timeline, offerings or eligible states and regions."""
    before = snapshot(call)
    for name, value in fields.items():
        setattr(call, name, value)
    call.save()
    for relation, values in (("offerings", offerings), ("eligible_states", eligible_states),
                             ("eligible_regions", eligible_regions)):  # fmt: skip
        if values is not None:
            getattr(call, relation).set(values)
    log_action(call, "scholarships.call.updated", user=acting_user, changes=diff(before, snapshot(call)))
    return call


@transaction.atomic
def advance_call(call: Call, *, acting_user: Any) -> Call:
    """Move the call to its next state (draft → open → … → finished)."""
    following = call.next_status()
    if following is None:
        raise ValidationError(_("This call is already finished."))
    if following == Call.Status.RESULTS_PUBLISHED:
        raise ValidationError(_("Publish the allocation to publish the results."))
    if following == Call.Status.OPEN and not call.offerings.exists():
        raise ValidationError(_("A call needs at least one offering before it opens."))
    before = call.status
    call.status = following
    call.save(update_fields=["status", "updated_at"])
    log_action(call, "scholarships.call.advanced", user=acting_user, changes={"status": [before, following]})
    if following == Call.Status.ENDORSEMENT:
        notify_endorsers(call, kind=EndorsementNotice.Kind.OPENED)
    return call


def close_overdue_calls(*, now: datetime.datetime | None = None) -> int:
    """Close every open call whose deadline has passed, the way staff do (idempotent; scheduled)."""
    closed = 0
    overdue = Call.objects.filter(status=Call.Status.OPEN, closes_at__lte=_now(now)).values_list("pk", flat=True)
    for pk in overdue:
        with transaction.atomic():
            call = Call.objects.select_for_update().filter(pk=pk, status=Call.Status.OPEN).first()
            if call is not None:  # not closed by staff or another run meanwhile
                advance_call(call, acting_user=None)
                closed += 1
    return closed


# --- Telling focal points ------------------------------------------------------------------

REMIND_BEFORE = datetime.timedelta(days=3)


def notify_endorsers(call: Call, *, kind: str, now: datetime.datetime | None = None) -> int:
    """Mail the focal points of each member state with applications awaiting their endorsement:
    when endorsement opens, and once more before its deadline. Once per call, state and kind, so
    running it again mails nobody twice. Returns the number of member states told."""
    if call.status != Call.Status.ENDORSEMENT or not call.requires_endorsement:
        return 0
    if call.endorsement_deadline and _now(now) >= call.endorsement_deadline:
        return 0
    by_state = call.applications.endorsement_by_state()
    waiting = {row["person__country"]: row["pending"] for row in by_state if row["pending"] and row["person__country"]}
    told = set(call.endorsement_notices.filter(kind=kind).values_list("member_state_id", flat=True))
    if kind == EndorsementNotice.Kind.REMINDER:  # no reminder on the heels of the first mail
        recent = call.endorsement_notices.filter(sent_at__gt=_now(now) - datetime.timedelta(days=1))
        told |= set(recent.values_list("member_state_id", flat=True))
    focal_points = (
        Appointment.objects.current()
        .filter(role=Appointment.Role.FOCAL_POINT, member_state_id__in=set(waiting) - told)
        .select_related("person", "member_state")
    )
    states: dict[MemberState, list[Person]] = {}
    for appointment in focal_points:
        states.setdefault(appointment.member_state, []).append(appointment.person)
    for state, people in states.items():
        with transaction.atomic():
            _, created = EndorsementNotice.objects.get_or_create(
                call=call, member_state=state, kind=kind, defaults={"pending": waiting[state.pk]}
            )
            if not created:  # another run got there first
                continue
            log_action(call, "scholarships.endorsers.notified", user=None,
                       data={"member_state": state.code, "kind": kind, "pending": waiting[state.pk]})  # fmt: skip
            for person in people:
                _mail(f"scholarships/emails/endorse_{kind}", person,
                      {"call": call, "state": state, "pending": waiting[state.pk], "person": person})  # fmt: skip
    return len(states)


def remind_endorsers(*, now: datetime.datetime | None = None) -> int:
    """The scheduled reminder: calls whose endorsement deadline is less than REMIND_BEFORE away."""
    moment = _now(now)
    due = Call.objects.filter(
        status=Call.Status.ENDORSEMENT,
        requires_endorsement=True,
        endorsement_deadline__gt=moment,
        endorsement_deadline__lte=moment + REMIND_BEFORE,
    )
    return sum(notify_endorsers(call, kind=EndorsementNotice.Kind.REMINDER, now=moment) for call in due)


# --- Applications --------------------------------------------------------------------------


def eligibility_problems(application: Application) -> list[str]:
    """Why the applicant does not meet the call's eligibility rules (empty when eligible)."""
    call, person = application.call, application.person
    problems = []
    states = set(call.eligible_states.values_list("pk", flat=True))
    if states and person.country_id not in states:
        problems.append(_("the call is not open to officials of this member state"))
    regions = call.eligible_regions.all()
    if regions and not MemberState.objects.filter(pk=person.country_id or 0, regions__in=regions).exists():
        problems.append(_("the call is not open to this region"))
    kind = person.institution.kind if person.institution else ""
    if call.institution_kinds and kind not in call.institution_kinds:
        problems.append(_("the call is not open to this kind of institution"))
    if call.position_levels and person.position_level not in call.position_levels:
        problems.append(_("the call is not open to this position level"))
    if call.languages and not application.languages() & set(call.languages):
        problems.append(_("the applicant works in none of the call's languages"))
    return problems


@transaction.atomic
def start_application(
    call: Call, person: Person, *, acting_user: Any, now: datetime.datetime | None = None
) -> Application:
    """The person's application to the call: the existing one, or a new draft while the call is open."""
    existing = Application.objects.filter(call=call, person=person).first()
    if existing:
        return existing
    moment = _now(now)
    if call.deadline_passed(moment):
        raise ValidationError(_("The deadline for this call has passed."))
    if not call.is_open_on(moment):
        raise ValidationError(_("This call is not open for applications."))
    application = Application.objects.create(call=call, person=person, spoken_languages=[person.preferred_language])
    log_action(application, "scholarships.application.started", user=acting_user)
    return application


def _lock(application: Application) -> Application:
    """Lock the application's row until the transaction ends and refresh its state from it: a second
    request changing the same application waits here, then sees what the first one did."""
    fresh = Application.objects.select_for_update().order_by().filter(pk=application.pk)
    state = fresh.values("status", "endorsement", "endorsement_reason", "endorsement_rank", "endorsed_by").get()
    for name, value in state.items():
        setattr(application, "endorsed_by_id" if name == "endorsed_by" else name, value)
    return application


def _editable(application: Application) -> None:
    _lock(application)
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("Only a draft application can be changed."))


@transaction.atomic
def save_application(
    application: Application,
    *,
    acting_user: Any,
    motivation: str,
    offerings: list[Offering],
    spoken_languages: list[str] | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Save the draft: motivation, languages and offerings in order of preference (until the deadline)."""
    _editable(application)
    if not application.call.is_open_on(_now(now)):
        raise ValidationError(_("The deadline for this call has passed."))
    allowed = set(application.call.offerings.values_list("pk", flat=True))
    if any(o.pk not in allowed for o in offerings) or len({o.pk for o in offerings}) != len(offerings):
        raise ValidationError(_("Choose each offering of this call at most once."))
    application.motivation = motivation.strip()
    if spoken_languages is not None:
        application.spoken_languages = spoken_languages
    application.save()
    application.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(application=application, offering=o, rank=i) for i, o in enumerate(offerings, start=1)
    )
    log_action(application, "scholarships.application.saved", user=acting_user, data={"offerings": len(offerings)})
    return application


@transaction.atomic
def attach_document(
    application: Application, kind: str, upload: Any, *, acting_user: Any, now: datetime.datetime | None = None
) -> ApplicationDocument:
    """Store an uploaded document after checking its content (PDF, PNG or JPEG, at most 10 MB), until the deadline."""
    _editable(application)
    if not application.call.is_open_on(_now(now)):
        raise ValidationError(_("The deadline for this call has passed."))
    if kind not in Call.Document.values:
        raise ValidationError(_("Unknown document."))
    content_kind = check_upload(upload, allowed=DOCUMENT_KINDS)
    application.documents.filter(kind=kind).delete()
    document = ApplicationDocument(
        application=application, kind=kind, content_kind=content_kind, original_name=str(upload.name)[:200]
    )
    document.file.save(str(upload.name), upload, save=False)
    document.save()
    log_action(application, "scholarships.document.attached", user=acting_user, data={"kind": kind})
    return document


@transaction.atomic
def submit_application(
    application: Application, *, acting_user: Any, now: datetime.datetime | None = None
) -> Application:
    """Submit a complete draft before the call closes; mails a receipt."""
    _editable(application)
    moment = _now(now)
    if not application.call.is_open_on(moment):
        raise ValidationError(_("The deadline for this call has passed."))
    missing = application.missing()
    if missing:
        raise ValidationError(_("The application is incomplete: %(missing)s.") % {"missing": ", ".join(missing)})
    application.status, application.submitted_at = Application.Status.SUBMITTED, moment
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    log_action(application, "scholarships.application.submitted", user=acting_user)
    _mail("scholarships/emails/submitted", application.person, {"application": application})
    return application


@transaction.atomic
def withdraw_application(application: Application, *, acting_user: Any) -> Application:
    """Withdraw a draft or submitted application (before results are published)."""
    _lock(application)
    if application.status == Application.Status.WITHDRAWN:
        return application
    if application.call.status in {Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED}:
        raise ValidationError(_("Results are published: decline the offer instead."))
    before = application.status
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    log_action(
        application, "scholarships.application.withdrawn", user=acting_user, changes={"status": [before, "withdrawn"]}
    )
    return application


# --- National endorsement ------------------------------------------------------------------


def _check_endorsement_window(call: Call, now: datetime.datetime | None) -> None:
    if not call.requires_endorsement:
        raise ValidationError(_("This call does not require national endorsement."))
    if call.status not in {Call.Status.CLOSED, Call.Status.ENDORSEMENT}:
        raise ValidationError(_("Endorsement is not open for this call."))
    if call.endorsement_deadline and _now(now) >= call.endorsement_deadline:
        raise ValidationError(_("The endorsement deadline has passed."))


@transaction.atomic
def endorse_application(
    application: Application,
    *,
    acting_user: Any,
    endorse: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
    expected: str | None = None,
) -> Application:
    """A focal point endorses or declines (with a reason) a submitted application of their state.

    `expected` is the decision the focal point saw (the form sends it back): when another focal point
    decided in between, nothing changes and the error says what they decided, so nobody silently
    overwrites a colleague. The row is locked, so two decisions at the same moment are taken in turn.
    """
    _check_endorsement_window(application.call, now)
    _lock(application)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications can be endorsed."))
    if expected is not None and application.endorsement != expected:
        raise ValidationError(
            _("Another focal point decided this application a moment ago (%(decision)s). Nothing was changed.")
            % {"decision": application.get_endorsement_display()},
            code="conflict",
        )
    if not endorse and not reason.strip():
        raise ValidationError(_("Say why the application is not endorsed."))
    before = snapshot(application, ["endorsement", "endorsement_reason", "endorsement_rank"])
    application.endorsement = Application.Endorsement.ENDORSED if endorse else Application.Endorsement.DECLINED
    application.endorsement_reason = reason.strip()
    application.endorsed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    if not endorse:
        application.endorsement_rank = None
    application.save()
    after = snapshot(application, ["endorsement", "endorsement_reason", "endorsement_rank"])
    log_action(
        application,
        "scholarships.application.endorsed" if endorse else "scholarships.application.not_endorsed",
        user=acting_user,
        changes=diff(before, after),
    )
    return application


@transaction.atomic
def rank_endorsed(
    call: Call,
    state: MemberState,
    *,
    acting_user: Any,
    order: list[int],
    now: datetime.datetime | None = None,
) -> None:
    """Rank the state's endorsed applications: `order` lists every endorsed application id, best first."""
    _check_endorsement_window(call, now)
    endorsed = call.applications.filter(person__country=state, endorsement=Application.Endorsement.ENDORSED)
    if sorted(order) != sorted(endorsed.values_list("pk", flat=True)):
        raise ValidationError(_("Rank every endorsed application exactly once."))
    by_id = endorsed.in_bulk()
    for rank, pk in enumerate(order, start=1):
        by_id[pk].endorsement_rank = rank
    Application.objects.bulk_update(by_id.values(), ["endorsement_rank"])
    log_action(call, "scholarships.endorsements.ranked", user=acting_user, data={"state": state.code, "order": order})


# --- Review --------------------------------------------------------------------------------


def reviewer_conflict(application: Application, reviewer: User) -> bool:
    """A reviewer never reviews applicants of their own country or institution."""
    mine = reviewer.person
    if mine is None:
        return False
    person = application.person
    same_country = mine.country_id is not None and mine.country_id == person.country_id
    same_institution = mine.institution_id is not None and mine.institution_id == person.institution_id
    return same_country or same_institution


@transaction.atomic
def assign_reviewer(application: Application, reviewer: User, *, acting_user: Any) -> Review:
    """Assign one reviewer by hand (refused on a conflict of country or institution)."""
    if reviewer_conflict(application, reviewer):
        raise ValidationError(_("This reviewer shares the applicant's country or institution."))
    review, created = Review.objects.get_or_create(application=application, reviewer=reviewer)
    if created:
        log_action(application, "scholarships.review.assigned", user=acting_user, data={"reviewer": reviewer.pk})
    return review


def reviewers() -> list[User]:
    return list(
        User.objects.filter(roles__role=RoleAssignment.Role.REVIEWER, is_active=True)
        .select_related("person")
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def assign_reviewers_automatically(call: Call, *, acting_user: Any) -> int:
    """Give each reviewable application `reviews_per_application` reviewers, balancing load; returns
    the number of new assignments. Deterministic: ties go to the reviewer with the lowest id."""
    pool = reviewers()
    load = dict(Review.objects.filter(reviewer__in=pool).values_list("reviewer").annotate(n=Count("pk")))
    load = {r.pk: load.get(r.pk, 0) for r in pool}
    created: list[Review] = []
    applications = _reviewable(call).select_related("person").prefetch_related("reviews")
    for application in applications:
        have = {r.reviewer_id for r in application.reviews.all()}
        candidates = sorted(
            (r for r in pool if r.pk not in have and not reviewer_conflict(application, r)),
            key=lambda r: (load[r.pk], r.pk),
        )
        for reviewer in candidates[: max(call.reviews_per_application - len(have), 0)]:
            created.append(Review(application=application, reviewer=reviewer))
            load[reviewer.pk] += 1
    Review.objects.bulk_create(created)
    log_action(call, "scholarships.reviews.assigned", user=acting_user, data={"assignments": len(created)})
    return len(created)


def _reviewable(call: Call) -> Any:
    applications = call.applications.submitted()
    if call.requires_endorsement:
        applications = applications.filter(endorsement=Application.Endorsement.ENDORSED)
    return applications


def weighted_total(criteria: list[Criterion], scores: dict[str, int]) -> Decimal:
    """The rubric's weighted score, out of 100."""
    weight = sum((c.weight for c in criteria), Decimal(0))
    total = sum((c.weight * Decimal(scores[str(c.pk)]) / c.max_score for c in criteria), Decimal(0))
    return (100 * total / weight).quantize(Decimal("0.001"))


@transaction.atomic
def submit_review(
    review: Review, *, acting_user: Any, scores: dict[str, int], comment: str = "", update_merit: bool = True
) -> Review:
    """Record a reviewer's scores (one per criterion, 0..max) and refresh the application's merit."""
    call = review.application.call
    if call.status != Call.Status.REVIEW:
        raise ValidationError(_("This call is not in review."))
    criteria = list(call.criteria.all())
    for criterion in criteria:
        value = scores.get(str(criterion.pk))
        if value is None or not 0 <= int(value) <= criterion.max_score:
            raise ValidationError(
                _("Give “%(criterion)s” a score from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            )
    review.scores = {k: int(v) for k, v in scores.items()}
    review.total, review.comment = weighted_total(criteria, review.scores), comment.strip()
    review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    log_action(review.application, "scholarships.review.submitted", user=acting_user, data={"total": review.total})
    if update_merit:
        refresh_merit(review.application)
    return review


def refresh_merit(application: Application) -> None:
    """Aggregate submitted review totals (mean or median, as the call says) into the merit."""
    totals = [
        t
        for t in application.reviews.filter(submitted_at__isnull=False).values_list("total", flat=True)
        if t is not None
    ]
    application.merit = aggregate(totals, application.call.aggregation)
    application.save(update_fields=["merit", "updated_at"])


from faro.scholarships.results import (  # noqa: E402  re-exported: one import path for callers
    accept_offer,
    build_allocation_problem,
    decline_offer,
    expire_offers,
    override_outcome,
    preview_allocation,
    publish_results,
)

__all__ = [
    "accept_offer",
    "build_allocation_problem",
    "decline_offer",
    "expire_offers",
    "override_outcome",
    "preview_allocation",
    "publish_results",
]
