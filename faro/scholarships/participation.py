"""The person's scholarship applications and their outcomes, for the directory's 360° view."""

from django.urls import reverse
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.core.participation import Line, Section
from faro.directory.models import Person
from faro.scholarships.models import Application, Call


def sections(person: Person, user: User) -> list[Section]:
    applications = (
        Application.objects.for_user(user)
        .filter(person=person)
        .select_related("call", "outcome")
        .prefetch_related("offers__offering__course")
        .order_by("-call__opens_at")
    )
    managed = set(Call.objects.managed_by(user).values_list("pk", flat=True)) if _runs_calls(user) else set()
    lines = [
        Line(
            text=str(a.call),
            status=a.progress() if a.status != Application.Status.SUBMITTED else _status(a),
            url=reverse("scholarships:application_file", args=[a.pk]) if a.call_id in managed else "",
            when=a.submitted_at.date() if a.submitted_at else None,
        )
        for a in applications
    ]
    return [Section(title=_("Scholarship applications"), lines=lines)] if lines else []


def _runs_calls(user: User) -> bool:
    scope = scope_for(user)
    return scope.is_staff or scope.is_partner


def _status(application: Application) -> str:
    """Submitted: the published outcome (and offers), else where it stands."""
    outcome = getattr(application, "outcome", None)
    published = application.call.status in {Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED}
    if outcome and published:
        offers = "; ".join(f"{o.offering.course}: {o.get_status_display()}" for o in application.offers.all())
        return f"{outcome.get_result_display()}" + (f" — {offers}" if offers else "")
    return application.progress()
