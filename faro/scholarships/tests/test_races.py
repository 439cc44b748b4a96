"""Two people (or two tabs) change the same offer or endorsement at the same moment: exactly one wins,
the other is told what happened. Real concurrent connections, so PostgreSQL only (CI runs it there)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import at_the_same_moment, make_person, make_user, person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry, OutboxMessage
from faro.courses.models import Enrolment, Offering
from faro.directory.models import MemberState
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


def test_an_offer_accepted_and_declined_at_once_ends_one_way(call: Call, offering: Offering, participant: User) -> None:
    rival = make_person("Ana", "Rojas", "CL", email="ana@port.example.cl")
    applications = [make_application(call, person, [offering]) for person in (person_of(participant), rival)]
    for application, merit in zip(applications, (90, 60), strict=True):
        Application.objects.filter(pk=application.pk).update(endorsement="endorsed")
        reviewed(application, merit)
    move_to(call, Call.Status.ALLOCATION)
    services.preview_allocation(call, acting_user=None)
    services.publish_results(call, acting_user=None)
    pk = Offer.objects.get(application=applications[0]).pk
    # Both requests loaded the open offer before either answered (two tabs, a double click).
    accepting, declining = Offer.objects.get(pk=pk), Offer.objects.get(pk=pk)
    results = at_the_same_moment(
        lambda: services.accept_offer(accepting, acting_user=None),
        lambda: services.decline_offer(declining, acting_user=None),
    )
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(losers) == 1
    assert "answered a moment ago" in losers[0].messages[0]
    offer = Offer.objects.get(pk=pk)
    enrolled = Enrolment.objects.filter(person=person_of(participant), offering=offering).exists()
    assert enrolled == (offer.status == Offer.Status.ACCEPTED)
    assert offer.status in {Offer.Status.ACCEPTED, Offer.Status.DECLINED}
    answered = AuditEntry.objects.filter(action__in=["scholarships.offer.accepted", "scholarships.offer.declined"])
    assert answered.count() == 1


def test_two_focal_points_endorsing_at_once_the_second_sees_the_first(
    call: Call, offering: Offering, participant: User, focal_point: User, jamaica: MemberState
) -> None:
    alternate = make_user(
        "alternate@mtw.example.jm",
        person=make_person("Dwayne", "Clarke", "JM"),
        role="focal_point",
        member_state=jamaica,
    )
    application = make_application(call, person_of(participant), [offering])
    move_to(call, Call.Status.ENDORSEMENT)
    seen = Application.Endorsement.PENDING
    first, second = Application.objects.get(pk=application.pk), Application.objects.get(pk=application.pk)
    results = at_the_same_moment(
        lambda: services.endorse_application(first, acting_user=focal_point, endorse=True, expected=seen),
        lambda: services.endorse_application(
            second, acting_user=alternate, endorse=False, reason="Not a port official.", expected=seen
        ),
    )
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(losers) == 1
    assert "Another focal point decided this application a moment ago" in losers[0].messages[0]
    decided = Application.objects.get(pk=application.pk)
    winner = focal_point if isinstance(results[1], ValidationError) else alternate
    assert decided.endorsed_by == winner
    decisions = ["scholarships.application.endorsed", "scholarships.application.not_endorsed"]
    assert AuditEntry.objects.filter(action__in=decisions).count() == 1


def test_a_submit_and_a_withdraw_at_once_leave_a_consistent_application(
    call: Call, offering: Offering, participant: User
) -> None:
    draft = make_application(call, person_of(participant), [offering], submit=False)
    submitting, withdrawing = Application.objects.get(pk=draft.pk), Application.objects.get(pk=draft.pk)
    at_the_same_moment(
        lambda: services.submit_application(submitting, acting_user=None),
        lambda: services.withdraw_application(withdrawing, acting_user=None),
    )
    # Whichever goes first, the withdrawal holds: submit-then-withdraw, or withdraw-then-refused-submit.
    assert Application.objects.get(pk=draft.pk).status == Application.Status.WITHDRAWN


def as_the_page_read_it(pk: int, user: User) -> tuple[Application, services.Draft]:
    """The application and the draft the application page hands the service when Submit is pressed."""
    application = Application.objects.own(user).select_related("call", "person").with_document_kinds().get(pk=pk)
    shown = services.choosable_offerings(application)
    chosen = [o for o in shown if getattr(o, "rank", None)]
    return application, services.Draft("I run the port.", chosen, ["es", "en"], shown=shown)


def test_two_submissions_of_one_application_at_once_submit_it_once(
    call: Call, offering: Offering, participant: User
) -> None:
    draft = make_application(call, person_of(participant), [offering], submit=False)
    pages = [as_the_page_read_it(draft.pk, participant) for _tab in range(2)]
    results = at_the_same_moment(
        *(
            lambda a=application, d=form: services.submit_application(a, acting_user=participant, draft=d)
            for application, form in pages
        )
    )
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(losers) == 1
    assert "Only a draft application can be changed." in losers[0].messages
    assert Application.objects.get(pk=draft.pk).status == Application.Status.SUBMITTED
    assert AuditEntry.objects.filter(action="scholarships.application.submitted").count() == 1
    assert OutboxMessage.objects.filter(task="scholarships/emails/submitted").count() == 1


def test_a_document_removed_while_submitting_never_leaves_a_submission_without_it(
    call: Call, offering: Offering, participant: User
) -> None:
    draft = make_application(call, person_of(participant), [offering], submit=False)
    application, form = as_the_page_read_it(draft.pk, participant)
    document = draft.documents.get(kind="cv")
    results = at_the_same_moment(
        lambda: services.submit_application(application, acting_user=participant, draft=form),
        lambda: services.remove_document(document, acting_user=participant),
    )
    assert len([r for r in results if isinstance(r, ValidationError)]) == 1
    final = Application.objects.get(pk=draft.pk)
    has_cv = final.documents.filter(kind="cv").exists()
    assert (final.status == Application.Status.SUBMITTED) == has_cv
