"""Test data builders for courses (plain functions, used by fixtures in both programmes)."""

import datetime
from typing import Any

from faro.courses.models import Course, Offering
from faro.directory.models import Institution


def make_course(provider: Institution, **fields: Any) -> Course:
    values = {
        "title": {"en": "Port Security", "es": "Protección portuaria"},
        "modality": "online_tutored",
        "languages": ["es"],
        "hours": 40,
        "minimum_grade": 70,
        "is_published": True,
        **fields,
    }
    return Course.objects.create(provider=provider, **values)


def make_offering(course: Course, code: str = "PS-2020-1", seats: int = 2, **fields: Any) -> Offering:
    start = fields.pop("start", datetime.date(2030, 3, 1))
    return Offering.objects.create(
        course=course, code=code, seats=seats, start=start, end=start + datetime.timedelta(days=60), **fields
    )
