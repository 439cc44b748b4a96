from typing import Any

from django.conf import settings
from django.http import HttpRequest


def faro(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_URL": settings.SITE_URL,
        "ORGANISER_TIME_ZONE": settings.FARO_ORGANISER_TIME_ZONE,
        # Set by faro.accounts.languages.UnavailableLanguageMiddleware: "Faro is not available in …".
        "language_notice": getattr(request, "language_notice", ""),
    }
