"""Every figure Faro reports, as a database query over the programmes' records.

A figure is a small function taking (period, audience) and returning the rows it counts (a
queryset); its registration says what it counts distinctly and how it breaks down. Its value is
`COUNT(DISTINCT …)` in the database; shares and averages are computed in one aggregate query.
Nothing is stored: the dashboard, the annual report, the impact page, `manage.py report` and
the API all call `figure_value` / `figures_for` and so always agree.

The rows come from `faro.reports.audience_rows`, which composes each programme's own querysets: what
"attended", "awarded" or "completed" means is said once, by the programme.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Avg, Count, Exists, Max, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faro.accounts.usertypes import Viewer
from faro.certificates.models import Certificate
from faro.courses.models import Offering
from faro.directory.models import Person, country_name
from faro.meetings.models import Delegation, Meeting, Participant
from faro.reports.audience import Audience, default_audience
from faro.reports.audience_rows import (
    attendances_of,
    certificates,
    delegations,
    meetings,
    offerings,
    offers,
    people_of_states,
    webinars,
)
from faro.reports.dimensions import (
    DIMENSIONS,
    NOT_STATED,
    Row,
    breakdown,
    person_breakdowns,
    person_groups,
    state_regions,
    tally,
)
from faro.reports.periods import Period
from faro.scholarships.models import Offer
from faro.webinars.models import Attendance, Registration, SurveyResponse, Webinar


@dataclass(frozen=True)
class Figure:
    """A registered figure. For counts and shares, `compute` returns the rows; a count is
    COUNT(DISTINCT `count`) over them, a share COUNT(… FILTER `part`) / COUNT(…). For averages
    `compute` returns the number itself."""

    key: str
    label: Promise
    definition: Promise
    programme: str
    compute: Callable[[Period, Audience], Any]
    kind: str = "count"  # count | share | average
    count: str = "pk"
    person: str | None = "person__"  # path to Person from the rows; None: no person breakdowns
    paths: dict[str, str] = field(default_factory=dict)  # activity dimension → path from the rows
    people: bool = True  # describes people: suppressed under 5 on the public page
    part: Q | None = None  # shares: the rows counted over all the rows
    batch: str = ""  # figures of one batch count the same rows: one query for all of them
    via: str = ""  # path to Person: count over those people (a semi-join) rather than the rows

    @property
    def value_count(self) -> str:
        """What the value query counts: `count`, or its path from Person when counting `via`."""
        if not self.via:
            return self.count
        return "pk" if self.count == self.via else self.count.removeprefix(f"{self.via}__")

    @property
    def breakable(self) -> bool:
        return self.kind == "count"

    def dimensions(self) -> list[str]:
        """The dimensions this figure can be broken down by."""
        if not self.breakable:
            return []
        return [key for key, d in DIMENSIONS.items() if (d.is_person and self.person is not None) or key in self.paths]


FIGURES: dict[str, Figure] = {}


_Compute = TypeVar("_Compute", bound=Callable[[Period, Audience], Any])


def figure(
    key: str, label: Promise, definition: Promise, *, programme: str, **extra: Any
) -> Callable[[_Compute], _Compute]:
    """Register a figure function under `key` (the order of registration is the order shown)."""

    def register(compute: _Compute) -> _Compute:
        FIGURES[key] = Figure(key, label, definition, programme, compute, **extra)
        return compute

    return register


def available_figures() -> list[Figure]:
    return list(FIGURES.values())


# --- The figures ------------------------------------------------------------------------------

SCHOLARSHIP_PATHS = {
    "priority_area": "offering__course__priority_area",
    "topic": "offering__course__topics",
    "partner": "offering__course__provider",
}
OFFERING_PATHS = {"priority_area": "course__priority_area", "topic": "course__topics", "partner": "course__provider"}
WEBINAR_PATHS = {"priority_area": "priority_area", "topic": "topics", "partner": "partners"}
ATTENDANCE_PATHS = {k: f"webinar__{v}" for k, v in WEBINAR_PATHS.items()}
APPLICANT = "application__person__"


@figure(
    "scholarships_offered",
    _("Scholarships offered"),
    _("Offers sent for offerings starting in the period, including declined and expired ones."),
    programme="scholarships",
    person=APPLICANT,
    paths=SCHOLARSHIP_PATHS,
)
def scholarships_offered(period: Period, audience: Audience) -> QuerySet[Offer]:
    return offers(period, audience)


@figure(
    "scholarships_awarded",
    _("Scholarships awarded"),
    _("Offers that hold a seat: accepted, or awaiting an answer."),
    programme="scholarships",
    person=APPLICANT,
    paths=SCHOLARSHIP_PATHS,
    batch="awarded",
)
def scholarships_awarded(period: Period, audience: Audience) -> QuerySet[Offer]:
    return offers(period, audience).holding()


@figure(
    "scholarships_accepted",
    _("Scholarships accepted"),
    _("Offers the official accepted."),
    programme="scholarships",
    person=APPLICANT,
    paths=SCHOLARSHIP_PATHS,
)
def scholarships_accepted(period: Period, audience: Audience) -> QuerySet[Offer]:
    return offers(period, audience).accepted()


@figure(
    "scholarships_completed",
    _("Scholarships completed"),
    _("Scholarship holders whose enrolment ended in “completed”."),
    programme="scholarships",
    person=APPLICANT,
    paths=SCHOLARSHIP_PATHS,
)
def scholarships_completed(period: Period, audience: Audience) -> QuerySet[Offer]:
    return offers(period, audience).completed()


@figure(
    "scholarship_member_states",
    _("Member states reached by scholarships"),
    _("Member states of the officials awarded a scholarship."),
    programme="scholarships",
    count="application__person__member_state",
    person=APPLICANT,
    paths=SCHOLARSHIP_PATHS,
    people=False,
    batch="awarded",
)
def scholarship_member_states(period: Period, audience: Audience) -> QuerySet[Offer]:
    return offers(period, audience).holding()  # COUNT(DISTINCT) skips NULL


@figure(
    "courses",
    _("Courses"),
    _("Distinct courses with an offering starting in the period."),
    programme="courses",
    count="course",
    person="enrolments__person__",
    paths=OFFERING_PATHS,
    people=False,
    batch="offerings",
)
def courses(period: Period, audience: Audience) -> QuerySet[Offering]:
    return offerings(period, audience)


@figure(
    "offerings",
    _("Course offerings"),
    _("Cohorts starting in the period."),
    programme="courses",
    person="enrolments__person__",
    paths=OFFERING_PATHS,
    people=False,
    batch="offerings",
)
def course_offerings(period: Period, audience: Audience) -> QuerySet[Offering]:
    return offerings(period, audience)


@figure(
    "webinars",
    _("Webinars held"),
    _("Webinars held (or closed) that started in the period."),
    programme="webinars",
    person="attendances__person__",
    paths=WEBINAR_PATHS,
    people=False,
)
def webinars_held(period: Period, audience: Audience) -> QuerySet[Webinar]:
    return webinars(period, audience)


@figure(
    "webinar_registrations",
    _("Webinar registrations"),
    _("Registrations (confirmed or waitlisted) for the webinars held."),
    programme="webinars",
    paths=ATTENDANCE_PATHS,
)
def webinar_registrations(period: Period, audience: Audience) -> QuerySet[Registration]:
    rows = Registration.objects.active().filter(webinar__in=webinars(period, audience).values("pk"))
    return people_of_states(rows, audience, "person__")


@figure(
    "webinar_unique_attendees",
    _("Unique webinar attendees"),
    _("People (not attendance rows) who attended at least one webinar; hosts and panelists excluded."),
    programme="webinars",
    count="person",
    paths=ATTENDANCE_PATHS,
    batch="attendees",
    via="person",
)
def webinar_unique_attendees(period: Period, audience: Audience) -> QuerySet[Attendance]:
    return attendances_of(webinars(period, audience), audience)


@figure(
    "webinar_member_states",
    _("Member states reached by webinars"),
    _("Member states of the webinar attendees."),
    programme="webinars",
    count="person__member_state",
    paths=ATTENDANCE_PATHS,
    people=False,
    batch="attendees",
    via="person",
)
def webinar_member_states(period: Period, audience: Audience) -> QuerySet[Attendance]:
    return attendances_of(webinars(period, audience), audience)  # COUNT(DISTINCT) skips NULL


@figure(
    "webinar_satisfaction",
    _("Webinar satisfaction"),
    _("Average overall rating (1–5) in the satisfaction surveys."),
    programme="webinars",
    kind="average",
)
def webinar_satisfaction(period: Period, audience: Audience) -> float | None:
    rows = SurveyResponse.objects.filter(webinar__in=webinars(period, audience).values("pk"))
    result = people_of_states(rows, audience, "person__").aggregate(mean=Avg("overall"), n=Count("pk"))
    return round(float(result["mean"]), 2) if result["n"] else None


@figure(
    "meetings",
    _("Meetings held"),
    _("Meetings held that started in the period."),
    programme="meetings",
    person="delegations__participants__person__",
    paths={"partner": "host_institution"},
    people=False,
)
def meetings_held(period: Period, audience: Audience) -> QuerySet[Meeting]:
    return meetings(period, audience)


@figure(
    "meeting_delegations",
    _("Meeting delegations"),
    _("Delegations of member states and observers registered for those meetings."),
    programme="meetings",
    person="participants__person__",
    paths={"partner": "institution"},
    people=False,
)
def meeting_delegations(period: Period, audience: Audience) -> QuerySet[Delegation]:
    return delegations(period, audience)


@figure(
    "meeting_participants",
    _("Meeting participants"),
    _("People in those delegations."),
    programme="meetings",
    count="person",
    paths={"partner": "delegation__institution"},
)
def meeting_participants(period: Period, audience: Audience) -> QuerySet[Participant]:
    return Participant.objects.filter(delegation__in=delegations(period, audience).values("pk"))


@figure(
    "certificates_issued",
    _("Certificates issued"),
    _(
        "Certificates for courses completed and webinars or meetings attended in the period, "
        "neither revoked nor replaced."
    ),
    programme="certificates",
    person="holder__",
)
def certificates_issued(period: Period, audience: Audience) -> QuerySet[Certificate]:
    return certificates(period, audience)


# (figure key, path from its rows to the person) for everyone a programme reached. Webinar
# attendees come first: they are most of the people reached (see `_reached_apart`).
REACHED = [
    ("webinar_unique_attendees", "person"),
    ("scholarships_awarded", "application__person"),
    ("meeting_participants", "person"),
]


@figure(
    "people_reached",
    _("People reached"),
    _("Distinct people awarded a scholarship, attending a webinar or taking part in a meeting."),
    programme="all",
    person="",
    batch="people",
)
def people_reached(period: Period, audience: Audience) -> QuerySet[Person]:
    # One UNION of person ids, joined once: PostgreSQL hashes it, where OR-ed IN (…) subplans
    # fall back to a scan per person once the ids outgrow work_mem.
    parts = [FIGURES[key].compute(period, audience).order_by().values_list(path, flat=True) for key, path in REACHED]
    if not parts:
        return Person.objects.none()
    return Person.objects.filter(pk__in=parts[0].union(*parts[1:]))


@figure(
    "women_share",
    _("Share of women"),
    _("Women among the people reached; people who did not state a gender count in the total."),
    programme="all",
    kind="share",
    part=Q(gender=Person.Gender.WOMAN),
    batch="people",
)
def women_share(period: Period, audience: Audience) -> QuerySet[Person]:
    return people_reached(period, audience)


@figure(
    "gender_not_stated_share",
    _("Gender not stated"),
    _("Share of the people reached who did not state a gender."),
    programme="all",
    kind="share",
    part=Q(gender=""),
    batch="people",
)
def gender_not_stated_share(period: Period, audience: Audience) -> QuerySet[Person]:
    return people_reached(period, audience)


# --- Values and breakdowns --------------------------------------------------------------------

Value = int | float | None


def _aggregates(found: Figure) -> dict[str, Count]:
    # Rows are unique (scoping uses pk__in subqueries), so counting pk needs no DISTINCT sort,
    # and COUNT(*) lets PostgreSQL count from an index alone.
    counted = Count("*") if found.value_count == "pk" else Count(found.value_count, distinct=True)
    if found.kind == "share":
        return {f"{found.key}__all": counted, f"{found.key}__part": Count(found.value_count, filter=found.part)}
    return {found.key: counted}


def _batch_aggregates(batch: list[Figure]) -> dict[str, Count]:
    aggregates: dict[str, Count] = {}
    for found in batch:
        aggregates |= _aggregates(found)
    return aggregates


def _finish(batch: list[Figure], result: dict[str, Any]) -> dict[str, Value]:
    """The figures of a batch from its aggregates: counts as they are, shares divided."""
    values: dict[str, Value] = {}
    for found in batch:
        if found.kind == "share":
            total = result[f"{found.key}__all"]
            values[found.key] = round(result[f"{found.key}__part"] / total, 3) if total else None
        else:
            values[found.key] = result[found.key] or 0
    return values


def _evaluate(
    batch: list[Figure], period: Period, audience: Audience, reach: dict[str | None, int] | None = None
) -> dict[str, Value]:
    """The figures of one batch from one aggregate query over their (shared) rows.

    With `reach`, a batch over people (`person == ""`, plain counts, so they add up) is counted
    per member state in that same query, and `reach` receives the first figure's count per state:
    the dashboard's map costs no second pass over the people reached."""
    if batch[0].kind == "average":
        return {batch[0].key: batch[0].compute(period, audience)}
    aggregates = _batch_aggregates(batch)
    rows = batch[0].compute(period, audience).order_by()
    if batch[0].via:  # PostgreSQL hashes the people once instead of sorting every row twice
        rows = Person.objects.filter(pk__in=rows.values(batch[0].via)).order_by()
    if reach is not None and batch[0].person == "" and all(f.value_count == "pk" for f in batch):
        grouped = list(rows.values("member_state__code").annotate(**aggregates))
        reach.update({g["member_state__code"]: g[batch[0].key] for g in grouped})
        result = {name: sum(g[name] for g in grouped) for name in aggregates}
    else:
        result = rows.aggregate(**aggregates)
    return _finish(batch, result)


