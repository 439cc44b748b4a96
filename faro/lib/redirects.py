"""The one check for every URL Faro redirects to or links back to from a request (`next=`, return links).

Only a path on this site, or a URL on this host, is accepted; `javascript:`, `data:` and other hosts
are not. Outside development an absolute URL must also be https. Anything else gives the fallback.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_return_url(request: HttpRequest, candidate: str | None, fallback: str = "") -> str:
    """`candidate` if it is safe to send the visitor to, else `fallback`."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure() or not settings.DEBUG
    ):
        return candidate
    return fallback
