"""Calls: creating, changing and moving them through their stages; telling focal points."""

import datetime
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import diff, log_action, snapshot
from faro.directory.models import Appointment, MemberState, Person
from faro.scholarships.models import (
    Call,
    Criterion,
    EndorsementNotice,
)
from faro.scholarships.services.base import ScholarshipError, _now
from faro.scholarships.services.review import ReviewGap, lock_call, review_gaps

# --- Calls ---------------------------------------------------------------------------------


@transaction.atomic
def create_call(
    *,
    acting_user: Actor,
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
    acting_user: Actor,
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
    for relation, values in (
        ("offerings", offerings),
        ("eligible_states", eligible_states),
        ("eligible_regions", eligible_regions),
    ):
        if values is not None:
            getattr(call, relation).set(values)
    log_action(call, "scholarships.call.updated", user=acting_user, changes=diff(before, snapshot(call)))
    return call


@transaction.atomic
def advance_call(call: Call, *, acting_user: Actor, confirm_incomplete: Collection[int] = ()) -> Call:
    """Move the call to its next state (draft → open → … → finished).

    From review to allocation, every reviewable application must have the reviews the call
    requires, or staff must confirm moving on without them: `confirm_incomplete` lists the ids of
    the incomplete applications they saw. Anything else incomplete raises `IncompleteReview`
    (with the gaps), so nobody moves on past a gap they were not shown. The call's row is locked,
    so a review submitted meanwhile is counted before the move or refused after it."""
    lock_call(call)
    following = call.next_status()
    if following is None:
        raise ScholarshipError(_("This call is already finished."))
    if following == Call.Status.RESULTS_PUBLISHED:
        raise ScholarshipError(_("Publish the allocation to publish the results."))
    if following == Call.Status.OPEN and not call.offerings.exists():
        raise ScholarshipError(_("A call needs at least one offering before it opens."))
    data = _check_reviews(call, set(confirm_incomplete)) if following == Call.Status.ALLOCATION else {}
    before = call.status
    call.status = following
    call.save(update_fields=["status", "updated_at"])
    log_action(call, "scholarships.call.advanced", user=acting_user, changes={"status": [before, following]}, data=data)
    if following == Call.Status.ENDORSEMENT:
        notify_endorsers(call, kind=EndorsementNotice.Kind.OPENED)
    return call


class IncompleteReview(ScholarshipError):
    """Moving to allocation was refused: `gaps` are the applications still lacking reviews."""

    def __init__(self, gaps: list[ReviewGap]) -> None:
        super().__init__(
            ngettext(
                "%(n)s application still lacks the reviews the call requires: confirm to move on without them.",
                "%(n)s applications still lack the reviews the call requires: confirm to move on without them.",
                len(gaps),
            )
            % {"n": len(gaps)}
        )
        self.gaps = gaps


def _check_reviews(call: Call, confirmed: set[int]) -> dict[str, Any]:
    """The audit data of a move to allocation; `IncompleteReview` if a gap was not confirmed."""
    gaps = review_gaps(call)
    if {gap.application.pk for gap in gaps} - confirmed:
        raise IncompleteReview(gaps)
    return {"not_reviewed": [gap.application.pk for gap in gaps]} if gaps else {}


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
    waiting = {
        row["person__member_state"]: row["pending"]
        for row in by_state
        if row["pending"] and row["person__member_state"]
    }
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
            log_action(
                call,
                "scholarships.endorsers.notified",
                user=None,
                data={"member_state": state.code, "kind": kind, "pending": waiting[state.pk]},
            )
            for person in people:
                context = {"call": call, "state": state, "pending": waiting[state.pk], "person": person}
                outbox.mail_each(f"scholarships/emails/endorse_{kind}", context, [person])
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