def _reached_apart(period: Period, audience: Audience) -> list[QuerySet[Model]]:
    """The people reached as disjoint sets of people: each REACHED figure's people who are
    not among an earlier one's. Their counts add up to `people_reached`'s, and the first set,
    the webinar attendees, is read once for both figures; the others are few."""
    parts: list[QuerySet[Model]] = []
    earlier: list[tuple[QuerySet[Model], str]] = []
    for key, path in REACHED:
        rows = FIGURES[key].compute(period, audience).order_by()
        people = Person.objects.filter(pk__in=rows.values(path))
        for seen, seen_path in earlier:
            people = people.filter(~Exists(seen.filter(**{seen_path: OuterRef("pk")})))
        parts.append(people.order_by())
        earlier.append((rows, path))
    return parts


def _reach_values(
    people: list[Figure],
    attendees: list[Figure],
    period: Period,
    audience: Audience,
    reach: dict[str | None, int],
    breakdowns: dict[str, dict[str, list[Row]]] | None,
) -> dict[str, Value]:
    """The people reached (with `reach` per member state) and the webinar attendees, in one pass
    over the period's attendance rows: one query per part of `_reached_apart`, grouped by the
    person's keys. Counts add up across parts and groups; the attendees' member states (their
    COUNT(DISTINCT country)) are those of the first part's groups. `breakdowns` receives these
    figures by every person dimension, from the same groups."""
    counted = {f.key: Count("*") for f in attendees if f.value_count == "pk"}
    parts = [
        person_groups(part, person_prefix="", **_batch_aggregates(people), **(counted if n == 0 else {}))
        for n, part in enumerate(_reached_apart(period, audience))
    ]
    every, first = [group for part in parts for group in part], parts[0]
    for group in every:
        reach[group["member_state"]] = reach.get(group["member_state"], 0) + group[people[0].key]
    sums = {name: sum(group.get(name, 0) for group in every) for name in _batch_aggregates(people) | counted}
    sums |= {
        f.key: len({g["member_state"] for g in first if g["member_state"]}) for f in attendees if f.key not in counted
    }
    values = _finish(people, sums) | _finish(attendees, sums)
    if breakdowns is None:
        return values
    regions = state_regions()
    reached = int(values[people[0].key] or 0)
    breakdowns[people[0].key] = tally(every, count=people[0].key, total=reached, regions=regions)
    for found in attendees:  # counted: the people; else their member states
        total, states = int(values[found.key] or 0), found.key not in counted
        breakdowns[found.key] = tally(first, count=next(iter(counted)), total=total, states=states, regions=regions)
    return values


