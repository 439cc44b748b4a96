"""The whole path in a real browser: apply in Spanish, endorse and rank, allocate and publish, accept."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from conftest import assert_accessible, login, make_person, person_of
from faro.accounts.models import User
from faro.courses.models import Offering
from faro.scholarships.models import Application, Call, Offer
from faro.scholarships.services.allocation_outcomes import offer_link
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to_spanish(page: Page) -> None:
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()


def test_apply_endorse_allocate_publish_accept(
    page: Page, tmp_path: Path, call: Call, offering: Offering, participant: User, focal_point: User, staff: User
) -> None:
    document = tmp_path / "documento.pdf"
    document.write_bytes(b"%PDF-1.4\n% browser test\n")
    # A participant applies in Spanish, with uploads.
    login(page, participant.email)
    page.goto(call.get_absolute_url())
    switch_to_spanish(page)
    assert_accessible(page)
    page.click("text=Postular")
    page.wait_for_load_state()
    assert "Mi postulación" in page.content()
    for kind in ("cv", "employer_letter", "id", "language_certificate"):
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(document))
        page.click("text=Subir")
        page.wait_for_load_state()
    page.fill("#id_motivation", "Dirijo la oficina de protección del puerto.")
    page.select_option("#id_choice_1", str(offering.pk))
    assert_accessible(page)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "Su postulación fue enviada." in page.content()
    application = Application.objects.get(person=person_of(participant))
    assert application.status == "submitted"
    assert application.documents.count() == 4
    second = make_application(call, make_person("Marlon", "Grant", "JM", email="marlon@port.example.jm"), [offering])

    # The focal point endorses both and ranks them.
    move_to(call, Call.Status.ENDORSEMENT)
    page.context.clear_cookies()
    login(page, focal_point.email)
    page.goto(reverse("scholarships:call_endorsements", args=[call.pk]))
    for pk in (application.pk, second.pk):
        form = page.locator(f"form[action='{reverse('scholarships:application_endorse', args=[pk])}']")
        form.locator("input[value=endorse]").check()
        form.locator("button").click()
        page.wait_for_load_state()
    page.fill(f"#id_rank_{second.pk}", "1")
    page.fill(f"#id_rank_{application.pk}", "2")
    assert_accessible(page)
    page.click("text=Save ranking")
    page.wait_for_load_state()
    assert dict(Application.objects.values_list("pk", "endorsement_rank")) == {second.pk: 1, application.pk: 2}

    # Staff run the allocation, check the preview and publish.
    reviewed(application, 90)
    reviewed(second, 80)
    move_to(call, Call.Status.ALLOCATION)
    page.context.clear_cookies()
    login(page, staff.email)
    page.goto(reverse("scholarships:manage_call", args=[call.pk]))
    page.click("text=Run the allocation (preview)")
    page.wait_for_load_state()
    assert "Waitlisted: Jamaica's cap of 1" in page.content()
    assert_accessible(page)
    page.click("text=Check and publish the results")
    page.wait_for_load_state()
    assert_accessible(page)
    page.click("text=Publish and mail 2 applicants")
    page.wait_for_load_state()
    offer = Offer.objects.get()
    assert offer.application == application

    # The awardee accepts from the link in the mail.
    page.context.clear_cookies()
    page.goto(offer_link(offer))
    assert_accessible(page)
    page.click("text=Accept the scholarship")
    page.wait_for_load_state()
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert_accessible(page)


def test_reviewer_page_is_accessible(page: Page, call: Call, offering: Offering, participant: User) -> None:
    from conftest import make_user
    from faro.scholarships import services

    application = make_application(call, person_of(participant), [offering])
    move_to(call, Call.Status.REVIEW)
    reviewer = make_user(
        "r@example.cl", person=make_person("Ana", "Rojas", "CL", email="r@example.cl"), role="reviewer"
    )
    review = services.assign_reviewer(application, reviewer, acting_user=None)
    login(page, reviewer.email)
    page.goto(reverse("scholarships:my_reviews"))
    assert_accessible(page)
    page.goto(reverse("scholarships:review", args=[review.pk]))
    assert_accessible(page)
    page.fill(f"#id_c{call.criteria.get().pk}", "8")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Review submitted." in page.content()
    assert_accessible(page)


def test_catalogue_and_management_pages_are_accessible(page: Page, call: Call, offering: Offering, staff: User) -> None:
    page.goto(reverse("courses:catalogue"))
    assert_accessible(page)
    page.goto(offering.course.get_absolute_url())
    assert_accessible(page)
    page.goto(reverse("scholarships:calls"))
    assert_accessible(page)
    login(page, staff.email)
    for url in (
        reverse("courses:manage_courses"),
        reverse("courses:course_edit", args=[offering.course_id]),
        reverse("courses:manage_offering", args=[offering.pk]),
        reverse("courses:results_import", args=[offering.pk]),
        reverse("scholarships:manage_calls"),
        reverse("scholarships:call_edit", args=[call.pk]),
        reverse("scholarships:manage_call", args=[call.pk]),
        reverse("scholarships:endorsements"),
        reverse("scholarships:my_reviews"),
    ):
        page.goto(url)
        assert_accessible(page)


def test_the_focal_point_signs_in_and_goes_from_waiting_work_to_endorsing(
    page: Page, call: Call, offering: Offering, participant: User, focal_point: User
) -> None:
    make_application(call, person_of(participant), [offering])
    move_to(call, Call.Status.ENDORSEMENT)
    login(page, focal_point.email)  # sign-in lands on My page
    waiting = page.locator("section[aria-labelledby=todo-title]")
    assert "1 candidate awaits your endorsement: Port scholarships" in waiting.inner_text()
    assert_accessible(page)
    waiting.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.get_by_label("Endorse", exact=True).first.check()
    page.get_by_role("button", name="Record decision").first.click()
    page.wait_for_load_state()
    assert Application.objects.get().endorsement == Application.Endorsement.ENDORSED
    page.goto(reverse("accounts:me"))
    assert "Nothing is waiting for you." in page.locator("section[aria-labelledby=todo-title]").inner_text()
