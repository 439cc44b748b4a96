"""Every sign-in and account page Faro restyles from allauth: one h1, axe-core clean, Faro's layout."""

import pytest
from playwright.sync_api import Page

from conftest import PASSWORD, assert_accessible, login
from faro.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMOUS = ["/accounts/login/", "/accounts/signup/", "/accounts/login/code/", "/accounts/password/reset/"]
SIGNED_IN = [
    "/accounts/me/",
    "/accounts/me/details/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/add/",
]


def check(page: Page, url: str) -> None:
    page.goto(url)
    assert page.locator("h1").count() == 1, url
    assert page.locator("header.site-header").count() == 1, url
    assert_accessible(page)


def test_the_entrance_pages_are_accessible(page: Page, participant: User) -> None:
    for url in ANONYMOUS:
        check(page, url)
    page.goto("/accounts/login/code/")
    page.fill("#id_email", participant.email)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    check(page, page.url)  # the page asking for the mailed code


def test_the_account_pages_are_accessible(page: Page, staff: User) -> None:
    login(page, staff.email)
    page.goto("/accounts/reauthenticate/?next=/accounts/2fa/")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    for url in SIGNED_IN:
        check(page, url)
