"""Attendance import: a parsed Zoom/Teams report → people and minutes attended, all or nothing.

Each attendee is matched to a registration by email (any case), then by name (accent- and
case-free); then to a known person by email; anyone left becomes a new person (once, even if the
file lists them several times). Hosts, panelists and organisers are recorded with their role and
kept apart from attendees. The whole import runs in one transaction with bulk writes, and the same
file imported again changes nothing.
"""

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faro.accounts.usertypes import Actor, Viewer
from faro.core.audit import log_action
from faro.core.imports import ImportRejected, RowError, runs_in_background
from faro.core.jobs import fail_job, finish_job, set_job_progress, start_job
from faro.core.models import Job
from faro.directory.models import MemberState, Person, country_name
from faro.lib.text import fold, normalise_email
from faro.webinars.attendance import UnknownFormat, is_anonymous, parse_attendance
from faro.webinars.models import Attendance, AttendanceImport, Webinar
from faro.webinars.services import WebinarError

IMPORTABLE = {Webinar.Status.PUBLISHED, Webinar.Status.HELD}
ANONYMOUS_NAMES = {"", "anonymous", "anonimo", "anonyme", "anonimo(a)", "guest", "invitado", "convidado"}
CHUNK = 500
HOST_ROLES = {"host", "organizer"}


@dataclass
class PlannedRow:
    """One attendee of the file and what the import does with them."""

    line: int
    name: str
    email: str | None
    minutes: int
    role: str
    joins: int
    match: str  # registration-email | registration-name | person-email | attendee-name | new | anonymous
    # | host-unknown (a host Faro does not know: kept apart, not recorded, not added to the directory)
    person_id: int | None = None
    external: bool = False
    seconds: int = 0
    registration_id: int | None = None
    member_state: MemberState | None = None


@dataclass
class AttendancePlan:
    """The dry-run result: what the file says and what importing it would write."""

    format: str
    rows: int
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    already_imported: bool = False
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        by_match = Counter(row.match for row in self.planned)
        roles = Counter(row.role for row in self.planned if row.match != "anonymous")
        return {
            "rows": self.rows,
            "attendees": roles.get(Attendance.Role.ATTENDEE, 0),
            "hosts": sum(count for role, count in roles.items() if role != Attendance.Role.ATTENDEE),
            "registered": by_match["registration-email"] + by_match["registration-name"],
            "known_people": by_match["person-email"] + by_match["attendee-name"],
            "new_people": by_match["new"],
            "anonymous": by_match["anonymous"],
            "hosts_not_recorded": by_match["host-unknown"],
            "external": sum(1 for row in self.planned if row.external),
            "created": self.created,
            "updated": self.updated,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "already_imported": self.already_imported,
            **self.counts,
            "errors": [error.as_dict() for error in self.errors],
        }


MATCH_WORDS = {
    "registration-email": gettext_lazy("registered — matched by email"),
    "registration-name": gettext_lazy("registered — matched by name"),
    "person-email": gettext_lazy("known person, not registered — matched by email"),
    "attendee-name": gettext_lazy("already recorded for this webinar — matched by name"),
    "new": gettext_lazy("new person — will be added to the directory"),
    "anonymous": gettext_lazy("opted out of being identified — not recorded"),
    "host-unknown": gettext_lazy("host not known to Faro — kept apart, not added to the directory"),
}


def preview_rows(webinar: Webinar, plan: AttendancePlan) -> list[dict[str, Any]]:
    """The plan in words, per person: how they were matched and whether they meet the attendance rule."""
    minimum = webinar.attended_minimum
    return [
        {
            "row": row,
            "match": MATCH_WORDS.get(row.match, row.match),
            "kept_apart": row.role != Attendance.Role.ATTENDEE,
            "meets_rule": row.role == Attendance.Role.ATTENDEE and row.match != "anonymous" and row.minutes >= minimum,
        }
        for row in plan.planned
    ]


def parse_report(data: bytes, filename: str = "") -> Any:
    """Parse an attendance file; an unknown format becomes a translated WebinarError."""
    try:
        return parse_attendance(data, filename=filename)
    except UnknownFormat as error:
        raise WebinarError(str(error)) from None


@functools.cache
def _country_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for state in MemberState.objects.all():
        index[state.code.casefold()] = state.pk
        for language in ("en", "es", "pt", "fr"):
            index[fold(country_name(state.code, language))] = state.pk
    return index