def figure_value(key: str, period: Period, audience: Audience) -> Value:
    """One figure: a count, or a share (0–1) or average; None when there is nothing to divide."""
    return _evaluate([FIGURES[key]], period, audience)[key]


def values_for(
    period: Period,
    audience: Audience,
    *,
    reach: dict[str | None, int] | None = None,
    breakdowns: dict[str, dict[str, list[Row]]] | None = None,
) -> dict[str, Value]:
    """Every available figure, in registry order; each batch of figures in one query.

    Pass an empty dict as `reach` to receive the people reached per member state (ISO code,
    None for people with no member state), counted in the same query as `people_reached`, and
    one as `breakdowns` to receive, by figure key and dimension key, the breakdowns that came
    with the figures (the people reached and webinar attendees by every person dimension)."""
    batches: dict[str, list[Figure]] = {}
    for found in available_figures():
        batches.setdefault(found.batch or found.key, []).append(found)
    values: dict[str, Value] = {}
    if "attendees" in batches:  # the people reached are mostly they: count both together
        people, attendees = batches.pop("people"), batches.pop("attendees")
        values |= _reach_values(people, attendees, period, audience, {} if reach is None else reach, breakdowns)
    for batch in batches.values():
        values |= _evaluate(batch, period, audience, reach)
    return {f.key: values[f.key] for f in available_figures()}


