"""The pages a port official uses, on a phone (390×844) and a laptop (1366×900), in each language:
the heading is visible without scrolling, nothing overflows sideways, axe-core finds nothing, the
member-state list is in the reader's collation order, and no English words show on a Spanish,
Portuguese or French page outside names and text marked as shown in another language. One browser
context per size, signed in once, its page reused for every visit."""

import re
from functools import partial
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from conftest import assert_accessible, login, person_of
from faro.accounts.models import User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, MemberState
from faro.lib.collation import collation_key
from faro.scholarships.tests.factories import make_application, make_call
from faro.webinars.tests.conftest import make_webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS: list[ViewportSize] = [{"width": 390, "height": 844}, {"width": 1366, "height": 900}]
# Words that only English uses among Faro's four languages (not "a", "no", "e", "de", "on"...).
ENGLISH = re.compile(r"\b(the|and|your|you|with|this|please|here|which|what|when|will|have|been|from|who|that)\b", re.I)
FOUR = {
    "title": {
        "en": "Port security and the ISPS Code",
        "es": "Protección portuaria y Código PBIP",
        "pt": "Proteção portuária e Código ISPS",
        "fr": "Sûreté portuaire et Code ISPS",
    },
    "description": {
        "en": "What changed since 2004.",
        "es": "Qué cambió desde 2004.",
        "pt": "O que mudou desde 2004.",
        "fr": "Ce qui a changé depuis 2004.",
    },
}

# The visible text of the header and main (not the footer), without elements marked as another language.
VISIBLE_TEXT = """() => {
  const page = document.documentElement.lang;
  return [...document.querySelectorAll('header, main')].map(part => {
    const copy = part.cloneNode(true);
    copy.querySelectorAll('[lang]').forEach(e => { if (e.lang !== page) e.remove(); });
    copy.querySelectorAll('script, style, .skip-link, .visually-hidden[aria-hidden]').forEach(e => e.remove());
    return copy.textContent;
  }).join(' ');
}"""
SELECTS = "() => [...document.querySelectorAll('select')].map(s => [...s.options].map(o => o.textContent.trim()))"


def _check_layout(page: Page, where: str) -> None:
    heading = page.locator("h1").first.bounding_box()
    assert page.viewport_size is not None
    height = page.viewport_size["height"]
    assert heading is not None, where
    assert heading["y"] + heading["height"] <= height, f"{where}: the heading ends at {heading}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where}: {overflow}px wider than the screen"


def _check_words(page: Page, language: str, names: list[str], where: str) -> None:
    text = page.evaluate(VISIBLE_TEXT)
    if language == "en":
        assert ENGLISH.search(text), f"{where}: the check sees no text"  # the check reads the page
        return
    for name in names:
        text = text.replace(name, "")
    found = sorted({m.group(0).lower() for m in ENGLISH.finditer(text)})
    assert not found, f"{where}: English words {found} in: " + " ".join(text.split())[:2000]


def _check_member_states(page: Any, language: str, where: str) -> int:
    """Every list of member states on the page is in the reader's collation order; returns how many."""
    with translation.override(language):
        states = {s.name for s in MemberState.objects.all()}
    lists = [[o for o in options if o in states] for options in page.evaluate(SELECTS)]
    lists = [shown for shown in lists if len(shown) >= 30]
    for shown in lists:
        assert shown == sorted(shown, key=lambda n: collation_key(n, language)), where
    return len(lists)


def _note_refusal(refused: list[str], message: Any) -> None:
    if "Content Security Policy" in message.text:
        refused.append(message.text)


def _visit(page: Any, language: str, pages: dict[str, str], names: list[str], width: int) -> int:
    states_lists = 0
    for name, url in pages.items():
        page.goto(url)
        where = f"{name} ({language}, {width}px)"
        assert page.locator("html").get_attribute("lang") == language, where
        _check_layout(page, where)
        assert_accessible(page)
        _check_words(page, language, names, where)
        states_lists += _check_member_states(page, language, where)
    return states_lists


def test_an_officials_pages_in_every_language_and_size(
    browser: Any, live_server: LiveServer, participant: User, partner_institution: Institution, languages: list[str]
) -> None:
    course = make_course(partner_institution, title=FOUR["title"], description=FOUR["description"])
    offering = make_offering(course)
    call = make_call([offering], title=FOUR["title"], description=FOUR["description"])
    application = make_application(call, person_of(participant), [offering], submit=False)
    webinar = make_webinar(title=FOUR["title"], description=FOUR["description"], capacity=50)
    names = [person_of(participant).full_name, participant.email, partner_institution.name, "Faro", "ISPS"]
    anonymous = {
        "home": "/",
        "webinar registration": reverse("webinars:registration_create", args=[webinar.pk]),
        "verification": reverse("certificates:verification_form"),
    }
    signed_in = {"application form": application.get_absolute_url(), "my page": reverse("accounts:me")}
    for viewport in VIEWPORTS:  # one browser context per size, its page reused for every visit
        context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=viewport)
        page = context.new_page()
        refused: list[str] = []  # as the `page` fixture does: nothing blocked by the Content-Security-Policy
        page.on("console", partial(_note_refusal, refused))
        states_lists = 0
        for language in languages:
            context.add_cookies([{"name": "faro_language", "value": language, "url": live_server.url}])
            states_lists += _visit(page, language, anonymous, names, viewport["width"])
        login(page, participant.email)
        for language in languages:
            page.goto(f"/accounts/language/{language}/?next=/")  # sets the signed-in person's language too
            states_lists += _visit(page, language, signed_in, names, viewport["width"])
        context.close()
        assert refused == []
        assert states_lists >= len(languages)  # the registration form's list at least, in every language
