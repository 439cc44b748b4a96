"""The person's webinar registrations and attendance (by each webinar's own rule), for the 360° view."""

from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.participation import Line, Section
from faro.directory.models import Person
from faro.webinars.models import Attendance, Registration, Webinar


def sections(person: Person, user: User) -> list[Section]:
    registrations = (
        Registration.objects.for_user(user)
        .filter(person=person)
        .select_related("webinar")
        .order_by("-webinar__starts_at")
    )
    visible = Webinar.objects.managed_by(user) if user.person_id != person.pk else Webinar.objects.all()
    attended = {
        a.webinar_id: a for a in Attendance.objects.filter(person=person, webinar__in=visible).select_related("webinar")
    }
    lines = [_line(r.webinar, r.get_status_display(), attended.pop(r.webinar_id, None)) for r in registrations]
    lines += [_line(a.webinar, _("Not registered"), a) for a in attended.values()]
    return [Section(title=_("Webinars"), lines=lines)] if lines else []


def _line(webinar: Webinar, registration: str, attendance: Attendance | None) -> Line:
    if attendance is None:
        presence = _("no attendance recorded")
    elif attendance.attended(webinar):
        presence = _("attended (%(minutes)s min)") % {"minutes": attendance.minutes}
    else:
        presence = _("joined %(minutes)s min: below the webinar's rule") % {"minutes": attendance.minutes}
    return Line(text=str(webinar), status=f"{registration} · {presence}", when=webinar.starts_at.date())
