"""Deciding on a call: review gaps before allocation, "not reviewed" outcomes, the results preview,
publishing once, the applicant's file for staff and the applicant's own read-only copy."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Offering
from faro.directory.models import Institution
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer, Outcome, Review
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(
    call: Call, offering: Offering, participant: User, outsider: User, reviewer: User
) -> dict[str, Application]:
    """A call in review: Jamaicans A (90) and B (80) and Chilean D (60) reviewed; Haitian C waits for
    the reviewer Carla, who has not submitted."""
    people = {
        "A": person_of(participant),
        "B": make_person("Marlon", "Grant", "JM", email="marlon@port.example.jm"),
        "C": person_of(outsider),
        "D": make_person("Ana", "Rojas", "CL", email="ana@port.example.cl", preferred_language="es"),
    }
    made = {key: make_application(call, person, [offering]) for key, person in people.items()}
    Application.objects.filter(call=call).update(endorsement=Application.Endorsement.ENDORSED)
    move_to(call, Call.Status.REVIEW)
    for key, merit in (("A", 90), ("B", 80), ("D", 60)):
        reviewed(made[key], merit)
    services.assign_reviewer(made["C"], reviewer, acting_user=None)
    return {key: Application.objects.get(pk=a.pk) for key, a in made.items()}


def _allocate(call: Call, in_review: dict[str, Application], staff: User) -> None:
    services.advance_call(call, acting_user=staff, confirm_incomplete=[in_review["C"].pk])
    services.preview_allocation(call, acting_user=staff)


# --- Services ------------------------------------------------------------------------------


def test_review_gaps_name_the_application_and_whose_review_is_missing(
    call: Call, in_review: dict[str, Any], reviewer: User
) -> None:
    gaps = services.review_gaps(call)
    assert [gap.application for gap in gaps] == [in_review["C"]]
    assert gaps[0].waiting_for == [reviewer]
    assert (gaps[0].submitted, gaps[0].required, gaps[0].unassigned) == (0, 2, 1)


def test_moving_on_past_a_review_gap_needs_confirming(call: Call, in_review: dict[str, Any], staff: User) -> None:
    with pytest.raises(services.IncompleteReview) as refused:
        services.advance_call(call, acting_user=staff)
    assert [gap.application for gap in refused.value.gaps] == [in_review["C"]]
    call.refresh_from_db()
    assert call.status == Call.Status.REVIEW
    services.advance_call(call, acting_user=staff, confirm_incomplete=[in_review["C"].pk])
    call.refresh_from_db()
    assert call.status == Call.Status.ALLOCATION
    entry = AuditEntry.objects.filter(action="scholarships.call.advanced").latest("pk")
    assert entry.data == {"not_reviewed": [in_review["C"].pk]}


def test_a_confirmation_covers_only_the_gaps_it_names(call: Call, in_review: dict[str, Any], staff: User) -> None:
    with pytest.raises(services.IncompleteReview):
        services.advance_call(call, acting_user=staff, confirm_incomplete=[in_review["A"].pk])
    call.refresh_from_db()
    assert call.status == Call.Status.REVIEW


def test_a_review_after_the_move_is_refused_and_writes_nothing(
    call: Call, in_review: dict[str, Any], staff: User, reviewer: User
) -> None:
    services.advance_call(call, acting_user=staff, confirm_incomplete=[in_review["C"].pk])
    review = Review.objects.get(application=in_review["C"], reviewer=reviewer)
    scores = {str(c.pk): 8 for c in call.criteria.all()}
    with pytest.raises(services.ScholarshipError, match="no longer in review"):
        services.submit_review(review, acting_user=reviewer, scores=scores)
    review.refresh_from_db()
    assert review.submitted_at is None
    assert in_review["C"].reviews.filter(submitted_at__isnull=False).count() == 0


def test_an_unreviewed_application_is_not_reviewed_never_ineligible(
    call: Call, in_review: dict[str, Any], staff: User
) -> None:
    _allocate(call, in_review, staff)
    outcome = Outcome.objects.get(application=in_review["C"])
    assert outcome.result == Outcome.Result.NOT_REVIEWED
    assert outcome.reason_code == "not_reviewed"
    assert "Not reviewed" in services.outcome_reason(outcome)
    assert not Outcome.objects.filter(result=Outcome.Result.NOT_ELIGIBLE).exists()
    assert not in_review["C"].waitlist_entries.exists()


def test_publishing_mails_no_rejection_to_the_unreviewed(
    call: Call,
    in_review: dict[str, Any],
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _allocate(call, in_review, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(call, acting_user=staff)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ana@port.example.cl", "keisha@port.example.jm", "marlon@port.example.jm"]
    assert not Offer.objects.filter(application=in_review["C"]).exists()


def test_publishing_twice_is_refused_and_sends_nothing_again(
    call: Call,
    in_review: dict[str, Any],
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _allocate(call, in_review, staff)
    services.publish_results(call, acting_user=staff)
    offers = Offer.objects.count()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.ScholarshipError, match="already published"),
    ):
        services.publish_results(call, acting_user=staff)
    assert mail.outbox == []
    assert Offer.objects.count() == offers
    assert AuditEntry.objects.filter(action="scholarships.results.published").count() == 1


def test_the_preview_counts_outcomes_per_state_and_renders_each_groups_mail(
    call: Call, in_review: dict[str, Any], staff: User
) -> None:
    _allocate(call, in_review, staff)
    preview = services.results_preview(call)
    counts = dict(preview.counts)
    assert counts == {"Awarded": 2, "Waitlisted": 1, "Not reviewed": 1}
    by_state = {state: dict(zip(preview.labels, row, strict=True)) for state, row in preview.by_state}
    assert by_state["Jamaica"] == {"Awarded": 1, "Waitlisted": 1, "Not reviewed": 0}
    assert by_state["Haiti"]["Not reviewed"] == 1
    groups = {group.result: group for group in preview.groups}
    assert groups["not_reviewed"].mailed == 0
    assert groups["awarded"].mailed == 2
    assert preview.mailed == 3
    awarded = groups["awarded"]
    assert awarded.subject.startswith(("Scholarship awarded", "Beca otorgada"))
    assert str(awarded.example) in {str(in_review["A"].person), str(in_review["D"].person)}
    assert "lista de espera" not in groups["waitlisted"].body  # a Jamaican: in English
    assert not Offer.objects.exists()  # the preview writes nothing


# --- Views ---------------------------------------------------------------------------------


def test_staff_see_the_gap_and_confirm_moving_on(
    client: Client, call: Call, in_review: dict[str, Any], staff: User
) -> None:
    client.force_login(staff)
    response = client.post(reverse("scholarships:call_action", args=[call.pk, "advance"]))
    assert response["Location"] == reverse("scholarships:call_move_to_allocation", args=[call.pk])
    page = client.get(response["Location"]).text
    assert "1 endorsed application still lacks the reviews the call requires." in page
    assert "Pierre Joseph" in page
    assert "Carla Méndez" in page
    call.refresh_from_db()
    assert call.status == Call.Status.REVIEW
    client.post(reverse("scholarships:call_move_to_allocation", args=[call.pk]), {"incomplete": [in_review["C"].pk]})
    call.refresh_from_db()
    assert call.status == Call.Status.ALLOCATION


def test_the_call_page_says_reviews_are_missing_before_anyone_moves_on(
    client: Any, call: Call, in_review: dict[str, Application], staff: Any
) -> None:
    client.force_login(staff)
    page = client.get(reverse("scholarships:manage_call", args=[call.pk])).text
    assert "1 endorsed application still lacks the reviews the call requires." in page
    move_on = reverse("scholarships:call_move_to_allocation", args=[call.pk])
    assert f'href="{move_on}">See whose reviews are missing' in page


def test_moving_on_without_the_list_is_refused_on_the_page(
    client: Client, call: Call, in_review: dict[str, Any], staff: User
) -> None:
    client.force_login(staff)
    response = client.post(reverse("scholarships:call_move_to_allocation", args=[call.pk]))
    assert "More applications lack reviews" in response.text
    call.refresh_from_db()
    assert call.status == Call.Status.REVIEW


def test_the_publish_page_shows_what_happens_then_publishes_once(
    client: Client, call: Call, in_review: dict[str, Any], staff: User
) -> None:
    _allocate(call, in_review, staff)
    client.force_login(staff)
    page = client.get(reverse("scholarships:results_publish", args=[call.pk])).text
    assert "Publishing mails 3 applicants and cannot be undone." in page
    assert "No mail: these applications were not reviewed" in page
    client.post(reverse("scholarships:results_publish", args=[call.pk]))
    assert Offer.objects.count() == 2
    again = client.post(reverse("scholarships:results_publish", args=[call.pk]), follow=True)
    assert "already published: nothing was sent again" in again.text
    assert Offer.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [("call_move_to_allocation", {}), ("results_publish", {})],
)
def test_confirmations_refuse_a_forged_post(
    name: str, data: dict[str, Any], call: Call, in_review: dict[str, Any], staff: User
) -> None:
    if name == "results_publish":
        _allocate(call, in_review, staff)
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(staff)
    assert forger.post(reverse(f"scholarships:{name}", args=[call.pk]), data).status_code == 403
    assert not Offer.objects.exists()
    call.refresh_from_db()
    assert call.status == (Call.Status.ALLOCATION if name == "results_publish" else Call.Status.REVIEW)


def test_outsiders_cannot_reach_the_decision_pages(
    client: Client, call: Call, in_review: dict[str, Any], outsider: User, focal_point: User, reviewer: User
) -> None:
    for user in (outsider, focal_point, reviewer):
        client.force_login(user)
        for url in (
            reverse("scholarships:call_move_to_allocation", args=[call.pk]),
            reverse("scholarships:results_publish", args=[call.pk]),
            reverse("scholarships:application_file", args=[in_review["A"].pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_staff_and_the_partner_running_the_call_read_the_whole_file(
    client: Client, call: Call, in_review: dict[str, Any], staff: User, partner: User
) -> None:
    application = in_review["A"]
    Application.objects.filter(pk=application.pk).update(endorsement_rank=2, endorsement_reason="Strong candidate")
    for user in (staff, partner):
        client.force_login(user)
        page = client.get(reverse("scholarships:application_file", args=[application.pk])).text
        assert "To learn." in page  # the motivation
        assert "Curriculum vitae" in page  # a document
        assert "Strong candidate" in page
        assert "90.000" in page  # the merit and each review's score
        assert "History" in page


def test_the_partner_of_another_institution_cannot_read_the_file(
    client: Client, call: Call, in_review: dict[str, Any], other_institution: Institution
) -> None:
    from conftest import make_user

    stranger = make_user("coord@valenciaport.example.es", role="partner", institution=other_institution)
    client.force_login(stranger)
    assert client.get(reverse("scholarships:application_file", args=[in_review["A"].pk])).status_code == 404


def test_the_manage_page_links_each_applicant_to_their_file(
    client: Client, call: Call, in_review: dict[str, Any], staff: User
) -> None:
    client.force_login(staff)
    page = client.get(reverse("scholarships:manage_call", args=[call.pk])).text
    assert reverse("scholarships:application_file", args=[in_review["C"].pk]) in page


# --- The applicant -------------------------------------------------------------------------


def test_the_applicant_reads_what_they_submitted_and_the_mail_summarises_it(
    client: Client,
    call: Call,
    offering: Offering,
    participant: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(call, person_of(participant), [offering])
    receipt = mail.outbox[-1].body
    assert "To learn." in receipt
    assert "Port Security" in receipt
    assert "Curriculum vitae" in receipt
    client.force_login(participant)
    page = client.get(application.get_absolute_url()).text
    assert "What was submitted" in page
    assert "To learn." in page
    assert "<textarea" not in page  # read-only once submitted


def test_withdrawing_asks_first(client: Client, call: Call, offering: Offering, participant: User) -> None:
    application = make_application(call, person_of(participant), [offering])
    client.force_login(participant)
    url = reverse("scholarships:application_withdraw", args=[application.pk])
    assert "Yes, withdraw it" in client.get(url).text
    client.post(url)  # no confirmation: only the page again
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(participant)
    assert forger.post(url, {"confirm": "yes"}).status_code == 403
    client.post(url, {"confirm": "yes"})
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
