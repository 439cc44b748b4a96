"""Show times in the viewer's time zone: their profile's, else the browser's cookie."""

import functools
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
