"""Report pages through the test client, for every persona."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_person
from faro.accounts.models import User
from faro.directory.models import Institution
from faro.reports.tests.conftest import attend, make_offer, make_offering, make_webinar, needs

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("reports:dashboard")
Y2020 = {"kind": "year", "year": "2020"}
PROGRAMMES = needs("courses.Offering", "scholarships.Offer", "webinars.Webinar")


@pytest.fixture
def records(partner_institution: Institution, other_institution: Institution) -> None:
    """Six officials (Jamaica and Brazil) with APN scholarships; a webinar with Valenciaport."""
    offering = make_offering(partner_institution)
    webinar = make_webinar(partners=(other_institution,))
    for index in range(6):
        person = make_person(
            f"Official{index}", "Test", "JM" if index < 2 else "BR", gender="woman" if index % 2 else ""
        )
        make_offer(offering, person)
        attend(webinar, person)


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["participant", "outsider", "reviewer"])
def test_people_without_a_reporting_role_get_404(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("reports:report_xlsx"), Y2020).status_code == 404


@PROGRAMMES
def test_staff_see_the_year_in_numbers_with_a_breakdown_and_the_map(client: Client, staff: User, records: None) -> None:
    client.force_login(staff)
    response = client.get(DASHBOARD, Y2020 | {"figure": "scholarships_awarded", "dimension": "member_state"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 scholarships to officials from 2 member states for 1 course; 1 webinar reaching 6 port officers" in html
    assert 'data-figure="scholarships_awarded">6<' in html
    assert '<svg class="chart"' in html
    assert '<svg class="map"' in html
    assert "Jamaica: 2" in html  # the map's title for Jamaica


@PROGRAMMES
def test_the_attendees_by_gender_come_with_the_figures(client: Client, staff: User, records: None) -> None:
    client.force_login(staff)
    response = client.get(DASHBOARD, Y2020 | {"figure": "webinar_unique_attendees", "dimension": "gender"})
    rows = {row.label: row.value for row in response.context["rows"]}
    assert rows == {"Woman": 3, "Not stated": 3}


@PROGRAMMES
def test_the_dashboard_speaks_spanish(client: Client, staff: User, records: None) -> None:
    client.force_login(staff)
    response = client.get(DASHBOARD, Y2020, headers={"accept-language": "es"})
    html = response.content.decode()
    assert "6 becas" in html
    assert "Informes" in html


def test_an_empty_period_shows_zeros_and_says_so(client: Client, staff: User) -> None:
    client.force_login(staff)
    html = client.get(DASHBOARD, {"kind": "year", "year": "1999"}).content.decode()
    assert "There are no records in this period" in html
    assert 'data-figure="people_reached">0<' in html


def test_a_period_that_ends_before_it_starts_is_explained(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(DASHBOARD, {"kind": "custom", "start": "2020-12-31", "end": "2020-01-01"})
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert (
        client.get(
            reverse("reports:report_xlsx"), {"kind": "custom", "start": "2020-12-31", "end": "2020-01-01"}
        ).status_code
        == 400
    )


def test_a_breakdown_that_does_not_apply_is_explained(client: Client, staff: User) -> None:
    client.force_login(staff)
    html = client.get(DASHBOARD, Y2020 | {"figure": "people_reached", "dimension": "topic"}).content.decode()
    assert "cannot be broken down by Topic" in html


@PROGRAMMES
def test_a_partner_sees_its_own_report_and_not_anothers(
    client: Client, partner: User, partner_institution: Institution, other_institution: Institution, records: None
) -> None:
    client.force_login(partner)
    html = client.get(DASHBOARD, Y2020).content.decode()
    assert 'data-figure="scholarships_awarded">6<' in html
    assert 'data-figure="webinars">0<' in html
    assert client.get(DASHBOARD, Y2020 | {"partner": partner_institution.pk}).status_code == 200
    assert client.get(DASHBOARD, Y2020 | {"partner": other_institution.pk}).status_code == 404
    assert client.get(reverse("reports:report_pdf"), Y2020 | {"partner": other_institution.pk}).status_code == 404
    assert client.get(DASHBOARD, Y2020 | {"state": "JM"}).status_code == 404


@PROGRAMMES
def test_a_focal_point_sees_its_member_state(client: Client, focal_point: User, records: None) -> None:
    client.force_login(focal_point)
    html = client.get(DASHBOARD, Y2020).content.decode()
    assert 'data-figure="scholarships_awarded">fewer than 5<' in html  # 2 people: only staff see it exactly
    assert "Jamaica" in html
    assert client.get(DASHBOARD, Y2020 | {"state": "JM"}).status_code == 200
    assert client.get(DASHBOARD, Y2020 | {"state": "BR"}).status_code == 404


@PROGRAMMES
def test_staff_can_open_any_partners_or_states_report(
    client: Client, staff: User, other_institution: Institution, records: None
) -> None:
    client.force_login(staff)
    html = client.get(DASHBOARD, Y2020 | {"partner": other_institution.pk}).content.decode()
    assert 'data-figure="webinars">1<' in html
    assert 'data-figure="scholarships_awarded">0<' in html
    html = client.get(DASHBOARD, Y2020 | {"state": "BR"}).content.decode()
    assert 'data-figure="scholarships_awarded">4<' in html


@PROGRAMMES
def test_the_workbook_has_one_sheet_per_breakdown_in_the_chosen_language(
    client: Client, staff: User, records: None
) -> None:
    client.force_login(staff)
    response = client.get(reverse("reports:report_xlsx"), Y2020 | {"language": "es"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Cifras", "Titular"]
    assert "Estado miembro" in book.sheetnames
    assert "Género" in book.sheetnames
    assert book["Titular"]["A2"].value.startswith("6 becas")
    states = {row[0]: row for row in book["Estado miembro"].iter_rows(min_row=2, values_only=True)}
    assert states["Jamaica"][1:3] == (2, 2)  # people reached, scholarships offered


@PROGRAMMES
def test_the_workbook_carries_no_live_formula(client: Client, staff: User, partner_institution: Institution) -> None:
    from faro.lib.tests.test_formulas import HOSTILE, formula_problems_xlsx

    Institution.objects.filter(pk=partner_institution.pk).update(name=HOSTILE[0], acronym=HOSTILE[-1])
    offering = make_offering(partner_institution)
    make_offer(offering, make_person(HOSTILE[1], HOSTILE[2], "JM", position=HOSTILE[3]))
    client.force_login(staff)
    assert formula_problems_xlsx(client.get(reverse("reports:report_xlsx"), Y2020).content) == []


@PROGRAMMES
def test_the_pdf_is_a_pdf(client: Client, staff: User, records: None) -> None:
    client.force_login(staff)
    response = client.get(reverse("reports:report_pdf"), Y2020 | {"language": "fr"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@PROGRAMMES
def test_the_pdf_draws_the_people_reached_by_member_state_and_region(
    client: Client, staff: User, records: None
) -> None:
    from pypdf import PdfReader

    client.force_login(staff)
    response = client.get(reverse("reports:report_pdf"), Y2020 | {"language": "fr"})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Personnes touchées par État membre" in text
    assert "Personnes touchées par Région (groupements de la CIP)" in text
    assert text.count("Jamaïque") == 2  # a bar of the chart and a row of the table


def test_a_bar_drawing_puts_the_first_bar_on_top() -> None:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart

    from faro.reports.exports import bar_drawing

    drawing = bar_drawing([("Jamaica", 4), ("Brazil", 2)], width=400)
    chart = next(c for c in drawing.contents if isinstance(c, HorizontalBarChart))
    assert chart.categoryAxis.categoryNames == ["Brazil", "Jamaica"]
    assert chart.data == [[2, 4]]  # drawn upwards


@PROGRAMMES
def test_the_impact_page_is_public_and_hides_small_numbers(client: Client, records: None) -> None:
    response = client.get(reverse("reports:impact"), {"year": "2020"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="scholarships_awarded">6<' in html
    assert "fewer than 5" in html  # Jamaica's 2 people, and the women's share (3 of 6)
    assert "<td>2</td>" not in html


def test_the_impact_page_defaults_to_a_year_and_copes_with_nonsense(client: Client) -> None:
    assert client.get(reverse("reports:impact")).status_code == 200
    assert client.get(reverse("reports:impact"), {"year": "abc"}).status_code == 200


def test_an_unknown_figure_is_refused_with_a_message(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(DASHBOARD, Y2020 | {"figure": "bogus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_impact_page_opens_on_the_last_year_with_results(client: Client, partner_institution: Institution) -> None:
    import datetime

    this_year = datetime.date.today().year
    make_offering(partner_institution, year=2020)
    upcoming = make_offering(partner_institution, year=this_year)  # announced, not run yet
    upcoming.start = datetime.date.today() + datetime.timedelta(days=30)
    upcoming.end = upcoming.start + datetime.timedelta(days=60)
    upcoming.save()
    assert client.get(reverse("reports:impact")).context["year"] == 2020
