"""What the programmes offer, seen through one small adapter per programme.

The portal's calendar, catalogue, search, mailing segments ("past participants of…"),
personal calendar feed, data export and erasure checks all read the programmes through
`Source` adapters. Each adapter turns its programme's public records into `Activity`
values; wiring a new programme is one subclass added to `REGISTERED`. The adapters read the
programmes through their own querysets (who took part, what is still open, what is upcoming):
no status value or rule is restated here.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from faro.core.fields import Translated, language_codes
from faro.courses.models import Course, Enrolment, Offering
from faro.directory.models import Person
from faro.lib.collation import language_names
from faro.lib.text import fold
from faro.lib.wording import agreeing
from faro.meetings.models import Meeting, Participant, ParticipantQuerySet
from faro.scholarships.models import Application, Call
from faro.webinars.models import Attendance, Registration, Webinar


@dataclass(frozen=True)
class Activity:
    """One dated thing on the calendar or in the catalogue, whatever programme it comes from."""

    kind: str
    key: str  # stable, e.g. "webinar-12"; also the iCalendar UID prefix
    title: Translated
    start: datetime.date | datetime.datetime | None
    end: datetime.date | datetime.datetime | None
    url: str
    summary: Translated = field(default_factory=Translated)
    priority_area_ids: frozenset[int] = frozenset()
    topic_slugs: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    location: str = ""
    cancelled: bool = False
    sequence: int = 0  # bumped by the programme when the event changes, so calendar apps update it
    deadline: bool = False  # calendar feeds show it as its end (a deadline), not as a span of weeks

    @property
    def language_names(self) -> list[str]:
        return language_names(self.languages)

    @property
    def start_date(self) -> datetime.date | None:
        return as_date(self.start)

    @property
    def end_date(self) -> datetime.date | None:
        return as_date(self.end) or self.start_date

    @property
    def start_time(self) -> datetime.datetime | None:
        """The start in the viewer's zone, when the activity starts at a time (a webinar), not on a day."""
        return timezone.localtime(self.start) if isinstance(self.start, datetime.datetime) else None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def search_text(self) -> str:
        """Title and summary in every language, folded (no accents, no case)."""
        texts = [*self.title.values(), *self.summary.values(), self.location]
        return fold(" ".join(str(t) for t in texts))


KIND_LABELS = {
    "course": _("Course"),
    "offering": _("Course offering"),
    "call": _("Scholarship call"),
    "webinar": _("Webinar"),
    "meeting": _("Meeting"),
}


def as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


class Source:
    """An adapter over one programme. Subclasses set `kind`, `model` and override what applies."""

    kind = ""
    model: type[Model]
    related: tuple[str, ...] = ()  # what `activities` selects with each record
    prefetched: tuple[str, ...] = ()  # and what it prefetches

    def available(self) -> bool:
        return hasattr(self.model._default_manager, "public")

    def model_class(self) -> Any:
        return self.model

    def activities(self) -> Iterable[Activity]:
        """Every public record as an Activity."""
        public = self.model_class().objects.public().select_related(*self.related)
        return [self.to_activity(obj) for obj in public.prefetch_related(*self.prefetched)]

    def to_activity(self, obj: Any) -> Activity:
        return describe(self.kind, obj)

    def participant_ids(self) -> Iterable[int]:
        """People who took part in this programme in the past (for mailing segments)."""
        return []

    def registrations(self, person: Person) -> Iterable[Activity]:
        """The person's own upcoming registrations (for their private calendar feed)."""
        return []

    def erasure_blockers(self, person: Person) -> list[str]:
        """Reasons, in words, why the person cannot be erased now (open application, upcoming event)."""
        return []


REGISTERED: list[Source] = []  # filled at the end of this module, one adapter per programme


def sources() -> list[Source]:
    """The adapters whose programme is installed."""
    return [source for source in REGISTERED if source.available()]


# --- Helpers the adapters share -----------------------------------------------------


def ids_of(manager: Any) -> frozenset[int]:
    return frozenset(manager.values_list("pk", flat=True)) if manager is not None else frozenset()


