"""Staff pages: meetings, status, invitations, accreditation, agenda and documents."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import AuthenticatedRequest
from faro.core.fetch import get_for_user_or_404
from faro.core.models import AuditEntry
from faro.core.pagination import paginate
from faro.lib.collation import collation_key
from faro.meetings import services
from faro.meetings.forms import (
    DocumentFileForm,
    DocumentForm,
    MeetingForm,
    ObserverForm,
    ReviewForm,
    SessionForm,
    SessionRoleFormSet,
    StatusForm,
    formset_rows,
)
from faro.meetings.models import Delegation, Document, Meeting, Session


def staff_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, for staff only; anyone else gets 404."""
    if not scope_for(request.user).is_staff:
        raise Http404
    return get_for_user_or_404(Meeting, request.user, pk=pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    """Every meeting with its delegation counts; partners go to their observers page."""
    scope = scope_for(request.user)
    if not scope.is_staff:
        if scope.is_partner or scope.is_focal_point:
            return redirect("meetings:delegations")
        raise Http404
    meetings = Meeting.objects.annotate(delegation_count=Count("delegations")).select_related("host_country")
    page = paginate(request, meetings.order_by("-start_date", "-pk"))
    return render(request, "meetings/manage/list.html", {"meetings": page["page_obj"], **page})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_staff:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The meeting was created."))
        return redirect("meetings:manage_meeting", pk=meeting.pk)
    return render(request, "meetings/manage/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = staff_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.update_meeting(Meeting.objects.get(pk=meeting.pk), acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The meeting was saved."))
        return redirect("meetings:manage_meeting", pk=pk)
    context = {"form": form, "meeting": meeting}
    return render(request, "meetings/manage/meeting_form.html", context, status=400 if form.errors else 200)


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's staff page: status, invitations, delegations, agenda, documents, history."""
    meeting = staff_meeting(request, pk)
    delegations = meeting.delegations.select_related("member_state", "institution").annotate(size=Count("participants"))
    context = {
        "meeting": meeting,
        "delegations": sorted(delegations, key=lambda d: (d.is_observer, collation_key(d.name))),
        "invited": meeting.invitations.count(),
        "to_invite": len(services.states_to_invite(meeting)),
        "status_form": StatusForm(initial={"status": meeting.status}),
        "observer_form": ObserverForm(),
        "sessions": meeting.sessions.all(),
        "documents": meeting.documents.prefetch_related("files"),
        "history": AuditEntry.objects.for_object(meeting)[:20],
    }
    return render(request, "meetings/manage/meeting.html", context)


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = staff_meeting(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.change_meeting_status(
            meeting, acting_user=request.user, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
        messages.success(request, _("The status was changed and everyone registered was told."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("meetings:manage_meeting", pk=pk)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = staff_meeting(request, pk)
    created = services.invite_member_states(meeting, acting_user=request.user)
    messages.success(request, _("%(count)s member states were invited.") % {"count": len(created)})
    return redirect("meetings:manage_meeting", pk=pk)


@login_required
@require_POST
def add_observers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = staff_meeting(request, pk)
    form = ObserverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an institution."))
        return redirect("meetings:manage_meeting", pk=pk)
    try:
        delegation = services.register_observers(
            meeting, acting_user=request.user, institution=form.cleaned_data["institution"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("meetings:manage_meeting", pk=pk)
    return redirect("meetings:delegation", pk=delegation.pk)


@login_required
def review_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff accredit a delegation or send it back with what to correct."""
    if not scope_for(request.user).is_staff:
        raise Http404
    delegation = get_object_or_404(Delegation.objects.select_related("meeting", "member_state", "institution"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accredit":
                services.accredit_delegation(delegation, acting_user=request.user)
            else:
                services.request_corrections(delegation, acting_user=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The delegation is now: %(status)s.") % {"status": delegation.get_status_display()}
            )
            return redirect("meetings:manage_meeting", pk=delegation.meeting_id)
    context = {
        "delegation": delegation,
        "meeting": delegation.meeting,
        "participants": delegation.participants.select_related("person"),
        "form": form,
        "history": AuditEntry.objects.for_object(delegation)[:20],
    }
    return render(request, "meetings/manage/review.html", context, status=400 if form.errors else 200)


def _session_forms(request: HttpRequest, meeting: Meeting, session: Session | None) -> tuple[SessionForm, Any]:
    """The session form and its chairs-and-speakers formset, filled from `session` when editing."""
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"day": meeting.start_date}
    roles: list[dict[str, Any]] = []
    if session is not None:
        starts, ends = session.starts_at.astimezone(meeting.zone), session.ends_at.astimezone(meeting.zone)
        initial = {
            "title": session.title,
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "room": session.room,
        }
        roles = [{"role": r.role, "person": r.person_id, "name": r.name} for r in session.roles.all()]
    people = meeting.registered_people().order_by("last_name", "first_name")
    formset = SessionRoleFormSet(data, initial=roles, prefix="roles", form_kwargs={"people": people})
    return SessionForm(data, initial=initial), formset


def _session_page(request: HttpRequest, meeting: Meeting, session: Session | None) -> HttpResponse:
    """Add (`session` None) or edit a session with its chairs and speakers."""
    form, roles = _session_forms(request, meeting, session)
    if request.method == "POST" and form.is_valid() and roles.is_valid():
        fields = {"acting_user": request.user, "roles": formset_rows(roles), **form.cleaned_data}
        try:
            if session is None:
                services.add_session(meeting, **fields)
                messages.success(request, _("The session was added to the agenda."))
            else:
                services.update_session(session, **fields)
                messages.success(request, _("The session was saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("meetings:manage_meeting", pk=meeting.pk)
    context = {"form": form, "roles": roles, "meeting": meeting, "session": session}
    invalid = form.errors or roles.total_error_count()
    return render(request, "meetings/manage/session_form.html", context, status=400 if invalid else 200)


@login_required
def add_session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, staff_meeting(request, pk), None)


@login_required
def edit_session(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_for(request.user).is_staff:
        raise Http404
    session = get_object_or_404(Session.objects.select_related("meeting"), pk=pk)
    return _session_page(request, session.meeting, session)


@login_required
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = staff_meeting(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.add_document(
                meeting,
                acting_user=request.user,
                title=data["title"],
                visibility=data["visibility"],
                language=data["language"],
                upload=data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Document %(reference)s was added.") % {"reference": document.reference})
            return redirect("meetings:manage_meeting", pk=pk)
    context = {"form": form, "meeting": meeting, "heading": _("Add a document"), "multipart": True}
    return render(request, "meetings/manage/simple_form.html", context, status=400 if form.errors else 200)


@login_required
def document_files(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a language version of a document, or issue a revision (rev.N)."""
    if not scope_for(request.user).is_staff:
        raise Http404
    document = get_object_or_404(Document.objects.select_related("meeting"), pk=pk)
    form = DocumentFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        service = services.revise_document if request.POST.get("revise") else services.add_document_language
        try:
            service(
                document,
                acting_user=request.user,
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The document was updated."))
            return redirect("meetings:manage_meeting", pk=document.meeting_id)
    context = {"form": form, "document": document, "meeting": document.meeting}
    return render(request, "meetings/manage/document.html", context, status=400 if form.errors else 200)
