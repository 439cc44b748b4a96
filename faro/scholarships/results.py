"""Allocation integration, results and offers.

`build_allocation_problem` turns a call into the engine's `Problem`; `preview_allocation` runs it
and stores one `Outcome` per application (with waitlists); staff may `override_outcome`;
`publish_results` sends offers and notices; offers are accepted or declined from a signed link,
and a decline or an expiry promotes the next waitlisted applicant while the caps still hold.
"""

import datetime
from collections import Counter
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from faro.core.audit import log_action
from faro.core.mail import send_templated_mail
from faro.courses.models import Enrolment, Offering
from faro.courses.services import enrol_person
from faro.directory.models import country_name
from faro.scholarships.models import Application, Call, Offer, Outcome, WaitlistEntry

OFFER_SALT = "faro.scholarships.offer"


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


# --- The problem ---------------------------------------------------------------------------


def _applications(call: Call) -> Any:
    return (
        call.applications.submitted()
        .select_related("person__country", "person__institution")
        .prefetch_related("choices")
        .order_by("pk")
    )


def ineligibility(application: Application) -> str | None:
    """The reason code when an application may not be allocated, else None."""
    from faro.scholarships.services import eligibility_problems

    if application.call.requires_endorsement and application.endorsement != Application.Endorsement.ENDORSED:
        return "not_endorsed"
    if eligibility_problems(application) or application.merit is None:
        return "not_eligible"
    return None


def build_allocation_problem(call: Call) -> Any:
    """The engine's `Problem` for a call: its offerings and its submitted applications."""
    from faro.scholarships.allocation import ApplicantSpec, OfferingSpec, Problem

    offerings = tuple(OfferingSpec(id=str(o.pk), seats=o.seats) for o in call.offerings.order_by("pk"))
    applicants = tuple(
        ApplicantSpec(
            id=str(a.pk),
            country=a.person.country.code if a.person.country else "",
            merit=float(a.merit or 0),
            preferences=tuple(str(c.offering_id) for c in sorted(a.choices.all(), key=lambda c: c.rank)),
            endorsement_rank=a.endorsement_rank,
            eligible=ineligibility(a) is None,
        )
        for a in _applications(call)
    )
    return Problem(
        offerings=offerings,
        applicants=applicants,
        country_cap=call.country_cap,
        country_cap_total=call.country_cap_total,
    )


# --- Reasons in the viewer's language ------------------------------------------------------


def reason_text(code: str, params: dict[str, Any]) -> str:
    """A plain-language reason in the active language, from a reason code and its parameters."""
    values = {
        "offering": params.get("offering_title") or params.get("offering") or "—",
        "country": country_name(params["country"]) if params.get("country") else "—",
        "cap": params.get("cap", "—"),
        "position": params.get("position", "—"),
        "choice": params.get("choice", "—"),
    }
    texts = {
        "awarded_first_choice": _("Awarded a scholarship for %(offering)s, the first choice."),
        "awarded_other_choice": _("Awarded a scholarship for %(offering)s (preference %(choice)s)."),
        "waitlisted_country_cap": _(
            "Waitlisted: %(country)s's cap of %(cap)s on %(offering)s is reached; "
            "position %(position)s on its waitlist."
        ),
        "waitlisted_country_cap_total": _(
            "Waitlisted: %(country)s's cap of %(cap)s scholarships in this call is reached; "
            "position %(position)s on the waitlist of %(offering)s."
        ),
        "waitlisted_seats": _(
            "Waitlisted: the seats of %(offering)s went to applications with higher merit; "
            "position %(position)s on its waitlist."
        ),
        "not_selected": _("Not selected: every offering chosen was filled by applications with higher merit."),
        "not_endorsed": _("Not eligible: the application was not endorsed by the national focal point."),
        "not_eligible": _(
            "Not eligible: the application does not meet the call's eligibility rules or was not reviewed."
        ),
        "promoted": _("Awarded a scholarship for %(offering)s after a place became free on its waitlist."),
        "override": _("Decided by the Secretariat: %(note)s"),
    }
    values["note"] = params.get("note", "")
    return texts.get(code, _("No reason recorded.")) % values


