"""The public impact page: a year staff published, and small numbers that cannot be recovered."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import make_person
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import Institution
from faro.reports import services
from faro.reports.dimensions import Row
from faro.reports.models import PublishedYear
from faro.reports.public import default_year, public_report
from faro.reports.tests.conftest import attend, make_webinar
from faro.reports.wording import SMALL, public_rows

IMPACT = reverse("reports:impact")
YEARS = reverse("reports:impact_years")
OTHER = "Other member states"


def rows(**counts: int) -> list[Row]:
    total = sum(counts.values())
    return [Row(code, code, n, n / total) for code, n in counts.items()]


def test_member_states_under_five_are_counted_together_not_listed() -> None:
    shown = public_rows(rows(MX=20, BR=10, CL=1, HT=2, JM=1, PE=3), OTHER)
    assert shown == [("MX", "20"), ("BR", "10"), (OTHER, "7")]


def test_one_small_state_takes_the_next_smallest_with_it_so_the_total_does_not_give_it_away() -> None:
    shown = public_rows(rows(MX=20, BR=10, JM=2), OTHER)
    assert shown == [("MX", "20"), (OTHER, "12")]  # 32 − 20 = 12: Jamaica's 2 stay hidden


def test_small_states_adding_up_to_fewer_than_five_take_a_shown_state_along() -> None:
    assert public_rows(rows(MX=20, BR=6, JM=1, HT=2), OTHER) == [("MX", "20"), (OTHER, "9")]


def test_a_table_of_only_small_states_shows_one_suppressed_row() -> None:
    assert public_rows(rows(JM=1, HT=2), OTHER) == [(OTHER, f"fewer than {SMALL}")]
    assert public_rows([], OTHER) == []


@given(st.dictionaries(st.sampled_from(["AR", "BR", "CL", "HT", "JM", "MX", "PE"]), st.integers(1, 30)))
def test_no_suppressed_cell_can_be_worked_out(counts: dict[str, int]) -> None:
    shown = dict(public_rows(rows(**counts), OTHER))
    listed = {code: int(text) for code, text in shown.items() if code != OTHER}
    assert all(n >= SMALL for n in listed.values())  # no state under 5 is named
    hidden = {code: n for code, n in counts.items() if code not in listed}
    if hidden:  # the rest is one row of at least two states, holding 5 or more (or all are small)
        assert OTHER in shown
        assert len(hidden) >= 2 or len(counts) == 1
        assert sum(hidden.values()) >= SMALL or not listed


@pytest.mark.django_db
def test_the_page_opens_on_the_latest_published_year_and_offers_the_others(
    client: Client, staff: User, partner_institution: Institution
) -> None:
    attend(make_webinar(year=2020), make_person("Ana", "Silva", "BR"))
    attend(make_webinar(year=datetime.date.today().year), make_person("Now", "One", "JM"))  # a small one this year
    assert client.get(IMPACT).context["year"] == default_year()
    assert default_year() == 2020  # the last complete year with results, not this year's one webinar
    services.publish_year(2019, acting_user=staff)
    services.publish_year(2020, acting_user=staff)
    services.publish_year(2020, acting_user=staff)  # twice: once
    page = client.get(IMPACT)
    assert page.context["year"] == 2020
    assert page.context["years"] == [2020, 2019]
    assert 'href="?year=2019"' in page.text
    assert client.get(IMPACT, {"year": "2019"}).context["year"] == 2019
    this_year = str(datetime.date.today().year)
    assert client.get(IMPACT, {"year": this_year}).context["year"] == 2020  # not published: the latest that is
    assert AuditEntry.objects.filter(action="reports.year.published").count() == 2


@pytest.mark.django_db
def test_a_published_year_with_no_records_says_so(client: Client, staff: User) -> None:
    services.publish_year(2017, acting_user=staff)
    page = client.get(IMPACT)
    assert page.status_code == 200
    assert "There are no records in this year yet." in page.text


@pytest.mark.django_db
def test_a_figure_whose_programme_has_no_data_is_zero_not_an_error(client: Client, staff: User) -> None:
    for n in range(6):
        attend(make_webinar(year=2020), make_person(f"P{n}", "X", "BR"))
    services.publish_year(2020, acting_user=staff)
    report = public_report(2020)
    shown = {item.key: item.text for item in report.shown}
    assert shown["scholarships_awarded"] == "0"
    assert shown["meetings"] == "0"
    assert shown["webinar_unique_attendees"] == "6"
    assert client.get(IMPACT).status_code == 200


@pytest.mark.django_db
def test_staff_publish_and_take_back_years_on_a_page(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get(YEARS).status_code == 200
    client.post(YEARS, {"year": "2020", "action": "publish"})
    assert list(PublishedYear.objects.values_list("year", flat=True)) == [2020]
    client.post(YEARS, {"year": "2020", "action": "unpublish"})
    assert not PublishedYear.objects.exists()
    assert AuditEntry.objects.filter(action="reports.year.unpublished").count() == 1
    response = client.post(YEARS, {"year": "twenty", "action": "publish"})
    assert response.status_code == 200
    assert not PublishedYear.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_choose_the_years(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(YEARS).status_code == 404
    assert client.post(YEARS, {"year": "2020", "action": "publish"}).status_code == 404
    assert not PublishedYear.objects.exists()


@pytest.mark.django_db
def test_the_public_api_suppresses_as_the_page_does(client: Client, staff: User) -> None:
    people = [make_person(f"B{n}", "X", "BR") for n in range(7)] + [make_person("J", "X", "JM")]
    webinar = make_webinar(year=2020)
    for person in people:
        attend(webinar, person)
    services.publish_year(2020, acting_user=staff)
    body = client.get("/api/v1/reports/impact/", {"year": 2020}).json()
    page = client.get(IMPACT)
    assert body["year"] == 2020
    by_state = next(t["rows"] for t in body["tables"] if t["dimension"] == "Member state")
    assert by_state == [[OTHER, "8"]]  # Brazil's 7 go with Jamaica's 1
    assert [list(r) for r in page.context["report"].tables[0][1]] == by_state
    assert {f["key"]: f["text"] for f in body["figures"]} == {s.key: s.text for s in page.context["report"].shown}
    assert client.get("/api/v1/reports/impact/", {"year": "abc"}).status_code == 400


@pytest.mark.django_db
def test_the_public_workbook_suppresses_as_the_page_does(client: Client, staff: User) -> None:
    webinar = make_webinar(year=2020)
    for person in [make_person(f"B{n}", "X", "BR") for n in range(7)] + [make_person("J", "X", "JM")]:
        attend(webinar, person)
    services.publish_year(2020, acting_user=staff)
    response = client.get(reverse("reports:impact_xlsx"), {"year": "2020"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Member state"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [[OTHER, "8"]]
    figures = {row[0].value: row[1].value for row in book["Figures"].iter_rows(min_row=2)}
    assert figures["Unique webinar attendees"] == "8"
