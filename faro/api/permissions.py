"""Token scopes: a read token may only read; session users (the browsable docs) may do what their role allows."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from faro.api.models import ApiToken


class TokenScope(permissions.BasePermission):
    message = _("This token may only read; create a token with the write scope.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return True
        return request.auth.can_write


# What endpoints list as `permission_classes` (always keeping the token-scope check):
PUBLIC = [TokenScope, permissions.AllowAny]  # anyone may read; what they see depends on who they are
SIGNED_IN = [TokenScope, permissions.IsAuthenticated]
