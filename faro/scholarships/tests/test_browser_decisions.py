"""In a real browser: staff move a call with a review gap on (the warning, the confirmation), check
what publishing does and publish; staff open an applicant's whole file, and from it the person's
participation across programmes; the applicant reads what they submitted. axe-core clean throughout."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from conftest import assert_accessible, login, make_person, person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer, Outcome
from faro.scholarships.tests.factories import make_application, move_to, reviewed
from faro.webinars.tests.conftest import register, webinar  # noqa: F401  # webinar: a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_review(
    call: Call, offering: Offering, participant: User, outsider: User, reviewer: User
) -> dict[str, Application]:
    made = {
        "A": make_application(call, person_of(participant), [offering]),
        "C": make_application(call, person_of(outsider), [offering]),
        "D": make_application(call, make_person("Ana", "Rojas", "CL", email="ana@port.example.cl"), [offering]),
    }
    Application.objects.filter(call=call).update(endorsement=Application.Endorsement.ENDORSED)
    move_to(call, Call.Status.REVIEW)
    reviewed(made["A"], 90)
    reviewed(made["D"], 60)
    services.assign_reviewer(made["C"], reviewer, acting_user=None)
    return made


def test_staff_move_an_incomplete_call_on_then_check_and_publish(
    page: Page, call: Call, in_review: dict[str, Any], staff: User
) -> None:
    login(page, staff.email)
    page.goto(reverse("scholarships:manage_call", args=[call.pk]))
    assert_accessible(page)
    page.click("text=Move to the allocation")
    page.wait_for_load_state()
    assert "1 endorsed application still lacks the reviews the call requires." in page.content()
    assert "Carla Méndez" in page.content()
    assert_accessible(page)
    page.click("text=Move on without 1 review")
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.status == Call.Status.ALLOCATION
    page.click("text=Run the allocation (preview)")
    page.wait_for_load_state()
    assert Outcome.objects.get(application=in_review["C"]).result == Outcome.Result.NOT_REVIEWED
    page.click("text=Check and publish the results")
    page.wait_for_load_state()
    assert "Publishing mails 2 applicants and cannot be undone." in page.content()
    assert "No mail: these applications were not reviewed" in page.content()
    assert_accessible(page)
    page.click("text=Publish and mail 2 applicants")
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.status == Call.Status.RESULTS_PUBLISHED
    assert Offer.objects.count() == 2
    assert_accessible(page)


def test_staff_open_an_applicants_whole_file(page: Page, call: Call, in_review: dict[str, Any], staff: User) -> None:
    login(page, staff.email)
    page.goto(reverse("scholarships:manage_call", args=[call.pk]))
    page.click("text=Keisha Brown")
    page.wait_for_load_state()
    content = page.content()
    assert "Application file" in content
    assert "To learn." in content
    assert "90.000" in content
    assert_accessible(page)


def test_staff_go_from_the_file_to_the_persons_participation_across_programmes(
    page: Any,
    call: Call,
    in_review: dict[str, Application],
    staff: Any,
    webinar: Any,  # noqa: F811
) -> None:
    register(webinar, str(in_review["A"].person.email))
    login(page, staff.email)
    page.goto(reverse("scholarships:application_file", args=[in_review["A"].pk]))
    page.click("text=Their participation across programmes")
    page.wait_for_load_state()
    content = page.inner_text("main")
    assert "Participation across programmes" in content
    assert "Scholarship applications" in content
    assert "Port scholarships" in content
    assert "Port security and the ISPS Code" in content
    assert_accessible(page)


def test_the_applicant_reads_a_copy_of_what_they_submitted(
    page: Any, call: Call, offering: Any, participant: Any
) -> None:
    application = make_application(call, participant.person, [offering])
    login(page, participant.email)
    page.goto(reverse("scholarships:my_applications"))
    page.click(f"a[href='{application.get_absolute_url()}']")
    page.wait_for_load_state()
    content = page.inner_text("main")
    assert "What was submitted" in content
    assert "To learn." in content
    assert page.locator("main textarea").count() == 0  # a read-only copy once submitted
    assert_accessible(page)