def slugs_of(manager: Any) -> frozenset[str]:
    return frozenset(manager.values_list("slug", flat=True)) if manager is not None else frozenset()


def first_attr(obj: Any, *names: str) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None


def languages_of(obj: Any) -> frozenset[str]:
    """A record's language(s): a `language` code or a `languages` list."""
    value = first_attr(obj, "languages", "language")
    if isinstance(value, str):
        value = [value]
    return frozenset(code for code in value or [] if code in language_codes())


def area_ids_of(obj: Any) -> frozenset[int]:
    ids: set[int] = set()
    if getattr(obj, "priority_area_id", None):
        ids.add(obj.priority_area_id)
    if hasattr(obj, "priority_areas"):
        ids |= ids_of(obj.priority_areas)
    topics = getattr(obj, "topics", None)
    if topics is not None:
        ids |= set(topics.values_list("priority_area_id", flat=True))
    return frozenset(ids)


def topic_slugs_of(obj: Any) -> frozenset[str]:
    return slugs_of(getattr(obj, "topics", None))


def describe(kind: str, obj: Any, *, about: Any = None, **fields: Any) -> Activity:
    """The one shape of an activity: `obj` gives the key and link; `about` (default `obj`) the
    title, summary, priority areas, topics and languages; `fields` set the rest (dates, place…)."""
    about = obj if about is None else about
    shape: dict[str, Any] = {
        "kind": kind,
        "key": f"{kind}-{obj.pk}",
        "title": about.title,
        "start": None,
        "end": None,
        "url": obj.get_absolute_url(),
        "summary": about.description,
        "priority_area_ids": area_ids_of(about),
        "topic_slugs": topic_slugs_of(about),
        "languages": languages_of(about),
    }
    return Activity(**(shape | fields))


# --- One adapter per programme ---------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _ends(label: str, title: Any, end: datetime.date) -> str:
    return label % {"title": str(title), "end": date_format(end)}


class MeetingSource(Source):
    """Public meetings (faro.meetings); registration means being in a national delegation."""

    kind = "meeting"
    model = Meeting
    related = ("host_country",)

    def to_activity(self, meeting: Any) -> Activity:
        place = ", ".join(p for p in [meeting.city, meeting.host_country.name if meeting.host_country else ""] if p)
        return describe(
            self.kind,
            meeting,
            start=meeting.start_date,
            end=meeting.end_date,
            location=place,
            cancelled=meeting.is_cancelled,
        )

    def _participations(self, **lookup: Any) -> ParticipantQuerySet:
        return Participant.objects.not_cancelled().filter(**lookup)

    def participant_ids(self) -> Iterable[int]:
        return self._participations(delegation__meeting__end_date__lt=_today()).values_list("person_id", flat=True)

    def registrations(self, person: Person) -> Iterable[Activity]:
        upcoming = self._participations(person=person, delegation__meeting__end_date__gte=_today())
        return [self.to_activity(p.delegation.meeting) for p in upcoming.select_related("delegation__meeting")]

    def erasure_blockers(self, person: Person) -> list[str]:
        label = gettext("You are in a delegation to “%(title)s”, which ends on %(end)s.")
        return [_ends(label, a.title, a.end_date) for a in self.registrations(person)]  # type: ignore[arg-type]  # meeting activities carry their end date


def _offering_activity(offering: Any) -> Activity:
    return describe("offering", offering, about=offering.course, start=offering.start, end=offering.end)


class CourseSource(Source):
    """Published courses (faro.courses), for the catalogue; enrolments are the registrations."""

    kind = "course"
    model = Course
    prefetched = ("topics",)

    def _current(self, person: Person) -> Any:
        current = Enrolment.objects.current().filter(person=person, offering__end__gte=_today())
        return current.select_related("offering__course")

    def participant_ids(self) -> Iterable[int]:
        return Enrolment.objects.filter(offering__start__lt=_today()).values_list("person_id", flat=True)

    def registrations(self, person: Person) -> Iterable[Activity]:
        return [_offering_activity(e.offering) for e in self._current(person)]

    def erasure_blockers(self, person: Person) -> list[str]:
        label = agreeing(
            person,
            woman=pgettext("woman", "You are enrolled in “%(title)s”, which ends on %(end)s."),
            man=pgettext("man", "You are enrolled in “%(title)s”, which ends on %(end)s."),
            neutral=gettext("You are enrolled in “%(title)s”, which ends on %(end)s."),
        )
        return [_ends(label, e.offering.course.title, e.offering.end) for e in self._current(person)]


