import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from conftest import make_person, make_user, person_of, state_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Criterion, Review, aggregate
from faro.scholarships.tests.factories import make_application, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def jamaican(call: Call, offering: Offering, participant: User) -> Application:
    return make_application(call, person_of(participant), [offering])


@pytest.fixture
def haitian(call: Call, offering: Offering, outsider: User) -> Application:
    return make_application(call, person_of(outsider), [offering])


def test_focal_point_sees_only_their_states_applications(
    client: Client, call: Call, focal_point: User, jamaican: Application, haitian: Application
) -> None:
    move_to(call, Call.Status.ENDORSEMENT)
    assert list(Application.objects.for_user(focal_point)) == [jamaican]
    client.force_login(focal_point)
    page = client.get(reverse("scholarships:call_endorsements", args=[call.pk]))
    assert "Keisha Brown" in page.text
    assert "Pierre Joseph" not in page.text
    response = client.post(reverse("scholarships:application_endorse", args=[haitian.pk]), {"decision": "endorse"})
    assert response.status_code == 404
    haitian.refresh_from_db()
    assert haitian.endorsement == Application.Endorsement.PENDING


def test_focal_point_endorses_declines_with_reason_and_ranks(
    client: Client, call: Call, offering: Offering, focal_point: User, jamaican: Application
) -> None:
    second = make_application(call, make_person("Marlon", "Grant", "JM", email="marlon@port.example.jm"), [offering])
    third = make_application(call, make_person("Tamara", "Henry", "JM", email="tamara@port.example.jm"), [offering])
    move_to(call, Call.Status.ENDORSEMENT)
    client.force_login(focal_point)
    for application in (jamaican, second):
        client.post(reverse("scholarships:application_endorse", args=[application.pk]), {"decision": "endorse"})
    response = client.post(
        reverse("scholarships:application_endorse", args=[third.pk]), {"decision": "decline"}, follow=True
    )
    assert "Say why" in response.text
    client.post(
        reverse("scholarships:application_endorse", args=[third.pk]),
        {"decision": "decline", "reason": "Not a port official."},
    )
    client.post(
        reverse("scholarships:ranking_edit", args=[call.pk, "JM"]), {f"rank_{second.pk}": 1, f"rank_{jamaican.pk}": 2}
    )
    ranks = dict(Application.objects.values_list("pk", "endorsement_rank"))
    assert ranks == {jamaican.pk: 2, second.pk: 1, third.pk: None}
    third.refresh_from_db()
    assert third.endorsement == "declined"
    assert third.endorsement_reason == "Not a port official."
    assert AuditEntry.objects.filter(action="scholarships.endorsements.ranked").exists()


def test_endorsement_after_the_deadline_is_refused(call: Call, focal_point: User, jamaican: Application) -> None:
    move_to(call, Call.Status.ENDORSEMENT)
    assert call.endorsement_deadline is not None
    late = call.endorsement_deadline + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="deadline"):
        services.endorse_application(jamaican, acting_user=focal_point, endorse=True, now=late)


def test_ranking_must_cover_every_endorsed_application(call: Call, focal_point: User, jamaican: Application) -> None:
    move_to(call, Call.Status.ENDORSEMENT)
    services.endorse_application(jamaican, acting_user=focal_point, endorse=True)
    with pytest.raises(ValidationError):
        services.rank_endorsed(call, state_of(focal_point), acting_user=focal_point, order=[])


@pytest.fixture
def reviewers(db: None) -> list[Any]:
    chilean = make_user(
        "r1@example.org", person=make_person("Ana", "Rojas", "CL", email="r1@example.org"), role="reviewer"
    )
    jamaican = make_user(
        "r2@example.org", person=make_person("Dwayne", "Clarke", "JM", email="r2@example.org"), role="reviewer"
    )
    mexican = make_user(
        "r3@example.org", person=make_person("Luis", "Pérez", "MX", email="r3@example.org"), role="reviewer"
    )
    return [chilean, jamaican, mexican]


def test_a_reviewer_never_gets_their_own_country(call: Call, jamaican: Application, reviewers: list[Any]) -> None:
    move_to(call, Call.Status.REVIEW)
    with pytest.raises(ValidationError, match="country"):
        services.assign_reviewer(jamaican, reviewers[1], acting_user=None)


