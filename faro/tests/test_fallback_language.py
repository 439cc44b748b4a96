"""Text shown in a fallback language is marked: the element gets `lang` and a small translated note
("(en inglés)"), on detail pages, cards and titles inside a translated sentence; text in the viewer's
own language is not marked."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.portal.tests.conftest import make_post
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db
ENGLISH_ONLY = {"en": "Container terminals after the pandemic"}


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.activate("en")


def _get(client: Client, url: str, language: str) -> str:
    client.cookies["faro_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "note"), [("es", "(en inglés)"), ("pt", "(em inglês)"), ("fr", "(en anglais)")])
def test_a_webinar_title_in_english_only_is_marked_on_its_pages(client: Client, language: str, note: str) -> None:
    webinar = make_webinar(title=ENGLISH_ONLY)
    detail = _get(client, webinar.get_absolute_url(), language)
    heading = r'<h1 lang="en">Container terminals after the pandemic</h1>\s*<small class="fallback-note">'
    assert re.search(heading, detail)
    assert note in detail
    register = _get(client, reverse("webinars:registration_create", args=[webinar.pk]), language)
    found = re.search(r"<h1>(.*?)</h1>", register, re.S)
    assert found
    assert '<span lang="en">Container terminals after the pandemic</span>' in found.group(1)
    assert note in found.group(1)


def test_a_title_in_the_viewers_language_is_not_marked(client: Client) -> None:
    webinar = make_webinar(description={"en": "What changed.", "es": "Qué cambió."})
    for url in (webinar.get_absolute_url(), reverse("webinars:registration_create", args=[webinar.pk])):
        html = _get(client, url, "es")
        main = html[html.index("<main") :]
        assert 'lang="en"' not in main
        assert "fallback-note" not in main
        assert "Protección portuaria y Código PBIP" in main


def test_home_cards_mark_news_and_activities_in_a_fallback_language(client: Client) -> None:
    make_post("terminals", ENGLISH_ONLY, summary={"en": "Three ports compared."})
    make_post("seguridad", {"en": "Safety", "es": "Seguridad portuaria"})
    make_webinar(title={"en": "Green corridors", "es": "Corredores verdes"})
    make_webinar(title={"en": "Dredging in English only"})
    html = _get(client, "/", "es")
    assert '<h3 lang="en"><a href="/news/terminals/">Container terminals after the pandemic</a></h3>' in html
    assert '<p lang="en">Three ports compared.</p>' in html
    assert re.search(r'<h3 lang="en"><a [^>]*>Dredging in English only</a></h3><small class="fallback-note">', html)
    assert re.search(r"<h3><a [^>]*>Seguridad portuaria</a></h3>", html)
    assert re.search(r"<h3><a [^>]*>Corredores verdes</a></h3>", html)
    assert html.count("(en inglés)") == 2
