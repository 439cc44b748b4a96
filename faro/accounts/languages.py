"""A language Faro does not have: say so, in the language the page falls back to, and list the ones it has.

A visitor asks for a language in three ways: a language link or the switch form (`choose_language`,
`set_language`, which add a message), the language cookie, and the browser's Accept-Language. For the
last two `UnavailableLanguageMiddleware` notes the code on the request (`request.unavailable_language`)
and the message (`request.language_notice`), which the base template shows; a cookie with an unknown
code is then removed, so the notice shows once. The page cache keys on the noted code, so a cached page
never shows the notice to a visitor who did not ask for that language, nor hides it from one who did.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

from faro.lib.collation import language_names

# A language tag as BCP 47 writes it ("de", "pt-BR", "zh-Hant-TW"); anything else is never shown back.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
ATTRIBUTE = "unavailable_language"
NOTICE = "language_notice"


def is_available(code: str) -> bool:
    try:
        translation.get_supported_language_variant(code.lower())
    except LookupError:
        return False
    return True


def unavailable_language(request: HttpRequest) -> str:
    """The code the visitor's cookie or browser asked for when Faro does not have it (else "").

    The browser's list counts only when none of its languages is Faro's (the page is then in the
    default language); a visitor whose browser also accepts Spanish simply gets Spanish."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None:
        return "" if is_available(cookie) else cookie[:40]
    asked = [code for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))]
    asked = [code for code in asked if code != "*"]
    if asked and not any(is_available(code) for code in asked):
        return asked[0][:40]
    return ""


def _name_of(code: str) -> str:
    """The name of language `code` in the active language ("alemán"), or "" when Django does not know it."""
    try:
        info = translation.get_language_info(code.lower().replace("_", "-"))
    except KeyError:
        try:
            info = translation.get_language_info(code.lower().split("-")[0].split("_")[0])
        except KeyError:
            return ""
    name = str(info["name_translated"])
    # Spanish, Portuguese and French write language names in lower case mid-sentence.
    return name if (translation.get_language() or "en").startswith("en") else name.lower()


def notice(code: str) -> str:
    """The message for a visitor who asked for language `code`, in the active language."""
    languages = ", ".join(language_names(code for code, _name in settings.LANGUAGES))
    name = _name_of(code) if LANGUAGE_TAG.fullmatch(code) else ""
    if name:
        return gettext("Faro is not available in %(language)s. The languages available are: %(languages)s.") % {
            "language": name,
            "languages": languages,
        }
    if LANGUAGE_TAG.fullmatch(code):
        return gettext(
            "Faro is not available in the language you asked for (“%(code)s”). "
            "The languages available are: %(languages)s."
        ) % {"code": code, "languages": languages}
    return gettext(
        "Faro is not available in the language you asked for. The languages available are: %(languages)s."
    ) % {"languages": languages}


class UnavailableLanguageMiddleware:
    """Note a cookie's or browser's language Faro lacks (see the module docstring). After LocaleMiddleware,
    before the page cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = unavailable_language(request)
        setattr(request, ATTRIBUTE, code)
        setattr(request, NOTICE, notice(code) if code else "")  # in the language the page falls back to
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if code and cookie in request.COOKIES and cookie not in response.cookies:
            response.delete_cookie(cookie, samesite="Lax")
        return response