def outcome_reason(outcome: Outcome) -> str:
    params = dict(outcome.reason_params)
    if outcome.offering_id:
        params.setdefault("offering_title", str(outcome.offering))
    return reason_text(outcome.reason_code, params)


# --- Preview, override, publish ------------------------------------------------------------


@transaction.atomic
def preview_allocation(call: Call, *, acting_user: Any) -> Any:
    """Run the engine on the call and store the outcomes (replacing any earlier preview)."""
    from faro.scholarships.allocation import ProblemError, allocate

    if call.status != Call.Status.ALLOCATION:
        raise ValidationError(_("The call must be in its allocation stage."))
    try:
        result = allocate(build_allocation_problem(call))
    except ProblemError as error:
        raise ValidationError(_("The allocation cannot run: %(problem)s") % {"problem": error}) from None
    applications = {str(a.pk): a for a in _applications(call)}
    offerings = {str(o.pk): o for o in call.offerings.all()}
    Outcome.objects.filter(application__call=call).delete()
    WaitlistEntry.objects.filter(application__call=call).delete()
    entries, first_wait = _waitlist_entries(result, applications, offerings)
    WaitlistEntry.objects.bulk_create(entries)
    Outcome.objects.bulk_create(
        _outcome(app_id, application, result, offerings, first_wait, call)
        for app_id, application in applications.items()
    )
    objective = dict(result.objective)
    log_action(call, "scholarships.allocation.previewed", user=acting_user, data={"objective": objective})
    return result


def _waitlist_entries(result: Any, applications: dict, offerings: dict) -> tuple[list[WaitlistEntry], dict]:
    entries: list[WaitlistEntry] = []
    first_wait: dict[str, tuple[str, int]] = {}
    for offering_id, queue in result.waitlists.items():
        for position, app_id in enumerate(queue, start=1):
            entries.append(
                WaitlistEntry(offering=offerings[offering_id], application=applications[app_id], position=position)
            )
            first_wait.setdefault(app_id, (offering_id, position))
    return entries, first_wait


def _outcome(
    app_id: str, application: Application, result: Any, offerings: dict, first_wait: dict, call: Call
) -> Outcome:
    reason = result.reasons.get(app_id)
    params: dict[str, Any] = {
        k: v for k, v in (dict(reason.params) if reason else {}).items() if isinstance(v, str | int | float)
    }
    code = reason.code if reason else "not_selected"
    params.setdefault("country", application.person.country.code if application.person.country else "")
    if app_id in result.assignments:
        offering = offerings[result.assignments[app_id]]
        choice = next((c.rank for c in application.choices.all() if c.offering_id == offering.pk), 1)
        params["choice"] = choice
        return Outcome(
            application=application,
            result=Outcome.Result.AWARDED,
            offering=offering,
            reason_code=code,
            reason_params=params,
        )
    refusal = ineligibility(application)
    if refusal:
        return Outcome(
            application=application, result=Outcome.Result.NOT_ELIGIBLE, reason_code=refusal, reason_params=params
        )
    if app_id in first_wait:
        # The engine names the waitlist that matters (that of the first choice); fall back to the first one.
        offering_id = str(params.get("offering") or first_wait[app_id][0])
        if offering_id not in offerings or app_id not in result.waitlists.get(offering_id, []):
            offering_id = first_wait[app_id][0]
        position = result.waitlists[offering_id].index(app_id) + 1
        params["position"] = position
        if code.endswith("country_cap_total"):
            params.setdefault("cap", call.country_cap_total or 0)
        elif code.endswith("country_cap"):
            params.setdefault("cap", call.country_cap or 0)
        if not code.startswith("waitlisted"):
            code = "waitlisted_seats"
        return Outcome(
            application=application,
            result=Outcome.Result.WAITLISTED,
            offering=offerings[offering_id],
            waitlist_position=position,
            reason_code=code,
            reason_params=params,
        )
    return Outcome(
        application=application, result=Outcome.Result.NOT_SELECTED, reason_code="not_selected", reason_params=params
    )


