from typing import Any

import pytest

from conftest import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_is_accessible_and_switches_language(page: Any) -> None:
    page.goto("/")
    assert_accessible(page)
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
