"""The person's course enrolments and outcomes, for the directory's 360° view."""

from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.participation import Line, Section
from faro.courses.models import Enrolment
from faro.directory.models import Person


def sections(person: Person, user: User) -> list[Section]:
    enrolments = (
        Enrolment.objects.for_user(user)
        .filter(person=person)
        .select_related("offering__course")
        .order_by("-offering__start")
    )
    lines = [
        Line(
            text=str(e.offering),
            status=e.get_outcome_display() + (f" ({e.grade})" if e.grade is not None else ""),
            when=e.offering.start,
        )
        for e in enrolments
    ]
    return [Section(title=_("Course enrolments"), lines=lines)] if lines else []
