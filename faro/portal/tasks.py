"""Background work of the portal: mailing delivery and the retention policy."""

from faro.lib.tasks import task
from faro.portal.services import delivery


@task
def deliver_mailing(mailing_id: int, job_id: int) -> dict[str, int]:
    """Send every recipient of a mailing that is due; safe to re-run (see `services.delivery`)."""
    return delivery.deliver(mailing_id, job_id)


@task
def deliver_mailing_job(job_id: int, mailing_id: int) -> dict[str, int]:
    """The same, in the job-task order (job first), for `start_job` and Resume."""
    return delivery.deliver(mailing_id, job_id)


@task
def apply_retention_task() -> dict[str, int]:
    """The scheduled run of the retention policy (also `manage.py apply_retention`)."""
    from faro.portal.services.privacy import apply_retention

    return apply_retention()
