"""A delegation member's role agrees with their gender where the directory knows it, and stays neutral where not."""

import pytest
from django.utils import translation

from faro.directory.models import Person
from faro.meetings.models import Participant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "role", "gender", "word"),
    [
        ("es", "delegate", "woman", "Delegada"),
        ("es", "delegate", "man", "Delegado"),
        ("es", "delegate", "", "Delegado"),
        ("es", "head", "woman", "Jefa de delegación"),
        ("es", "adviser", "other", "Asesor"),
        ("pt", "observer", "woman", "Observadora"),
        ("fr", "observer", "woman", "Observatrice"),
        ("fr", "alternate", "woman", "Suppléante"),
        ("fr", "alternate", "man", "Suppléant"),
        ("fr", "adviser", "", "Conseiller"),
        ("en", "delegate", "woman", "Delegate"),
    ],
)
def test_a_participants_role_agrees_with_their_gender(language: str, role: str, gender: str, word: str) -> None:
    participant = Participant(role=role, person=Person(first_name="Ana", gender=gender))
    with translation.override(language):
        assert participant.role_label == word
