from typing import Any

from django.conf import settings
from django.http import HttpRequest


def faro(request: HttpRequest) -> dict[str, Any]:
    from faro.accounts.languages import notice

    code = getattr(request, "unavailable_language", "")
    return {
        "SITE_URL": settings.SITE_URL,
        "ORGANISER_TIME_ZONE": settings.FARO_ORGANISER_TIME_ZONE,
        "language_notice": notice(code) if code else "",
    }
