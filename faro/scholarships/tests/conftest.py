import pytest

from faro.courses.models import Course, Offering
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution
from faro.scholarships.models import Call
from faro.scholarships.tests.factories import make_call


@pytest.fixture
def course(partner_institution: Institution) -> Course:
    return make_course(partner_institution)


@pytest.fixture
def offering(course: Course) -> Offering:
    return make_offering(course)


@pytest.fixture
def offering_en(partner_institution: Institution) -> Offering:
    course = make_course(partner_institution, title={"en": "Cruise Ports"}, languages=["en"])
    return make_offering(course, code="CP-2020-1")


@pytest.fixture
def call(offering: Offering, offering_en: Offering) -> Call:
    return make_call([offering, offering_en])
