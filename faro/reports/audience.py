"""Whose programmes a report covers: everything (staff), a partner's, or a member state's.

`audience_for(user, partner=..., state=...)` is the one place that decides which report a
user may open; anything else is a 404 (a partner asking for another partner's report, a
participant asking for any report).
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.directory.models import Institution, MemberState


@dataclass(frozen=True)
class Audience:
    """`None` means "not narrowed": staff see every programme and every member state."""

    institution_ids: frozenset[int] | None = None
    member_state_ids: frozenset[int] | None = None
    label: str = ""

    @property
    def is_everything(self) -> bool:
        return self.institution_ids is None and self.member_state_ids is None

    @property
    def query(self) -> str:
        """GET parameters that select this audience again (for links and downloads)."""
        if self.institution_ids is not None and len(self.institution_ids) == 1:
            return f"partner={next(iter(self.institution_ids))}"
        if self.member_state_ids is not None and len(self.member_state_ids) == 1:
            code = MemberState.objects.filter(pk__in=self.member_state_ids).values_list("code", flat=True).first()
            return f"state={code}"
        return ""


EVERYTHING = Audience()


def partner_audience(institution: Institution) -> Audience:
    return Audience(institution_ids=frozenset({institution.pk}), label=str(institution))


def state_audience(state: MemberState) -> Audience:
    return Audience(member_state_ids=frozenset({state.pk}), label=state.name)


def default_audience(user: Viewer) -> Audience | None:
    """The report a user sees by default, or None when they may see no report at all."""
    scope = scope_for(user)
    if scope.is_staff:
        return EVERYTHING
    if scope.institution_ids:
        names = ", ".join(str(i) for i in Institution.objects.filter(pk__in=scope.institution_ids))
        return Audience(institution_ids=scope.institution_ids, label=names)
    if scope.member_state_ids:
        names = ", ".join(s.name for s in MemberState.objects.filter(pk__in=scope.member_state_ids))
        return Audience(member_state_ids=scope.member_state_ids, label=names)
    return None


def sees_exact_figures(user: Viewer) -> bool:
    """Staff see exact figures on the dashboard, its workbook and PDF and the report API: they run
    the programmes, read every record by name in the back office, and reconcile the report with
    each programme's own page. Everyone else who may open a report (a partner coordinator, a focal
    point) gets it with small numbers suppressed by the impact page's rule (`wording`), so a report
    never tells them about fewer than 5 people, whatever form they download it in."""
    return scope_for(user).is_staff


def audience_for(user: Viewer, *, partner: str | None = None, state: str | None = None) -> Audience:
    """The audience asked for (?partner=<id> or ?state=<ISO code>) if the user may see it; else 404."""
    scope = scope_for(user)
    if partner:
        institution = Institution.objects.filter(pk=int(partner) if partner.isdigit() else -1).first()
        if institution is None or not (scope.is_staff or institution.pk in scope.institution_ids):
            raise Http404(_("No such report."))
        return partner_audience(institution)
    if state:
        member_state = MemberState.objects.filter(code=state.upper()[:2]).first()
        if member_state is None or not (scope.is_staff or member_state.pk in scope.member_state_ids):
            raise Http404(_("No such report."))
        return state_audience(member_state)
    audience = default_audience(user)
    if audience is None:
        raise Http404(_("No such report."))
    return audience
