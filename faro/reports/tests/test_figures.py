"""Each figure against records made by hand, and the scoping of partners and focal points."""

import pytest
from django.http import Http404

from conftest import make_person
from faro.accounts.models import User
from faro.directory.models import Institution, MemberState
from faro.reports.audience import EVERYTHING, partner_audience, state_audience
from faro.reports.dimensions import Row
from faro.reports.figures import FIGURES, figure_breakdown, figure_value, figures_for, state_rows, values_for
from faro.reports.periods import calendar_year
from faro.reports.tests.conftest import (
    at,
    attend,
    certify,
    delegate,
    enrol,
    make_meeting,
    make_offer,
    make_offering,
    make_webinar,
    needs,
)

pytestmark = pytest.mark.django_db
Y2020 = calendar_year(2020)
ALL_PROGRAMMES = needs("courses.Offering", "scholarships.Offer", "webinars.Webinar", "meetings.Meeting")


@pytest.fixture
def apn(partner_institution: Institution) -> Institution:
    return partner_institution


@needs("courses.Offering", "scholarships.Offer", "courses.Enrolment")
def test_scholarships_count_offers_by_status_and_states_of_the_holders(apn: Institution) -> None:
    course_a, course_b = make_offering(apn), make_offering(apn)
    ana, joao, keisha = (
        make_person("Ana", "Silva", "BR", gender="woman"),
        make_person("João", "Costa", "BR", gender="man"),
        make_person("Keisha", "Brown", "JM", gender="woman"),
    )
    make_offer(course_a, ana, status="accepted")
    make_offer(course_b, joao, status="awarded")
    make_offer(course_a, keisha, status="declined")
    make_offer(make_offering(apn, year=2019), keisha, status="accepted")  # another year
    enrol(course_a, ana, "completed")
    enrol(course_a, keisha, "completed")  # completed without a scholarship: not counted
    values = values_for(Y2020, EVERYTHING)
    assert values["scholarships_offered"] == 3
    assert values["scholarships_awarded"] == 2
    assert values["scholarships_accepted"] == 1
    assert values["scholarships_completed"] == 1
    assert values["scholarship_member_states"] == 1  # Brazil; Jamaica declined
    assert values["courses"] == 2
    assert values["offerings"] == 2
    rows = figure_breakdown("scholarships_awarded", "member_state", Y2020, EVERYTHING)
    assert [(r.key, r.value, r.share) for r in rows] == [("BR", 2, 1.0)]


@needs("webinars.Webinar", "webinars.Attendance")
def test_unique_attendees_are_people_not_rows_and_hosts_do_not_count(apn: Institution) -> None:
    first, second = make_webinar(partners=(apn,)), make_webinar()
    make_webinar(status="cancelled")
    ana, keisha = make_person("Ana", "Silva", "BR"), make_person("Keisha", "Brown", "JM")
    host = make_person("Host", "CIP", "US")
    for webinar in (first, second):
        attend(webinar, ana)
        attend(webinar, host, role="host")
    attend(second, keisha)
    attend(make_webinar(year=2021), make_person("Later", "One", "MX"))
    values = values_for(Y2020, EVERYTHING)
    assert values["webinars"] == 2
    assert values["webinar_unique_attendees"] == 2
    assert values["webinar_member_states"] == 2
    assert values["webinar_registrations"] == 5  # hosts were registered too
    rows = figure_breakdown("webinars", "partner", Y2020, EVERYTHING)
    assert {r.label: r.value for r in rows} == {str(apn): 1, "Not stated": 1}
    rows = figure_breakdown("webinar_unique_attendees", "member_state", Y2020, EVERYTHING)
    assert {(r.key, r.value, r.share) for r in rows} == {("BR", 1, 0.5), ("JM", 1, 0.5)}
    rows = figure_breakdown("webinar_unique_attendees", "partner", Y2020, EVERYTHING)
    assert {r.label: r.value for r in rows} == {str(apn): 1, "Not stated": 2}  # Ana attended both
    rows = figure_breakdown("webinar_member_states", "region_m49", Y2020, EVERYTHING)
    assert {r.key: r.value for r in rows} == {"south-america": 1, "caribbean": 1}


@needs("meetings.Meeting", "meetings.Participant")
def test_meetings_count_held_meetings_delegations_and_people() -> None:
    meeting = make_meeting(year=2021)
    make_meeting(year=2021, status="cancelled")
    for first, country in [("Ana", "BR"), ("Bia", "BR"), ("Keisha", "JM")]:
        delegate(meeting, make_person(first, "X", country))
    values = values_for(calendar_year(2021), EVERYTHING)
    assert (values["meetings"], values["meeting_delegations"], values["meeting_participants"]) == (1, 2, 3)


