"""The programmes' rows in a period, narrowed to an audience: the ground every figure stands on.

Each programme says what its words mean on its own querysets — a webinar `held()`, an attendee
who `attended()` by the webinar's rule, an offer `holding()` a seat or `accepted()`, an enrolment
`completed()`, a delegation `registered()`, a certificate `issued()` — and this module only
composes them with a period and an audience. No status value or rule is written down here
(`faro/reports/tests/test_no_restated_rules.py` checks it).
"""

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from faro.certificates.models import Certificate
from faro.courses.models import Offering
from faro.meetings.models import Delegation, Meeting
from faro.reports.audience import Audience
from faro.reports.periods import Period
from faro.scholarships.models import Offer, OfferQuerySet
from faro.webinars.models import Attendance, Webinar

Rows = TypeVar("Rows", bound=QuerySet[Model])
ALL_TIME = Period(datetime.date(1900, 1, 1), datetime.date(2999, 12, 31), "")


def _ids(values: frozenset[int] | None) -> list[int]:
    return sorted(values or ())


def offerings(period: Period, audience: Audience) -> QuerySet[Offering]:
    """Course offerings starting in the period (a partner's: provided or co-funded by them; a
    state's: with an offer or enrolment of its officials)."""
    rows = Offering.objects.filter(start__gte=period.start, start__lte=period.end)
    if audience.institution_ids is not None:
        ids = _ids(audience.institution_ids)
        mine = Q(course__provider_id__in=ids) | Q(contributions__institution_id__in=ids)
        rows = rows.filter(pk__in=Offering.objects.filter(mine).values("pk"))
    if audience.member_state_ids is not None:
        ids = _ids(audience.member_state_ids)
        reached = Q(enrolments__person__member_state_id__in=ids) | Q(
            offers__application__person__member_state_id__in=ids
        )
        rows = rows.filter(pk__in=Offering.objects.filter(reached).values("pk"))
    return rows


def people_of_states(rows: Rows, audience: Audience, person_path: str) -> Rows:
    if audience.member_state_ids is None:
        return rows
    return rows.filter(**{f"{person_path}member_state_id__in": _ids(audience.member_state_ids)})


def offers(period: Period, audience: Audience) -> OfferQuerySet:
    rows = Offer.objects.filter(offering__in=offerings(period, audience).values("pk"))
    return people_of_states(rows, audience, "application__person__")


def webinars(period: Period, audience: Audience) -> QuerySet[Webinar]:
    """Webinars held in the period (a partner's: co-organised; a state's: attended from it)."""
    first, after = period.bounds()
    rows = Webinar.objects.held().filter(starts_at__gte=first, starts_at__lt=after)
    if audience.institution_ids is not None:
        mine = Webinar.objects.filter(partners__in=_ids(audience.institution_ids))
        rows = rows.filter(pk__in=mine.values("pk"))
    if audience.member_state_ids is not None:
        reached = attendances_of(Webinar.objects.all(), audience).values("webinar")
        rows = rows.filter(pk__in=reached)
    return rows


def attendances_of(held: QuerySet[Webinar], audience: Audience) -> QuerySet[Attendance]:
    """The attendance of people who attended those webinars by each webinar's own rule."""
    rows = Attendance.objects.attended().filter(webinar__in=held.values("pk"))
    return people_of_states(rows, audience, "person__")


def meetings(period: Period, audience: Audience) -> QuerySet[Meeting]:
    """Meetings held in the period (a partner's: hosted by them; a state's: with its delegation)."""
    rows = Meeting.objects.held().filter(start_date__gte=period.start, start_date__lte=period.end)
    if audience.institution_ids is not None:
        rows = rows.filter(host_institution_id__in=_ids(audience.institution_ids))
    if audience.member_state_ids is not None:
        with_state = Delegation.objects.filter(member_state_id__in=_ids(audience.member_state_ids))
        rows = rows.filter(pk__in=with_state.values("meeting"))
    return rows


def delegations(period: Period, audience: Audience) -> QuerySet[Delegation]:
    rows = Delegation.objects.registered().filter(meeting__in=meetings(period, audience).values("pk"))
    if audience.member_state_ids is not None:
        rows = rows.filter(member_state_id__in=_ids(audience.member_state_ids))
    return rows


def certificates(period: Period, audience: Audience) -> QuerySet[Certificate]:
    """Certificates for what was achieved in the period (a course completed, a webinar or meeting
    attended), however late they were issued, and neither revoked nor replaced; a partner's: for
    their programmes."""
    rows = Certificate.objects.issued().filter(achieved_on__gte=period.start, achieved_on__lte=period.end)
    rows = people_of_states(rows, audience, "holder__")
    if audience.institution_ids is not None:
        rows = rows.filter(_sources_of_partner(audience))
    return rows


def _sources_of_partner(audience: Audience) -> Q:
    """Certificates whose source (offering, webinar, meeting) is one of the partner's programmes."""
    ids = _ids(audience.institution_ids)
    sources: list[tuple[type[Model], Callable[[], QuerySet[Model]]]] = [
        (Offering, lambda: offerings(ALL_TIME, Audience(institution_ids=audience.institution_ids))),
        (Webinar, lambda: Webinar.objects.filter(partners__in=ids)),
        (Meeting, lambda: Meeting.objects.filter(host_institution_id__in=ids)),
    ]
    mine = Q(pk__in=[])
    for found, rows in sources:
        mine |= Q(source_type=ContentType.objects.get_for_model(found), source_id__in=rows().values("pk"))
    return mine
