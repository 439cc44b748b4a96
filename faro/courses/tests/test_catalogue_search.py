"""The course list itself has search and filters, and "no results" offers a way back."""

import pytest
from django.test import Client
from django.urls import reverse

from faro.courses.tests.factories import make_course
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(partner_institution: Institution) -> None:
    make_course(partner_institution, title={"en": "Port Security", "es": "Protección portuaria"}, languages=["es"])
    make_course(partner_institution, title={"en": "Dredging Management", "es": "Gestión del dragado"}, languages=["en"])


def test_search_finds_words_in_any_language_without_accents(client: Client, courses: None) -> None:
    html = client.get(reverse("courses:catalogue"), {"q": "proteccion"}).content.decode()
    assert "Port Security" in html
    assert "Dredging Management" not in html
    assert "1 course found" in html


def test_the_language_filter(client: Client, courses: None) -> None:
    html = client.get(reverse("courses:catalogue"), {"language": "en"}).content.decode()
    assert "Dredging Management" in html
    assert "Port Security" not in html


def test_no_results_offers_a_way_back(client: Client, courses: None) -> None:
    html = client.get(reverse("courses:catalogue"), {"q": "zeppelin"}).content.decode()
    assert "No course matches this search." in html
    assert f'<a href="{reverse("courses:catalogue")}">See all courses</a>' in html


def test_a_bad_filter_value_is_ignored_not_an_error(client: Client, courses: None) -> None:
    response = client.get(reverse("courses:catalogue"), {"language": "klingon", "area": "x"})
    assert response.status_code == 200
