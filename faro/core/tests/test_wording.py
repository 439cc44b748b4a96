"""House wording, checked on every catalogue: Brazilian Portuguese, French typography, one Spanish
term per concept, the OAS's name in each language, lower-case language and month names, gender."""

import datetime
import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

FARO = Path(settings.BASE_DIR) / "faro"
NNBSP = "\u202f"


def entries(language: str) -> Iterator[tuple[str, polib.POEntry, str]]:
    """(app, entry, translated text) for every translation in `language`, plural forms included."""
    for po_path in sorted(FARO.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield po_path.parts[-5], entry, text


def offending(language: str, pattern: str, flags: int = 0) -> list[str]:
    found = re.compile(pattern, flags)
    return [f"{app}: {text}" for app, _entry, text in entries(language) if found.search(text)]


def test_portuguese_is_brazilian() -> None:
    assert not offending("pt", r"\b(Os|As|O|A) (meus|minhas|meu|minha)\b", re.I)
    assert not offending("pt", r"\b(ficheiros?|registos?|ecrã|descarregar|telemóvel|utilizador(es)?|equipa)\b", re.I)
    assert not offending("pt", r"\b(sobre si|para si)\b")


def test_portuguese_and_spanish_months_and_weekdays_are_lower_case() -> None:
    for language in ("pt", "es", "fr"):
        with translation.override(language):
            text = date_format(datetime.date(2021, 5, 19), "l j F Y")
        assert text == text.lower(), text
    with translation.override("pt"):
        assert date_format(datetime.date(2021, 5, 19)) == "19 de maio de 2021"


# "Authorization: Bearer" is HTTP syntax, "https:" a scheme, "&lt;" an entity: not French punctuation.
_NOT_PUNCTUATION = re.compile(r"Authorization: |https?:|mailto:|&#?\w+;|<code>.*?</code>|\d:\d")


def test_french_has_a_narrow_no_break_space_before_high_punctuation() -> None:
    bad = []
    for app, _entry, text in entries("fr"):
        plain = _NOT_PUNCTUATION.sub("", text)
        for match in re.finditer(r"(.)([:;?!])(?=\s|$|»|<|\")", plain):
            if match.group(1) != NNBSP:
                bad.append(f"{app}: {text}")
    assert not bad, bad[:10]


def test_french_quotes_words_with_guillemets() -> None:
    quoted = re.compile(r'(?<![=\w])["“][^"”<>]{1,80}["”](?!\w)')
    bad = [text for _app, _entry, text in entries("fr") if quoted.search(re.sub(r"<code>.*?</code>", "", text))]
    assert not bad, bad[:10]
    assert not offending("fr", r"«(?!\u202f)|(?<!\u202f)»")


def test_french_buttons_say_modifier() -> None:
    edits = [text for _app, entry, text in entries("fr") if entry.msgid == "Edit"]
    assert edits
    assert set(edits) == {"Modifier"}


def test_spanish_uses_one_term_for_an_application() -> None:
    """Faro's Spanish says "postulación" (as OAS scholarship calls do), never "solicitud" for one."""
    applications = [text for _app, entry, text in entries("es") if re.search(r"\bapplications?\b", entry.msgid, re.I)]
    assert any("postulaci" in text for text in applications)
    assert not [text for text in applications if re.search(r"solicitud", text, re.I)]


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_the_oas_is_named_in_the_readers_language(language: str) -> None:
    assert not offending(language, r"\bOAS\b")
    with translation.override(language):
        assert translation.gettext("OAS") == {"es": "OEA", "pt": "OEA", "fr": "OÉA"}[language]


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_language_names_are_lower_case_mid_sentence(language: str) -> None:
    with translation.override(language):
        names = [str(translation.gettext(str(name))) for _code, name in settings.LANGUAGES]
    assert names == [name.lower() for name in names]


@pytest.mark.parametrize(
    ("gender", "expected"),
    [
        ("woman", "ya está inscrita"),
        ("man", "ya está inscrito"),
        ("undisclosed", "ya tiene una inscripción"),
        ("", "ya tiene una inscripción"),
    ],
)
def test_a_message_about_a_person_agrees_with_their_gender_or_stays_neutral(gender: str, expected: str) -> None:
    from faro.directory.models import Person
    from faro.meetings.services import _already_registered

    with translation.override("es"):
        assert expected in _already_registered(Person(first_name="Ana", gender=gender)) % {"name": "Ana"}


def test_english_mails_start_with_a_capital() -> None:
    first_text = re.compile(r"\{%\s*(?:translate\s+\"([^\"]+)\"|blocktranslate[^%]*%\}([^{]*))")
    bad = []
    for template in sorted(FARO.glob("*/templates/*/emails/*.txt")):
        match = first_text.search(template.read_text())
        text = (match.group(1) or match.group(2)).strip() if match else ""
        if text and not text[0].isupper():
            bad.append(f"{template.name}: {text}")
    assert not bad, bad
