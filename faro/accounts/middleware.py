"""With `FARO_REQUIRE_STAFF_2FA` on, staff without two-factor may only reach their account pages."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from faro.accounts.scope import scope_for

OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/healthz")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.FARO_REQUIRE_STAFF_2FA
            and user is not None
            and user.is_authenticated
            and not user.has_two_factor
            and request.path != "/"
            and not request.path.startswith(OPEN_PREFIXES)
            and scope_for(user).is_staff
        ):
            messages.warning(request, _("Set up two-factor sign-in before using staff pages."))
            return redirect("accounts:two_factor")
        return self.get_response(request)