def state_rows(counts: dict[str | None, int]) -> list[Row]:
    """Counts per member state as breakdown rows (labels in the active language), biggest first."""
    total = sum(counts.values())
    rows = [
        Row(code, country_name(code) if code else str(NOT_STATED), n, n / total if total else 0.0)
        for code, n in counts.items()
        if n
    ]
    return sorted(rows, key=lambda row: (-row.value, row.key or ""))


def figures_for(period: Period, user: Viewer) -> dict[str, Value]:
    """Every figure the user may see for the period (staff: all; partner and focal point: scoped).

    Raises Http404 for users who may see no report. The API and `manage.py report` call this.
    """
    audience = default_audience(user)
    if audience is None:
        raise Http404
    return values_for(period, audience)


def latest_year(until: int) -> int:
    """The latest year, up to `until`, in which a course offering ended or a webinar was held: the
    last year with results to show (an offering announced for next month does not count yet)."""
    ended = Offering.objects.filter(end__year__lte=until, end__lte=datetime.date.today())
    held = Webinar.objects.held().filter(starts_at__year__lte=until)
    years = [ended.aggregate(y=Max("end__year"))["y"], held.aggregate(y=Max("starts_at__year"))["y"]]
    return max((y for y in years if y), default=until)


def _to_one(start: type[Model], path: str) -> bool:
    """Whether `path` (e.g. "application__person__") follows foreign keys only, so that each row
    reaches at most one object along it."""
    for name in filter(None, path.split("__")):
        field = start._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            return False
        start = field.related_model
    return True


