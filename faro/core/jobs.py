"""Background-job progress: a task creates a Job, ticks it, and the progress page polls it."""

from typing import Any

from django.db.models import F

from faro.core.models import Job


def start_job(*, kind: str, title: str, total: int, user: Any = None) -> Job:
    created_by = user if getattr(user, "is_authenticated", False) else None
    return Job.objects.create(kind=kind, title=title, total=total, created_by=created_by)


def advance_job(job_id: int, *, by: int = 1) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + by, status=Job.Status.RUNNING)


def finish_job(job_id: int, *, result: dict[str, Any] | None = None, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, result=result or {}, message=message)


def fail_job(job_id: int, *, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=message)
