"""National endorsement and review: focal points endorse and rank, reviewers score."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.models import RoleAssignment, User
from faro.accounts.usertypes import Actor
from faro.core.audit import diff, log_action, snapshot
from faro.directory.models import MemberState
from faro.scholarships.models import (
    Application,
    Call,
    Criterion,
    Review,
    aggregate,
)
from faro.scholarships.services.base import ScholarshipError, _now, lock_application

# --- National endorsement ------------------------------------------------------------------


def _check_endorsement_window(call: Call, now: datetime.datetime | None) -> None:
    if not call.requires_endorsement:
        raise ScholarshipError(_("This call does not require national endorsement."))
    if call.status not in {Call.Status.CLOSED, Call.Status.ENDORSEMENT}:
        raise ScholarshipError(_("Endorsement is not open for this call."))
    if call.endorsement_deadline and _now(now) >= call.endorsement_deadline:
        raise ScholarshipError(_("The endorsement deadline has passed."))


@transaction.atomic
def endorse_application(
    application: Application,
    *,
    acting_user: Actor,
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
    lock_application(application)
    if application.status != Application.Status.SUBMITTED:
        raise ScholarshipError(_("Only submitted applications can be endorsed."))
    if expected is not None and application.endorsement != expected:
        raise ScholarshipError(
            _("Another focal point decided this application a moment ago (%(decision)s). Nothing was changed.")
            % {"decision": application.get_endorsement_display()},
            code="conflict",
        )
    if not endorse and not reason.strip():
        raise ScholarshipError(_("Say why the application is not endorsed."))
    before = snapshot(application, ["endorsement", "endorsement_reason", "endorsement_rank"])
    application.endorsement = Application.Endorsement.ENDORSED if endorse else Application.Endorsement.DECLINED
    application.endorsement_reason = reason.strip()
    application.endorsed_by = acting_user if isinstance(acting_user, User) else None
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
    acting_user: Actor,
    order: list[int],
    now: datetime.datetime | None = None,
) -> None:
    """Rank the state's endorsed applications: `order` lists every endorsed application id, best first."""
    _check_endorsement_window(call, now)
    endorsed = call.applications.filter(person__member_state=state, endorsement=Application.Endorsement.ENDORSED)
    if sorted(order) != sorted(endorsed.values_list("pk", flat=True)):
        raise ScholarshipError(_("Rank every endorsed application exactly once."))
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
    same_country = mine.member_state_id is not None and mine.member_state_id == person.member_state_id
    same_institution = mine.institution_id is not None and mine.institution_id == person.institution_id
    return same_country or same_institution


@transaction.atomic
def assign_reviewer(application: Application, reviewer: User, *, acting_user: Actor) -> Review:
    """Assign one reviewer by hand (refused on a conflict of country or institution)."""
    if reviewer_conflict(application, reviewer):
        raise ScholarshipError(_("This reviewer shares the applicant's country or institution."))
    review, created = Review.objects.get_or_create(application=application, reviewer=reviewer)
    if created:
        log_action(application, "scholarships.review.assigned", user=acting_user, data={"reviewer": reviewer.pk})
    return review


def reviewers(call: Call | None = None) -> list[User]:
    """Active reviewers whose role is in force today — for `call`, those of every call or of that one."""
    roles = RoleAssignment.objects.in_force().filter(role=RoleAssignment.Role.REVIEWER)
    allowed = {r.user_id for r in roles if call is None or not r.call_ids or call.pk in r.call_ids}
    return list(User.objects.filter(pk__in=allowed, is_active=True).select_related("person").order_by("pk"))


@transaction.atomic
def assign_reviewers_automatically(call: Call, *, acting_user: Actor) -> int:
    """Give each reviewable application `reviews_per_application` reviewers, balancing load; returns
    the number of new assignments. Deterministic: ties go to the reviewer with the lowest id."""
    pool = reviewers(call)
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
    return call.applications.reviewable()


@dataclass(frozen=True)
class ReviewGap:
    """An application that lacks reviews: how many are in, how many the call requires, and whose
    assigned review is still missing (`unassigned` reviews have no reviewer yet)."""

    application: Application
    submitted: int
    required: int
    waiting_for: list[User]
    unassigned: int


def review_gaps(call: Call) -> list[ReviewGap]:
    """The call's reviewable applications without the reviews it requires, in application order."""
    incomplete = call.applications.review_incomplete().select_related("person__member_state").order_by("pk")
    pending = Review.objects.filter(application__in=incomplete, submitted_at__isnull=True).select_related("reviewer")
    waiting: dict[int, list[User]] = {}
    for review in pending.order_by("pk"):
        waiting.setdefault(review.application_id, []).append(review.reviewer)
    required = call.reviews_per_application
    return [
        ReviewGap(
            application=a,
            submitted=a.reviews_submitted,  # type: ignore[attr-defined]  # annotated
            required=required,
            waiting_for=waiting.get(a.pk, []),
            unassigned=max(required - a.reviews_assigned, 0),  # type: ignore[attr-defined]  # annotated by the queryset
        )
        for a in incomplete
    ]


def lock_call(call: Call) -> Call:
    """Lock the call's row for this transaction and refresh its status: stage changes, reviews and
    publication of one call then happen one after the other, never interleaved."""
    call.status = Call.objects.select_for_update().values_list("status", flat=True).get(pk=call.pk)
    return call


def _score(value: Any) -> Decimal:
    """A score as given (7, "7.5", 7.5), to one decimal; ValueError when it is not a number."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.1"))
    except ArithmeticError as error:
        raise ValueError(value) from error


def _scores(scores: dict[str, Any]) -> dict[str, Decimal]:
    return {k: _score(v) for k, v in scores.items()}


def weighted_total(criteria: list[Criterion], scores: dict[str, Any]) -> Decimal:
    """The rubric's weighted score, out of 100."""
    weight = sum((c.weight for c in criteria), Decimal(0))
    total = sum((c.weight * _score(scores[str(c.pk)]) / c.max_score for c in criteria), Decimal(0))
    return (100 * total / weight).quantize(Decimal("0.001"))


@transaction.atomic
def submit_review(
    review: Review, *, acting_user: Actor, scores: dict[str, Any], comment: str = "", update_merit: bool = True
) -> Review:
    """Record a reviewer's scores (one per criterion, 0..max, one decimal) and refresh the application's merit.

    The call's row is locked first: a review racing with the move to allocation is either counted
    before the move or refused after it, never lost in between."""
    call = lock_call(review.application.call)
    if call.status != Call.Status.REVIEW:
        raise ScholarshipError(_("This call is no longer in review: the review was not recorded."))
    criteria = list(call.criteria.all())
    for criterion in criteria:
        try:
            value = _score(scores[str(criterion.pk)])
        except (KeyError, ValueError, TypeError):
            value = None
        if value is None or not 0 <= value <= criterion.max_score:
            raise ScholarshipError(
                _("Give “%(criterion)s” a score from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            )
    # Stored as JSON numbers: whole scores stay integers (7), others keep their one decimal (7.5).
    review.scores = {k: int(v) if v == v.to_integral_value() else float(v) for k, v in _scores(scores).items()}
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
