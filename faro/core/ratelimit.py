"""A small fixed-window rate limiter on the shared cache (Redis in production)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, for lockouts and rate limits (Faro's own and allauth's).

    Without `BEHIND_PROXY` it is the peer's address. Behind `TRUSTED_PROXY_COUNT` proxies, each appends
    the address it saw to X-Forwarded-For, so the client is the entry that many places from the end;
    anything before it was written by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count > 0 and len(forwarded) >= count:
        proxied: str = forwarded[-count]
        return proxied
    address: str = request.META.get("REMOTE_ADDR", "") or "unknown"
    return address


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on `key`; True while the count stays within `limit` per `window` seconds."""
    bucket = f"ratelimit:{key}:{int(time.time()) // window}"
    cache.add(bucket, 0, timeout=window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 1)
        count = 1
    return count <= limit
