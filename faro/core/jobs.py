"""Background-job progress: a task creates a Job, ticks it, and the progress page polls it.

A job started with `task=` (and its JSON `args`) can be resumed when its worker died: the task
is queued again through the outbox, and every job task is written to finish only the rest.
"""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from faro.core import outbox
from faro.core.audit import log_action
from faro.core.models import Job


def start_job(
    *,
    kind: str,
    title: str,
    total: int,
    user: AbstractBaseUser | AnonymousUser | None = None,
    task: outbox.TaskRef | None = None,
    args: list[Any] | None = None,
) -> Job:
    """Create the job; with `task`, also queue `task(job.pk, *args)` on commit (through the outbox)."""
    created_by = user if getattr(user, "is_authenticated", False) else None
    job = Job.objects.create(
        kind=kind,
        title=title,
        total=total,
        created_by=created_by,  # type: ignore[misc]  # the AUTH_USER_MODEL, which core names without importing its app
        task=outbox.task_name(task) if task else "",
        args=list(args or []),
        heartbeat_at=timezone.now(),
    )
    if task:
        outbox.enqueue(job.task, job.pk, *job.args)
    return job


def heartbeat(job_id: int) -> None:
    Job.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())


def advance_job(job_id: int, *, by: int = 1) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + by, status=Job.Status.RUNNING, heartbeat_at=timezone.now())


def set_job_progress(job_id: int, *, done: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(done=done, total=total, status=Job.Status.RUNNING, heartbeat_at=timezone.now())


def finish_job(job_id: int, *, result: dict[str, Any] | None = None, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result or {}, message=message, heartbeat_at=timezone.now()
    )


def fail_job(job_id: int, *, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=message, heartbeat_at=timezone.now())


class JobNotResumable(Exception):
    """The job is running or done, or cannot be queued again."""


@transaction.atomic
def resume_job(job: Job, *, acting_user: AbstractBaseUser | AnonymousUser | None) -> Job:
    """Queue a stalled or failed job's task again; it finishes what is left."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.resumable:
        raise JobNotResumable
    job.status, job.message, job.heartbeat_at = Job.Status.QUEUED, "", timezone.now()
    job.save(update_fields=["status", "message", "heartbeat_at", "updated_at"])
    log_action(job, "core.job.resumed", user=acting_user, data={"done": job.done, "total": job.total})
    outbox.enqueue(job.task, job.pk, *job.args)
    return job
