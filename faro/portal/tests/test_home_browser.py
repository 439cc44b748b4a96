import pytest
from playwright.sync_api import Page

from conftest import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_is_accessible_and_switches_language(page: Page) -> None:
    page.goto("/")
    assert_accessible(page)
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
