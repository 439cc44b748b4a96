"""Staff and partner pages: webinars, registrants and exports, attendance import, survey results."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.decorators import require_staff, staff_required
from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.choices import keep_choices
from faro.core.imports import ImportRejected
from faro.core.models import AuditEntry
from faro.core.pagination import paginate
from faro.lib import cells
from faro.lib.xlsx import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_chunks, workbook_file
from faro.webinars import services
from faro.webinars.attendance.samples import SAMPLE_FILES
from faro.webinars.forms import (
    AttendanceUploadForm,
    QuestionFormSet,
    RegistrantFilterForm,
    SpeakerFormSet,
    WebinarForm,
    formset_rows,
)
from faro.webinars.models import AttendanceImport, Registration, SurveyResponse, Webinar
from faro.webinars.services import attendance as attendance_service


def get_manageable_or_404(user: Viewer, pk: int) -> Webinar:
    """A webinar the user may manage (staff: any; partner: co-organised), else 404."""
    return get_object_or_404(Webinar.objects.managed_by(user), pk=pk)


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_partner):
        raise Http404
    webinars = Webinar.objects.managed_by(request.user).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )
    status = request.GET.get("status", "")
    if status:
        webinars = webinars.filter(status=status)
    page = paginate(request, webinars.order_by("-starts_at", "-pk"))
    return render(
        request,
        "webinars/manage/list.html",
        {"webinars": page["page_obj"], **page, "status": status, "statuses": Webinar.Status.choices},
    )


def _edit_forms(request: HttpRequest, webinar: Webinar | None) -> tuple[WebinarForm, Any, Any]:
    data = request.POST if request.method == "POST" else None
    speakers = (
        [
            {
                "name": s.name,
                "role": s.role,
                "gender": s.gender,
                "institution": s.institution,
                "country_code": s.country_code,
            }
            for s in webinar.speakers.all()
        ]
        if webinar
        else []
    )
    questions = (
        [{"id": q.pk, "label": q.label, "required": q.required} for q in webinar.questions.all()] if webinar else []
    )
    return (
        WebinarForm(data, instance=webinar),
        SpeakerFormSet(data, initial=speakers, prefix="speakers"),
        QuestionFormSet(data, initial=questions, prefix="questions"),
    )


@staff_required
def manage_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a webinar with its speakers and extra questions (staff only)."""
    webinar = get_manageable_or_404(request.user, pk) if pk else None
    form, speakers, questions = _edit_forms(request, webinar)
    if request.method == "POST" and form.is_valid() and speakers.is_valid() and questions.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"topics", "partners"}}
        related = {
            "topics": form.cleaned_data["topics"],
            "partners": form.cleaned_data["partners"],
            "speakers": formset_rows(speakers),
            "questions": formset_rows(questions),
        }
        try:
            if webinar:
                webinar = services.update_webinar(webinar, acting_user=request.user, fields=fields, **related)
            else:
                webinar = services.create_webinar(acting_user=request.user, fields=fields, **related)
        except services.WebinarError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Webinar saved."))
            return redirect(webinar.get_manage_url())
    context = {"webinar": webinar, "form": form, "speakers": speakers, "questions": questions}
    return render(request, "webinars/manage/edit.html", context)


@login_required
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    webinar = get_manageable_or_404(request.user, pk)
    counts = dict(webinar.registrations.values_list("status").annotate(n=Count("pk")))
    context = {
        "webinar": webinar,
        "counts": counts,
        "attended": webinar.attended_people().count(),
        "imports": webinar.attendance_imports.filter(status=AttendanceImport.Status.APPLIED),
        "history": AuditEntry.objects.for_object(webinar)[:30],
    }
    return render(request, "webinars/manage/detail.html", context)


TRANSITIONS: dict[str, Callable[..., Webinar]] = {
    "publish": services.publish_webinar,
    "hold": services.mark_webinar_held,
    "close": services.close_webinar,
    "cancel": services.cancel_webinar,
}


