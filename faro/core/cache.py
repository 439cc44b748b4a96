"""A Redis cache that keeps pages working while Redis is away.

While Redis cannot be reached, every cache call goes to a small cache in this process instead
of raising: pages render (uncached), and the login lockout and rate limits keep counting, per
process, so an outage neither answers 500 nor lifts the limits (with N web processes an
attacker gets at most N times the limit until Redis returns). After a failure Redis is left
alone for `RETRY_AFTER` seconds, so a dead server costs one connection attempt, not one per call.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # redis-py retries a refused connection with backoff for ~4 s by default: fail at once instead.
        options = {"retry": Retry(NoBackoff(), 0), **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"faro-fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._down_until = 0.0

    def _either(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            method: Callable[..., Any] = getattr(super(), name)
            try:
                return method(*args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("Cache unreachable (%s); using this process's cache for %ss", error, RETRY_AFTER)
                self._down_until = time.monotonic() + RETRY_AFTER
        return getattr(self._fallback, name)(*args, **kwargs)

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._either("add", *args, **kwargs))

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._either("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._either("touch", *args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._either("delete", *args, **kwargs))

    def get_many(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return dict(self._either("get_many", *args, **kwargs))

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._either("has_key", *args, **kwargs))

    def incr(self, *args: Any, **kwargs: Any) -> int:
        return int(self._either("incr", *args, **kwargs))

    def set_many(self, *args: Any, **kwargs: Any) -> list[str]:
        return list(self._either("set_many", *args, **kwargs) or [])

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        self._either("delete_many", *args, **kwargs)

    def clear(self) -> None:
        self._either("clear")
