"""Applications: eligibility, drafts, documents, submission and withdrawal."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import log_action, log_actions
from faro.courses.models import Offering
from faro.directory.models import MemberState, Person
from faro.lib.inserts import insert
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


def _touch(application: Application) -> None:
    """A document changed: so does the application's `updated_at`, which a submission compares."""
    application.save(update_fields=["updated_at"])


def _editable(application: Application) -> None:
    lock_application(application)
    if application.status != Application.Status.DRAFT:
        raise ScholarshipError(_("Only a draft application can be changed."))


@dataclass(frozen=True)
class Draft:
    """What the applicant's form holds: motivation, offerings in order of preference, the languages
    they work in (None: leave them as saved). `shown`: the call's offerings as the form read them
    (`choosable_offerings`, each with the `rank` saved for it), so a submission need not read them again."""

    motivation: str
    offerings: list[Offering]
    spoken_languages: list[str] | None = None
    shown: list[Offering] | None = None


def choosable_offerings(application: Application) -> list[Offering]:
    """The offerings of the application's call, course joined, each with `rank`: the applicant's saved
    preference for it (None: not chosen). One query for the form's choices and what is saved."""
    saved = Choice.objects.filter(application=application.pk, offering=models.OuterRef("pk")).values("rank")
    offerings = application.call.offerings.select_related("course").annotate(rank=models.Subquery(saved[:1]))
    return list(offerings)


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
    _save_draft(application, Draft(motivation, offerings, spoken_languages))
    application.save()
    log_action(application, "scholarships.application.saved", user=acting_user, data={"offerings": len(offerings)})
    return application


def _save_draft(application: Application, draft: Draft) -> None:
    """Check the draft's offerings against the call's, write its preferences and set (not save) the rest."""
    allowed = set(application.call.offerings.values_list("pk", flat=True))
    if not _choosable(draft.offerings, allowed):
        raise ScholarshipError(_("Choose each offering of this call at most once."))
    _apply(application, draft)
    saved = list(application.choices.order_by("rank").values_list("rank", "offering_id"))
    _write_choices(application, draft.offerings, saved)


def _choosable(offerings: list[Offering], allowed: set[int]) -> bool:
    return all(o.pk in allowed for o in offerings) and len({o.pk for o in offerings}) == len(offerings)


def _apply(application: Application, draft: Draft) -> None:
    application.motivation = draft.motivation.strip()
    if draft.spoken_languages is not None:
        application.spoken_languages = draft.spoken_languages


def _write_choices(application: Application, offerings: list[Offering], saved: list[tuple[int, int]]) -> None:
    """Make `offerings` the saved preferences (1 = first), from `saved` ((rank, offering id) in rank
    order): the preferences they still begin with stay, only the rest is deleted and written."""
    wanted = list(enumerate((o.pk for o in offerings), start=1))
    kept = 0
    while kept < min(len(saved), len(wanted)) and saved[kept] == wanted[kept]:
        kept += 1
    if kept < len(saved):
        Choice.objects.filter(application=application, rank__gt=kept).delete()
    insert([Choice(application=application, offering=o, rank=rank) for rank, o in enumerate(offerings, 1)][kept:])


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
    _touch(application)
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
    _touch(application)
    log_action(application, "scholarships.document.removed", user=acting_user, data={"kind": kind})
    return application


def submit_application(
    application: Application,
    *,
    acting_user: Actor,
    draft: Draft | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Submit a complete draft before the call closes, saving what the form holds (`draft`) with it in
    one transaction; mails a receipt. When the submission is refused, the draft is still saved as
    "Save draft" would (when it can be), so nothing the applicant typed is lost."""
    try:
        return _submit(application, acting_user=acting_user, draft=draft, moment=_now(now))
    except ScholarshipError:
        if draft is not None:  # refused as a draft too: that (earlier) refusal is the one to tell
            save_application(application, acting_user=acting_user, **draft_fields(draft), now=now)
        raise


def draft_fields(draft: Draft) -> dict[str, Any]:
    """The draft as `save_application` takes it."""
    return {"motivation": draft.motivation, "offerings": draft.offerings, "spoken_languages": draft.spoken_languages}


@transaction.atomic
def _submit(
    application: Application, *, acting_user: Actor, draft: Draft | None, moment: datetime.datetime
) -> Application:
    """Two submissions of one application at once submit it once: the second finds it submitted."""
    if not _submit_as_read(application, draft, moment):
        _submit_locked(application, draft, moment)
    saved = [("scholarships.application.saved", {"offerings": len(draft.offerings)})] if draft else []
    log_actions(application, [*saved, ("scholarships.application.submitted", {})], user=acting_user)
    outbox.mail_each("scholarships/emails/submitted", {"application": application}, [application.person])
    return application


def _submit_locked(application: Application, draft: Draft | None, moment: datetime.datetime) -> None:
    """Lock the row, read everything again, check every rule with its own message, then save."""
    _editable(application)
    if not application.call.is_open_on(moment):
        raise ScholarshipError(_("The deadline for this call has passed."))
    if draft is not None:
        _save_draft(application, draft)
    missing = application.missing()
    if missing:
        raise ScholarshipError(_("The application is incomplete: %(missing)s.") % {"missing": ", ".join(missing)})
    application.status, application.submitted_at = Application.Status.SUBMITTED, moment
    drafted = ["motivation", "spoken_languages"] if draft is not None else []
    application.save(update_fields=["status", "submitted_at", *drafted, "updated_at"])


def _submit_as_read(application: Application, draft: Draft | None, moment: datetime.datetime) -> bool:
    """Submit with what the caller read — the row `with_document_kinds()`, the offerings the form
    showed — when that says the submission passes: one UPDATE, which takes the row only if it is
    still the draft that was read (same `updated_at`; every change of its status, preferences or
    documents moves it). False, with nothing written, when that is not known or not so: the locked
    path then reads again and says what is wrong."""
    documents = application.read_document_kinds()
    if draft is None or draft.shown is None or documents is None or application.status != Application.Status.DRAFT:
        return False
    if not application.call.is_open_on(moment) or not _choosable(draft.offerings, {o.pk for o in draft.shown}):
        return False
    _apply(application, draft)
    if application.missing(offerings=draft.offerings, documents=documents):
        return False
    taken = Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT)
    taken = taken.filter(updated_at=application.updated_at)
    fields = {"motivation": application.motivation, "spoken_languages": application.spoken_languages}
    if not taken.update(status=Application.Status.SUBMITTED, submitted_at=moment, updated_at=moment, **fields):
        return False
    application.status, application.submitted_at, application.updated_at = Application.Status.SUBMITTED, moment, moment
    ranks = [(getattr(o, "rank", None), o.pk) for o in draft.shown]  # annotated by `choosable_offerings`
    saved = sorted((rank, pk) for rank, pk in ranks if rank)
    _write_choices(application, draft.offerings, saved)
    return True


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
