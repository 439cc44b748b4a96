"""Writes for courses: catalogue edits, enrolments and the completion import."""

import io
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.usertypes import Actor
from faro.core.audit import diff, log_action, snapshot
from faro.core.events import publish_event
from faro.core.imports import ImportRejected, RowError
from faro.core.jobs import fail_job, finish_job, set_job_progress, start_job
from faro.core.models import Job
from faro.courses.importers import ResultRow, ResultsPreview, parse_results
from faro.courses.models import Course, Enrolment, Offering, PartnerContribution
from faro.directory.models import Person


@transaction.atomic
def create_course(*, acting_user: Actor, topics: Any = (), **fields: Any) -> Course:
    """Create a course (unpublished unless `is_published` is given)."""
    course = Course.objects.create(**fields)
    if topics:
        course.topics.set(topics)
    log_action(course, "courses.course.created", user=acting_user, data={"title": dict(course.title)})
    return course


@transaction.atomic
def update_course(course: Course, *, acting_user: Actor, topics: Any = None, **fields: Any) -> Course:
    """Change a course's fields and record what changed."""
    before = snapshot(course)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    if topics is not None:
        course.topics.set(topics)
    log_action(course, "courses.course.updated", user=acting_user, changes=diff(before, snapshot(course)))
    return course


@transaction.atomic
def create_offering(course: Course, *, acting_user: Actor, **fields: Any) -> Offering:
    """Add a cohort to a course."""
    offering = Offering.objects.create(course=course, **fields)
    log_action(offering, "courses.offering.created", user=acting_user, data={"code": offering.code})
    return offering


@transaction.atomic
def update_offering(offering: Offering, *, acting_user: Actor, **fields: Any) -> Offering:
    """Change an offering's dates, seats, tutor or LMS link."""
    before = snapshot(offering)
    for name, value in fields.items():
        setattr(offering, name, value)
    offering.save()
    log_action(offering, "courses.offering.updated", user=acting_user, changes=diff(before, snapshot(offering)))
    return offering


@transaction.atomic
def add_contribution(offering: Offering, *, acting_user: Actor, **fields: Any) -> PartnerContribution:
    """Record what a partner contributes to an offering."""
    contribution = PartnerContribution.objects.create(offering=offering, **fields)
    log_action(
        offering,
        "courses.contribution.added",
        user=acting_user,
        data={"institution": contribution.institution_id, "kind": contribution.kind},
    )
    return contribution


@transaction.atomic
def enrol_person(
    offering: Offering, person: Person, *, acting_user: Actor, data: dict[str, Any] | None = None
) -> Enrolment:
    """Enrol `person` in `offering` (idempotent: an existing enrolment is returned)."""
    enrolment, created = Enrolment.objects.get_or_create(offering=offering, person=person)
    if created:
        log_action(enrolment, "courses.enrolment.created", user=acting_user, data=data or {})
    return enrolment


class ConfirmationNeeded(ImportRejected):
    """The import would change many recorded outcomes and was not explicitly confirmed."""


def preview_results(offering: Offering, upload: Any, *, filename: str = "", no_outcome: str = "keep") -> ResultsPreview:
    """Parse an LMS export against the offering's enrolments; nothing is written.

    `no_outcome` says what a row with neither grade nor completion means: keep, dropped or failed.
    """
    upload.seek(0)
    return parse_results(offering, upload.read(), no_outcome=no_outcome)


