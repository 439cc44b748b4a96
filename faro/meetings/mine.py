"""The meeting delegations I am part of, for My page."""

from typing import Any

from django.utils.translation import gettext as _

from faro.core.mine import MyItem, MySection
from faro.meetings.models import Participant


def sections(user: Any) -> list[MySection]:
    mine = (
        Participant.objects.filter(person_id=user.person_id)
        .select_related("delegation__meeting", "delegation__member_state")
        .order_by("-delegation__meeting__pk")
    )
    items = [
        MyItem(
            f"{p.delegation.meeting.title} — {p.delegation.member_state}",
            p.delegation.meeting.get_absolute_url(),
            p.get_role_display(),
        )
        for p in mine
    ]
    return [MySection(_("My meeting delegations"), items)] if items else []