def _country(name: str | None) -> MemberState | None:
    pk = _country_index().get(fold(name or ""))
    return MemberState(pk=pk) if pk else None


def _check_webinar(webinar: Webinar) -> None:
    if webinar.status not in IMPORTABLE:
        raise WebinarError(
            _("Attendance can be imported only into a published or held webinar (this one is “%(status)s”).")
            % {"status": webinar.get_status_display()}
        )


def _merge_records(report: Any, errors: list[RowError]) -> list[PlannedRow]:
    """One row per person: repeated emails or (email-less) names are added up; a host stays a host."""
    merged: dict[tuple[str, str], PlannedRow] = {}
    for record in report.attendees:
        if record.minutes <= 0:  # registered but absent (Zoom writes "Attended: No")
            continue
        email = normalise_email(record.email)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(record.first_line, _("“%(email)s” is not a valid email address.") % {"email": email})
                )
                continue
        name = (record.name or "").strip()
        anonymous = not email and (fold(name) in ANONYMOUS_NAMES or is_anonymous(record))
        key = (
            ("email", email) if email else ("anonymous", str(record.first_line)) if anonymous else ("name", fold(name))
        )
        row = merged.get(key)
        if row is None:
            merged[key] = PlannedRow(
                record.first_line,
                name,
                email,
                record.minutes,
                record.role,
                record.joins,
                "anonymous" if anonymous else "",
                member_state=_country(record.country),
                external=record.external,
                seconds=record.seconds,
            )
            continue
        row.external = row.external or record.external
        row.minutes, row.joins = row.minutes + record.minutes, row.joins + record.joins
        if record.role != Attendance.Role.ATTENDEE:
            row.role = record.role
    return list(merged.values())


def _people_by_email(emails: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        rows = Person.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=chunk)
        found.update(rows.values_list("lower_email", "pk"))
    return found


def _match(webinar: Webinar, rows: list[PlannedRow]) -> None:
    """Fill in person_id / registration_id / match for every row (reads only).

    First by email (any case) against registrations, then against everyone Faro knows; only rows
    whose email is unknown (or missing) are matched by name, to a registration no other row took
    and whose name is unique among the registrations.
    """
    registrations = list(webinar.registrations.select_related("person"))
    by_email = {normalise_email(r.person.email): r for r in registrations if r.person.email}
    known = _people_by_email([row.email for row in rows if row.email and row.email not in by_email])
    taken: set[int] = set()
    for row in rows:
        if row.match == "anonymous":
            continue
        registration = by_email.get(row.email or "")
        if registration is not None:
            row.match, row.person_id, row.registration_id = (
                "registration-email",
                registration.person_id,
                registration.pk,
            )
            taken.add(registration.pk)
        elif row.email and row.email in known:
            row.match, row.person_id = "person-email", known[row.email]
    _match_by_name(webinar, [row for row in rows if not row.match], [r for r in registrations if r.pk not in taken])


def _match_by_name(webinar: Webinar, rows: list[PlannedRow], registrations: list[Any]) -> None:
    names = Counter(fold(r.person.full_name) for r in registrations)
    by_name = {fold(r.person.full_name): r for r in registrations if names[fold(r.person.full_name)] == 1}
    attendee_names = {
        fold(f"{first} {last}"): pk
        for pk, first, last in webinar.attendances.values_list("person_id", "person__first_name", "person__last_name")
    }
    for row in rows:
        registration = by_name.pop(fold(row.name), None)
        if registration is not None:
            row.match, row.person_id, row.registration_id = "registration-name", registration.person_id, registration.pk
        elif not row.email and fold(row.name) in attendee_names:
            row.match, row.person_id = "attendee-name", attendee_names[fold(row.name)]
        elif row.role in HOST_ROLES:
            row.match = "host-unknown"  # the meeting's host or organiser is never added to the directory
        else:
            row.match = "new"


def _merge_same_person(rows: list[PlannedRow]) -> list[PlannedRow]:
    """Two rows that matched the same person (say, by email and by name) become one."""
    by_person: dict[int, PlannedRow] = {}
    merged = []
    for row in rows:
        first = by_person.get(row.person_id) if row.person_id else None
        if first is None:
            if row.person_id:
                by_person[row.person_id] = row
            merged.append(row)
            continue
        first.minutes, first.joins = first.minutes + row.minutes, first.joins + row.joins
        if row.role != Attendance.Role.ATTENDEE:
            first.role = row.role
    return merged


