"""Staff pages for the days of the meeting: badges, check-in (phone-friendly) and the list of participants."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.usertypes import AuthenticatedRequest
from faro.lib.collation import language_choices
from faro.lib.text import fold
from faro.lib.xlsx import XLSX_CONTENT_TYPE
from faro.meetings import services
from faro.meetings.forms import CheckInForm
from faro.meetings.models import Attendance, Meeting, Participant, Session
from faro.meetings.views_manage import staff_meeting


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("language", "")
    return wanted if wanted in dict(settings.LANGUAGES) else request.LANGUAGE_CODE


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def badges(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable badges (PDF) for every accredited participant."""
    from faro.meetings import printing  # ReportLab: loaded by the first print, not by every worker

    meeting = staff_meeting(request, pk)
    return _download(printing.badges_pdf(meeting, _language(request)), "application/pdf", f"badges-{meeting.pk}.pdf")


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of participants by delegation, on screen or as PDF/XLSX, in the chosen language."""
    from faro.meetings import printing  # ReportLab: loaded by the first print, not by every worker

    meeting = staff_meeting(request, pk)
    language = _language(request)
    kind = request.GET.get("format")
    if kind == "pdf":
        content = printing.participants_pdf(meeting, language)
        return _download(content, "application/pdf", f"participants-{meeting.pk}-{language}.pdf")
    if kind == "xlsx":
        content = printing.participants_xlsx(meeting, language)
        return _download(content, XLSX_CONTENT_TYPE, f"participants-{meeting.pk}-{language}.xlsx")
    context = {
        "meeting": meeting,
        "groups": printing.participant_groups(meeting, language),
        "language": language,
        "language_options": language_choices(),
    }
    return render(request, "meetings/manage/participants.html", context)


def _default_day(meeting: Meeting) -> datetime.date:
    today = timezone.localdate(timezone=meeting.zone)
    return today if meeting.start_date <= today <= meeting.end_date else meeting.start_date


def _search(meeting: Meeting, query: str) -> list[Participant]:
    """Accredited participants whose name holds every word, accents and case aside."""
    words = fold(query).split()
    if not words:
        return []
    everyone = Participant.objects.of_meeting(meeting).filter(delegation__status="accredited")
    return [p for p in everyone if all(w in fold(p.person.full_name) for w in words)][:20]


def _day(value: str, meeting: Meeting) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return _default_day(meeting)


def _checkin_context(request: HttpRequest, meeting: Meeting, form: CheckInForm) -> dict[str, Any]:
    day = _day(form.data.get("day") or request.GET.get("day") or "", meeting)
    query = request.GET.get("q", "")
    present = Attendance.objects.filter(participant__delegation__meeting=meeting, day=day)
    return {
        "meeting": meeting,
        "form": form,
        "day": day,
        "session": str(form.data.get("session") or request.GET.get("session") or ""),
        "sessions": meeting.sessions.all(),
        "query": query,
        "results": _search(meeting, query),
        "present": present.values("participant").distinct().count(),
    }


def _record(request: AuthenticatedRequest, meeting: Meeting, form: CheckInForm) -> tuple[Participant, bool]:
    data = form.cleaned_data
    if data.get("code"):
        participant = services.find_badge(meeting, data["code"])
    else:
        found = Participant.objects.of_meeting(meeting).filter(pk=data["participant"]).first()
        if found is None:
            raise ValidationError(_("This person is not registered for this meeting."))
        participant = found
    session = Session.objects.filter(meeting=meeting, pk=data["session"]).first() if data.get("session") else None
    if data.get("session") and session is None:
        raise ValidationError(_("That session is not part of this meeting."))
    _attendance, created = services.check_in(participant, acting_user=request.user, day=data["day"], session=session)
    return participant, created


@login_required
def checkin(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Scan a badge (the scanner types into the code field) or search a name; idempotent."""
    meeting = staff_meeting(request, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant, created = _record(request, meeting, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = participant.person.full_name
            text = _("%(name)s is checked in.") if created else _("%(name)s was already checked in; nothing changed.")
            messages.success(request, text % {"name": name})
            query = urlencode(
                {"day": form.cleaned_data["day"].isoformat(), "session": form.cleaned_data["session"] or ""}
            )
            return redirect(f"{reverse('meetings:checkin', args=[pk])}?{query}")
    status = 400 if form.errors else 200
    return render(request, "meetings/manage/checkin.html", _checkin_context(request, meeting, form), status=status)
