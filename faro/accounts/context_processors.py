from typing import Any

from django.http import HttpRequest

from faro.accounts.scope import scope_for
from faro.core.navigation import nav_for


def scope(request: HttpRequest) -> dict[str, Any]:
    """The viewer's scope and the navigation it allows, for every template."""
    viewer_scope = scope_for(getattr(request, "user", None))
    return {"scope": viewer_scope, "nav": nav_for(viewer_scope)}
