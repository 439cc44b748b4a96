"""Login lockout on the shared cache: too many failures for one email, or from one address, lock it.

`LOGIN_FAILURE_LIMIT` failures for an email lock that email for `LOGIN_LOCKOUT_SECONDS`;
`LOGIN_IP_FAILURE_LIMIT` failures from one address (across emails) lock that address.
"""

from django.conf import settings
from django.core.cache import cache

from faro.lib.text import normalise_email


def _keys(email: str, ip: str) -> list[tuple[str, int]]:
    keys = [(f"ip:{ip}", settings.LOGIN_IP_FAILURE_LIMIT)]
    if normalise_email(email):
        keys.append((f"email:{normalise_email(email)}", settings.LOGIN_FAILURE_LIMIT))
    return keys


def is_locked(email: str, ip: str) -> bool:
    return any(cache.get(f"login-locked:{key}") for key, _limit in _keys(email, ip))


def record_failure(email: str, ip: str) -> bool:
    """Count one failed attempt; True when it locks the email or the address."""
    locked = False
    window = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in _keys(email, ip):
        counter = f"login-failures:{key}"
        cache.add(counter, 0, timeout=window)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=window)
            count = 1
        if count >= limit:
            cache.set(f"login-locked:{key}", True, timeout=window)
            cache.delete(counter)
            locked = True
    return locked


def clear_failures(email: str) -> None:
    cache.delete(f"login-failures:email:{normalise_email(email)}")