class OfferingSource(Source):
    """Dated runs of published courses (faro.courses), for the calendar."""

    kind = "offering"
    model = Offering
    related = ("course",)
    prefetched = ("course__topics",)

    def to_activity(self, offering: Any) -> Activity:
        return _offering_activity(offering)


class CallSource(Source):
    """Scholarship calls (faro.scholarships): on the calendar from opening to closing."""

    kind = "call"
    model = Call
    prefetched = ("offerings__course__topics",)

    def to_activity(self, call: Any) -> Activity:
        courses = [offering.course for offering in call.offerings.all()]
        return describe(
            self.kind,
            call,
            start=call.opens_at,
            end=call.closes_at,
            deadline=True,
            priority_area_ids=frozenset().union(*(area_ids_of(c) for c in courses)),
            topic_slugs=frozenset().union(*(topic_slugs_of(c) for c in courses)),
        )

    def participant_ids(self) -> Iterable[int]:
        return Application.objects.submitted().values_list("person_id", flat=True)

    def erasure_blockers(self, person: Person) -> list[str]:
        open_ones = Application.objects.still_open().filter(person=person)
        label = gettext("Your application to “%(title)s” is still open.")
        return [label % {"title": a.call.title} for a in open_ones.select_related("call")]

    def retention_rules(self) -> list[Any]:
        from faro.portal.services.privacy import RetentionRule

        label = _("Applications of unsuccessful candidates (motivation, notes, documents)")
        return [RetentionRule("unsuccessful_applications", label, 3, _clear_unsuccessful_applications)]


def _clear_unsuccessful_applications(before: datetime.datetime) -> int:
    """Blank what unsuccessful candidates wrote and delete their documents; keep the row for figures."""
    from faro.portal.services.privacy import scrub

    stale = (
        Application.objects.unsuccessful()
        .filter(call__end__lt=before.date())
        .filter(~Q(motivation="") | ~Q(endorsement_reason="") | Q(documents__isnull=False))
        .distinct()
    )
    count = 0
    for app in stale.prefetch_related("documents"):
        for document in app.documents.all():
            document.file.delete(save=False)
            document.delete()
        scrub(app)
        count += 1
    return count


class WebinarSource(Source):
    """Public webinars (faro.webinars); past participants are the people who attended one."""

    kind = "webinar"
    model = Webinar
    prefetched = ("topics",)

    def to_activity(self, webinar: Any) -> Activity:
        spoken = {webinar.language, *(webinar.interpretation_languages or [])}
        return describe(
            self.kind,
            webinar,
            start=webinar.starts_at,
            end=webinar.ends_at,
            languages=frozenset(code for code in spoken if code),
            cancelled=webinar.is_cancelled,
            sequence=webinar.sequence,
            location=gettext("Online"),
        )

    def participant_ids(self) -> Iterable[int]:
        return Attendance.objects.attendees().values_list("person_id", flat=True)

    def _upcoming(self, person: Person) -> Any:
        return Registration.objects.upcoming().filter(person=person).select_related("webinar")

    def registrations(self, person: Person) -> Iterable[Activity]:
        return [self.to_activity(r.webinar) for r in self._upcoming(person)]

    def erasure_blockers(self, person: Person) -> list[str]:
        label = agreeing(
            person,
            woman=pgettext("woman", "You are registered for the webinar “%(title)s” on %(end)s."),
            man=pgettext("man", "You are registered for the webinar “%(title)s” on %(end)s."),
            neutral=gettext("You are registered for the webinar “%(title)s” on %(end)s."),
        )
        return [_ends(label, r.webinar.title, timezone.localdate(r.webinar.ends_at)) for r in self._upcoming(person)]


REGISTERED.extend([CourseSource(), OfferingSource(), CallSource(), WebinarSource(), MeetingSource()])
