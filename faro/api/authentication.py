"""`Authorization: Bearer faro_…` — a personal token sees exactly what its user may see."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from faro.accounts.scope import scope_for
from faro.api.models import ApiToken, token_digest


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(header[1])).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API token is not valid."))
        if token.revoked_at:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This API token has expired."))
        if settings.FARO_REQUIRE_STAFF_2FA and not token.user.has_two_factor and scope_for(token.user).is_staff:
            raise exceptions.AuthenticationFailed(
                _("Staff API tokens work only once their owner has set up two-factor sign-in.")
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
