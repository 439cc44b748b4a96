"""Offers: accepting or declining from the signed link, expiry, and promotion from the waitlists."""

import datetime

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.usertypes import Actor
from faro.core.audit import log_action
from faro.courses.models import Enrolment, Offering
from faro.courses.services import enrol_person
from faro.scholarships.models import Application, Call, Offer, Outcome, WaitlistEntry
from faro.scholarships.services.allocation_outcomes import OFFER_SALT, _send_result
from faro.scholarships.services.base import ScholarshipError, _now

# --- Offers --------------------------------------------------------------------------------


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
        raise ScholarshipError(_("This offer has already been answered or has expired."))
    if now >= offer.accept_by:
        raise ScholarshipError(_("The deadline to answer this offer has passed."))


def _answer(offer: Offer, status: str, now: datetime.datetime) -> None:
    """Move an open offer to `status` with one conditional UPDATE: of two answers given at the same moment
    (accept and decline, or a double click) exactly one wins; the other is told what the offer became."""
    _check_open(offer, now)
    open_offer = Offer.objects.filter(pk=offer.pk, status=Offer.Status.AWARDED, accept_by__gt=now)
    if not open_offer.update(status=status, answered_at=now, updated_at=timezone.now()):
        offer.refresh_from_db(fields=["status", "answered_at"])
        raise ScholarshipError(
            _("This offer was answered a moment ago: it is now %(status)s. Nothing was changed.")
            % {"status": offer.get_status_display()},
            code="conflict",
        )
    offer.status, offer.answered_at = status, now


@transaction.atomic
def accept_offer(offer: Offer, *, acting_user: Actor, now: datetime.datetime | None = None) -> Enrolment:
    """Accept before the deadline; the awardee is enrolled in the offering."""
    moment = _now(now)
    _answer(offer, Offer.Status.ACCEPTED, moment)
    log_action(offer.application, "scholarships.offer.accepted", user=acting_user, data={"offering": offer.offering_id})
    return enrol_person(offer.offering, offer.application.person, acting_user=acting_user, data={"offer": offer.pk})


@transaction.atomic
def decline_offer(offer: Offer, *, acting_user: Actor, now: datetime.datetime | None = None) -> Offer | None:
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
    country = application.person.member_state_id
    if holding.filter(offering=offering).count() >= offering.seats:
        return False
    same_country = holding.filter(application__person__member_state_id=country)
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