@staff_required
@require_POST
def manage_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, mark held, close or cancel (staff only)."""
    webinar = get_manageable_or_404(request.user, pk)
    if request.POST.get("action") == "cancel":
        return redirect("webinars:webinar_cancel", webinar.pk)  # cancelling mails everyone: ask first
    action = TRANSITIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect(webinar.get_manage_url())
    try:
        action(webinar, acting_user=request.user)
    except services.WebinarError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Status changed."))
    return redirect(webinar.get_manage_url())


@staff_required
def manage_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancelling, asked first: what happens and how many registrants are mailed; the form cancels."""
    webinar = get_manageable_or_404(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.cancel_webinar(webinar, acting_user=request.user)
        except services.WebinarError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The webinar is cancelled; its registrants are being told."))
        return redirect(webinar.get_manage_url())
    mailed = Registration.objects.active().filter(webinar=webinar).count()
    return render(request, "webinars/manage/cancel.html", {"webinar": webinar, "mailed": mailed})


REGISTRANT_COLUMNS = (
    "person_visible",
    "shown_name",
    "person__first_name",
    "person__last_name",
    "person__email",
    "shown_member_state_code",
    "shown_position",
    "status",
    "language",
    "created_at",
    "answers",
)


def _registrant_rows(registrations: Any, questions: list[Any]) -> Iterator[list[Any]]:
    """One row per registration, read as plain values a chunk at a time (no model instances). A person
    the viewer's scope does not cover appears under the name as entered, without directory details."""
    statuses = {value: str(label) for value, label in Registration.Status.choices}  # translated now
    keys = [str(q.pk) for q in questions]
    rows = registrations.values_list(*REGISTRANT_COLUMNS).iterator(chunk_size=2000)
    for visible, shown, first, last, email, country, position, status, language, created, answers in rows:
        yield [
            first if visible else shown,
            last if visible else "",
            email or "",
            country or "",
            position or "",
            statuses.get(status, status),
            language,
            created.strftime("%Y-%m-%d %H:%M"),
            *[(answers or {}).get(key, "") for key in keys],
        ]


def _export(webinar: Webinar, registrations: Any, kind: str) -> HttpResponseBase:
    """Streamed: the CSV a few hundred lines at a time, the XLSX from a temporary file."""
    questions = list(webinar.questions.all())
    header = [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Member state"),
        _("Position"),
        _("Status"),
        _("Language"),
        _("Registered (UTC)"),
        *[str(q.label) for q in questions],
    ]
    rows = _registrant_rows(registrations, questions)
    filename = f"webinar-{webinar.pk}-registrants.{kind}"
    if kind == "xlsx":
        workbook = workbook_file([(_("Registrants"), header, rows)])
        return FileResponse(workbook, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def manage_registrants(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Registrants with filters; `?format=csv` or `xlsx` exports what the filters select."""
    webinar = get_manageable_or_404(request.user, pk)
    form = RegistrantFilterForm(request.GET or None)
    keep_choices(form.fields["member_state"], "webinars:registrants:member_state")
    filters = form.cleaned_data if form.is_valid() else {}
    rows = services.registrants(
        webinar,
        viewer=request.user,
        status=filters.get("status", ""),
        member_state=filters.get("member_state", ""),
        query=filters.get("q", ""),
    )
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        return _export(webinar, rows, export)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    page = paginate(request, rows)
    context = {
        "webinar": webinar,
        "form": form,
        "registrations": page["page_obj"],
        "rows": _registrants_table(page["page_obj"]),
        "page_obj": page["page_obj"],
        "page_query": page["query"],
        "total": page["page_obj"].paginator.count,
        "query": query.urlencode(),
    }
    return render(request, "webinars/manage/registrants.html", context)


def _registrants_table(registrations: Iterable[Registration]) -> SafeString:
    """The page's rows as `webinars/manage/registrants.html` used to write them in its loop, written here:
    the cells escaped as the engine escapes them (`faro.lib.cells`), each status's label translated once."""
    statuses = {value: str(label) for value, label in Registration.Status.choices}
    rows = [
        "\n  <tr>\n"
        f"    <td>{cells.text(row.shown_name)}</td>\n"  # type: ignore[attr-defined]  # annotated by shown_to
        f"    <td>{cells.or_dash(row.person.email)}</td>\n"
        f"    <td>{cells.or_dash(row.shown_member_state_name)}</td>\n"
        f"    <td>{cells.text(statuses.get(row.status, row.status))}</td>\n"
        f"    <td>{cells.date_text(row.created_at, 'SHORT_DATETIME_FORMAT')}</td>\n"
        "  </tr>\n  "
        for row in registrations
    ]
    return mark_safe("".join(rows))


@login_required
def manage_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an attendance file; the next page previews it."""
    webinar = get_manageable_or_404(request.user, pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = attendance_service.upload_attendance_file(
                webinar, acting_user=request.user, data=upload.read(), filename=upload.name
            )
        except services.WebinarError as error:
            form.add_error("file", str(error))
        else:
            return redirect("webinars:attendance_import_preview", webinar.pk, saved.pk)
    samples = sorted(SAMPLE_FILES) if scope_for(request.user).is_staff else []
    return render(request, "webinars/manage/import.html", {"webinar": webinar, "form": form, "samples": samples})


@login_required
def manage_import_preview(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """The dry run with per-row errors; POST applies it, all or nothing."""
    webinar = get_manageable_or_404(request.user, pk)
    upload = get_object_or_404(webinar.attendance_imports, pk=upload_pk, status=AttendanceImport.Status.PREVIEW)
    if request.method == "POST" and attendance_service.upload_is_large(upload):
        job = attendance_service.start_attendance_import(upload, acting_user=request.user)
        attendance_url = reverse("webinars:manage_attendance", args=[webinar.pk])
        return redirect(reverse("core:job", args=[job.pk]) + f"?next={attendance_url}")
    if request.method == "POST":
        try:
            plan = attendance_service.apply_upload(upload, acting_user=request.user)
        except (ImportRejected, services.WebinarError) as error:
            messages.error(
                request,
                str(error)
                if isinstance(error, services.WebinarError)
                else _("The file has errors; nothing was imported."),
            )
            return redirect(request.path)
        if plan.already_imported:
            messages.info(request, _("This file had already been imported; nothing changed."))
        else:
            messages.success(request, _("Attendance imported."))
        return redirect("webinars:manage_attendance", webinar.pk)
    plan = attendance_service.preview_upload(upload)
    return render(
        request,
        "webinars/manage/import_preview.html",
        {
            "webinar": webinar,
            "upload": upload,
            "plan": plan,
            "counts": plan.counts,
            "rows": attendance_service.preview_rows(webinar, plan),
        },
    )


@staff_required
def manage_import_sample(request: HttpRequest, pk: int, sample: str) -> HttpResponse:
    """Staff download a sample of each attendance export Faro reads."""
    webinar = get_manageable_or_404(request.user, pk)
    if sample not in SAMPLE_FILES:
        raise Http404
    response = HttpResponse(SAMPLE_FILES[sample](), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{sample}-sample-{webinar.pk}.csv"'
    return response


@login_required
def manage_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    webinar = get_manageable_or_404(request.user, pk)
    rows = attendance_service.attendance_rows(webinar, viewer=request.user)
    context = {"webinar": webinar, "rows": rows, "attended": sum(1 for _row, ok in rows if ok)}
    return render(request, "webinars/manage/attendance.html", context)


@login_required
def manage_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """Survey results per webinar; POST (staff) invites the attendees who were not invited yet."""
    webinar = get_manageable_or_404(request.user, pk)
    if request.method == "POST":
        require_staff(request.user)
        try:
            sent = services.send_survey_invitations(webinar, acting_user=request.user)
        except services.WebinarError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)d survey invitation(s) sent.") % {"count": sent})
        return redirect("webinars:manage_survey", webinar.pk)
    responses = webinar.survey_responses.all()
    averages = responses.aggregate(**{name: Avg(name) for name in SurveyResponse.RATINGS})
    ratings = [(SurveyResponse.rating_label(name), averages[name]) for name in SurveyResponse.RATINGS]
    comments = responses.exclude(comment="").values_list("comment", flat=True)
    invited = webinar.attendances.filter(survey_sent_at__isnull=False).count()
    context = {
        "webinar": webinar,
        "ratings": ratings,
        "count": responses.count(),
        "comments": comments,
        "invited": invited,
    }
    return render(request, "webinars/manage/survey.html", context)
