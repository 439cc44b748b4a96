import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from conftest import assert_accessible, login, person_of
from faro.accounts.models import User
from faro.directory.models import Institution, Person
from faro.meetings import services as meeting_services
from faro.portal.models import Mailing, NewsPost
from faro.webinars.tests.conftest import make_webinar


@pytest.fixture
def french_without_js(browser: Browser, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_accessible(browser: Browser, live_server: LiveServer, path: str) -> None:
    """axe-core needs JavaScript: check the same page, in French, in a context that has it."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto(path)
    assert_accessible(page)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_news_and_calendar_in_french_without_javascript(
    french_without_js: Any,
    browser: Browser,
    live_server: LiveServer,
    posts: list[NewsPost],
    partner_institution: Institution,
) -> None:
    webinar = make_webinar(partners=[partner_institution])  # a real webinar, in Spanish
    today = timezone.localdate()
    meeting_services.create_meeting(
        acting_user=None,
        kind="regular",
        title={"en": "XIII Regular Meeting", "fr": "XIIIe Réunion ordinaire"},
        start_date=today + datetime.timedelta(days=40),
        end_date=today + datetime.timedelta(days=42),
    )
    page = french_without_js
    page.goto("/news/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.click("text=Message de fin d'année de la CIP 2020")
    assert page.locator("h1").inner_text() == "Message de fin d'année de la CIP 2020"
    check_accessible(browser, live_server, page.url.removeprefix(live_server.url))
    page.goto("/calendar/")
    assert page.locator("h1").inner_text() == "Calendrier"
    page.select_option("#f-language", "es")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "language=es" in page.url
    assert page.locator(".activity h3").all_inner_texts() == ["Sûreté portuaire et Code ISPS"]
    page.click(".activity h3 a")
    assert page.url.endswith(webinar.get_absolute_url())
    page.goto("/calendar/?kind=meeting")
    assert page.locator(".activity h3").all_inner_texts() == ["XIIIe Réunion ordinaire"]
    check_accessible(browser, live_server, page.url.removeprefix(live_server.url))
    check_accessible(browser, live_server, "/")
    check_accessible(browser, live_server, "/catalogue/?q=surete")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_send_a_mailing_to_a_segment_and_watch_it_go(
    page: Page, staff: User, participant: User, focal_point: User, outsider: User
) -> None:
    Person.objects.filter(pk=person_of(outsider).pk).update(preferred_language="fr")
    login(page, staff.email)
    page.goto("/manage/mailings/new/")
    assert_accessible(page)
    page.fill("#id_subject_0", "Webinar season")
    page.fill("#id_subject_1", "Temporada de webinarios")
    page.fill("#id_body_0", "Dear colleagues, save the dates.")
    page.fill("#id_body_1", "Estimados colegas, reserven las fechas.")
    page.select_option("#id_category", "webinars")
    page.get_by_label("Jamaica").check()
    page.get_by_label("Haiti").check()
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#recipient-count").inner_text() == "3 people will receive this mailing."
    assert page.locator(".message.warning").count() == 1  # French is missing, and Pierre reads French
    assert_accessible(page)
    page.click("text=Send to 3 people")
    page.wait_for_load_state()
    assert "/send/" in page.url  # a mass mailing asks first, saying how many will be mailed
    assert_accessible(page)
    page.click("main form:has(input[name=confirm]) button[type=submit]")
    page.wait_for_load_state()
    assert "/jobs/" in page.url
    assert page.locator("#job-status").inner_text() == "Done: 3 of 3"
    assert page.locator("#job-bar").get_attribute("value") == "100"
    assert_accessible(page)
    page.click("text=Continue")
    assert Mailing.objects.get().status == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "andre@pa.example.jm",
        "keisha@port.example.jm",
        "pierre@port.example.ht",
    ]
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_participant_sets_interests_and_sees_their_data_pages(page: Page, participant: User, staff: User) -> None:
    login(page, participant.email)
    page.goto("/me/preferences/")
    assert_accessible(page)
    page.get_by_label("Webinars").uncheck()
    page.get_by_label("Spanish").check()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text() == "Your preferences are saved."
    page.goto("/me/data/")
    assert_accessible(page)
    assert "/calendar/my/" in page.locator("#personal-feed").input_value()
    page.goto("/privacy/")
    assert_accessible(page)
    page.goto("/accounts/me/")
    page.click("text=My data and privacy")
    assert page.locator("h1").inner_text() == "My data"
    page.context.clear_cookies()
    login(page, staff.email)
    for path in [
        "/manage/news/",
        "/manage/news/new/",
        "/manage/mailings/",
        "/manage/mailings/events/",
        "/manage/privacy/?q=keisha",
        f"/manage/people/{person_of(participant).pk}/erase/",
    ]:
        page.goto(path)
        assert_accessible(page)
