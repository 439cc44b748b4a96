import pytest
from playwright.sync_api import Page

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.directory.models import Institution


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_edit_an_institution_in_spanish_and_see_its_history(
    page: Page, staff: User, partner_institution: Institution
) -> None:
    login(page, staff.email)
    assert page.url.endswith("/accounts/me/")
    assert_accessible(page)

    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)

    page.click(".manage-nav >> text=Instituciones")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Instituciones"
    assert_accessible(page)

    page.fill("#id_q", "portuaria")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert_accessible(page)
    page.click("text=Autoridad Portuaria Nacional (APN)")
    page.wait_for_load_state()
    assert_accessible(page)

    page.click("main >> text=Editar")
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_website", "https://www.apn.gob.pe")
    page.fill("#id_acronym", "APN Perú")
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Autoridad Portuaria Nacional (APN Perú)"
    assert "Cambios guardados" in page.locator(".messages").inner_text()
    history = page.locator(".history").inner_text()
    assert history.startswith("Historial")
    assert "Actualizado" in history
    assert "https://www.apn.gob.pe" in history
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_pages_of_people_and_member_states_are_accessible(page: Page, staff: User, participant: User) -> None:
    login(page, staff.email)
    for url in [
        "/directory/people/",
        f"/directory/people/{participant.person_id}/",
        f"/directory/people/{participant.person_id}/edit/",
        "/directory/people/new/",
        f"/directory/people/{participant.person_id}/merge/",
        "/directory/member-states/",
        "/directory/member-states/JM/",
        "/directory/member-states/JM/statuses/new/",
        "/directory/appointments/new/?state=JM",
        "/directory/institutions/new/",
        "/accounts/two-factor/",
        "/accounts/password-reset/",
    ]:
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)
