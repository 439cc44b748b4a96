"""Text shown in a fallback language says so: a `lang` attribute and a small "(in English)"."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from faro.core.fields import Translated
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.activate("en")


def test_the_language_shown_is_the_viewers_or_the_fallback() -> None:
    text = Translated({"en": "Port security", "es": "Protección portuaria"})
    assert text.language_shown("es") == "es"
    assert text.language_shown("pt") == "en"
    assert Translated({"es": "Solo en español"}).language_shown("fr") == "es"
    assert Translated().language_shown("fr") == ""


def test_a_description_only_in_english_is_marked_on_a_portuguese_page(client: Client) -> None:
    webinar = make_webinar(description={"en": "What changed since 2004."})
    client.cookies["faro_language"] = "pt"
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert '<div class="description" lang="en"><p>What changed since 2004.</p></div>' in html
    assert '<small class="fallback-note">(em inglês)</small>' in html
    assert "<h1>Proteção portuária e Código ISPS</h1>" in html


def test_text_in_the_viewers_language_is_not_marked(client: Client) -> None:
    webinar = make_webinar(description={"en": "What changed since 2004.", "fr": "Ce qui a changé depuis 2004."})
    client.cookies["faro_language"] = "fr"
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert '<div class="description"><p>Ce qui a changé depuis 2004.</p></div>' in html
    assert "fallback-note" not in html
