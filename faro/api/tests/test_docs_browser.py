"""The API reference (Swagger UI) still works under the Content-Security-Policy."""

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_operations(page: Page) -> None:
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    # the `page` fixture fails the test if the policy blocked anything (a script, eval, a style)
