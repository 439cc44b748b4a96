"""A participant on a phone with JavaScript off: log in, apply to a call, register for a webinar, cancel."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, person_of
from faro.accounts.models import User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution
from faro.scholarships.models import Application
from faro.scholarships.tests.factories import make_call
from faro.webinars.models import Registration
from faro.webinars.tests.conftest import make_webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False, viewport={"width": 375, "height": 667}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def submit(page: Page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def test_apply_to_a_call_without_javascript(
    page: Page, tmp_path: Path, participant: User, partner_institution: Institution
) -> None:
    offering = make_offering(make_course(partner_institution))
    call = make_call([offering], requires_endorsement=False)
    document = tmp_path / "cv.pdf"
    document.write_bytes(b"%PDF-1.4\n% no javascript\n")
    page.goto("/accounts/login/")
    page.fill("#id_login", participant.email)
    page.fill("#id_password", PASSWORD)
    submit(page, "main button[type=submit]")
    page.goto(call.get_absolute_url())
    submit(page, "main >> text=Apply")
    kinds = page.eval_on_selector_all("#id_kind option", "options => options.map(o => o.value).filter(Boolean)")
    for kind in kinds:  # a Spanish course asks an English speaker for a language certificate too
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(document))
        submit(page, "main button:has-text('Upload')")
    page.fill("#id_motivation", "I run the port facility security office.")
    page.select_option("#id_choice_1", str(offering.pk))
    submit(page, "button[name=submit]")
    assert "Your application has been submitted." in page.content(), page.inner_text("main")
    assert Application.objects.get(person=person_of(participant)).status == "submitted"


def test_register_for_a_webinar_and_cancel_without_javascript(page: Page, partner_institution: Institution) -> None:
    webinar = make_webinar(partners=[partner_institution], capacity=50)
    page.goto("/")
    page.click("#site-menu > summary")  # the phone's menu opens without JavaScript
    submit(page, ".lang-links a[hreflang=es]")
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(reverse("webinars:registration_create", args=[webinar.pk]))
    page.fill("#id_email", "ana.gomez@puerto.example.py")
    page.fill("#id_first_name", "Ana")
    page.fill("#id_last_name", "Gómez")
    page.select_option("#id_member_state", label="Paraguay")
    page.select_option("#id_language", "es")
    page.check("#id_consent")
    submit(page, "main button[type=submit]")
    assert Registration.objects.get().status == "confirmed"
    assert webinar.join_url not in page.content()  # the page tells no one the join link: the mail does
    [confirmation] = [m for m in mail.outbox if "ana.gomez@puerto.example.py" in m.to]
    link = re.search(r"/webinars/registration/[^/\s]+/", str(confirmation.body))
    assert link is not None
    page.goto(link.group(0))
    assert webinar.join_url in page.content()
    submit(page, "main button:has-text('Cancelar')")
    assert Registration.objects.get().status == "cancelled"


def test_verify_a_certificate_without_javascript(page: Page) -> None:
    try:
        url = reverse("certificates:verification_form")
    except NoReverseMatch:
        pytest.skip("the certificates app has not landed yet")
    page.goto(url)
    page.fill("main input[type=text], main input[type=search]", "NOT-A-REAL-CODE")
    submit(page, "main button[type=submit]")
    assert page.locator("h1").count() == 1
