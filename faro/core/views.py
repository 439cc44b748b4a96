from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

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


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a background job; refreshes itself until done (no JavaScript needed)."""
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    if request.GET.get("format") == "json":
        return JsonResponse(job.as_dict())
    back = safe_return_url(request, request.GET.get("next"))  # never `javascript:` or another site
    return render(request, "core/job_progress.html", {"job": job, "next": back})
