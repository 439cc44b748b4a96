import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import make_person
from faro.directory.models import Institution
from faro.reports.tests.conftest import make_offer, make_offering, needs

pytestmark = pytest.mark.django_db
REQUIRED = {
    "scholarships_awarded",
    "scholarship_member_states",
    "courses",
    "webinars",
    "webinar_unique_attendees",
    "webinar_member_states",
    "certificates_issued",
    "women_share",
}


@needs("courses.Offering", "scholarships.Offer", "webinars.Webinar", "certificates.Certificate")
def test_report_json_prints_the_required_figures(partner_institution: Institution) -> None:
    make_offer(make_offering(partner_institution), make_person("Ana", "Silva", "BR", gender="woman"))
    out = StringIO()
    call_command("report", "--year", "2020", "--json", stdout=out)
    values = json.loads(out.getvalue())
    assert set(values) >= REQUIRED
    assert (values["scholarships_awarded"], values["scholarship_member_states"], values["women_share"]) == (1, 1, 1.0)


def test_report_text_is_a_headline_and_a_list() -> None:
    out = StringIO()
    call_command("report", "--year", "2020", "--language", "es", stdout=out)
    assert "Personas alcanzadas: 0" in out.getvalue()


def test_report_refuses_a_nonsense_year() -> None:
    with pytest.raises(CommandError):
        call_command("report", "--year", "20")


def test_the_demo_prints_the_2020_headline_computed_from_the_records(partner_institution: Institution) -> None:
    from faro.reports import demo

    make_offer(make_offering(partner_institution), make_person("Ana", "Silva", "BR"))
    lines: list[str] = []
    demo.load(lines.append)
    assert lines == ["Reports: 2020 — 1 scholarship to officials from 1 member state for 1 course."]
