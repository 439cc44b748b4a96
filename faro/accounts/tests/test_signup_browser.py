"""A new port official signs up on a phone in Spanish, proves the address with the mailed code, applies."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from conftest import assert_accessible, person_of
from faro.accounts.models import User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, MemberState
from faro.scholarships.models import Application
from faro.scholarships.tests.factories import make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "rocio.gimenez@puerto.example.py"


def go(page: Page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def test_a_new_official_signs_up_in_spanish_on_a_phone_and_applies(
    browser: Browser, live_server: LiveServer, tmp_path: Path, partner_institution: Institution
) -> None:
    offering = make_offering(make_course(partner_institution))
    call = make_call([offering], requires_endorsement=False)
    context = browser.new_context(
        base_url=live_server.url, locale="es-ES", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(call.get_absolute_url())
    go(page, "main >> text=Crear una cuenta")
    assert page.locator("h1").inner_text() == "Crear una cuenta"
    assert_accessible(page)
    page.fill("#id_email", EMAIL)
    go(page, "main button[type=submit]")

    assert "/accounts/confirm-email/" in page.url
    assert_accessible(page)
    message = mail.outbox[-1]
    assert message.to == [EMAIL]
    code = re.search(r"^\s+(\d{6})$", str(message.body), re.M).group(1)  # type: ignore[union-attr]  # the mail holds the text sought
    assert "minutos" in str(message.body)
    page.fill("#id_code", code)
    go(page, "main form >> button[type=submit] >> nth=0")

    assert "/accounts/welcome/" in page.url
    assert_accessible(page)
    page.fill("#id_first_name", "Rocío")
    page.fill("#id_last_name", "Giménez")
    page.select_option("#id_member_state", str(MemberState.objects.get(code="PY").pk))
    page.fill("#id_position", "Oficial de protección de la instalación portuaria")
    page.select_option("#id_preferred_language", "es")
    go(page, "main button[type=submit]")

    assert page.url.endswith(call.get_absolute_url())
    user = User.objects.get(email=EMAIL)
    assert person_of(user).member_state.code == "PY"  # type: ignore[union-attr]  # the record has a member state
    go(page, "main >> text=Postular")
    document = tmp_path / "cv.pdf"
    document.write_bytes(b"%PDF-1.4\n% hoja de vida\n")
    kinds = page.eval_on_selector_all("#id_kind option", "options => options.map(o => o.value).filter(Boolean)")
    for kind in kinds:
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(document))
        go(page, "main button:has-text('Subir')")
    page.fill("#id_motivation", "Dirijo la oficina de protección portuaria.")
    page.select_option("#id_choice_1", str(offering.pk))
    assert_accessible(page)
    go(page, "button[name=submit]")
    assert "Su postulación fue enviada." in page.content(), page.inner_text("main")
    assert Application.objects.get(person=person_of(user)).status == "submitted"
    context.close()
