"""Background work: the bulk issue of a source's certificates (takes primary keys)."""

from faro.lib.tasks import task


@task
def issue_certificates_task(job_id: int, kind: str, source_id: int, template_id: int, user_id: int | None) -> None:
    from faro.certificates.services import run_bulk_issue

    run_bulk_issue(job_id, kind, source_id, template_id, user_id)
