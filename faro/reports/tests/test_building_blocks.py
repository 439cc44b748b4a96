import datetime
import re

import pytest
from django.utils import translation

from conftest import make_person
from faro.directory.models import Person
from faro.reports.charts import bar_chart, legend, reach_map, shade
from faro.reports.dimensions import DIMENSIONS, breakdown
from faro.reports.periods import PeriodForm, calendar_year, period_from_request


def test_a_calendar_year_covers_every_instant_of_the_year() -> None:
    first, after = calendar_year(2020).bounds()
    assert first == datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    assert after == datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    form = PeriodForm({"kind": "custom", "start": "2020-12-31", "end": "2020-01-01"})
    assert not form.is_valid()
    assert "ends before it starts" in str(form.errors["end"])


@pytest.mark.django_db
def test_a_plan_period_spans_its_years() -> None:
    from faro.directory.models import PlanOfAction

    plan = PlanOfAction.objects.get(start_year=2018)
    _form, period = period_from_request({"kind": "plan", "plan": str(plan.pk)})
    assert period is not None
    assert (period.start, period.end) == (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))


@pytest.mark.django_db
def test_breakdowns_count_distinct_people_in_the_database() -> None:
    make_person("Ana", "Silva", "BR", gender="woman")
    make_person("João", "Costa", "BR", gender="man")
    make_person("Keisha", "Brown", "JM", gender="")
    people = Person.objects.all()
    rows = breakdown(people, DIMENSIONS["member_state"], count="pk", person_prefix="")
    assert [(r.key, r.value) for r in rows] == [("BR", 2), ("JM", 1)]
    with translation.override("pt"):
        rows = breakdown(people, DIMENSIONS["gender"], count="pk", person_prefix="")
        assert {r.label: r.value for r in rows} == {"Mulher": 1, "Homem": 1, "Não informado": 1}


@pytest.mark.django_db
def test_a_state_in_two_cip_groupings_counts_in_both() -> None:
    make_person("Dwayne", "Grant", "BZ")
    rows = breakdown(Person.objects.all(), DIMENSIONS["region_cip"], count="pk", person_prefix="")
    assert {r.key for r in rows} == {"caribbean", "central-america"}
    rows = breakdown(Person.objects.all(), DIMENSIONS["region_m49"], count="pk", person_prefix="")
    assert [r.key for r in rows] == ["central-america"]


def test_bar_chart_escapes_labels_and_titles_each_bar() -> None:
    svg = bar_chart([("<Ports & Cities>", 3), ("Dredging", 1)], title="Webinars", chart_id="c1")
    assert "<Ports" not in svg
    assert "&lt;Ports &amp; Cities&gt;" in svg
    assert svg.count("<rect") == 2
    assert 'role="img"' in svg


@pytest.mark.django_db
def test_the_map_shades_every_member_state_and_marks_small_islands() -> None:
    svg = reach_map({"JM": 10, "PE": 40}, title="Reach")
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert any(t.startswith("Jamaica: 10") for t in titles)
    assert shade(40, 40) != shade(0, 40)
    assert "<circle" in svg  # Saint Kitts and Nevis and friends are dots
    assert len({t.split(":")[0] for t in titles}) == 35
    assert legend(40)[0][1] == 1
    assert legend(40)[-1][2] == 40