@transaction.atomic
def import_results(
    offering: Offering,
    preview: ResultsPreview,
    *,
    acting_user: Actor,
    skip_errors: bool = False,
    confirmed: bool = False,
) -> dict[str, int]:
    """Commit a preview: every row's outcome follows the course's certification rule.

    A refused file, or row errors the partner did not choose to skip, raise `ImportRejected`;
    changing the recorded outcome of more than a quarter of the enrolments needs `confirmed`
    (else `ConfirmationNeeded`). Either way nothing is written.
    """
    if preview.refused or (preview.errors and not skip_errors) or not preview.rows:
        raise ImportRejected(preview.errors or [RowError(1, preview.refused)])
    if preview.needs_confirmation and not confirmed:
        raise ConfirmationNeeded(preview.errors)
    counts = {outcome: 0 for outcome in Enrolment.Outcome.values}
    now = timezone.now()
    rows: list[ResultRow] = [row for row in preview.rows if row.outcome is not None]
    enrolments = Enrolment.objects.select_for_update().in_bulk([row.enrolment_id for row in rows])
    newly_completed = []
    for row in rows:
        enrolment = enrolments[row.enrolment_id]
        if row.outcome == Enrolment.Outcome.COMPLETED and enrolment.outcome != Enrolment.Outcome.COMPLETED:
            newly_completed.append(enrolment)
        enrolment.grade, enrolment.outcome, enrolment.outcome_recorded_at = row.grade, str(row.outcome), now
        counts[str(row.outcome)] += 1
    Enrolment.objects.bulk_update(enrolments.values(), ["grade", "outcome", "outcome_recorded_at"])
    data = {
        "rows": len(rows),
        **counts,
        "format": preview.kind,
        "changed": sum(row.changed for row in rows),
        "skipped_lines": [error.line for error in preview.errors],
        "left_unchanged": sum(row.outcome is None for row in preview.rows),
    }
    log_action(offering, "courses.results.imported", user=acting_user, data=data)
    _announce_completions(offering, newly_completed)
    return counts


def start_results_import(offering: Offering, *, acting_user: Actor, data: bytes, options: dict[str, Any]) -> Job:
    """Keep a large results file and import it in a background job (the progress page follows it).

    `options` are the choices made on the preview: `no_outcome`, `skip_errors`, `confirmed`.
    """
    from faro.courses.tasks import import_results_task

    path = default_storage.save(f"courses/results-imports/{uuid.uuid4().hex}.dat", ContentFile(data))
    title = _("Results import: %(offering)s") % {"offering": offering}
    args = [offering.pk, path, options, getattr(acting_user, "pk", None)]
    return start_job(
        kind="courses.results", title=title[:200], total=1, user=acting_user, task=import_results_task, args=args
    )


def run_results_import(job_id: int, offering_id: int, path: str, options: dict[str, Any], user_id: int | None) -> None:
    """The body of the background import: parse, then commit all or nothing, and report on the job."""
    from faro.accounts.models import User

    if Job.objects.filter(pk=job_id, status__in=[Job.Status.DONE, Job.Status.FAILED]).exists():
        return  # a late duplicate of a finished job
    offering = Offering.objects.get(pk=offering_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if not default_storage.exists(path):
        fail_job(job_id, message=_("The file is no longer kept; upload it again."))
        return
    set_job_progress(job_id, done=0, total=1)
    with default_storage.open(path, "rb") as handle:
        preview = preview_results(offering, io.BytesIO(handle.read()), no_outcome=options.get("no_outcome", "keep"))
    try:
        counts = import_results(
            offering,
            preview,
            acting_user=user,
            skip_errors=bool(options.get("skip_errors")),
            confirmed=bool(options.get("confirmed")),
        )
    except ImportRejected as error:
        fail_job(job_id, message=_("%(n)s rows have errors; nothing was imported.") % {"n": len(error.errors)})
    else:
        finish_job(job_id, result=counts, message=_("Results imported: %(n)s rows.") % {"n": sum(counts.values())})
    default_storage.delete(path)


def _announce_completions(offering: Offering, enrolments: list[Enrolment]) -> None:
    """Tell the offering's partners (provider and contributors; their webhooks), after commit."""
    if not enrolments:
        return
    partners = {offering.course.provider_id, *offering.contributions.values_list("institution_id", flat=True)}
    completed = [
        {"enrolment": e.pk, "person": e.person_id, "grade": None if e.grade is None else str(e.grade)}
        for e in enrolments
    ]
    payload = {"offering": offering.pk, "course": offering.course_id, "completed": completed}
    publish_event("enrolment.completed", payload, institution_ids=partners)
