"""A speaker's or moderator's optional gender: staff set it, and role words agree with it in es/pt/fr."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.directory.models import Person
from faro.webinars.models import Speaker, Webinar


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    """A request in Spanish or French leaves its language active in the thread; later tests expect none."""
    yield
    translation.deactivate()


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "gender", "word"),
    [
        ("es", "woman", "moderadora"),
        ("es", "man", "moderador"),
        ("es", "", "moderación"),
        ("es", "other", "moderación"),
        ("pt", "woman", "moderadora"),
        ("pt", "man", "moderador"),
        ("pt", "", "moderação"),
        ("fr", "woman", "modératrice"),
        ("fr", "man", "modérateur"),
        ("fr", "", "animation"),
        ("en", "woman", "moderator"),
    ],
)
def test_a_moderators_role_agrees_with_their_gender(language: str, gender: str, word: str) -> None:
    with translation.override(language):
        assert Speaker(role=Speaker.Role.MODERATOR, gender=gender).role_label == word


@pytest.mark.parametrize(
    ("language", "gender", "word"),
    [
        ("fr", "woman", "intervenante"),
        ("fr", "man", "intervenant"),
        ("fr", "", "intervenant"),  # the model's own word for a speaker, as official French writes it
        ("es", "woman", "ponente"),
        ("es", "", "ponente"),
    ],
)
def test_a_speakers_role_agrees_with_their_gender(language: str, gender: str, word: str) -> None:
    with translation.override(language):
        assert Speaker(role=Speaker.Role.SPEAKER, gender=gender).role_label == word


def test_the_speakers_gender_offers_the_directorys_choices() -> None:
    assert Speaker._meta.get_field("gender").choices == Person.Gender.choices
    assert Speaker._meta.get_field("gender").blank


def _moderated(webinar: Webinar, gender: str) -> Webinar:
    Speaker.objects.create(webinar=webinar, name="Ana Ruiz Martínez", role=Speaker.Role.MODERATOR, gender=gender)
    return webinar


@pytest.mark.parametrize(
    ("language", "gender", "shown"),
    [
        ("es", "woman", "(moderadora)"),
        ("es", "man", "(moderador)"),
        ("es", "", "(moderación)"),
        ("fr", "woman", "(modératrice)"),
        ("fr", "man", "(modérateur)"),
        ("fr", "", "(animation)"),
    ],
)
def test_the_webinar_page_names_the_moderator_agreeing(
    client: Client, webinar: Webinar, language: str, gender: str, shown: str
) -> None:
    _moderated(webinar, gender)
    client.cookies["faro_language"] = language
    page = " ".join(client.get(webinar.get_absolute_url()).content.decode().split())  # as a reader sees the spaces
    assert f"<strong>Ana Ruiz Martínez</strong> {shown}" in page


def _edit_data(webinar: Webinar, **speaker: str) -> dict[str, Any]:
    return {
        "title_0": "Port security and the ISPS Code",
        "title_1": "",
        "title_2": "",
        "title_3": "",
        "description_0": "",
        "description_1": "",
        "description_2": "",
        "description_3": "",
        "language": "es",
        "starts_at": "2030-05-04T14:00",
        "ends_at": "2030-05-04T15:30",
        "capacity": "300",
        "platform": "zoom",
        "join_url": "https://zoom.example.org/j/1",
        "attended_rule": "minutes",
        "attended_threshold": "45",
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        **{f"speakers-0-{key}": value for key, value in speaker.items()},
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }


def test_staff_set_a_moderators_gender_in_the_form(client: Client, staff: User, webinar: Webinar) -> None:
    client.force_login(staff)
    url = reverse("webinars:webinar_edit", args=[webinar.pk])
    assert 'name="speakers-0-gender"' in client.get(url).content.decode()
    data = _edit_data(webinar, name="Ana Ruiz Martínez", role="moderator", gender="woman")
    response = client.post(url, data)
    assert response.status_code == 302
    assert webinar.speakers.get().gender == "woman"
    page = client.get(url).content.decode()
    assert '<option value="woman" selected>' in page


def test_a_gender_left_blank_is_kept_blank(client: Client, staff: User, webinar: Webinar) -> None:
    client.force_login(staff)
    url = reverse("webinars:webinar_edit", args=[webinar.pk])
    client.post(url, _edit_data(webinar, name="Ana Ruiz Martínez", role="moderator", gender=""))
    assert webinar.speakers.get().gender == ""


def test_a_gender_faro_does_not_offer_is_refused_and_nothing_is_saved(
    client: Client, staff: User, webinar: Webinar
) -> None:
    client.force_login(staff)
    client.cookies["faro_language"] = "es"
    url = reverse("webinars:webinar_edit", args=[webinar.pk])
    response = client.post(url, _edit_data(webinar, name="Ana Ruiz Martínez", role="moderator", gender="robot"))
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    assert not webinar.speakers.exists()
