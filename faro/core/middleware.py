"""Show times in the viewer's time zone: their profile's, else the browser's cookie."""

import functools
import zoneinfo
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from faro.core import timefmt

TIMEZONE_COOKIE = "faro_tz"


@functools.cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def viewer_time_zone(request: HttpRequest) -> str | None:
    person = getattr(getattr(request, "user", None), "person", None)
    name = getattr(person, "timezone", "") or request.COOKIES.get(TIMEZONE_COOKIE, "")
    return timefmt.canonical(name)  # an alias the browser reports becomes its zone; unknown: UTC


class TimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = viewer_time_zone(request)
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        return self.get_response(request)


def time_zone_choices() -> list[tuple[str, str]]:
    """(zone, label) for a time-zone select, in the active language: UTC, the member states'
    zones by name ("hora de Jamaica (UTC−5)"), then the other canonical zones (no aliases)."""
    return timefmt.time_zone_choices()


class SessionlessVisitorMiddleware:
    """A visitor without a session cookie, given no session, gets a page that does not vary on Cookie.

    Reading the (empty) session to learn that the visitor is anonymous marks it accessed, and Django's
    session middleware then adds ``Vary: Cookie`` to every anonymous page. Such a page is the same for
    every cookie-less visitor, so it may be cached per URL and language; a visitor with a session cookie
    never gets it from a cache that keys on the session cookie. Sits just after SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not session.modified
            and session.is_empty()
        ):
            session.accessed = False
        return response


class RejectNulMiddleware:
    """A NUL character in the query string or a form field is never legitimate and PostgreSQL cannot store
    or compare it (a search for `?q=%00` was a 500): such requests get 400 before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        form = request.POST if request.method == "POST" else QueryDict()  # form fields (urlencoded, multipart)
        if (
            "\x00" in unquote(request.META.get("QUERY_STRING", ""))
            or "\x00" in request.path
            or any("\x00" in item for key, values in form.lists() for item in [key, *values])
        ):
            if request.path.startswith("/api/"):  # the API's error body (README, "Errors"), as JSON
                error = {
                    "status": 400,
                    "code": "invalid",
                    "message": gettext("The request has invalid fields."),
                    "fields": {},
                }
                return JsonResponse({"error": error}, status=400)
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: Faro uses no camera, microphone, location or payment API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