def plan_attendance(webinar: Webinar, report: Any) -> AttendancePlan:
    """The dry run: match a parsed report against the webinar's registrations and known people."""
    errors = list(report.errors)
    rows = _merge_records(report, errors)
    _match(webinar, rows)
    rows = _merge_same_person(rows)
    return AttendancePlan(format=report.format, rows=report.rows, planned=rows, errors=errors)


def _split_name(name: str) -> tuple[str, str]:
    if "," in name:  # "García, María"
        last, _sep, first = name.partition(",")
        return first.strip()[:100], last.strip()[:100]
    first, _sep, last = name.strip().partition(" ")
    return first[:100], last.strip()[:100]


def _create_people(webinar: Webinar, rows: list[PlannedRow]) -> None:
    new = [row for row in rows if row.match == "new"]
    people = []
    for row in new:
        first, last = _split_name(row.name or (row.email or "").split("@")[0])
        language = webinar.language
        people.append(
            Person(
                first_name=first or "?",
                last_name=last,
                email=row.email,
                member_state=row.member_state,
                preferred_language=language,
            )
        )
    for person in people:
        person.normalise_names()  # bulk_create does not call save()
    created = Person.objects.bulk_create(people, batch_size=CHUNK)
    if created and created[0].pk is None:  # backends that do not return ids
        by_email = _people_by_email([row.email for row in new if row.email])
        for row in new:
            row.person_id = by_email.get(row.email or "")
        return
    for row, person in zip(new, created, strict=True):
        row.person_id = person.pk


