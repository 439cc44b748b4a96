"""Webinar fixtures: a published webinar co-organised with the partner persona's institution."""

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from faro.core.imports import RowError
from faro.directory.models import Institution, MemberState
from faro.webinars.models import Webinar


def make_webinar(*, partners: list[Institution] = (), **fields: Any) -> Webinar:  # type: ignore[assignment]  # an empty tuple is a safe default for a list never mutated
    start = timezone.now() + datetime.timedelta(days=3)
    values = {
        "title": {
            "en": "Port security and the ISPS Code",
            "es": "Protección portuaria y Código PBIP",
            "pt": "Proteção portuária e Código ISPS",
            "fr": "Sûreté portuaire et Code ISPS",
        },
        "description": {"en": "What changed since 2004."},
        "starts_at": start,
        "ends_at": start + datetime.timedelta(minutes=90),
        "capacity": 2,
        "status": Webinar.Status.PUBLISHED,
        "join_url": "https://zoom.example.org/j/123456",
        "language": "es",
        **fields,
    }
    webinar = Webinar.objects.create(**values)
    webinar.partners.set(partners)
    return webinar


@pytest.fixture
def webinar(partner_institution: Institution) -> Webinar:
    return make_webinar(partners=[partner_institution])


def register(webinar: Webinar, email: str, first: str = "Ana", last: str = "Silva", **kw: Any) -> Any:
    from faro.webinars.services import register_for_webinar

    kw.setdefault("member_state", MemberState.objects.get(code="BR"))
    kw.setdefault("language", "pt")
    return register_for_webinar(
        webinar, acting_user=None, email=email, first_name=first, last_name=last, consent=True, **kw
    )


@dataclass
class Record:
    name: str
    email: str | None
    minutes: int
    role: str = "attendee"
    country: str | None = None
    first_line: int = 1
    joins: int = 1
    seconds: int = 0
    external: bool = False


@dataclass
class Report:
    format: str = "zoom-webinar"
    rows: int = 0
    attendees: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
