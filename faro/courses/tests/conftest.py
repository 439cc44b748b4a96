from typing import Any

import pytest

from faro.courses.models import Course, Offering
from faro.courses.tests.factories import make_course, make_offering


@pytest.fixture
def course(partner_institution: Any) -> Course:
    return make_course(partner_institution)


@pytest.fixture
def offering(course: Course) -> Offering:
    return make_offering(course)
