"""Reads over the programmes' activities: upcoming, filtered, searched, and as iCalendar.

Search folds accents and case in Python (`faro.lib.text.fold`) over the title and summary in
all four languages, so it behaves the same on SQLite and PostgreSQL.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from faro.core.fields import language_codes
from faro.directory.models import PlanOfAction, PriorityArea, Topic
from faro.lib.collation import sorted_by_name
from faro.lib.ics import CalendarEvent
from faro.lib.text import fold
from faro.portal.activity_sources import Activity, sources

CALENDAR_KINDS = ["offering", "call", "webinar", "meeting"]
CATALOGUE_KINDS = ["course", "call", "webinar", "meeting"]


@dataclass(frozen=True)
class ActivityFilter:
    """What a visitor asked for on the calendar or catalogue page. Unknown values are ignored."""

    kind: str = ""
    area: int | None = None
    topic: str = ""
    language: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any, *, kinds: list[str]) -> "ActivityFilter":
        area = params.get("area", "")
        language = params.get("language", "")
        return cls(
            kind=params.get("kind", "") if params.get("kind", "") in kinds else "",
            area=int(area) if area.isdigit() else None,
            topic=params.get("topic", "")[:50],
            language=language if language in language_codes() else "",
            q=params.get("q", "")[:100].strip(),
        )

    def matches(self, activity: Activity) -> bool:
        words = fold(self.q).split()
        text = activity.search_text() if words else ""
        return (
            (not self.kind or activity.kind == self.kind)
            and (self.area is None or self.area in activity.priority_area_ids)
            and (not self.topic or self.topic in activity.topic_slugs)
            and (not self.language or self.language in activity.languages)
            and all(word in text for word in words)
        )


def _sort_key(activity: Activity) -> tuple[datetime.date, str]:
    return (activity.start_date or datetime.date.max, activity.key)


def all_activities(kinds: list[str]) -> list[Activity]:
    return [a for source in sources() for a in source.activities() if a.kind in kinds]


def upcoming_activities(
    *, filters: ActivityFilter | None = None, today: datetime.date | None = None, limit: int | None = None
) -> list[Activity]:
    """Dated public activities that have not ended, soonest first."""
    today = today or timezone.localdate()
    filters = filters or ActivityFilter()
    found = [
        a
        for a in all_activities(CALENDAR_KINDS)
        if a.start_date and (a.end_date or a.start_date) >= today and filters.matches(a)
    ]
    return sorted(found, key=_sort_key)[:limit]


def search_catalogue(filters: ActivityFilter) -> list[Activity]:
    """Every public course, call, webinar and meeting matching the filters; upcoming first."""
    today = timezone.localdate()
    found = [a for a in all_activities(CATALOGUE_KINDS) if filters.matches(a)]
    upcoming = sorted((a for a in found if (a.end_date or datetime.date.max) >= today), key=_sort_key)
    past = sorted((a for a in found if (a.end_date or datetime.date.max) < today), key=_sort_key, reverse=True)
    return upcoming + past


def current_priority_areas() -> list[PriorityArea]:
    """The priority areas of the plan in force (the latest that has started)."""
    year = timezone.localdate().year
    plan = PlanOfAction.objects.filter(start_year__lte=year).order_by("-start_year").first()
    return list(PriorityArea.objects.filter(plan=plan)) if plan else []


def topic_choices() -> list[tuple[str, str]]:
    """One entry per topic code (topics repeat across plans)."""
    seen: dict[str, str] = {}
    for topic in Topic.objects.select_related("priority_area__plan").order_by("-priority_area__plan__start_year"):
        seen.setdefault(topic.slug, str(topic.name))
    return sorted_by_name(seen.items(), lambda item: item[1])


def _event_span(activity: Activity) -> tuple[Any, Any] | None:
    """(start, end) for iCalendar: timed when both ends are timed, else all-day with an exclusive end.
    A deadline (a call's closing) is a moment: it starts and ends when the call closes."""
    start, end = activity.start, activity.end or activity.start
    if activity.deadline and end is not None:
        start = end
    if isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime):
        return start, end
    first, last = activity.start_date, activity.end_date
    if first is None:
        return None
    return first, (last or first) + datetime.timedelta(days=1)


def _title(activity: Activity, language: str) -> str:
    title = activity.title.in_language(language)
    with translation.override(language):
        if activity.deadline:
            return gettext("Deadline: %(title)s") % {"title": title}
        return f"{activity.kind_label}: {title}"


def to_event(activity: Activity, language: str) -> CalendarEvent | None:
    """The activity as an iCalendar event (RFC 5545), or None when it has no date."""
    span = _event_span(activity)
    if span is None:
        return None
    url = activity.url if activity.url.startswith("http") else settings.SITE_URL + activity.url
    return CalendarEvent(
        uid=f"{activity.key}@faro",
        title=_title(activity, language),
        start=span[0],
        end=span[1],
        url=url,
        description=activity.summary.in_language(language),
        location=activity.location,
        cancelled=activity.cancelled,
        sequence=activity.sequence,
    )


def to_events(activities: list[Activity], language: str) -> list[CalendarEvent]:
    return [event for event in (to_event(a, language) for a in activities) if event]


@dataclass(frozen=True)
class MonthDay:
    day: datetime.date | None  # None: a blank cell before the 1st or after the last day
    activities: tuple[Activity, ...] = ()


def parse_month(value: str | None, today: datetime.date) -> datetime.date:
    """The first day of the month named "YYYY-MM" (this month when missing or not a month)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def month_weeks(found: list[Activity], first: datetime.date) -> list[list[MonthDay]]:
    """The month of `first` as weeks from Monday, each day with what starts on it (a call: its deadline)."""
    on_day: dict[datetime.date, list[Activity]] = {}
    for item in found:
        day = item.end_date if item.deadline else item.start_date
        if day is not None and (day.year, day.month) == (first.year, first.month):
            on_day.setdefault(day, []).append(item)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [MonthDay(d, tuple(on_day.get(d, ()))) if d.month == first.month else MonthDay(None) for d in week]
        for week in weeks
    ]
