"""Show times in the viewer's time zone: their profile's, else the browser's cookie."""

import functools
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TIMEZONE_COOKIE = "faro_tz"


@functools.cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def viewer_time_zone(request: HttpRequest) -> str | None:
    person = getattr(getattr(request, "user", None), "person", None)
    name = getattr(person, "timezone", "") or request.COOKIES.get(TIMEZONE_COOKIE, "")
    return name if name in known_time_zones() else None


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


@functools.cache
def _sorted_zones() -> list[str]:
    return sorted(z for z in known_time_zones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/")))


def time_zone_choices() -> list[tuple[str, str]]:
    """(name, label) for a time-zone select: UTC first, then the zones by region."""
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in _sorted_zones())]


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
