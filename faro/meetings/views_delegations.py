"""Pages for those who register delegations: focal points (their state) and partners (observers)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import AuthenticatedRequest, Viewer
from faro.core.fetch import get_for_user_or_404
from faro.directory.models import Institution, MemberState
from faro.lib.uploads import private_download
from faro.meetings import services
from faro.meetings.forms import CredentialsForm, ParticipantForm
from faro.meetings.models import Delegation, Meeting, Participant


def _editable_delegation(request: HttpRequest, pk: int) -> Delegation:
    """The delegation if the viewer registers it; another country's delegation is a 404."""
    queryset = Delegation.objects.managed_by(request.user).select_related("meeting", "member_state", "institution")
    return get_object_or_404(queryset, pk=pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def open_registrations(user: Viewer) -> list[tuple[Meeting, MemberState | None, Institution | None]]:
    """(meeting, state, institution) pairs the user may still open a delegation for."""
    scope = scope_for(user)
    today = timezone.localdate()
    open_meetings = Meeting.objects.exclude(status__in=["cancelled", "held"]).filter(end_date__gte=today)
    pairs: list[tuple[Meeting, MemberState | None, Institution | None]] = []
    for state in MemberState.objects.filter(pk__in=scope.member_state_ids):
        for meeting in open_meetings.filter(invitations__member_state=state).exclude(delegations__member_state=state):
            pairs.append((meeting, state, None))
    for institution in Institution.objects.filter(pk__in=scope.institution_ids):
        for meeting in open_meetings.filter(is_public=True).exclude(delegations__institution=institution):
            pairs.append((meeting, None, institution))
    return pairs


@login_required
def delegations(request: HttpRequest) -> HttpResponse:
    """The focal point's (or partner's) page: meetings to register for and their delegations."""
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_focal_point or scope.is_partner):
        raise Http404
    mine = (
        Delegation.objects.managed_by(request.user)
        .filter(meeting__end_date__gte=timezone.localdate())
        .select_related("meeting", "member_state", "institution")
        .order_by("meeting__start_date")
    )
    context = {"delegations": mine, "open": open_registrations(request.user)}
    return render(request, "meetings/delegations.html", context)


@login_required
@require_POST
def register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open the state's delegation (focal point) or the institution's observers (partner)."""
    meeting = get_for_user_or_404(Meeting, request.user, pk=pk)
    try:
        if request.POST.get("member_state"):
            state = get_object_or_404(MemberState, pk=request.POST["member_state"])
            delegation = services.register_delegation(meeting, acting_user=request.user, member_state=state)
        else:
            institution = get_object_or_404(Institution, pk=request.POST.get("institution") or 0)
            delegation = services.register_observers(meeting, acting_user=request.user, institution=institution)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("meetings:delegations")
    return redirect("meetings:delegation", pk=delegation.pk)


def _render_delegation(request: HttpRequest, delegation: Delegation, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "delegation": delegation,
        "meeting": delegation.meeting,
        "participants": delegation.participants.select_related("person").order_by("role", "person__last_name"),
        "participant_form": forms.get("participant_form")
        or ParticipantForm(observer=delegation.is_observer, initial={"preferred_language": request.LANGUAGE_CODE}),
        "credentials_form": forms.get("credentials_form") or CredentialsForm(),
    }
    return render(request, "meetings/delegation.html", context, status=status)


@login_required
def delegation(request: HttpRequest, pk: int) -> HttpResponse:
    """One delegation: its people, the credentials letter, submission for accreditation."""
    return _render_delegation(request, _editable_delegation(request, pk))


@login_required
@require_POST
def add_participant(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _editable_delegation(request, pk)
    form = ParticipantForm(request.POST, observer=delegation.is_observer)
    if form.is_valid():
        try:
            services.add_participant(delegation, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": form.cleaned_data["first_name"]})
            return redirect("meetings:delegation", pk=pk)
    return _render_delegation(request, delegation, status=400, participant_form=form)


@login_required
@require_POST
def remove_participant(request: HttpRequest, pk: int) -> HttpResponse:
    editable = Delegation.objects.managed_by(request.user)
    participant = get_object_or_404(Participant.objects.filter(delegation__in=editable), pk=pk)
    try:
        services.remove_participant(participant, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("meetings:delegation", pk=participant.delegation_id)


@login_required
@require_POST
def upload_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _editable_delegation(request, pk)
    form = CredentialsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_credentials(delegation, acting_user=request.user, upload=form.cleaned_data["credentials"])
        except ValidationError as error:
            form.add_error("credentials", error)
        else:
            messages.success(request, _("The credentials letter was uploaded."))
            return redirect("meetings:delegation", pk=pk)
    return _render_delegation(request, delegation, status=400, credentials_form=form)


@login_required
def credentials(request: HttpRequest, pk: int) -> FileResponse:
    """The credentials letter, for the delegation's focal point and staff."""
    delegation = _editable_delegation(request, pk)
    if not delegation.credentials:
        raise Http404
    return private_download(delegation.credentials.open("rb"), name=f"credentials-{delegation.pk}")


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submitting, asked first (the delegation is then locked until the Secretariat answers)."""
    delegation = _editable_delegation(request, pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        context = {"delegation": delegation, "participants": delegation.participants.select_related("person")}
        return render(request, "meetings/delegation_submit.html", context)
    try:
        services.submit_delegation(delegation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The delegation was sent to the Secretariat for accreditation."))
    return redirect("meetings:delegation", pk=pk)