def test_automatic_assignment_is_balanced_and_avoids_conflicts(
    call: Call, offering: Offering, jamaican: Application, haitian: Application, reviewers: list[Any]
) -> None:
    Application.objects.update(endorsement="endorsed")
    move_to(call, Call.Status.REVIEW)
    count = services.assign_reviewers_automatically(call, acting_user=None)
    assert count == 4
    assert not Review.objects.filter(application=jamaican, reviewer=reviewers[1]).exists()
    loads = sorted(Review.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads[-1] - loads[0] <= 1
    assert services.assign_reviewers_automatically(call, acting_user=None) == 0  # already covered


def test_weighted_rubric_and_mean_or_median(call: Call, jamaican: Application, reviewers: list[Any]) -> None:
    move_to(call, Call.Status.REVIEW)
    Criterion.objects.filter(call=call).delete()
    relevance = Criterion.objects.create(call=call, name={"en": "Relevance"}, weight=3, max_score=10)
    motivation = Criterion.objects.create(call=call, name={"en": "Motivation"}, weight=1, max_score=5)
    first = services.assign_reviewer(jamaican, reviewers[0], acting_user=None)
    services.submit_review(first, acting_user=reviewers[0], scores={str(relevance.pk): 10, str(motivation.pk): 0})
    assert first.total == Decimal("75.000")
    second = services.assign_reviewer(jamaican, reviewers[2], acting_user=None)
    services.submit_review(second, acting_user=reviewers[2], scores={str(relevance.pk): 5, str(motivation.pk): 5})
    jamaican.refresh_from_db()
    assert jamaican.merit == Decimal("68.750")
    assert aggregate([Decimal(1), Decimal(2), Decimal(9)], "median") == Decimal(2)
    with pytest.raises(ValidationError):
        services.submit_review(second, acting_user=reviewers[2], scores={str(relevance.pk): 11, str(motivation.pk): 5})


def test_reviewer_sees_others_scores_only_after_submitting(
    client: Client, call: Call, jamaican: Application, reviewers: list[Any]
) -> None:
    move_to(call, Call.Status.REVIEW)
    criterion = call.criteria.get()
    mine = services.assign_reviewer(jamaican, reviewers[0], acting_user=None)
    theirs = services.assign_reviewer(jamaican, reviewers[2], acting_user=None)
    services.submit_review(theirs, acting_user=reviewers[2], scores={str(criterion.pk): 7}, comment="Strong profile")
    client.force_login(reviewers[0])
    page = client.get(reverse("scholarships:review", args=[mine.pk]))
    assert "Strong profile" not in page.text
    assert "after submitting yours" in page.text
    client.post(reverse("scholarships:review", args=[mine.pk]), {f"c{criterion.pk}": 9})
    page = client.get(reverse("scholarships:review", args=[mine.pk]))
    assert "Strong profile" in page.text
    assert client.get(reverse("scholarships:review", args=[theirs.pk])).status_code == 404
    assert list(Application.objects.for_user(reviewers[0])) == [jamaican]


def test_outsider_gets_404_on_focal_point_and_reviewer_pages(client: Client, outsider: User, call: Call) -> None:
    client.force_login(outsider)
    for url in (
        reverse("scholarships:endorsements"),
        reverse("scholarships:my_reviews"),
        reverse("scholarships:manage_calls"),
    ):
        assert client.get(url).status_code == 404


def test_documents_are_served_only_to_those_who_may_see_the_application(
    client: Client, call: Call, focal_point: User, jamaican: Application, outsider: User
) -> None:
    document = jamaican.documents.first()
    assert document is not None
    url = reverse("scholarships:document", args=[document.pk])
    client.force_login(focal_point)
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_draft_calls_title_is_not_shown_to_focal_points(client: Client, call: Call, focal_point: User) -> None:
    move_to(call, Call.Status.DRAFT)
    client.force_login(focal_point)
    response = client.get(reverse("scholarships:call_endorsements", args=[call.pk]))
    assert response.status_code == 404
    assert str(call.title) not in response.content.decode()
    assert client.post(reverse("scholarships:ranking_edit", args=[call.pk, "JM"]), {}).status_code == 404


def test_scores_take_the_one_decimal_the_help_text_promises(
    call: Call, jamaican: Application, reviewers: list[Any]
) -> None:
    from faro.scholarships.forms import ReviewForm

    move_to(call, Call.Status.REVIEW)
    Criterion.objects.filter(call=call).delete()
    relevance = Criterion.objects.create(call=call, name={"en": "Relevance"}, weight=1, max_score=10)
    form = ReviewForm({f"c{relevance.pk}": "7.5", "comment": ""}, call=call)
    assert form.is_valid(), form.errors
    assert "one decimal" in str(form.fields[f"c{relevance.pk}"].help_text)
    review = services.assign_reviewer(jamaican, reviewers[0], acting_user=None)
    services.submit_review(review, acting_user=reviewers[0], scores=form.scores())
    review.refresh_from_db()
    assert review.scores == {str(relevance.pk): 7.5}
    assert review.total == Decimal("75.000")
    assert not ReviewForm({f"c{relevance.pk}": "7.55"}, call=call).is_valid()
    assert not ReviewForm({f"c{relevance.pk}": "10.5"}, call=call).is_valid()
    with pytest.raises(ValidationError):
        services.submit_review(review, acting_user=reviewers[0], scores={str(relevance.pk): "ten"})