def _write_attendance(webinar: Webinar, rows: list[PlannedRow], source: AttendanceImport | None) -> tuple[int, int]:
    existing = {a.person_id: a for a in webinar.attendances.all()}
    to_create, to_update = [], []
    for row in rows:
        if row.person_id is None:
            continue
        values = {"minutes": row.minutes, "role": row.role, "joins": row.joins, "registration_id": row.registration_id}
        current = existing.get(row.person_id)
        if current is None:
            to_create.append(Attendance(webinar=webinar, person_id=row.person_id, source=source, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.source = source
            to_update.append(current)
    Attendance.objects.bulk_create(to_create, batch_size=CHUNK)
    Attendance.objects.bulk_update(to_update, ["minutes", "role", "joins", "registration", "source"], batch_size=CHUNK)
    return len(to_create), len(to_update)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def import_attendance(
    webinar: Webinar, *, acting_user: Actor, data: bytes, filename: str = "", dry_run: bool = False
) -> AttendancePlan:
    """Import an attendance file into a webinar, or (dry run) say what importing would do.

    Raises `WebinarError` for a file of no known format and `ImportRejected` when any row has an
    error; then nothing is written. Importing a file already applied to this webinar changes nothing.
    """
    _check_webinar(webinar)
    digest = _digest(data)
    previous = webinar.attendance_imports.filter(sha256=digest, status=AttendanceImport.Status.APPLIED).first()
    if previous is not None:  # the very same file: nothing to do, not even parsing it again
        return AttendancePlan(format=previous.format, rows=previous.summary.get("rows", 0), already_imported=True)
    plan = plan_attendance(webinar, parse_report(data, filename))
    if not plan.ok:
        raise ImportRejected(plan.errors)
    if dry_run:
        return plan
    source = AttendanceImport(
        webinar=webinar, filename=filename[:255], sha256=digest, format=plan.format, created_by=_user(acting_user)
    )
    source.file.save(f"webinar-{webinar.pk}-{digest[:12]}.csv", ContentFile(data), save=False)
    source.save()
    return _apply(webinar, plan, source, acting_user)


def _apply(webinar: Webinar, plan: AttendancePlan, source: AttendanceImport, acting_user: Actor) -> AttendancePlan:
    _create_people(webinar, plan.planned)
    plan.created, plan.updated = _write_attendance(webinar, plan.planned, source)
    source.status, source.summary = AttendanceImport.Status.APPLIED, plan.counts
    source.save(update_fields=["status", "summary", "updated_at"])
    log_action(webinar, "webinars.attendance.imported", user=acting_user, data={"file": source.filename, **plan.counts})
    return plan


def _user(acting_user: Actor) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


@transaction.atomic
def upload_attendance_file(webinar: Webinar, *, acting_user: Actor, data: bytes, filename: str) -> AttendanceImport:
    """Keep an uploaded file for its preview. Raises WebinarError when it is of no known format."""
    _check_webinar(webinar)
    report = parse_report(data, filename)
    upload = AttendanceImport(
        webinar=webinar,
        filename=filename[:255],
        sha256=_digest(data),
        format=report.format,
        created_by=_user(acting_user),
    )
    upload.file.save(f"webinar-{webinar.pk}-{upload.sha256[:12]}.csv", ContentFile(data), save=False)
    upload.save()
    return upload


def preview_upload(upload: AttendanceImport) -> AttendancePlan:
    """The dry run of an uploaded file (reads only)."""
    with upload.file.open("rb") as handle:
        data = handle.read()
    plan = plan_attendance(upload.webinar, parse_report(data, upload.filename))
    plan.already_imported = upload.webinar.attendance_imports.filter(
        sha256=upload.sha256, status=AttendanceImport.Status.APPLIED
    ).exists()
    return plan


@transaction.atomic
def apply_upload(upload: AttendanceImport, *, acting_user: Actor) -> AttendancePlan:
    """Apply a previewed upload, all or nothing. Raises ImportRejected when rows have errors."""
    webinar = Webinar.objects.select_for_update().get(pk=upload.webinar_id)
    _check_webinar(webinar)
    if upload.status == AttendanceImport.Status.APPLIED:
        raise WebinarError(_("This file has already been imported."))
    plan = preview_upload(upload)
    if plan.already_imported:
        upload.delete()
        return plan
    if not plan.ok:
        raise ImportRejected(plan.errors)
    return _apply(webinar, plan, upload, acting_user)


def upload_is_large(upload: AttendanceImport) -> bool:
    """Whether applying this upload is a background job rather than part of the request."""
    with upload.file.open("rb") as handle:
        return runs_in_background(handle.read())


def start_attendance_import(upload: AttendanceImport, *, acting_user: Actor) -> Job:
    """Apply a large upload in a background job (the progress page follows it)."""
    from faro.webinars.tasks import apply_attendance_task

    title = _("Attendance import: %(file)s") % {"file": upload.filename}
    args = [upload.pk, getattr(acting_user, "pk", None)]
    return start_job(
        kind="webinars.attendance", title=title[:200], total=1, user=acting_user, task=apply_attendance_task, args=args
    )


def run_attendance_import(job_id: int, upload_id: int, user_id: int | None) -> None:
    """The body of the background import: apply all or nothing, and report on the job."""
    from faro.accounts.models import User

    upload = AttendanceImport.objects.filter(pk=upload_id).first()
    if upload is None or upload.status == AttendanceImport.Status.APPLIED:
        finish_job(job_id, message=_("This file had already been imported; nothing changed."))
        return
    set_job_progress(job_id, done=0, total=1)
    try:
        plan = apply_upload(upload, acting_user=User.objects.filter(pk=user_id).first() if user_id else None)
    except ImportRejected:
        fail_job(job_id, message=_("The file has errors; nothing was imported."))
    except WebinarError as error:
        fail_job(job_id, message=str(error))
    else:
        finish_job(job_id, result=plan.counts, message=_("Attendance imported."))


def attendance_rows(webinar: Webinar, *, viewer: Viewer) -> list[tuple[Attendance, bool]]:
    """Attendance with people and whether each counts as attended, for the organisers' page. Each row's
    `shown_name` is the directory's name when `viewer`'s scope covers the person, else the name typed
    at registration (or the address): a file naming a known address does not reveal that person."""
    minimum = webinar.attended_minimum
    rows = list(
        webinar.attendances.select_related(
            "person", "person__member_state", "registration", "registration__entered_member_state"
        ).order_by("role", "-minutes")
    )
    covered = set(
        Person.objects.for_user(viewer).filter(pk__in={row.person_id for row in rows}).values_list("pk", flat=True)
    )
    for row in rows:
        typed = row.registration.entered_name if row.registration else ""
        shown = row.person.full_name if row.person_id in covered else typed or row.person.email or ""
        row.shown_name = shown  # type: ignore[attr-defined]  # for the page
        typed_state = row.registration.entered_member_state if row.registration else None
        row.shown_member_state = row.person.member_state if row.person_id in covered else typed_state  # type: ignore[attr-defined]
    return [(row, row.role == Attendance.Role.ATTENDEE and row.minutes >= minimum) for row in rows]
