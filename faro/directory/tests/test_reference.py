import datetime

import pytest
from django.utils import translation

from faro.directory.models import MemberState, PlanOfAction, Region


@pytest.mark.django_db
def test_the_35_oas_member_states_are_loaded_with_names_from_cldr() -> None:
    assert MemberState.objects.count() == 35
    kitts = MemberState.objects.get(code="KN")
    assert kitts.iso3 == "KNA"
    with translation.override("fr"):
        assert kitts.name == "Saint-Christophe-et-Niévès"
    assert kitts.name_in("es") == "San Cristóbal y Nieves"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "day", "participating"),
    [
        ("CU", "2020-06-01", False),
        ("NI", "2023-11-01", True),
        ("NI", "2024-01-15", False),
        ("HN", "2010-05-01", False),
        ("HN", "2012-01-01", True),
        ("VE", "2020-06-01", False),
        ("JM", "2020-06-01", True),
    ],
)
def test_participation_follows_the_dated_status_history(code: str, day: str, participating: bool) -> None:
    state = MemberState.objects.get(code=code)
    assert state.is_participating_on(datetime.date.fromisoformat(day)) is participating


@pytest.mark.django_db
def test_a_state_may_sit_in_two_cip_groupings() -> None:
    belize = MemberState.objects.get(code="BZ")
    assert set(belize.regions.filter(scheme__code="cip").values_list("code", flat=True)) == {
        "caribbean",
        "central-america",
    }
    assert Region.objects.filter(scheme__code="m49").count() == 4


@pytest.mark.django_db
def test_plans_of_action_have_six_areas_with_chairs_in_four_languages() -> None:
    roatan = PlanOfAction.objects.get(start_year=2023)
    areas = list(roatan.priority_areas.select_related("chair", "vice_chair"))
    assert [a.chair.code if a.chair else None for a in areas] == ["MX", "BB", "PE", "GT", "AR", "PA"]
    vice_chair = areas[4].vice_chair
    assert vice_chair is not None
    assert vice_chair.code == "PY"
    assert all(not area.name.missing_languages() for area in areas)
    assert PlanOfAction.objects.get(start_year=2018).priority_areas.count() == 6
