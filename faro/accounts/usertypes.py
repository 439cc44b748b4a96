"""The two ways Faro's code names a user, so signatures say which one they mean."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from faro.accounts.models import User

# Whoever is looking: `request.user`, anonymous visitors included.
Viewer = User | AnonymousUser

# Who performs a write (`acting_user`): the request's user, or None when a system job acts.
# `faro.core.audit.log_action` records an anonymous visitor as nobody.
Actor = User | AnonymousUser | None


class AuthenticatedRequest(HttpRequest):
    """A request to a view behind `login_required` (or a stricter check): its user is signed in."""

    user: User