@needs("certificates.Certificate", "courses.Offering")
def test_certificates_count_valid_ones_for_achievements_of_the_period(apn: Institution) -> None:
    offering, ana = make_offering(apn), make_person("Ana", "Silva", "BR")
    certify(offering, ana, issued_at=at(2020, 10))
    certify(offering, make_person("Bia", "Lima", "BR"), issued_at=at(2020, 11), status="revoked")
    certify(offering, make_person("Caro", "Paz", "PE"), issued_at=at(2021, 1, 2))
    late = make_person("Dora", "Ruiz", "PE")
    certify(offering, late, issued_at=at(2021, 2), achieved_on=at(2020, 12, 20).date())  # the 2020 course
    assert figure_value("certificates_issued", Y2020, EVERYTHING) == 2


@ALL_PROGRAMMES
def test_people_reached_and_the_share_of_women_count_each_person_once(apn: Institution) -> None:
    ana = make_person("Ana", "Silva", "BR", gender="woman")
    joao = make_person("João", "Costa", "BR", gender="man")
    kim = make_person("Kim", "Lee", "JM")
    make_offer(make_offering(apn), ana)
    attend(make_webinar(), ana)
    attend(make_webinar(), joao)
    attend(make_webinar(), kim)
    values = values_for(Y2020, EVERYTHING)
    assert values["people_reached"] == 3
    assert values["women_share"] == pytest.approx(0.333)
    assert values["gender_not_stated_share"] == pytest.approx(0.333)
    rows = figure_breakdown("people_reached", "gender", Y2020, EVERYTHING)
    assert {r.label: r.value for r in rows} == {"Woman": 1, "Man": 1, "Not stated": 1}
    reach: dict[str | None, int] = {}
    assert values_for(Y2020, EVERYTHING, reach=reach) == values  # the map's counts come along
    by_state = figure_breakdown("people_reached", "member_state", Y2020, EVERYTHING)
    assert state_rows(reach) == by_state == [Row("BR", "Brazil", 2, 2 / 3), Row("JM", "Jamaica", 1, 1 / 3)]


def test_an_empty_period_gives_zeros_and_no_shares() -> None:
    values = values_for(calendar_year(1999), EVERYTHING)
    assert values["people_reached"] == 0
    assert values["women_share"] is None
    assert all(v in (0, None) for v in values.values())


@ALL_PROGRAMMES
def test_a_partner_sees_only_its_programmes(apn: Institution, other_institution: Institution) -> None:
    ana, bia = make_person("Ana", "Silva", "BR"), make_person("Bia", "Lima", "BR")
    make_offer(make_offering(apn), ana)
    make_offer(make_offering(other_institution), bia)
    attend(make_webinar(partners=(other_institution,)), ana)
    mine = values_for(Y2020, partner_audience(apn))
    assert (mine["scholarships_awarded"], mine["courses"], mine["webinars"]) == (1, 1, 0)
    theirs = values_for(Y2020, partner_audience(other_institution))
    assert (theirs["scholarships_awarded"], theirs["webinars"], theirs["people_reached"]) == (1, 1, 2)


@ALL_PROGRAMMES
def test_a_focal_point_sees_only_its_states_people(apn: Institution, jamaica: MemberState) -> None:
    keisha, ana = make_person("Keisha", "Brown", "JM"), make_person("Ana", "Silva", "BR")
    offering = make_offering(apn)
    make_offer(offering, keisha)
    make_offer(offering, ana)
    make_offer(make_offering(apn), ana)
    webinar = make_webinar()
    attend(webinar, keisha)
    attend(webinar, ana)
    attend(make_webinar(), ana)
    values = values_for(Y2020, state_audience(jamaica))
    assert (values["scholarships_awarded"], values["courses"], values["scholarship_member_states"]) == (1, 1, 1)
    assert (values["webinars"], values["webinar_unique_attendees"], values["people_reached"]) == (1, 1, 1)


def test_figures_for_follows_the_users_role(staff: User, partner: User, focal_point: User, participant: User) -> None:
    assert set(figures_for(Y2020, staff)) == set(FIGURES)
    assert figures_for(Y2020, partner).keys() == figures_for(Y2020, focal_point).keys()
    with pytest.raises(Http404):
        figures_for(Y2020, participant)
