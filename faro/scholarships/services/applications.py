"""Applications: eligibility, drafts, documents, submission and withdrawal."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import log_action
from faro.courses.models import Offering
from faro.directory.models import MemberState, Person
from faro.lib.uploads import check_upload
from faro.scholarships.models import (
    Application,
    ApplicationDocument,
    Call,
    Choice,
)
from faro.scholarships.services.base import DOCUMENT_KINDS, ScholarshipError, _now, lock_application

# --- Applications --------------------------------------------------------------------------


def eligibility_problems(application: Application) -> list[str]:
    """Why the applicant does not meet the call's eligibility rules (empty when eligible)."""
    call, person = application.call, application.person
    problems = []
    states = set(call.eligible_states.values_list("pk", flat=True))
    if states and person.member_state_id not in states:
        problems.append(_("the call is not open to officials of this member state"))
    regions = call.eligible_regions.all()
    if regions and not MemberState.objects.filter(pk=person.member_state_id or 0, regions__in=regions).exists():
        problems.append(_("the call is not open to this region"))
    kind = person.institution.kind if person.institution else ""
    if call.institution_kinds and kind not in call.institution_kinds:
        problems.append(_("the call is not open to this kind of institution"))
    if call.position_levels and person.position_level not in call.position_levels:
        problems.append(_("the call is not open to this position level"))
    if call.languages and not application.languages() & set(call.languages):
        problems.append(_("the applicant works in none of the call's languages"))
    return problems


@transaction.atomic
def start_application(
    call: Call, person: Person, *, acting_user: Actor, now: datetime.datetime | None = None
) -> Application:
    """The person's application to the call: the existing one, or a new draft while the call is open."""
    existing = Application.objects.filter(call=call, person=person).first()
    if existing:
        return existing
    moment = _now(now)
    if call.deadline_passed(moment):
        raise ScholarshipError(_("The deadline for this call has passed."))
    if not call.is_open_on(moment):
        raise ScholarshipError(_("This call is not open for applications."))
    application = Application.objects.create(call=call, person=person, spoken_languages=[person.preferred_language])
    log_action(application, "scholarships.application.started", user=acting_user)
    return application


def _editable(application: Application) -> None:
    lock_application(application)
    if application.status != Application.Status.DRAFT:
        raise ScholarshipError(_("Only a draft application can be changed."))


@transaction.atomic
def save_application(
    application: Application,
    *,
    acting_user: Actor,
    motivation: str,
    offerings: list[Offering],
    spoken_languages: list[str] | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Save the draft: motivation, languages and offerings in order of preference (until the deadline)."""
    _editable(application)
    if not application.call.is_open_on(_now(now)):
        raise ScholarshipError(_("The deadline for this call has passed."))
    allowed = set(application.call.offerings.values_list("pk", flat=True))
    if any(o.pk not in allowed for o in offerings) or len({o.pk for o in offerings}) != len(offerings):
        raise ScholarshipError(_("Choose each offering of this call at most once."))
    application.motivation = motivation.strip()
    if spoken_languages is not None:
        application.spoken_languages = spoken_languages
    application.save()
    application.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(application=application, offering=o, rank=i) for i, o in enumerate(offerings, start=1)
    )
    log_action(application, "scholarships.application.saved", user=acting_user, data={"offerings": len(offerings)})
    return application


@transaction.atomic
def attach_document(
    application: Application, kind: str, upload: Any, *, acting_user: Actor, now: datetime.datetime | None = None
) -> ApplicationDocument:
    """Store an uploaded document after checking its content (PDF, PNG or JPEG, at most 10 MB), until the deadline."""
    _editable(application)
    if not application.call.is_open_on(_now(now)):
        raise ScholarshipError(_("The deadline for this call has passed."))
    if kind not in Call.Document.values:
        raise ScholarshipError(_("Unknown document."))
    try:
        content_kind = check_upload(upload, allowed=DOCUMENT_KINDS)
    except ValidationError as error:
        raise ScholarshipError(error.messages) from None
    application.documents.filter(kind=kind).delete()
    document = ApplicationDocument(
        application=application, kind=kind, content_kind=content_kind, original_name=str(upload.name)[:200]
    )
    document.file.save(str(upload.name), upload, save=False)
    document.save()
    log_action(application, "scholarships.document.attached", user=acting_user, data={"kind": kind})
    return document


@transaction.atomic
def remove_document(
    document: ApplicationDocument, *, acting_user: Actor, now: datetime.datetime | None = None
) -> Application:
    """Take a wrong upload off a draft, until the deadline (the file goes with it)."""
    application = document.application
    _editable(application)
    if not application.call.is_open_on(_now(now)):
        raise ScholarshipError(_("The deadline for this call has passed."))
    kind = document.kind
    document.file.delete(save=False)
    document.delete()
    log_action(application, "scholarships.document.removed", user=acting_user, data={"kind": kind})
    return application


@transaction.atomic
def submit_application(
    application: Application, *, acting_user: Actor, now: datetime.datetime | None = None
) -> Application:
    """Submit a complete draft before the call closes; mails a receipt."""
    _editable(application)
    moment = _now(now)
    if not application.call.is_open_on(moment):
        raise ScholarshipError(_("The deadline for this call has passed."))
    missing = application.missing()
    if missing:
        raise ScholarshipError(_("The application is incomplete: %(missing)s.") % {"missing": ", ".join(missing)})
    application.status, application.submitted_at = Application.Status.SUBMITTED, moment
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    log_action(application, "scholarships.application.submitted", user=acting_user)
    outbox.mail_each("scholarships/emails/submitted", {"application": application}, [application.person])
    return application


@transaction.atomic
def withdraw_application(application: Application, *, acting_user: Actor) -> Application:
    """Withdraw a draft or submitted application (before results are published)."""
    lock_application(application)
    if application.status == Application.Status.WITHDRAWN:
        return application
    if application.call.status in {Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED}:
        raise ScholarshipError(_("Results are published: decline the offer instead."))
    before = application.status
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    log_action(
        application, "scholarships.application.withdrawn", user=acting_user, changes={"status": [before, "withdrawn"]}
    )
    return application
