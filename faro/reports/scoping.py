"""The programmes' rows in a period, narrowed to an audience: the ground every figure stands on.

Programmes are reached through `apps.get_model`, so one that is not installed (yet) leaves its
figures out instead of breaking the others. Status values are the programmes' `TextChoices`
values (see the docstrings of their models).
"""

import datetime
from collections.abc import Callable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from faro.reports.audience import Audience
from faro.reports.periods import Period

OFFER_HOLDING = ("awarded", "accepted")  # scholarships.Offer: sent and not refused, or accepted
OFFER_ACCEPTED = "accepted"
ENROLMENT_COMPLETED = "completed"  # courses.Enrolment.Outcome
WEBINAR_HELD = ("held", "closed")  # webinars.Webinar.is_held
REGISTRATION_CANCELLED = "cancelled"
ATTENDEE = "attendee"  # webinars.Attendance.Role: hosts and panelists are not reached, they reach
MEETING_HELD = "held"  # meetings.Meeting.is_held
DELEGATION_DRAFT = "draft"
CERTIFICATE_ISSUED = "issued"  # neither revoked nor replaced by a re-issue

ALL_TIME = Period(datetime.date(1900, 1, 1), datetime.date(2999, 12, 31), "")


def model(label: str) -> type[Model] | None:
    """The model `app.Model`, or None while that programme is not installed."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def rows_of(label: str) -> QuerySet:
    found = model(label)
    assert found is not None, label  # callers only run when `Figure.available`
    return found._default_manager.all()


def _ids(values: frozenset[int] | None) -> list[int]:
    return sorted(values or ())


def offerings(period: Period, audience: Audience) -> QuerySet:
    """Course offerings starting in the period (a partner's: provided or co-funded by them)."""
    rows = rows_of("courses.Offering").filter(start__gte=period.start, start__lte=period.end)
    if audience.institution_ids is not None:
        ids = _ids(audience.institution_ids)
        mine = Q(course__provider_id__in=ids) | Q(contributions__institution_id__in=ids)
        rows = rows.filter(pk__in=rows_of("courses.Offering").filter(mine).values("pk"))
    if audience.member_state_ids is not None and model("scholarships.Offer") is not None:
        ids = _ids(audience.member_state_ids)
        reached = Q(enrolments__person__country_id__in=ids) | Q(offers__application__person__country_id__in=ids)
        rows = rows.filter(pk__in=rows_of("courses.Offering").filter(reached).values("pk"))
    elif audience.member_state_ids is not None:
        ids = _ids(audience.member_state_ids)
        rows = rows.filter(
            pk__in=rows_of("courses.Offering").filter(enrolments__person__country_id__in=ids).values("pk")
        )
    return rows


def people_of_states(rows: QuerySet, audience: Audience, person_path: str) -> QuerySet:
    if audience.member_state_ids is None:
        return rows
    return rows.filter(**{f"{person_path}country_id__in": _ids(audience.member_state_ids)})


def offers(period: Period, audience: Audience) -> QuerySet:
    rows = rows_of("scholarships.Offer").filter(offering__in=offerings(period, audience).values("pk"))
    return people_of_states(rows, audience, "application__person__")


def webinars(period: Period, audience: Audience) -> QuerySet:
    """Webinars held in the period (a partner's: co-organised; a state's: attended from it)."""
    first, after = period.bounds()
    rows = rows_of("webinars.Webinar").filter(status__in=WEBINAR_HELD, starts_at__gte=first, starts_at__lt=after)
    if audience.institution_ids is not None:
        mine = rows_of("webinars.Webinar").filter(partners__in=_ids(audience.institution_ids))
        rows = rows.filter(pk__in=mine.values("pk"))
    if audience.member_state_ids is not None:
        reached = attendances_of(rows_of("webinars.Webinar"), audience).values("webinar")
        rows = rows.filter(pk__in=reached)
    return rows


def attendances_of(held: QuerySet, audience: Audience) -> QuerySet:
    rows = rows_of("webinars.Attendance").filter(role=ATTENDEE, webinar__in=held.values("pk"))
    return people_of_states(rows, audience, "person__")


def meetings(period: Period, audience: Audience) -> QuerySet:
    """Meetings held in the period (a partner's: hosted by them; a state's: with its delegation)."""
    rows = rows_of("meetings.Meeting").filter(
        status=MEETING_HELD, start_date__gte=period.start, start_date__lte=period.end
    )
    if audience.institution_ids is not None:
        rows = rows.filter(host_institution_id__in=_ids(audience.institution_ids))
    if audience.member_state_ids is not None:
        with_state = rows_of("meetings.Delegation").filter(member_state_id__in=_ids(audience.member_state_ids))
        rows = rows.filter(pk__in=with_state.values("meeting"))
    return rows


def delegations(period: Period, audience: Audience) -> QuerySet:
    rows = rows_of("meetings.Delegation").filter(meeting__in=meetings(period, audience).values("pk"))
    rows = rows.exclude(status=DELEGATION_DRAFT)
    if audience.member_state_ids is not None:
        rows = rows.filter(member_state_id__in=_ids(audience.member_state_ids))
    return rows


def certificates(period: Period, audience: Audience) -> QuerySet:
    """Certificates for what was achieved in the period (a course completed, a webinar or meeting
    attended), however late they were issued, and neither revoked nor replaced; a partner's: for
    their programmes."""
    rows = rows_of("certificates.Certificate").filter(
        status=CERTIFICATE_ISSUED, achieved_on__gte=period.start, achieved_on__lte=period.end
    )
    rows = people_of_states(rows, audience, "holder__")
    if audience.institution_ids is not None:
        rows = rows.filter(_sources_of_partner(audience))
    return rows


def _sources_of_partner(audience: Audience) -> Q:
    """Certificates whose source (offering, webinar, meeting) is one of the partner's programmes."""
    ids = _ids(audience.institution_ids)
    sources: list[tuple[str, Callable[[], QuerySet]]] = [
        ("courses.Offering", lambda: offerings(ALL_TIME, Audience(institution_ids=audience.institution_ids))),
        ("webinars.Webinar", lambda: rows_of("webinars.Webinar").filter(partners__in=ids)),
        ("meetings.Meeting", lambda: rows_of("meetings.Meeting").filter(host_institution_id__in=ids)),
    ]
    mine = Q(pk__in=[])
    for label, rows in sources:
        found = model(label)
        if found is not None:
            kind = ContentType.objects.get_for_model(found)
            mine |= Q(source_type=kind, source_id__in=rows().values("pk"))
    return mine
