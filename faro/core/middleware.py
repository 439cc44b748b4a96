"""Show times in the viewer's time zone: their profile's, else the browser's cookie."""

import functools
import zoneinfo
from collections.abc import Callable

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