@transaction.atomic
def override_outcome(
    outcome: Outcome, *, acting_user: Any, result: str, offering: Offering | None, reason: str
) -> Outcome:
    """Staff change one outcome before publication, with a recorded reason."""
    call = outcome.application.call
    if call.status != Call.Status.ALLOCATION:
        raise ValidationError(_("Outcomes can only be changed before the results are published."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the change."))
    if result == Outcome.Result.AWARDED:
        _check_award_possible(outcome, offering)
    before = [outcome.result, outcome.offering_id]
    outcome.result, outcome.offering = result, offering if result in {"awarded", "waitlisted"} else None
    outcome.reason_code, outcome.reason_params = "override", {"note": reason.strip()}
    outcome.override_reason, outcome.overridden_by = reason.strip(), acting_user
    outcome.save()
    if result == Outcome.Result.AWARDED:
        outcome.application.waitlist_entries.all().delete()
    log_action(
        outcome.application,
        "scholarships.outcome.overridden",
        user=acting_user,
        changes={"outcome": [before, [result, outcome.offering_id]]},
        data={"reason": reason.strip()},
    )
    return outcome


def _check_award_possible(outcome: Outcome, offering: Offering | None) -> None:
    if offering is None or not outcome.application.choices.filter(offering=offering).exists():
        raise ValidationError(_("Award only an offering the applicant chose."))
    taken = Outcome.objects.filter(offering=offering, result=Outcome.Result.AWARDED).exclude(pk=outcome.pk).count()
    if taken >= offering.seats:
        raise ValidationError(_("%(offering)s has no free seat.") % {"offering": offering})


@transaction.atomic
def publish_results(call: Call, *, acting_user: Any, now: datetime.datetime | None = None) -> int:
    """Send an offer to every awarded applicant and a notice to the others; returns the offers made."""
    if call.status != Call.Status.ALLOCATION:
        raise ValidationError(_("The call must be in its allocation stage."))
    outcomes = list(
        Outcome.objects.filter(application__call=call).select_related("application__person", "offering__course")
    )
    if not outcomes:
        raise ValidationError(_("Preview the allocation before publishing it."))
    offers = Offer.objects.bulk_create(
        Offer(application=o.application, offering=o.offering, accept_by=call.accept_by)
        for o in outcomes
        if o.result == Outcome.Result.AWARDED
    )
    call.status = Call.Status.RESULTS_PUBLISHED
    call.save(update_fields=["status", "updated_at"])
    by_application = {offer.application_id: offer for offer in offers}
    for outcome in outcomes:
        _send_result(outcome, by_application.get(outcome.application_id))
    log_action(
        call,
        "scholarships.results.published",
        user=acting_user,
        data={"offers": len(offers), "outcomes": dict(Counter(o.result for o in outcomes))},
    )
    return len(offers)


def _send_result(outcome: Outcome, offer: Offer | None) -> None:
    person = outcome.application.person
    if not person.email:
        return
    with translation.override(person.preferred_language):
        context = {
            "person": person,
            "call": outcome.application.call,
            "outcome": outcome,
            "offer": offer,
            "reason": outcome_reason(outcome),
            "link": offer_link(offer) if offer else "",
        }
    template = "scholarships/emails/offer" if offer else "scholarships/emails/result"
    email, language = person.email, person.preferred_language
    transaction.on_commit(lambda: send_templated_mail(template, context, to=email, language=language))


# --- Offers --------------------------------------------------------------------------------


def offer_token(offer: Offer) -> str:
    return signing.dumps(offer.pk, salt=OFFER_SALT)


def offer_link(offer: Offer) -> str:
    from django.urls import reverse

    return reverse("scholarships:offer", args=[offer_token(offer)])


def offer_from_token(token: str) -> Offer | None:
    """The offer a signed link points to, or None for a tampered link."""
    try:
        pk = signing.loads(token, salt=OFFER_SALT)
    except signing.BadSignature:
        return None
    return (
        Offer.objects.select_related("application__person", "application__call", "offering__course")
        .filter(pk=pk)
        .first()
    )


def _check_open(offer: Offer, now: datetime.datetime) -> None:
    if offer.status != Offer.Status.AWARDED:
        raise ValidationError(_("This offer has already been answered or has expired."))
    if now >= offer.accept_by:
        raise ValidationError(_("The deadline to answer this offer has passed."))


def _answer(offer: Offer, status: str, now: datetime.datetime) -> None:
    """Move an open offer to `status` with one conditional UPDATE: of two answers given at the same moment
    (accept and decline, or a double click) exactly one wins; the other is told what the offer became."""
    _check_open(offer, now)
    open_offer = Offer.objects.filter(pk=offer.pk, status=Offer.Status.AWARDED, accept_by__gt=now)
    if not open_offer.update(status=status, answered_at=now, updated_at=timezone.now()):
        offer.refresh_from_db(fields=["status", "answered_at"])
        raise ValidationError(
            _("This offer was answered a moment ago: it is now %(status)s. Nothing was changed.")
            % {"status": offer.get_status_display()},
            code="conflict",
        )
    offer.status, offer.answered_at = status, now


@transaction.atomic
def accept_offer(offer: Offer, *, acting_user: Any, now: datetime.datetime | None = None) -> Enrolment:
    """Accept before the deadline; the awardee is enrolled in the offering."""
    moment = _now(now)
    _answer(offer, Offer.Status.ACCEPTED, moment)
    log_action(offer.application, "scholarships.offer.accepted", user=acting_user, data={"offering": offer.offering_id})
    return enrol_person(offer.offering, offer.application.person, acting_user=acting_user, data={"offer": offer.pk})


@transaction.atomic
def decline_offer(offer: Offer, *, acting_user: Any, now: datetime.datetime | None = None) -> Offer | None:
    """Decline before the deadline; the next eligible waitlisted applicant is offered the place."""
    moment = _now(now)
    _answer(offer, Offer.Status.DECLINED, moment)
    log_action(offer.application, "scholarships.offer.declined", user=acting_user, data={"offering": offer.offering_id})
    return promote_next(offer.application.call, offer.offering, now=moment)


@transaction.atomic
def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """Expire every unanswered offer past its deadline and promote from the waitlists (idempotent)."""
    moment = _now(now)
    expired = 0
    for offer in Offer.objects.filter(status=Offer.Status.AWARDED, accept_by__lte=moment).select_related(
        "application__call", "offering"
    ):
        still_open = Offer.objects.filter(pk=offer.pk, status=Offer.Status.AWARDED)  # answered meanwhile: skip
        if not still_open.update(status=Offer.Status.EXPIRED, updated_at=timezone.now()):
            continue
        offer.status = Offer.Status.EXPIRED
        log_action(offer.application, "scholarships.offer.expired", data={"offering": offer.offering_id})
        promote_next(offer.application.call, offer.offering, now=moment)
        expired += 1
    return expired


def _within_caps(call: Call, offering: Offering, application: Application) -> bool:
    holding = Offer.objects.holding().filter(application__call=call)
    country = application.person.country_id
    if holding.filter(offering=offering).count() >= offering.seats:
        return False
    same_country = holding.filter(application__person__country_id=country)
    if call.country_cap is not None and same_country.filter(offering=offering).count() >= call.country_cap:
        return False
    return call.country_cap_total is None or same_country.count() < call.country_cap_total


def promote_next(call: Call, offering: Offering, *, now: datetime.datetime) -> Offer | None:
    """Offer `offering` to the first waitlisted applicant who has no offer yet and fits the caps.

    The offering's row is locked first, so two seats freed at the same moment are offered in turn
    (each sees the other's new offer when it counts seats and caps)."""
    Offering.objects.select_for_update().filter(pk=offering.pk).order_by().first()
    answered = Offer.objects.filter(application__call=call).values("application")
    entries = (
        WaitlistEntry.objects.filter(offering=offering, application__status=Application.Status.SUBMITTED)
        .exclude(Q(application__in=answered))
        .select_related("application__person")
        .order_by("position")
    )
    for entry in entries:
        if not _within_caps(call, offering, entry.application):
            continue
        offer = Offer.objects.create(
            application=entry.application,
            offering=offering,
            accept_by=now + datetime.timedelta(days=call.offer_days),
            promoted=True,
        )
        Outcome.objects.update_or_create(
            application=entry.application,
            defaults={
                "result": Outcome.Result.AWARDED,
                "offering": offering,
                "waitlist_position": None,
                "reason_code": "promoted",
                "reason_params": {},
            },
        )
        entry.application.waitlist_entries.all().delete()
        log_action(entry.application, "scholarships.offer.promoted", data={"offering": offering.pk})
        outcome = entry.application.outcome
        _send_result(outcome, offer)
        return offer
    return None
