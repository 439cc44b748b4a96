"""The header: grouped management links, language links that set a cookie only when chosen,
and anonymous public pages that set no cookie and do not vary on Cookie."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from conftest import person_of
from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.core.navigation import MANAGE_NAV, nav_for
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request in another language leaves that language active in this thread."""
    yield
    translation.activate("en")


def test_management_links_come_in_the_four_groups(staff: User) -> None:
    groups = nav_for(scope_for(staff))["manage"]
    assert [g["key"] for g in groups] == ["programmes", "people", "communication", "reports"]
    assert max(len(g["items"]) for g in groups) <= 8


def test_a_group_with_no_link_for_the_viewer_is_left_out(reviewer: User) -> None:
    groups = nav_for(scope_for(reviewer))["manage"]
    assert [g["key"] for g in groups] == ["programmes"]
    assert [str(i["label"]) for i in groups[0]["items"]] == ["Reviews"]


def test_every_group_is_a_list_others_can_append_to() -> None:
    assert all(isinstance(group.items, list) for group in MANAGE_NAV)


@pytest.mark.parametrize("name", ["home", "webinar", "catalogue", "calendar", "news"])
def test_anonymous_public_pages_set_no_cookie_and_do_not_vary_on_it(client: Client, name: str) -> None:
    url = {
        "home": "/",
        "webinar": make_webinar().get_absolute_url() if name == "webinar" else "",
        "catalogue": reverse("courses:catalogue"),
        "calendar": reverse("portal:calendar"),
        "news": reverse("portal:news"),
    }[name]
    response = client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_registration_form_still_sets_its_csrf_cookie(client: Client) -> None:
    response = client.get(reverse("webinars:registration_create", args=[make_webinar().pk]))
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_a_signed_in_page_still_varies_on_cookie(client: Client, participant: User) -> None:
    client.force_login(participant)
    assert "Cookie" in client.get("/").headers["Vary"]


def test_the_header_offers_each_language_as_a_link_back_to_this_page(client: Client) -> None:
    html = client.get("/courses/?q=port").content.decode()
    assert 'href="/accounts/language/fr/?next=/courses/%3Fq%3Dport"' in html
    assert 'hreflang="es" lang="es"' in html
    assert 'aria-current="true">English<' in html


def test_choosing_a_language_sets_the_cookie_and_goes_back(client: Client) -> None:
    response = client.get("/accounts/language/pt/", {"next": "/courses/?q=porto"})
    assert response.status_code == 302
    assert response["Location"] == "/courses/?q=porto"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"
    assert client.get("/").headers["Content-Language"] == "pt"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_a_next_address_on_another_host_goes_home(client: Client, next_url: str) -> None:
    response = client.get("/accounts/language/es/", {"next": next_url})
    assert response["Location"] == "/"


def test_a_regional_code_falls_back_to_faros_language(client: Client) -> None:
    response = client.get("/accounts/language/pt-BR/", {"next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"


@pytest.mark.parametrize("code", ["xx", "de", "zz-ZZ", "e" * 60])
def test_a_language_faro_does_not_have_changes_nothing(client: Client, code: str) -> None:
    response = client.get(f"/accounts/language/{code}/", {"next": "/news/"})
    assert response.status_code == 302
    assert response["Location"] == "/news/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_bad_language_cookie_shows_the_default_language(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_a_signed_in_person_keeps_the_choice_for_next_time(client: Client, participant: User) -> None:
    client.force_login(participant)
    client.get("/accounts/language/fr/", {"next": "/"})
    person_of(participant).refresh_from_db()
    assert person_of(participant).preferred_language == "fr"


def _header(html: str) -> str:
    """The page's header, with the logout form's CSRF token (new on every page) left out."""
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", header)


@pytest.mark.parametrize("persona", ["anonymous", "staff", "partner", "focal_point", "reviewer", "participant"])
def test_the_menu_kept_per_process_is_the_menu_rendered_for_the_request(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    paths = ["/", reverse("portal:news"), reverse("directory:people"), "/courses/?q=%22%3Cport%C3%A9%3E&x=1"]
    for language in [code for code, _name in settings.LANGUAGES]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in paths:
            if client.get(path).status_code != 200:  # the people directory, for some
                continue
            kept = [_header(client.get(path).content.decode()) for _twice in range(2)]
            with override_settings(DEBUG=True):  # every part rendered afresh, with the request
                fresh = _header(client.get(path).content.decode())
            assert kept[0] == fresh, (persona, language, path)
            assert kept[1] == fresh, (persona, language, path)


def test_the_page_s_own_link_is_marked_current_in_the_menu(client: Client, staff: User) -> None:
    client.force_login(staff)
    html = _header(client.get(reverse("directory:people")).content.decode())
    assert html.count('aria-current="page"') == 1
    assert f'<a href="{reverse("directory:people")}" aria-current="page">' in html


def test_the_language_links_come_back_to_this_very_page(client: Client) -> None:
    client.get("/news/?page=2")  # the parts are kept after a first page
    html = _header(client.get('/courses/?q="<a>"').content.decode())
    assert 'href="/accounts/language/es/?next=/courses/%3Fq%3D%2522%253Ca%253E%2522"' in html
    assert "\x00" not in html
