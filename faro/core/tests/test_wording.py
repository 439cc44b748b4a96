"""House wording, checked on every catalogue: Brazilian Portuguese, French typography, one Spanish
term per concept, the OAS's name in each language, lower-case language and month names, gender."""

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from faro.directory.models import Person

FARO = Path(settings.BASE_DIR) / "faro"
NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request in another language leaves that language active in this thread."""
    yield
    translation.activate("en")


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
    assert not offending("pt", r"\b(Gerir|gerir|género|webinários?|Webinários?)\b")
    assert not offending("pt", r"(^|[.:!?] )(O|A|Os|As) (seus?|suas?) ")  # Brazil: "Sua inscrição", "Seus dados"


def test_one_word_for_a_webinar_in_spanish_and_portuguese() -> None:
    assert not offending("es", r"\bseminarios? web\b|(?<!%\()\bwebinars?\b(?!\)s)", re.I)
    assert not offending("pt", r"\bwebin[aá]rios?\b", re.I)
    assert offending("pt", r"\bwebinar\b")


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


def test_french_writes_the_typographic_apostrophe() -> None:
    assert not offending("fr", r"(?<=\w)'(?=\w)")


def test_french_buttons_say_modifier() -> None:
    edits = [text for _app, entry, text in entries("fr") if entry.msgid == "Edit"]
    assert edits
    assert set(edits) == {"Modifier"}
    edit_actions = [text for _app, entry, text in entries("fr") if re.match(r"(Edit|Change) ", entry.msgid)]
    assert not [text for text in edit_actions if text.startswith("Modification")]


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


# Words that take the person's gender in Spanish, Portuguese and French ("la bienvenida" is a noun): a
# neutral wording avoids them.
_GENDERED = re.compile(r"\b(inscrit[oa]s?|(?<!la )bienvenid[oa]s?|bem-vind[oa]s?|inscrite?s?)\b|\w/a\b", re.I)


def _contexts(language: str) -> dict[tuple[str, str | None], str]:
    return {(entry.msgid, entry.msgctxt): text for _app, entry, text in entries(language)}


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_every_gendered_message_has_a_man_and_a_neutral_twin(language: str) -> None:
    texts = _contexts(language)
    women = [msgid for msgid, context in texts if context == "woman"]
    assert len(women) >= 7
    for msgid in women:
        assert (msgid, "man") in texts, msgid
        assert (msgid, None) in texts, msgid


@pytest.mark.parametrize("language", ["es", "pt"])
def test_the_neutral_wording_of_a_gendered_message_takes_no_gender(language: str) -> None:
    texts = _contexts(language)
    neutral = [texts[(msgid, None)] for msgid, context in texts if context == "woman"]
    assert neutral
    assert not [text for text in neutral if _GENDERED.search(text)]
    assert [
        texts[(msgid, "woman")]
        for msgid, context in texts
        if context == "woman" and _GENDERED.search(texts[(msgid, "woman")])
    ]


def test_spanish_and_portuguese_never_write_a_slash_gender() -> None:
    assert not offending("es", r"\w/a\b")
    assert not offending("pt", r"\w/a\b")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("gender", "expected"),
    [
        ("woman", "Bienvenida, Ana"),
        ("man", "Bienvenido, Ana"),
        ("undisclosed", "Le damos la bienvenida, Ana"),
        ("", "Le damos la bienvenida, Ana"),
    ],
)
def test_my_page_welcomes_a_person_in_their_gender(client: Any, gender: str, expected: str) -> None:
    from conftest import make_person, make_user

    user = make_user(
        "ana@example.org", person=make_person("Ana", "Silva", "BR", gender=gender, preferred_language="es")
    )
    client.force_login(user)
    client.cookies["faro_language"] = "es"
    html = client.get(reverse("accounts:me")).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert heading
    assert " ".join(heading.group(1).split()) == f"{expected} Silva"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "gender", "expected"),
    [
        ("es", "woman", "Está inscrita."),
        ("es", "man", "Está inscrito."),
        ("es", "other", "Su inscripción quedó registrada."),
        ("pt", "woman", "Você está inscrita."),
        ("pt", "", "Sua inscrição foi registrada."),
        ("fr", "woman", "Vous êtes inscrite."),
        ("fr", "undisclosed", "Votre inscription est enregistrée."),
    ],
)
def test_the_registration_page_agrees_with_the_registrant(
    client: Any, language: str, gender: str, expected: str
) -> None:
    from faro.directory.models import MemberState
    from faro.webinars.services import register_for_webinar, registration_token
    from faro.webinars.tests.conftest import make_webinar

    person = Person.objects.create(
        first_name="Ana", email="ana@example.org", member_state=MemberState.objects.get(code="BR"), gender=gender
    )
    outcome = register_for_webinar(
        make_webinar(),
        acting_user=None,
        email="ana@example.org",
        first_name="Ana",
        consent=True,
        member_state=person.member_state,
        language=language,
    )
    assert outcome.registration.person_id == person.pk
    client.cookies["faro_language"] = language
    url = reverse("webinars:registration", args=[registration_token(outcome.registration)])
    html = client.get(f"{url}?new=1").content.decode()
    assert expected in html


@pytest.mark.parametrize(
    ("gender", "expected"), [("woman", "¡Bienvenida!"), ("man", "¡Bienvenido!"), ("", "¡Le damos la bienvenida!")]
)
def test_an_accepted_offer_welcomes_in_the_persons_gender(gender: str, expected: str) -> None:
    from faro.scholarships.views import _accepted

    with translation.override("es"):
        assert _accepted(Person(first_name="Ana", gender=gender)).endswith(expected)


def _demo_french() -> Iterator[tuple[str, str]]:
    """(file, text) for every French text the demo writes (the "fr" entries of its dicts)."""
    import ast

    for path in sorted(FARO.glob("*/demo*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "fr" and isinstance(value, ast.Constant):
                        yield path.parent.name, str(value.value)


def test_the_demo_writes_french_typography_too() -> None:
    texts = list(_demo_french())
    assert len(texts) > 30
    bad = []
    for app, text in texts:
        plain = re.sub(r"https?:\S+|\d:\d", "", text)
        if [m for m in re.finditer(r"(.)[:;?!](?=\s|$|»)", plain) if m.group(1) != NNBSP]:
            bad.append(f"{app}: {text[:80]}")
        if re.search(r"(?<=\w)'(?=\w)|«(?!\u202f)|(?<!\u202f)»|\"", text):
            bad.append(f"{app}: {text[:80]}")
    assert not bad, bad