def _breakdown_rows(
    found: Figure, period: Period, audience: Audience, *, person: bool
) -> tuple[QuerySet[Model], str, str]:
    """The rows a breakdown groups, what it counts and the path from the rows to Person."""
    rows, count, prefix = found.compute(period, audience), found.count, found.person or ""
    if found.via and person:  # group the people, not their rows
        rows, count, prefix = Person.objects.filter(pk__in=rows.values(found.via)), found.value_count, ""
    return rows, count, prefix


def figure_breakdowns(
    key: str, period: Period, audience: Audience, *, total: int, known: dict[str, list[Row]] | None = None
) -> dict[str, list[Row]]:
    """Every breakdown of one figure (for the annual files), by dimension key: when its rows each
    reach one person and it counts them or their member states, all the person dimensions come
    from one query (`person_breakdowns`). `known`: those `values_for` already gave."""
    found = FIGURES[key]
    rows, count, prefix = _breakdown_rows(found, period, audience, person=True)
    by_person = known or {}
    if (
        not by_person
        and found.person is not None
        and count in ("pk", f"{prefix}member_state")
        and _to_one(rows.model, prefix)
    ):
        by_person = person_breakdowns(rows, person_prefix=prefix, total=total, states=count != "pk")
    return {
        d: [row for row in by_person[d] if row.value]
        if d in by_person
        else figure_breakdown(key, d, period, audience, total=total)
        for d in found.dimensions()
    }


def figure_breakdown(
    key: str, dimension: str, period: Period, audience: Audience, *, total: int | None = None
) -> list[Row]:
    """One figure broken down by one dimension, counted in the database; [] when it does not apply.

    `total` is the figure's value when the caller has it (the shares are of it)."""
    found = FIGURES[key]
    if dimension not in found.dimensions():
        return []
    rows, count, prefix = _breakdown_rows(found, period, audience, person=DIMENSIONS[dimension].is_person)
    # Rows that reach one person each (people, registrations, …) are met once per group of a
    # person dimension: counting them needs no DISTINCT.
    once = count == "pk" and DIMENSIONS[dimension].is_person and _to_one(rows.model, prefix)
    grouped = breakdown(
        rows,
        DIMENSIONS[dimension],
        count=count,
        person_prefix=prefix,
        activity_paths=found.paths,
        total=total,
        distinct=not once,
    )
    return [row for row in grouped if row.value]
