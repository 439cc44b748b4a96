"""Staff read the 2020 dashboard in English and Spanish, switch a breakdown, download the XLSX."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from conftest import assert_accessible, login, make_person
from faro.accounts.models import User
from faro.directory.models import Institution
from faro.reports.tests.conftest import attend, make_offer, make_offering, make_webinar, needs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs("courses.Offering", "scholarships.Offer", "webinars.Webinar"),
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def year_2020(partner_institution: Institution) -> None:
    offerings = [make_offering(partner_institution) for _ in range(3)]
    webinar = make_webinar(partners=(partner_institution,))
    for index, code in enumerate(["JM", "BR", "PE", "MX", "AR", "CL", "CO", "TT", "BB"] * 2):
        person = make_person(f"Official{index}", "Test", code, gender=["woman", "man", ""][index % 3])
        make_offer(offerings[index % 3], person)
        attend(webinar, person)


def visible_svg(page: Page, selector: str) -> None:
    svg = page.locator(selector).first
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box
    assert box["width"] > 200
    assert box["height"] > 100


def test_staff_read_the_2020_dashboard_switch_a_breakdown_and_download(
    page: Page, staff: User, year_2020: None
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, staff.email)
    page.goto("/reports/?kind=year&year=2020")
    assert "18 scholarships to officials from 9 member states for 3 courses" in page.inner_text(".headline")
    visible_svg(page, "svg.chart")
    visible_svg(page, "svg.map")
    shaded = page.eval_on_selector_all(
        "svg.map path, svg.map circle",
        "shapes => shapes.filter(s => !['#f0f0f0', '#e6e6e6'].includes(s.getAttribute('fill'))).length",
    )
    assert shaded >= 9  # the nine member states reached (islands drawn twice: shape and dot)
    page.screenshot(path=str(ARTIFACTS / "reports-dashboard-2020-en.png"), full_page=True)
    assert_accessible(page)

    page.select_option("#id_figure", "webinar_unique_attendees")
    page.select_option("#id_dimension", "gender")
    page.click("form.report-filters button[type=submit]")
    assert "Unique webinar attendees by Gender" in page.inner_text(".breakdown h2")
    assert page.locator(".breakdown svg.chart rect").count() == 3
    page.click(".breakdown summary")
    assert page.locator(".breakdown table th[scope=row]", has_text="Not stated").is_visible()

    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    assert "Informes" in page.inner_text("h1")
    assert "18 becas para funcionarios de 9 Estados miembros en 3 cursos" in page.inner_text(".headline")
    assert "por Género" in page.inner_text(".breakdown h2")  # the breakdown survived the language switch
    visible_svg(page, "svg.map")
    page.screenshot(path=str(ARTIFACTS / "reports-dashboard-2020-es.png"), full_page=True)
    assert_accessible(page)

    with page.expect_download() as download:
        page.click(".downloads button[formaction]")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Estado miembro" in book.sheetnames
    assert book["Titular"]["A2"].value.startswith("18 becas")


def test_the_impact_page_is_accessible(page: Page, year_2020: None) -> None:
    page.goto("/reports/impact/?year=2020")
    assert "fewer than 5" in page.inner_text("main")
    assert_accessible(page)
