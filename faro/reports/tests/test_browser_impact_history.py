"""In a real browser, in Spanish: the impact page of a published year (small numbers counted
together) and a readable history panel — both axe-core clean."""

import pytest
from playwright.sync_api import Page

from conftest import assert_accessible, login, make_person
from faro.accounts.models import User
from faro.core.audit import log_action
from faro.reports import services
from faro.reports.tests.conftest import attend, make_webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_impact_page_in_spanish_shows_the_published_year_and_hides_small_states(page: Page, staff: User) -> None:
    webinar = make_webinar(year=2020)
    for n in range(8):
        attend(webinar, make_person(f"Ana{n}", "Silva", "BR"))
    attend(webinar, make_person("Keisha", "Brown", "JM"))  # one Jamaican: never shown on her own
    services.publish_year(2020, acting_user=staff)
    page.goto("/reports/impact/")
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    assert "2020" in page.inner_text("h1")
    main = page.inner_text("main")
    assert "Otros Estados miembros" in main
    assert "Jamaica" not in main
    assert_accessible(page)


def test_a_history_panel_reads_in_spanish(page: Page, staff: User) -> None:
    services.publish_year(2020, acting_user=staff)
    published = staff.pk
    from faro.reports.models import PublishedYear

    log_action(
        PublishedYear.objects.get(),
        "reports.year.updated",
        user=staff,
        changes={"published_by_id": [None, published], "year": [2019, 2020]},
    )
    login(page, staff.email)
    page.goto("/reports/impact/years/")
    page.click(".lang-links a[hreflang=es]")
    page.wait_for_load_state()
    history = page.inner_text(".history")
    assert "Publicado por: — → " in history
    assert "published_by_id" not in history
    assert "Año: 2019 → 2020" in history
    assert_accessible(page)
