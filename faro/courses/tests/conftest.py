import pytest

from faro.courses.models import Course, Offering
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution


@pytest.fixture
def course(partner_institution: Institution) -> Course:
    return make_course(partner_institution)


@pytest.fixture
def offering(course: Course) -> Offering:
    return make_offering(course)
