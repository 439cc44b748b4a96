"""Public pages: the list of meetings, one meeting with its agenda and documents."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fetch import get_for_user_or_404
from faro.core.pagination import paginate
from faro.lib.uploads import private_download
from faro.meetings.models import Delegation, Document, Meeting, Participant


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings the viewer may see, and one page of the past ones."""
    today = timezone.localdate()
    meetings = Meeting.objects.for_user(request.user).select_related("host_country")
    page = paginate(request, meetings.past(today).order_by("-start_date", "-pk"))
    context = {"upcoming": meetings.upcoming(today), "past": page["page_obj"], **page}
    return render(request, "meetings/list.html", context)


def is_registered(user: Viewer, meeting: Meeting) -> bool:
    """Staff, and anyone in (or registering) one of the meeting's delegations."""
    scope = scope_for(user)
    if scope.is_staff:
        return True
    return Delegation.objects.for_user(user).filter(meeting=meeting).exists()


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: where and when, agenda in venue and viewer time, documents, online link."""
    meeting = get_for_user_or_404(Meeting, request.user, pk=pk)
    documents = Document.objects.for_user(request.user).filter(meeting=meeting).prefetch_related("files")
    context = {
        "meeting": meeting,
        "sessions": meeting.sessions.prefetch_related("roles__person"),
        "priority_areas": meeting.priority_areas.all(),
        "documents": documents,
        "registered": is_registered(request.user, meeting),
        "my_registrations": Participant.objects.for_user(request.user)
        .filter(delegation__meeting=meeting, person_id=scope_for(request.user).person_id or 0)
        .select_related("person", "delegation__member_state", "delegation__institution"),
        "viewer_zone": timezone.get_current_timezone_name(),
    }
    return render(request, "meetings/detail.html", context)


def document_file(request: HttpRequest, pk: int, language: str) -> FileResponse:
    """One language version of a document, if the viewer may see the document."""
    document = get_for_user_or_404(Document, request.user, pk=pk)
    item = document.files.filter(language=language).first()
    if item is None:
        raise Http404
    name = f"{document.reference.replace('/', '-').replace(' ', '')}-{language}"
    return private_download(item.file.open("rb"), name=name)
