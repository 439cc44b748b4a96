"""What certificates need to know about a programme: one small adapter per kind.

Everything else in this app works on a generic source (content type + object id) through
these adapters. The programmes never import `certificates`; their adapters are registered
here only when the programme's models exist.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from faro.certificates.models import Kind
from faro.core.fields import Translated, as_translated
from faro.directory.models import Person


class SourceAdapter(Protocol):
    """The programme-specific questions a certificate asks of its source."""

    kind: str
    model: type[models.Model]

    def title(self, source: Any) -> Translated: ...
    def achieved_on(self, source: Any) -> datetime.date: ...
    def partners(self, source: Any) -> list[Any]: ...
    def eligible(self, source: Any) -> models.QuerySet[Person]: ...
    def is_held(self, source: Any) -> bool: ...
    def choices(self) -> models.QuerySet[models.Model]: ...


ADAPTERS: dict[str, SourceAdapter] = {}

ORGANISER = "Inter-American Committee on Ports (CIP) · OAS"


def register(adapter: SourceAdapter) -> None:
    ADAPTERS[adapter.kind] = adapter


def adapter_for(kind: str) -> SourceAdapter | None:
    return ADAPTERS.get(kind)


def available_kinds() -> list[str]:
    return [kind for kind in Kind.values if kind in ADAPTERS]


def get_source(kind: str, source_id: int) -> Any:
    """The source object of `kind` with `source_id`, or None when unknown."""
    adapter = adapter_for(kind)
    if adapter is None:
        return None
    return adapter.model._default_manager.filter(pk=source_id).first()


def source_type_for(source: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(source)


@dataclass(frozen=True)
class SourceFacts:
    """What is printed about the source on every certificate of it."""

    title: Translated
    achieved_on: datetime.date
    issuer: str


def facts_of(kind: str, source: Any) -> SourceFacts:
    adapter = ADAPTERS[kind]
    return SourceFacts(adapter.title(source), adapter.achieved_on(source), _issuer(adapter.partners(source)))


def partner_ids(kind: str, source: Any) -> list[int]:
    """The partner institutions of `source` (for co-branding and partners' webhooks)."""
    return [institution.pk for institution in ADAPTERS[kind].partners(source) if institution]


def _names(institutions: Iterable[Any]) -> list[str]:
    return [str(getattr(i, "acronym", "") or i) for i in institutions if i]


def _issuer(partners: Iterable[Any]) -> str:
    return " · ".join([ORGANISER, *_names(partners)])


def _day(value: Any) -> datetime.date:
    """A date, from a date or an aware datetime (seen in the active time zone)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    day: datetime.date = value
    return day


class _ModelAdapter:
    """What every adapter shares: the programme's model, and a title taken from the record."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model

    def title(self, source: Any) -> Translated:
        return as_translated(source.title)


class CourseAdapter(_ModelAdapter):
    kind = Kind.COURSE.value

    def title(self, source: Any) -> Translated:
        return as_translated(source.course.title)

    def achieved_on(self, source: Any) -> datetime.date:
        return _day(source.end or source.start)

    def partners(self, source: Any) -> list[Any]:
        return [source.course.provider]

    def eligible(self, source: Any) -> models.QuerySet[Person]:
        people: models.QuerySet[Person] = source.completed_people()
        return people

    def is_held(self, source: Any) -> bool:
        return True  # completion is recorded only once an offering has run

    def choices(self) -> models.QuerySet[models.Model]:
        return self.model._default_manager.select_related("course")


class WebinarAdapter(_ModelAdapter):
    kind = Kind.WEBINAR.value

    def achieved_on(self, source: Any) -> datetime.date:
        return _day(getattr(source, "start", None) or source.starts_at)

    def partners(self, source: Any) -> list[Any]:
        return list(source.partners.all())

    def eligible(self, source: Any) -> models.QuerySet[Person]:
        people: models.QuerySet[Person] = source.attended_people()
        return people

    def is_held(self, source: Any) -> bool:
        return bool(source.is_held)

    def choices(self) -> models.QuerySet[models.Model]:
        return self.model._default_manager.all()


class MeetingAdapter(_ModelAdapter):
    kind = Kind.MEETING.value

    def achieved_on(self, source: Any) -> datetime.date:
        return _day(source.end_date or source.start_date)

    def partners(self, source: Any) -> list[Any]:
        return [source.host_institution]

    def eligible(self, source: Any) -> models.QuerySet[Person]:
        people: models.QuerySet[Person] = source.attended_people()
        return people

    def is_held(self, source: Any) -> bool:
        return bool(source.is_held)

    def choices(self) -> models.QuerySet[models.Model]:
        return self.model._default_manager.all()


def register_installed_programmes() -> None:
    """Register an adapter for each programme whose model is installed (called at start-up)."""
    from django.apps import apps

    programmes: list[tuple[str, str, Any]] = [
        ("courses", "Offering", CourseAdapter),
        ("webinars", "Webinar", WebinarAdapter),
        ("meetings", "Meeting", MeetingAdapter),
    ]
    for app_label, model_name, adapter in programmes:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        register(adapter(model))


def programme_details(certificate: Any) -> dict[str, str]:
    """Hours of study and partner names printed on a certificate, where its programme has them."""
    adapter = adapter_for(certificate.kind)
    source = get_source(certificate.kind, certificate.source_id) if adapter else None
    if source is None:
        return {}
    details: dict[str, str] = {}
    hours = getattr(getattr(source, "course", None), "hours", None)
    if hours:
        details["hours"] = str(hours)
    partners = _names(adapter.partners(source)) if adapter else []
    if partners:
        details["partner"] = ", ".join(partners)
    return details
