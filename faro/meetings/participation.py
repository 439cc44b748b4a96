"""The person's places in meeting delegations, for the directory's 360° view."""

from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.participation import Line, Section
from faro.directory.models import Person
from faro.meetings.models import Participant


def sections(person: Person, user: User) -> list[Section]:
    places = (
        Participant.objects.for_user(user)
        .filter(person=person)
        .select_related("delegation__meeting", "delegation__member_state", "delegation__institution", "person")
        .order_by("-delegation__meeting__start_date")
    )
    lines = [
        Line(
            text=f"{p.delegation.meeting} — {p.delegation.name}",
            status=f"{p.role_label} · {p.delegation.get_status_display()}",
            when=p.delegation.meeting.start_date,
        )
        for p in places
    ]
    return [Section(title=_("Meeting delegations"), lines=lines)] if lines else []
