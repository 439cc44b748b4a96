"""A meeting's languages, and every language list of the meetings pages, in the reader's collation order."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.meetings import services
from faro.meetings.models import Meeting


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    """A request in Spanish or French leaves its language active in the thread; later tests expect none."""
    yield
    translation.deactivate()


pytestmark = pytest.mark.django_db


@pytest.fixture
def four_languages(meeting: Meeting) -> Meeting:
    # Ticked in this order (as the demo's XII Meeting was): Spanish first, French last.
    return services.update_meeting(meeting, acting_user=None, languages=["es", "en", "pt", "fr"])


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["English", "French", "Portuguese", "Spanish"]),
        ("es", ["español", "francés", "inglés", "portugués"]),
        ("pt", ["espanhol", "francês", "inglês", "português"]),
        ("fr", ["anglais", "espagnol", "français", "portugais"]),
    ],
)
def test_a_meetings_languages_are_named_in_the_readers_order(
    four_languages: Meeting, language: str, names: list[str]
) -> None:
    with translation.override(language):
        assert four_languages.language_names() == names


@pytest.mark.parametrize(
    ("language", "shown"),
    [("es", "español, francés, inglés, portugués"), ("fr", "anglais, espagnol, français, portugais")],
)
def test_the_meeting_page_lists_its_languages_in_the_readers_order(
    client: Client, four_languages: Meeting, language: str, shown: str
) -> None:
    client.cookies["faro_language"] = language
    page = client.get(four_languages.get_absolute_url()).content.decode()
    assert f"<dd>{shown}</dd>" in page


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option [^>]*>([^<]+)</option>", select.group(1))


def test_the_list_of_participants_offers_its_languages_in_the_readers_order(
    client: Client, staff: User, meeting: Meeting
) -> None:
    client.force_login(staff)
    client.cookies["faro_language"] = "fr"
    page = client.get(reverse("meetings:participants", args=[meeting.pk])).content.decode()
    assert _options(page, "language") == ["anglais", "espagnol", "français", "portugais"]


def test_the_meeting_form_offers_kinds_and_modes_in_the_readers_order(client: Client, staff: User) -> None:
    from faro.meetings.forms import MeetingForm

    with translation.override("es"):
        form = MeetingForm()
        modes = [str(label) for value, label in form.fields["mode"].choices if value]  # type: ignore[attr-defined]
        languages = [str(label) for _value, label in form.fields["languages"].choices]  # type: ignore[attr-defined]
    assert modes == ["Híbrida", "Presencial", "Virtual"]
    assert languages == ["español", "francés", "inglés", "portugués"]
