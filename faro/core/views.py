from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.core.jobs import JobNotResumable, resume_job
from faro.core.models import Job
from faro.lib.redirects import safe_return_url


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a background job; refreshes itself until done (no JavaScript needed)."""
    job = _own_job(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(job.as_dict())
    back = safe_return_url(request, request.GET.get("next"))  # never `javascript:` or another site
    return render(request, "core/job_progress.html", {"job": job, "next": back})


@login_required
@require_POST
def job_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a stalled or failed job again; it finishes only what is left."""
    job = _own_job(request, pk)
    try:
        resume_job(job, acting_user=request.user)
    except JobNotResumable:
        messages.error(request, _("This job is still running or already finished, so there is nothing to resume."))
    else:
        messages.success(request, _("The job was resumed; it finishes what is left."))
    return redirect("core:job", pk=job.pk)
