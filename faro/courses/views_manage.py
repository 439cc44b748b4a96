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
from faro.courses.forms import ContributionForm, CourseForm, OfferingForm, ResultsImportForm
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
        "enrolments": offering.enrolments.select_related("person__country"),
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


@login_required
def results_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → dry-run preview (nothing written) → commit the same file, all or nothing."""
    _require_manager(request)
    offering = get_object_or_404(Offering.objects.managed_by(request.user), pk=pk)
    key = f"courses-results-{offering.pk}"
    if request.method == "POST" and "commit" in request.POST and key in request.session:
        data = base64.b64decode(request.session.pop(key))
        if runs_in_background(data):
            job = services.start_results_import(offering, acting_user=request.user, data=data, filename="")
            manage_url = reverse("courses:manage_offering", args=[offering.pk])
            return redirect(reverse("core:job", args=[job.pk]) + f"?next={manage_url}")
        preview = services.preview_results(offering, io.BytesIO(data))
        try:
            counts = services.import_results(offering, preview, acting_user=request.user)
        except ImportRejected:
            return render(request, "courses/manage/results_preview.html", {"offering": offering, "preview": preview})
        messages.success(request, _("Results imported: %(n)s rows.") % {"n": sum(counts.values())})
        return redirect("courses:manage_offering", offering.pk)
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview = services.preview_results(offering, upload, filename=upload.name)
        if preview.ok:
            upload.seek(0)
            request.session[key] = base64.b64encode(upload.read()).decode()
        return render(request, "courses/manage/results_preview.html", {"offering": offering, "preview": preview})
    return render(request, "courses/manage/results_import.html", {"offering": offering, "form": form})
