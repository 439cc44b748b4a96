"""Meeting work waiting for a user: delegations to register or complete, delegations to accredit."""

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.core.todo import Todo
from faro.meetings.models import Delegation, Invitation, Meeting

OPEN = {Meeting.Status.PLANNED, Meeting.Status.CONFIRMED, Meeting.Status.MOVED_ONLINE}


def items(user: User) -> list[Todo]:
    scope = scope_for(user)
    found = []
    if scope.member_state_ids:
        found += _delegations_to_prepare(scope.member_state_ids)
    if scope.is_staff:
        found += _delegations_to_accredit()
    return found


def _upcoming() -> Any:
    return Meeting.objects.filter(status__in=OPEN, end_date__gte=timezone.localdate())


def _delegations_to_prepare(states: frozenset[int]) -> list[Todo]:
    found = []
    invitations = Invitation.objects.filter(meeting__in=_upcoming(), member_state_id__in=states)
    registered = set(
        Delegation.objects.filter(meeting__in=_upcoming(), member_state_id__in=states).values_list(
            "meeting_id", "member_state_id"
        )
    )
    for invitation in invitations.select_related("meeting", "member_state"):
        if (invitation.meeting_id, invitation.member_state_id) not in registered:
            found.append(
                Todo(
                    _("Register the delegation of %(state)s: %(meeting)s")
                    % {"state": invitation.member_state, "meeting": invitation.meeting.title},
                    reverse("meetings:delegations"),
                    invitation.meeting.start_date,
                )
            )
    unfinished = Delegation.objects.filter(
        meeting__in=_upcoming(),
        member_state_id__in=states,
        status__in=[Delegation.Status.DRAFT, Delegation.Status.CORRECTIONS],
    )
    for delegation in unfinished.select_related("meeting", "member_state"):
        found.append(
            Todo(
                _("Complete and submit the delegation of %(state)s: %(meeting)s")
                % {"state": delegation.member_state, "meeting": delegation.meeting.title},
                reverse("meetings:delegation", args=[delegation.pk]),
                delegation.meeting.start_date,
            )
        )
    return found


def _delegations_to_accredit() -> list[Todo]:
    waiting = (
        Delegation.objects.filter(meeting__in=_upcoming(), status=Delegation.Status.SUBMITTED)
        .values("meeting")
        .annotate(n=Count("pk"))
    )
    meetings = Meeting.objects.in_bulk([row["meeting"] for row in waiting])
    return [
        Todo(
            ngettext(
                "%(n)s delegation awaits accreditation: %(meeting)s",
                "%(n)s delegations await accreditation: %(meeting)s",
                row["n"],
            )
            % {"n": row["n"], "meeting": meetings[row["meeting"]].title},
            reverse("meetings:manage_meeting", args=[row["meeting"]]),
            meetings[row["meeting"]].start_date,
        )
        for row in waiting
    ]
