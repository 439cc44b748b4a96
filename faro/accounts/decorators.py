"""View guards. Anonymous visitors are sent to log in; signed-in users without the role get 404."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from faro.accounts.scope import scope_for

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
