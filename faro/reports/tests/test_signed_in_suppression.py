"""The same small-number rule on every signed-in form of a report for those who are not staff: the
dashboard, its workbook and PDF, and the report API. Staff get exact figures (the reason is in
`faro.reports.audience.sees_exact_figures`). A suppressed cell cannot be worked out from the
totals or from the number of rows."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import make_person
from faro.directory.models import Institution
from faro.reports.tests.conftest import attend, make_webinar
from faro.reports.wording import SMALL

pytestmark = pytest.mark.django_db
Y2020 = {"kind": "year", "year": "2020"}
OTHERS = "Others together"
FEWER = f"fewer than {SMALL}"


@pytest.fixture
def attendees(partner_institution: Institution) -> None:
    """The partner's 2020 webinar: 7 from Brazil, 6 from Mexico, one each from Jamaica and Haiti."""
    webinar = make_webinar(partners=(partner_institution,))
    for code, n in (("BR", 7), ("MX", 6), ("JM", 1), ("HT", 1)):
        for i in range(n):
            attend(webinar, make_person(f"{code}{i}", "X", code))


@pytest.fixture
def few(partner_institution: Institution) -> None:
    """The partner's only 2020 webinar had 3 attendees."""
    webinar = make_webinar(partners=(partner_institution,))
    for i in range(3):
        attend(webinar, make_person(f"P{i}", "X", "BR"))


def _sheet(client: Client, name: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(client.get(reverse("reports:report_xlsx"), Y2020).content))
    return [[cell.value for cell in row] for row in book[name].iter_rows()]


def test_the_partners_workbook_names_no_state_under_five_and_hides_them_together(
    client: Client, partner: Any, attendees: None
) -> None:
    client.force_login(partner)
    header, *rows = _sheet(client, "Member state")
    reached = header.index("People reached")
    assert [row[0] for row in rows] == ["Brazil", OTHERS]  # Mexico's 6 join Jamaica's and Haiti's 1
    assert [row[reached] for row in rows] == [7, 8]
    figures = {row[0]: row[1] for row in _sheet(client, "Figures")[1:]}
    assert figures["People reached"] == 15  # 15 − 7 = 8: the other row, three states, not one


def test_no_cell_of_the_partners_workbook_describes_fewer_than_five(
    client: Client, partner: Any, attendees: None
) -> None:
    client.force_login(partner)
    book = load_workbook(io.BytesIO(client.get(reverse("reports:report_xlsx"), Y2020).content))
    for sheet in book.worksheets[2:]:  # the breakdowns
        for row in sheet.iter_rows(min_row=2, values_only=True):
            assert all(not isinstance(cell, int) or cell == 0 or cell >= SMALL for cell in row[1:]), (sheet.title, row)
            assert "Jamaica" not in row
            assert "Haiti" not in row


def test_staff_get_the_exact_workbook(client: Client, staff: Any, attendees: None) -> None:
    client.force_login(staff)
    header, *rows = _sheet(client, "Member state")
    by_state = {row[0]: row[header.index("People reached")] for row in rows}
    assert by_state["Jamaica"] == 1
    assert by_state["Haiti"] == 1


def test_the_partners_pdf_names_no_state_under_five(client: Client, partner: Any, attendees: None) -> None:
    client.force_login(partner)
    response = client.get(reverse("reports:report_pdf"), Y2020)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Brazil" in text
    assert OTHERS in text
    assert "Jamaica" not in text
    assert "Mexico" not in text


def test_the_partners_dashboard_names_no_state_under_five(client: Client, partner: Any, attendees: None) -> None:
    client.force_login(partner)
    page = client.get(reverse("reports:dashboard"), Y2020)
    labels = [row.label for row in page.context["reach_rows"]]
    assert labels == ["Brazil", OTHERS]
    assert "Jamaica: none or counted with others" in page.context["map"]  # neither 1 nor a false 0
    assert "Mexico: none or counted with others" in page.context["map"]
    assert "Brazil: 7" in page.context["map"]


def test_a_small_figure_reaches_the_partner_suppressed_everywhere(client: Client, partner: Any, few: None) -> None:
    client.force_login(partner)
    body = client.get("/api/v1/reports/figures/", Y2020).json()
    attendees = next(f for f in body["figures"] if f["key"] == "webinar_unique_attendees")
    assert attendees["value"] is None
    assert attendees["suppressed"] is True
    page = client.get(reverse("reports:dashboard"), Y2020).text
    assert f'data-figure="webinar_unique_attendees">{FEWER}<' in page
    figures = {row[0]: row[1] for row in _sheet(client, "Figures")[1:]}
    assert figures["Unique webinar attendees"] == FEWER
    assert not _sheet(client, "Headline")[1][0]  # no sentence about 3 people
    header, *rows = _sheet(client, "Member state")
    assert [row[0] for row in rows] == [OTHERS]  # not "Brazil: fewer than 5"
    assert rows[0][header.index("People reached")] == FEWER


def test_staff_get_the_small_figure_exactly_from_the_api(client: Client, staff: Any, few: None) -> None:
    client.force_login(staff)
    body = client.get("/api/v1/reports/figures/", Y2020).json()
    attendees = next(f for f in body["figures"] if f["key"] == "webinar_unique_attendees")
    assert attendees["value"] == 3
    assert attendees["suppressed"] is False
