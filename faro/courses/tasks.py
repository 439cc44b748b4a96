"""Background work for courses: importing a large results file. Tasks take primary keys."""

from typing import Any

from faro.lib.tasks import task


@task
def import_results_task(job_id: int, offering_id: int, path: str, options: dict[str, Any], user_id: int | None) -> None:
    from faro.courses.services import run_results_import

    run_results_import(job_id, offering_id, path, options, user_id)
