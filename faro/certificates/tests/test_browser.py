from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.certificates.models import Certificate, CertificateTemplate
from faro.directory.models import Institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_visitor_verifies_a_certificate_in_spanish(page: Page, certificate: Certificate) -> None:
    page.goto("/")
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    page.goto("/verify/")
    assert_accessible(page)
    page.fill("#id_code", certificate.display_code.lower().replace("-", " "))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#certificate-status").inner_text().strip().endswith("Válido")  # after its icon
    assert page.locator("#certificate-holder").inner_text() == "Keisha Brown"
    assert "Seguridad portuaria" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/verify/ABCD-EFGH-JKMN")
    assert "Ningún certificado tiene este código" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_staff_run_a_bulk_issue_and_watch_its_progress(
    page: Page, staff: User, attendees: list[Any], event: Institution, template: CertificateTemplate
) -> None:
    login(page, staff.email)
    page.goto("/certificates/manage/")
    assert_accessible(page)
    page.click(f"text={event}")
    page.wait_for_load_state()
    assert "3 eligible · 0 issued" in page.locator("#counts").inner_text()
    assert_accessible(page)
    page.click("text=Issue all eligible certificates")
    page.wait_for_load_state()
    assert "/jobs/" in page.url
    assert "3 of 3" in page.locator("#job-status").inner_text()
    assert page.locator("#job-bar").get_attribute("value") == "100"
    assert_accessible(page)
    page.click("text=Continue")
    page.wait_for_load_state()
    assert "3 eligible · 3 issued" in page.locator("#counts").inner_text()
    assert Certificate.objects.count() == 3


def test_holder_and_staff_pages_are_accessible(
    page: Page, certificate: Certificate, holder_user: User, staff: User, browser: Browser, live_server: LiveServer
) -> None:
    login(page, holder_user.email)
    page.goto("/certificates/mine/")
    assert certificate.display_code in page.locator("main").inner_text()
    assert_accessible(page)
    staff_context = browser.new_context(base_url=live_server.url, locale="en-US")
    staff_page = staff_context.new_page()
    try:
        login(staff_page, staff.email)
        for url in [
            f"/certificates/manage/templates/{certificate.template_id}/",
            f"/certificates/manage/certificate/{certificate.display_code}/",
            "/certificates/manage/templates/new/",
        ]:
            staff_page.goto(url)
            assert staff_page.locator("h1").count() == 1
            assert_accessible(staff_page)
        staff_page.goto(f"/certificates/manage/certificate/{certificate.display_code}/")
        staff_page.fill("#id_reason", "Attendance was misrecorded")
        staff_page.click("text=Revoke this certificate")
        staff_page.wait_for_load_state()
        assert "Certificate revoked." in staff_page.locator("main").inner_text()
        assert_accessible(staff_page)
    finally:
        staff_context.close()
    page.goto(f"/verify/{certificate.display_code}")
    assert "Attendance was misrecorded" in page.locator("main").inner_text()


def test_a_visitor_checks_a_credential_file_whose_status_list_cannot_be_read(
    page: Page, certificate: Certificate, tmp_path: Path
) -> None:
    from django.test import override_settings

    from faro.certificates.credentials import credential_jwt

    with override_settings(SITE_URL="http://127.0.0.1:9"):  # issued while Faro answered elsewhere; nothing there
        token = credential_jwt(certificate)
    page.goto("/verify/")
    page.click("text=Check a credential file")
    page.wait_for_load_state()
    assert_accessible(page)
    credential = tmp_path / "credential.jwt"
    credential.write_text(token)
    page.set_input_files("#id_file", str(credential))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    outcome = page.locator("#check-outcome").inner_text()
    assert "Not known whether it has been revoked" in outcome
    assert "Valid" not in outcome
    assert_accessible(page)
    page.fill("#id_credential", "not a credential")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Not genuine" in page.locator("#check-outcome").inner_text()
