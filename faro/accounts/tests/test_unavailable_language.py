"""A language Faro does not have: a translated message naming the languages it has, no 500, no open redirect."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    """A request in Spanish or French leaves its language active in the thread; later tests expect none."""
    yield
    translation.deactivate()


COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.django_db
def test_a_language_link_with_an_unknown_code_says_so_in_english(client: Client) -> None:
    response = client.get("/accounts/language/xx/?next=/courses/")
    assert response.status_code == 302
    assert response["Location"] == "/courses/"
    assert COOKIE not in response.cookies
    page = client.get("/courses/").content.decode()
    assert "Faro is not available in the language you asked for (“xx”)" in page
    assert "The languages available are: English, French, Portuguese, Spanish." in page


@pytest.mark.django_db
def test_a_language_link_for_german_on_a_spanish_page_names_it_in_spanish(client: Client) -> None:
    client.cookies[COOKIE] = "es"
    client.get("/accounts/language/de/?next=/")
    page = client.get("/").content.decode()
    assert "Faro no está disponible en alemán." in page
    assert "Los idiomas disponibles son: español, francés, inglés, portugués." in page


@pytest.mark.django_db
def test_a_language_link_in_french_uses_french_typography(client: Client) -> None:
    client.cookies[COOKIE] = "fr"
    client.get("/accounts/language/xx/?next=/")
    page = client.get("/").content.decode()
    assert "Faro n’est pas disponible dans la langue demandée («\u202fxx\u202f»)." in page
    assert "Les langues disponibles sont\u202f: anglais, espagnol, français, portugais." in page


@pytest.mark.django_db
def test_a_language_link_never_leads_to_another_site(client: Client) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/accounts/language/xx/", {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_form_with_an_unknown_code_says_so_and_stays_on_this_site(client: Client) -> None:
    for url in ("/accounts/language/", "/i18n/setlang/"):
        response = client.post(url, {"language": "xx", "next": "https://evil.example/"})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]
        page = client.get("/").content.decode()
        assert "Faro is not available in the language you asked for (“xx”)" in page


@pytest.mark.django_db
def test_a_cookie_with_an_unknown_code_is_explained_once_and_removed(client: Client) -> None:
    client.cookies[COOKIE] = "xx"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Faro no está disponible en el idioma solicitado («xx»)." in page
    assert response.cookies[COOKIE]["max-age"] == 0
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "no está disponible" not in again


@pytest.mark.django_db
def test_a_cookie_that_is_not_a_language_tag_is_never_shown_back(client: Client) -> None:
    client.cookies[COOKIE] = "<b>x</b>"
    page = client.get("/").content.decode()
    assert "Faro is not available in the language you asked for." in page
    assert "<b>x</b>" not in page


@pytest.mark.django_db
def test_a_browser_in_german_gets_english_and_the_reason(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Faro is not available in German. The languages available are:" in page


@pytest.mark.django_db
def test_a_browser_that_also_reads_spanish_gets_spanish_without_a_notice(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,es;q=0.5").content.decode()
    assert '<html lang="es"' in page
    assert "no está disponible" not in page


@pytest.mark.django_db
def test_brazilian_portuguese_is_faros_portuguese(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()
    assert '<html lang="pt"' in page
    assert "disponível" not in page


@pytest.mark.django_db
def test_the_page_cache_keeps_the_notice_to_the_visitors_who_asked(client: Client, settings: Settings) -> None:
    settings.PAGE_CACHE_SECONDS = 30
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german_again = Client().get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Faro is not available in German." in german
    assert "not available" not in english
    assert "Faro is not available in German." in german_again


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/webinars/", "/api/v1/meetings/"])
def test_the_api_refuses_a_language_filter_it_does_not_have_in_the_callers_language(client: Client, url: str) -> None:
    response = client.get(url, {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "no es una elección válida" in response.content.decode()
