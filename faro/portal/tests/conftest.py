"""Portal fixtures: news posts, and a stand-in programme adapter until the real ones are wired."""

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from faro.core.fields import Translated
from faro.directory.models import Person, PriorityArea, Topic
from faro.portal import activity_sources as sources_module
from faro.portal.activity_sources import Activity, Source
from faro.portal.models import NewsPost


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """A request in another language leaves it active in the thread; services are asserted in English."""
    with translation.override("en"):
        yield


class FakeSource(Source):
    """A programme adapter over in-memory activities, so portal tests do not wait for the programmes."""

    def __init__(self, kind: str, activities: list[Activity]) -> None:
        self.kind = kind
        self.items = activities
        self.participants: list[int] = []
        self.registered: dict[int, list[Activity]] = {}
        self.blockers: dict[int, list[str]] = {}

    def available(self) -> bool:
        return True

    def activities(self) -> Iterable[Activity]:
        return self.items

    def participant_ids(self) -> Iterable[int]:
        return self.participants

    def registrations(self, person: Any) -> Iterable[Activity]:
        return self.registered.get(person.pk, [])

    def erasure_blockers(self, person: Any) -> list[str]:
        return self.blockers.get(person.pk, [])


def activity(kind: str, key: str, title: dict[str, str], start: Any, end: Any = None, **extra: Any) -> Activity:
    return Activity(kind=kind, key=key, title=Translated(title), start=start, end=end, url=f"/{kind}s/{key}/", **extra)


@pytest.fixture
def security_area(db: None) -> PriorityArea:
    return PriorityArea.objects.get(plan__start_year=2023, number=2)


@pytest.fixture
def fake_webinars(security_area: PriorityArea, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSource]:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=10), datetime.time(14)))
    items = [
        activity(
            "webinar",
            "webinar-1",
            {
                "en": "Port protection and the ISPS Code",
                "es": "Protección portuaria y Código PBIP",
                "fr": "Sûreté portuaire et Code ISPS",
            },
            start,
            start + datetime.timedelta(hours=2),
            priority_area_ids=frozenset({security_area.pk}),
            topic_slugs=frozenset({"isps"}),
            languages=frozenset({"es"}),
            summary=Translated({"en": "Cyber threats at the quay"}),
        ),
        activity(
            "webinar",
            "webinar-2",
            {"en": "Green ports and dredging", "es": "Puertos verdes y dragado"},
            today + datetime.timedelta(days=20),
            languages=frozenset({"en"}),
            topic_slugs=frozenset({"dredging"}),
        ),
        activity(
            "webinar", "webinar-0", {"en": "Cruise ports after the pandemic"}, today - datetime.timedelta(days=30)
        ),
    ]
    source = FakeSource("webinar", items)
    monkeypatch.setattr(sources_module, "REGISTERED", [source])
    yield source


@pytest.fixture
def fake_meetings(fake_webinars: FakeSource, monkeypatch: pytest.MonkeyPatch) -> FakeSource:
    today = timezone.localdate()
    items = [
        activity(
            "meeting",
            "meeting-12",
            {"en": "XII Regular Meeting of the CIP", "es": "XII Reunión de la CIP"},
            today + datetime.timedelta(days=40),
            today + datetime.timedelta(days=42),
            location="Buenos Aires",
            languages=frozenset({"en", "es"}),
        )
    ]
    source = FakeSource("meeting", items)
    monkeypatch.setattr(sources_module, "REGISTERED", [fake_webinars, source])
    return source


def make_post(slug: str, title: dict[str, str], *, days_ago: int | None = 1, **fields: Any) -> NewsPost:
    publish_at = timezone.now() - datetime.timedelta(days=days_ago) if days_ago is not None else None
    fields.setdefault("body", {"en": "Text of " + slug})
    return NewsPost.objects.create(slug=slug, title=title, publish_at=publish_at, **fields)


@pytest.fixture
def posts(db: None) -> list[NewsPost]:
    return [
        make_post(
            "holidays",
            {"en": "CIP Holidays Message 2020", "fr": "Message de fin d'année de la CIP 2020"},
            summary={"en": "Happy Holidays!", "fr": "Joyeuses fêtes !"},
            days_ago=3,
        ),
        make_post("security", {"en": "Port security", "es": "Protección portuaria"}, days_ago=1),
        make_post("draft", {"en": "Unpublished draft"}, days_ago=None),
    ]


def topic(slug: str) -> Topic:
    return Topic.objects.filter(slug=slug).order_by("-priority_area__plan__start_year").first()  # type: ignore[return-value]  # the reference data has the topic


def person_with(email: str, country: str, **fields: Any) -> Person:
    from conftest import make_person

    return make_person(email.split("@")[0].title(), "Tester", country, email=email, **fields)
