"""An anonymous visitor in Asunción sees times in Asunción's zone from their second page on."""

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from faro.webinars.tests.conftest import make_webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_time_zone_is_used_for_anonymous_visitors(browser: Browser, live_server: LiveServer) -> None:
    webinar = make_webinar()
    context = browser.new_context(base_url=live_server.url, timezone_id="America/Asuncion")
    page = context.new_page()
    page.goto("/")
    page.goto(webinar.get_absolute_url())
    assert "Paraguay Time (UTC−3)" in page.inner_text("main")  # the zone named as people say it
    context.close()
