import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_person, make_user, person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.directory.models import Institution, MemberState
from faro.scholarships.models import Call, Offer, Review
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = pytest.mark.django_db


def test_staff_creates_a_call_through_the_form(
    client: Client, staff: User, offering: Offering, jamaica: MemberState
) -> None:
    client.force_login(staff)
    data = {
        "title_0": "2031 scholarships",
        "title_1": "Becas 2031",
        "year": 2031,
        "offerings": [offering.pk],
        "eligible_states": [jamaica.pk],
        "required_documents": ["cv", "id"],
        "requires_endorsement": "on",
        "country_cap": 3,
        "country_cap_total": 6,
        "reviews_per_application": 2,
        "aggregation": "median",
        "opens_at": "2031-01-01T00:00",
        "closes_at": "2031-02-01T00:00",
        "endorsement_deadline": "2031-02-15T00:00",
        "results_on": "2031-03-01",
        "offer_days": 7,
        "accept_by": "2031-03-10T00:00",
        "start": "2031-04-01",
        "end": "2031-06-30",
    }
    response = client.post(reverse("scholarships:call_create"), data)
    call = Call.objects.get()
    assert response.status_code == 302, response.text
    assert call.title["es"] == "Becas 2031"
    assert call.status == "draft"
    assert list(call.eligible_states.all()) == [jamaica]
    client.post(reverse("scholarships:call_action", args=[call.pk, "advance"]))
    call.refresh_from_db()
    assert call.status == "open"
    bad = {**data, "closes_at": "2030-12-01T00:00"}
    assert "close after it opens" in client.post(reverse("scholarships:call_edit", args=[call.pk]), bad).text


def test_partner_manages_calls_of_its_programmes_only(
    client: Client, partner: User, call: Call, other_institution: Institution
) -> None:
    from faro.courses.tests.factories import make_course, make_offering
    from faro.scholarships.tests.factories import make_call

    foreign = make_call([make_offering(make_course(other_institution), code="X-1")])
    client.force_login(partner)
    assert client.get(reverse("scholarships:manage_call", args=[call.pk])).status_code == 200
    assert client.get(reverse("scholarships:manage_call", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("scholarships:call_create")).status_code == 404


def test_staff_assigns_a_reviewer_by_hand_and_conflicts_are_refused(
    client: Client, staff: User, call: Call, offering: Offering, participant: User
) -> None:
    application = make_application(call, person_of(participant), [offering])
    move_to(call, Call.Status.REVIEW)
    chilean = make_user("r@example.cl", person=make_person("Ana", "Rojas", "CL", email="r@example.cl"), role="reviewer")
    jamaican = make_user(
        "r@example.jm", person=make_person("Dwayne", "Clarke", "JM", email="r@example.jm"), role="reviewer"
    )
    client.force_login(staff)
    url = reverse("scholarships:reviewer_assign", args=[application.pk])
    client.post(url, {"reviewer": chilean.pk})
    response = client.post(url, {"reviewer": jamaican.pk}, follow=True)
    assert "shares the applicant" in response.text
    assert list(Review.objects.values_list("reviewer", flat=True)) == [chilean.pk]
    assert client.get(reverse("scholarships:manage_call", args=[call.pk])).status_code == 200


def test_decline_from_the_link(client: Client, call: Call, offering: Offering, participant: User, staff: User) -> None:
    from faro.scholarships import services
    from faro.scholarships.services.allocation_outcomes import offer_link

    application = make_application(call, person_of(participant), [offering])
    application.endorsement = "endorsed"
    application.save()
    reviewed(application, 80)
    move_to(call, Call.Status.ALLOCATION)
    services.preview_allocation(call, acting_user=staff)
    services.publish_results(call, acting_user=staff)
    offer = Offer.objects.get()
    response = client.post(offer_link(offer), {"answer": "decline"}, follow=True)
    assert "You have declined" in response.text
    offer.refresh_from_db()
    assert offer.status == "declined"
    client.force_login(participant)
    page = client.get(application.get_absolute_url())
    assert "Declined" in page.text
    assert "Awarded a scholarship" in page.text


def test_staff_see_endorsement_progress_by_member_state(
    client: Client, staff: User, call: Call, offering: Offering, participant: User
) -> None:
    from faro.scholarships import services

    jamaicans = [person_of(participant), make_person("Dwayne", "Clarke", "JM", email="d@example.jm")]
    chilean = make_person("Ana", "Rojas", "CL", email="a@example.cl")
    applications = [make_application(call, person, [offering]) for person in [*jamaicans, chilean]]
    make_application(call, make_person("Luis", "Paz", "CL", email="l@example.cl"), [offering], submit=False)
    client.force_login(staff)
    url = reverse("scholarships:manage_call", args=[call.pk])
    assert "endorsement-title" not in client.get(url).text  # an open call: nothing to endorse yet
    move_to(call, Call.Status.ENDORSEMENT)
    services.endorse_application(applications[0], acting_user=None, endorse=True)
    services.endorse_application(applications[2], acting_user=None, endorse=False, reason="Not a port official.")

    rows = {row["person__member_state"]: row for row in call.applications.endorsement_by_state()}
    jm, cl = jamaicans[0].member_state_id, chilean.member_state_id
    assert {k: rows[jm][k] for k in ("total", "pending", "endorsed", "declined")} == {
        "total": 2,
        "pending": 1,
        "endorsed": 1,
        "declined": 0,
    }
    assert (rows[cl]["total"], rows[cl]["declined"]) == (1, 1)  # the draft is not counted
    page = client.get(url).text
    assert "National endorsement by member state" in page
    assert "Jamaica" in page
    assert "Chile" in page


def test_each_row_of_the_review_table_offers_every_reviewer_in_id_order(
    client: Client, staff: User, call: Call, offering: Offering, participant: User
) -> None:
    make_application(call, person_of(participant), [offering])
    make_application(call, make_person("Ines", "Mora", "CL", email="im@example.cl"), [offering])
    move_to(call, Call.Status.REVIEW)
    reviewers = [
        make_user(
            f"r{n}@example.org", person=make_person(name, "Reviewer", "BR", email=f"r{n}@example.org"), role="reviewer"
        )
        for n, name in enumerate(["Zoe", "Ana", "Malu"])
    ]
    client.force_login(staff)
    html = client.get(reverse("scholarships:manage_call", args=[call.pk])).text
    options = "".join(f'\n        <option value="{r.pk}">{r}</option>\n      ' for r in reviewers)
    assert html.count(f'name="reviewer">{options}</select>') == 2
