"""My page's "Waiting for you": a focal point's delegations to register or finish; staff's to accredit."""

from django.test import Client
from django.urls import reverse

from conftest import state_of
from faro.accounts.models import User
from faro.core.todo import todo_for
from faro.meetings import services
from faro.meetings.models import Delegation, Meeting


def test_the_focal_point_is_asked_to_register_then_to_finish_the_delegation(
    client: Client, meeting: Meeting, focal_point: User, staff: User, outsider: User
) -> None:
    services.invite_member_states(meeting, acting_user=None)
    [item] = todo_for(focal_point)
    assert item.text == "Register the delegation of Jamaica: XIII Regular Meeting of the CIP"
    assert item.due == meeting.start_date
    delegation = services.register_delegation(meeting, acting_user=focal_point, member_state=state_of(focal_point))
    [item] = todo_for(focal_point)
    assert item.text.startswith("Complete and submit the delegation of Jamaica")
    assert item.url == reverse("meetings:delegation", args=[delegation.pk])
    assert not todo_for(outsider)
    assert not todo_for(staff)  # Haiti's official; staff have nothing to accredit yet

    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    assert not todo_for(focal_point)
    [item] = todo_for(staff)
    assert item.text == "1 delegation awaits accreditation: XIII Regular Meeting of the CIP"
    client.force_login(staff)
    assert item.text in client.get(reverse("accounts:me")).text

    services.change_meeting_status(meeting, acting_user=None, status=Meeting.Status.CANCELLED)
    assert not todo_for(staff)  # nothing to do for a cancelled meeting
