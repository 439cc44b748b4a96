"""Allocation integration, results and offers.

`build_allocation_problem` turns a call into the engine's `Problem`; `preview_allocation` runs it
and stores one `Outcome` per application (with waitlists); staff may `override_outcome`;
`publish_results` sends offers and notices; offers are accepted or declined from a signed link,
and a decline or an expiry promotes the next waitlisted applicant while the caps still hold.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import log_action
from faro.core.mail import render_mail
from faro.courses.models import Offering
from faro.directory.models import country_name
from faro.scholarships.models import Application, Call, Offer, Outcome, WaitlistEntry
from faro.scholarships.services.base import ScholarshipError
from faro.scholarships.services.review import lock_call

OFFER_SALT = "faro.scholarships.offer"
# The outcomes whose applicants are mailed at publication. Not reviewed is not among them: the
# application was never judged, so the Secretariat decides (an override) or writes itself.
MAILED = (Outcome.Result.AWARDED, Outcome.Result.WAITLISTED, Outcome.Result.NOT_SELECTED, Outcome.Result.NOT_ELIGIBLE)


# --- The problem ---------------------------------------------------------------------------


def _applications(call: Call) -> Any:
    return (
        call.applications.submitted()
        .with_review_counts()
        .select_related("person__member_state", "person__institution")
        .prefetch_related("choices")
        .order_by("pk")
    )


def ineligibility(application: Application) -> str | None:
    """The reason code when an application breaks the call's rules, else None.

    A missing review is not one of them: see `Application.reviews_complete` ("not reviewed")."""
    from faro.scholarships.services.applications import eligibility_problems

    if application.call.requires_endorsement and application.endorsement != Application.Endorsement.ENDORSED:
        return "not_endorsed"
    if eligibility_problems(application):
        return "not_eligible"
    return None


def build_allocation_problem(call: Call) -> Any:
    """The engine's `Problem` for a call: its offerings and its submitted applications."""
    from faro.scholarships.allocation import ApplicantSpec, OfferingSpec, Problem

    offerings = tuple(OfferingSpec(id=str(o.pk), seats=o.seats) for o in call.offerings.order_by("pk"))
    applicants = tuple(
        ApplicantSpec(
            id=str(a.pk),
            country=a.person.member_state.code if a.person.member_state else "",
            merit=float(a.merit or 0),
            preferences=tuple(str(c.offering_id) for c in sorted(a.choices.all(), key=lambda c: c.rank)),
            endorsement_rank=a.endorsement_rank,
            eligible=ineligibility(a) is None,
            reviewed=a.reviews_complete(),
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
        "not_eligible": _("Not eligible: the application does not meet the call's eligibility rules."),
        "not_reviewed": _(
            "Not reviewed: the application did not receive the reviews the call requires before the allocation; "
            "the Secretariat decides its outcome."
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
def preview_allocation(call: Call, *, acting_user: Actor) -> Any:
    """Run the engine on the call and store the outcomes (replacing any earlier preview)."""
    from faro.scholarships.allocation import ProblemError, allocate

    lock_call(call)
    if call.status != Call.Status.ALLOCATION:
        raise ScholarshipError(_("The call must be in its allocation stage."))
    try:
        result = allocate(build_allocation_problem(call))
    except ProblemError as error:
        raise ScholarshipError(_("The allocation cannot run: %(problem)s") % {"problem": error}) from None
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


def _waitlist_entries(
    result: Any, applications: dict[str, Any], offerings: dict[str, Any]
) -> tuple[list[WaitlistEntry], dict[str, Any]]:
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
    app_id: str,
    application: Application,
    result: Any,
    offerings: dict[str, Any],
    first_wait: dict[str, Any],
    call: Call,
) -> Outcome:
    reason = result.reasons.get(app_id)
    params: dict[str, Any] = {
        k: v for k, v in (dict(reason.params) if reason else {}).items() if isinstance(v, str | int | float)
    }
    code = reason.code if reason else "not_selected"
    params.setdefault("country", application.person.member_state.code if application.person.member_state else "")
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
    if code == "not_reviewed":
        return Outcome(
            application=application, result=Outcome.Result.NOT_REVIEWED, reason_code=code, reason_params=params
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
    outcome: Outcome, *, acting_user: User | None, result: str, offering: Offering | None, reason: str
) -> Outcome:
    """Staff change one outcome before publication, with a recorded reason."""
    call = outcome.application.call
    if call.status != Call.Status.ALLOCATION:
        raise ScholarshipError(_("Outcomes can only be changed before the results are published."))
    if not reason.strip():
        raise ScholarshipError(_("Give the reason for the change."))
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
        raise ScholarshipError(_("Award only an offering the applicant chose."))
    taken = Outcome.objects.filter(offering=offering, result=Outcome.Result.AWARDED).exclude(pk=outcome.pk).count()
    if taken >= offering.seats:
        raise ScholarshipError(_("%(offering)s has no free seat.") % {"offering": offering})


@transaction.atomic
def publish_results(call: Call, *, acting_user: Actor, now: datetime.datetime | None = None) -> int:
    """Send an offer to every awarded applicant and a notice to the others (never to those not
    reviewed: theirs is no rejection); returns the offers made.

    The call's row is locked and its status read again, so two clicks (or two staff) publish once:
    the second is refused and sends nothing."""
    lock_call(call)
    if call.status in {Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED}:
        raise ScholarshipError(_("The results of this call are already published: nothing was sent again."))
    if call.status != Call.Status.ALLOCATION:
        raise ScholarshipError(_("The call must be in its allocation stage."))
    outcomes = list(
        Outcome.objects.filter(application__call=call).select_related("application__person", "offering__course")
    )
    if not outcomes:
        raise ScholarshipError(_("Preview the allocation before publishing it."))
    offers = Offer.objects.bulk_create(
        Offer(application=o.application, offering=o.offering, accept_by=call.accept_by)
        for o in outcomes
        if o.result == Outcome.Result.AWARDED
    )
    call.status = Call.Status.RESULTS_PUBLISHED
    call.save(update_fields=["status", "updated_at"])
    by_application = {offer.application_id: offer for offer in offers}
    for outcome in outcomes:
        if outcome.result in MAILED:
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
    template, context = _result_mail(outcome, offer)
    outbox.mail_each(template, context, [person])


def _result_mail(outcome: Outcome, offer: Offer | None, link: str = "") -> tuple[str, dict[str, Any]]:
    """The template and context of the mail an outcome's applicant gets (in their language)."""
    person = outcome.application.person
    with translation.override(person.preferred_language):
        context = {
            "person": person,
            "call": outcome.application.call,
            "outcome": outcome,
            "offer": offer,
            "reason": outcome_reason(outcome),
            "link": link or (offer_link(offer) if offer else ""),
        }
    return ("scholarships/emails/offer" if offer else "scholarships/emails/result"), context


# --- Offer links ---------------------------------------------------------------------------


def offer_token(offer: Offer) -> str:
    return signing.dumps(offer.pk, salt=OFFER_SALT)


def offer_link(offer: Offer) -> str:
    return reverse("scholarships:offer", args=[offer_token(offer)])


# --- What publishing would do --------------------------------------------------------------


@dataclass(frozen=True)
class MailGroup:
    """The applicants of one outcome and the mail they would get, rendered for one of them."""

    result: str
    label: str
    count: int
    mailed: int
    example: Any  # the Person whose language the example is in (None when nobody is mailed)
    subject: str
    body: str


@dataclass(frozen=True)
class ResultsPreview:
    """What publishing the stored outcomes would do: counts per outcome and member state, mails."""

    counts: list[tuple[str, int]]
    labels: list[str]
    by_state: list[tuple[str, list[int]]]
    groups: list[MailGroup]

    @property
    def mailed(self) -> int:
        return sum(group.mailed for group in self.groups)


def results_preview(call: Call) -> ResultsPreview:
    """Counts per outcome and per member state, and per outcome the mail its applicants would get
    (subject and body in the language of its first applicant). Writes nothing."""
    outcomes = list(
        Outcome.objects.filter(application__call=call)
        .select_related("application__person__member_state", "application__call", "offering__course")
        .order_by("application__person__member_state__code", "application_id")
    )
    present = [r for r in Outcome.Result.values if any(o.result == r for o in outcomes)]
    labels = dict(Outcome.Result.choices)
    counts = Counter(o.result for o in outcomes)
    states: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        states.setdefault(str(outcome.application.person.member_state or "—"), Counter())[outcome.result] += 1
    return ResultsPreview(
        counts=[(str(labels[r]), counts[r]) for r in present],
        labels=[str(labels[r]) for r in present],
        by_state=[(state, [c[r] for r in present]) for state, c in states.items()],
        groups=[_mail_group(call, r, str(labels[r]), [o for o in outcomes if o.result == r]) for r in present],
    )


def _mail_group(call: Call, result: str, label: str, outcomes: list[Outcome]) -> MailGroup:
    mailed = [o for o in outcomes if o.application.person.email] if result in MAILED else []
    if not mailed:
        return MailGroup(result, label, len(outcomes), 0, None, "", "")
    example = mailed[0]
    offer = None
    if result == Outcome.Result.AWARDED:
        offer = Offer(application=example.application, offering=example.offering, accept_by=call.accept_by)
    template, context = _result_mail(example, offer, link=reverse("scholarships:offer", args=["…"]))
    subject, body, _html = render_mail(template, context, example.application.person.preferred_language)
    return MailGroup(result, label, len(outcomes), len(mailed), example.application.person, subject, body)
