"""The meeting delegations I am part of, for My page."""

from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.mine import MyItem, MySection
from faro.meetings.models import Participant


def sections(user: User) -> list[MySection]:
    mine = (
        Participant.objects.filter(person_id=user.person_id)  # type: ignore[misc]  # a user with no person has none
        .select_related("delegation__meeting", "delegation__member_state", "person")
        .order_by("-delegation__meeting__pk")
    )
    items = [
        MyItem(
            f"{p.delegation.meeting.title} — {p.delegation.member_state}",
            p.delegation.meeting.get_absolute_url(),
            p.role_label,
        )
        for p in mine
    ]
    return [MySection(_("My meeting delegations"), items)] if items else []
