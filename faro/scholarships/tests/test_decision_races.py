"""Races around a call's decisions, on real concurrent PostgreSQL connections (skipped on SQLite,
where IMMEDIATE transactions already let one writer in at a time): two staff publishing at once
publish once; a review racing the move to allocation is counted before it or refused after it."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer, Review
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = pytest.mark.django_db(transaction=True)


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL (CI runs the suite on it)")


def _together(count: int, work: Callable[[int], str]) -> list[str]:
    start = threading.Barrier(count)

    def attempt(index: int) -> str:
        try:
            start.wait(timeout=30)
            return work(index)
        except services.ScholarshipError as error:
            return f"refused: {error.messages[0]}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(attempt, range(count)))


def test_two_staff_publishing_at_once_publish_once(
    call: Call, offering: Offering, participant: User, staff: User
) -> None:
    _postgres_only()
    application = make_application(call, person_of(participant), [offering])
    Application.objects.filter(pk=application.pk).update(endorsement=Application.Endorsement.ENDORSED)
    reviewed(application, 90)
    move_to(call, Call.Status.ALLOCATION)
    services.preview_allocation(call, acting_user=staff)
    mail.outbox.clear()

    results = _together(2, lambda _i: str(services.publish_results(Call.objects.get(pk=call.pk), acting_user=staff)))
    assert sorted(results) == ["1", "refused: The results of this call are already published: nothing was sent again."]
    assert Offer.objects.count() == 1
    assert AuditEntry.objects.filter(action="scholarships.results.published").count() == 1
    assert len(mail.outbox) == 1


def test_a_review_racing_the_move_to_allocation_is_counted_or_refused(
    call: Call, offering: Offering, participant: User, staff: User, reviewer: User
) -> None:
    _postgres_only()
    application = make_application(call, person_of(participant), [offering])
    Application.objects.filter(pk=application.pk).update(endorsement=Application.Endorsement.ENDORSED)
    move_to(call, Call.Status.REVIEW)
    review = services.assign_reviewer(application, reviewer, acting_user=None)
    scores = {str(c.pk): 7 for c in call.criteria.all()}

    def work(index: int) -> str:
        if index == 0:
            services.advance_call(Call.objects.get(pk=call.pk), acting_user=staff, confirm_incomplete=[application.pk])
            return "moved"
        services.submit_review(Review.objects.get(pk=review.pk), acting_user=reviewer, scores=scores)
        return "reviewed"

    results = _together(2, work)
    assert "moved" in results
    review.refresh_from_db()
    call.refresh_from_db()
    assert call.status == Call.Status.ALLOCATION
    if "reviewed" in results:  # the review came first: it counts
        assert review.submitted_at is not None
    else:  # the move came first: the review was refused and nothing of it was written
        assert review.submitted_at is None
        assert "refused: This call is no longer in review: the review was not recorded." in results
