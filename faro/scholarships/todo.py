"""Scholarship work waiting for a user: endorsements, reviews, drafts, offers, calls to move on."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.core.todo import Todo
from faro.scholarships.models import Application, Call, Offer, Review


def items(user: User) -> list[Todo]:
    scope = scope_for(user)
    found = []
    if scope.member_state_ids:
        found += _endorsements(scope.member_state_ids)
    if scope.is_reviewer:
        found += _reviews(user)
    if scope.person_id:
        found += _own(scope.person_id)
    if scope.is_staff or scope.institution_ids:
        found += _calls_to_move_on(user)
    return found


def _endorsements(states: frozenset[int]) -> list[Todo]:
    pending = (
        Application.objects.submitted()
        .filter(call__status=Call.Status.ENDORSEMENT, call__requires_endorsement=True)
        .filter(endorsement=Application.Endorsement.PENDING, person__member_state__in=states)
        .values("call")
        .annotate(n=Count("pk"))
    )
    calls = Call.objects.in_bulk([row["call"] for row in pending])
    return [
        Todo(
            ngettext(
                "%(n)s candidate awaits your endorsement: %(call)s",
                "%(n)s candidates await your endorsement: %(call)s",
                row["n"],
            )
            % {"n": row["n"], "call": calls[row["call"]].title},
            reverse("scholarships:call_endorsements", args=[row["call"]]),
            calls[row["call"]].endorsement_deadline,
        )
        for row in pending
    ]


def _reviews(user: User) -> list[Todo]:
    waiting = (
        Review.objects.filter(reviewer=user, submitted_at__isnull=True, application__call__status=Call.Status.REVIEW)
        .values("application__call")
        .annotate(n=Count("pk"))
    )
    calls = Call.objects.in_bulk([row["application__call"] for row in waiting])
    return [
        Todo(
            ngettext("%(n)s review to submit: %(call)s", "%(n)s reviews to submit: %(call)s", row["n"])
            % {"n": row["n"], "call": calls[row["application__call"]].title},
            reverse("scholarships:my_reviews"),
        )
        for row in waiting
    ]


def _own(person_id: int) -> list[Todo]:
    drafts = Application.objects.filter(
        person_id=person_id, status=Application.Status.DRAFT, call__status=Call.Status.OPEN
    ).filter(call__closes_at__gt=timezone.now())
    found = [
        Todo(
            _("Finish and submit your application: %(call)s") % {"call": a.call.title},
            a.get_absolute_url(),
            a.call.closes_at,
        )
        for a in drafts.select_related("call")
    ]
    offers = Offer.objects.filter(application__person_id=person_id, status=Offer.Status.AWARDED)
    found += [
        Todo(
            _("Answer the scholarship offer: %(course)s") % {"course": o.offering.course},
            o.application.get_absolute_url(),
            o.accept_by,
        )
        for o in offers.select_related("application", "offering__course")
    ]
    return found


def _calls_to_move_on(user: User) -> list[Todo]:
    """Calls whose endorsement is over, or whose allocation awaits publication."""
    now = timezone.now()
    calls = Call.objects.managed_by(user)
    over = calls.filter(status=Call.Status.ENDORSEMENT, endorsement_deadline__lte=now)
    found = [
        Todo(
            _("Endorsement is over: move the call on to review: %(call)s") % {"call": c.title},
            reverse("scholarships:manage_call", args=[c.pk]),
        )
        for c in over
    ]
    found += [
        Todo(
            _("The allocation awaits publication: %(call)s") % {"call": c.title},
            reverse("scholarships:manage_call", args=[c.pk]),
        )
        for c in calls.filter(status=Call.Status.ALLOCATION)
    ]
    return found
