"""View guards. Anonymous visitors are sent to log in; signed-in users without the role get 404.

`staff_required` is the one staff guard of every app's pages; `require_staff` is the same rule for
the part of a view that only staff may use (a POST on a page partners may read).
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer

View = Callable[..., HttpResponse]


def require_staff(user: Viewer) -> None:
    """Raise 404 unless `user` is Secretariat staff (404, like any page one may not see)."""
    if not scope_for(user).is_staff:
        raise Http404


def staff_required(view: View) -> View:
    """The view for staff only: log in first, then 404 for anyone who is not staff."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped
