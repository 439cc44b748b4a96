"""Catalogue management for staff and partner coordinators, and the completion import."""

import base64
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from faro.accounts.scope import scope_for
from faro.core.imports import ImportRejected, runs_in_background
from faro.core.models import AuditEntry
from faro.core.pagination import paginate
from faro.courses import services
from faro.courses.forms import ContributionForm, CourseForm, OfferingForm, ResultsCommitForm, ResultsImportForm
from faro.courses.importers import ResultsPreview, accepted_values, results_template_csv
from faro.courses.models import Course, Offering
from faro.directory.models import Institution


def _require_manager(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.is_staff or scope.is_partner):
        raise Http404


def _providers(request: HttpRequest) -> object:
    scope = scope_for(request.user)
    everyone = Institution.objects.all()
    return everyone if scope.is_staff else everyone.filter(pk__in=scope.institution_ids)


@login_required
def manage_courses(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    courses = Course.objects.managed_by(request.user).select_related("provider").prefetch_related("offerings")
    page = paginate(request, courses)
    return render(request, "courses/manage/courses.html", {"courses": page["page_obj"], **page})


@login_required
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(Course.objects.managed_by(request.user), pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course, providers=_providers(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "topics"}
        if course:
            services.update_course(course, acting_user=request.user, topics=form.cleaned_data["topics"], **data)
        else:
            course = services.create_course(acting_user=request.user, topics=form.cleaned_data["topics"], **data)
        messages.success(request, _("Course saved."))
        return redirect("courses:manage_course", course.pk)
    return render(request, "courses/manage/course_form.html", {"form": form, "course": course})


@login_required
def manage_course(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(Course.objects.managed_by(request.user), pk=pk)
    history = AuditEntry.objects.for_object(course)
    context = {"course": course, "offerings": course.offerings.all(), "history": history}
    return render(request, "courses/manage/course.html", context)


@login_required
def offering_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    course = get_object_or_404(Course.objects.managed_by(request.user), pk=pk)
    form = OfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offering = services.create_offering(course, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Offering added."))
        return redirect("courses:manage_offering", offering.pk)
    return render(request, "courses/manage/offering_form.html", {"form": form, "course": course})


@login_required
def manage_offering(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    offering = get_object_or_404(Offering.objects.managed_by(request.user), pk=pk)
    context = {
        "offering": offering,
        "enrolments": offering.enrolments.select_related("person__member_state"),
        "contributions": offering.contributions.select_related("institution"),
        "contribution_form": ContributionForm(),
        "import_form": ResultsImportForm(),
        "history": AuditEntry.objects.for_object(offering),
    }
    return render(request, "courses/manage/offering.html", context)


@login_required
def contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    offering = get_object_or_404(Offering.objects.managed_by(request.user), pk=pk)
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contribution(offering, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Contribution recorded."))
        return redirect("courses:manage_offering", offering.pk)
    return render(request, "courses/manage/contribution_form.html", {"form": form, "offering": offering})


def _managed_offering(request: HttpRequest, pk: int) -> Offering:
    _require_manager(request)
    return get_object_or_404(Offering.objects.managed_by(request.user), pk=pk)


@login_required
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written): per person the recorded and the new outcome."""
    offering = _managed_offering(request, pk)
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, no_outcome = form.cleaned_data["file"], form.cleaned_data["no_outcome"]
        preview = services.preview_results(offering, upload, filename=upload.name, no_outcome=no_outcome)
        upload.seek(0)
        request.session[_session_key(offering)] = {
            "data": base64.b64encode(upload.read()).decode(),
            "no_outcome": no_outcome,
        }
        return _render_preview(request, offering, preview, ResultsCommitForm())
    context = {"offering": offering, "form": form, "accepted": accepted_values()}
    return render(request, "courses/manage/results_import.html", context)


@login_required
def results_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Commit the previewed file, all or nothing; skipping error lines and confirming many changes are explicit."""
    offering = _managed_offering(request, pk)
    stored = request.session.get(_session_key(offering)) if request.method == "POST" else None
    if not stored:
        return redirect("courses:results_import", offering.pk)
    form = ResultsCommitForm(request.POST)
    form.is_valid()
    raw = base64.b64decode(stored["data"])
    if runs_in_background(raw):  # a large file: a background job, with the progress page
        options = {"no_outcome": stored["no_outcome"], **form.cleaned_data}
        job = services.start_results_import(offering, acting_user=request.user, data=raw, options=options)
        request.session.pop(_session_key(offering), None)
        manage_url = reverse("courses:manage_offering", args=[offering.pk])
        return redirect(reverse("core:job", args=[job.pk]) + f"?next={manage_url}")
    data = io.BytesIO(raw)
    preview = services.preview_results(offering, data, no_outcome=stored["no_outcome"])
    try:
        counts = services.import_results(offering, preview, acting_user=request.user, **form.cleaned_data)
    except ImportRejected:
        messages.error(request, _("Nothing was imported: tick the boxes below the table to go ahead."))
        return _render_preview(request, offering, preview, form)
    request.session.pop(_session_key(offering), None)
    messages.success(request, _("Results imported: %(n)s rows.") % {"n": sum(counts.values())})
    return redirect("courses:manage_offering", offering.pk)


@login_required
def results_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: one line per enrolled person, in the plain format."""
    offering = _managed_offering(request, pk)
    response = HttpResponse(results_template_csv(offering), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{offering.pk}.csv"'
    return response


def _session_key(offering: Offering) -> str:
    return f"courses-results-{offering.pk}"


def _render_preview(request: HttpRequest, offering: Offering, preview: ResultsPreview, form: object) -> HttpResponse:
    context = {"offering": offering, "preview": preview, "form": form, "accepted": accepted_values()}
    return render(request, "courses/manage/results_preview.html", context)
