"""Anonymous visitors' public pages, served from the shared cache until anything changes.

When a webinar is announced, thousands of officials open the same few pages within the hour. A page
an anonymous visitor gets is the same for every anonymous visitor with the same language and time
zone, so it is rendered once and kept in the cache under a key made of the path, the query, the
language, the time zone and the *site version*.

Freshness: every write that services make is audited (`core.audit.log_action`), and the audit log
bumps the site version when its transaction commits, so the next visitor gets a page rendered
after the change — a published change is visible at once. Time alone also changes pages (a call
closes at its deadline, a webinar starts), so an entry lives at most `PAGE_CACHE_SECONDS`.

Safety: only GET and HEAD, only visitors without a session or message cookie (never a signed-in
user's page, never a page with a message meant for one visitor), only 200 HTML responses that set no
cookie of their own. A page carrying a CSRF token (a form) is stored with a placeholder in place of
each token and gets a fresh token per visitor when served, so no two visitors share one. When the
cache is unreachable, pages are rendered as if nothing were cached.
"""

import hashlib
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "faro:pagecache:version"
TOKEN_PLACEHOLDER = "faro-csrf-token-placeholder"  # noqa: S105 (a marker in cached pages, not a secret)
TOKEN_IN_PAGE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
KEY_ATTRIBUTE = "_faro_page_cache_key"  # on a request whose response is to be stored under it
SERVED_ATTRIBUTE = "_faro_page_cache_hit"  # on a response that came from the cache


def bump_version() -> None:
    """Make every cached page stale (called when a write commits)."""
    try:
        cache.add(VERSION_KEY, 0, timeout=None)
        cache.incr(VERSION_KEY)
    except Exception:  # the cache is down: entries expire on their own within PAGE_CACHE_SECONDS
        logger.warning("page cache: could not bump the site version", exc_info=True)


def site_version() -> int | None:
    """The site version, for other caches kept until any write commits; None when the cache is unreachable."""
    try:
        return int(cache.get_or_set(VERSION_KEY, 0, timeout=None) or 0)
    except Exception:
        logger.warning("page cache: could not read the site version", exc_info=True)
        return None


def bump_version_on_commit() -> None:
    """Bump when the current transaction commits: once, however many writes it audits.

    A bump already pending from this savepoint or an enclosing one commits (or rolls back) with
    this write, so a second one would add nothing."""
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is bump_version and set(entry[0]) <= savepoints for entry in pending):
        transaction.on_commit(bump_version)


# The pages anonymous visitors share. Pages reached by a personal link (a registration, an offer, a
# survey) are not among them: they show one person's data and are never stored.
PUBLIC_PAGES = frozenset(
    {
        "portal:home",
        "portal:news",
        "portal:news_detail",
        "portal:calendar",
        "portal:catalogue",
        "portal:privacy",
        "webinars:webinars",
        "webinars:webinar",
        "webinars:registration_create",
        "courses:catalogue",
        "courses:course",
        "courses:offering",
        "scholarships:calls",
        "scholarships:call",
        "meetings:meetings",
        "meetings:meeting",
        "reports:impact",
        "certificates:verification_form",
        "certificates:certificate_verify",
    }
)


def is_cacheable_request(request: HttpRequest, view_name: str) -> bool:
    """Decided from the URL Django has already resolved for the view (no second resolve)."""
    if request.method not in {"GET", "HEAD"} or not settings.PAGE_CACHE_SECONDS:
        return False
    if any(name in request.COOKIES for name in PRIVATE_COOKIES):
        return False
    return view_name in PUBLIC_PAGES and asks_for_html(request)


def asks_for_html(request: HttpRequest) -> bool:
    """Only HTML is stored, so a client asking for another form (a credential's JSON-LD) skips the cache."""
    accept = request.headers.get("Accept", "").strip()
    return not accept or "text/html" in accept or accept == "*/*"


def page_key(request: HttpRequest, version: int) -> str:
    from faro.core.middleware import TIMEZONE_COOKIE
    from faro.core.timefmt import canonical

    # The zone as pages use it: an alias and its zone share a page, an unknown zone is UTC's page.
    zone = canonical(request.COOKIES.get(TIMEZONE_COOKIE, "")[:64]) or ""
    parts = [request.get_full_path(), get_language() or "", zone, str(version)]
    parts.append(getattr(request, "unavailable_language", ""))  # a page telling the visitor it lacks their language
    return "faro:page:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def is_cacheable_response(response: HttpResponse) -> bool:
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return False
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", ""):
        return False
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


def _stored(response: HttpResponse) -> dict[str, object]:
    body = TOKEN_IN_PAGE.sub(rb"\1" + TOKEN_PLACEHOLDER.encode() + rb"\2", response.content)
    headers = {k: v for k, v in response.items() if k.lower() not in {"set-cookie", "content-length"}}
    return {"body": body, "headers": headers}


def _served(request: HttpRequest, entry: dict[str, object]) -> HttpResponse:
    body = entry["body"]
    assert isinstance(body, bytes)
    placeholder = TOKEN_PLACEHOLDER.encode()
    while placeholder in body:  # each form gets its own masked token, as Django renders them
        body = body.replace(placeholder, get_token(request).encode(), 1)
    response = HttpResponse(body)
    headers = entry["headers"]
    assert isinstance(headers, dict)
    for name, value in headers.items():
        response[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring). After LocaleMiddleware.

    The decision waits for `process_view`, where Django has resolved the URL once for everyone: a
    page found in the cache is answered there (the view does not run), and a page to store is
    marked on the request so that `__call__` stores the response on its way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, KEY_ATTRIBUTE, None)
        if key and not getattr(response, SERVED_ATTRIBUTE, False) and is_cacheable_response(response):
            try:
                cache.set(key, _stored(response), timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: could not store %s", request.path, exc_info=True)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not is_cacheable_request(request, match.view_name):
            return None
        try:
            key = page_key(request, cache.get_or_set(VERSION_KEY, 0, timeout=None) or 0)
            entry = cache.get(key)
        except Exception:
            logger.warning("page cache unreachable; rendering", exc_info=True)
            return None
        if entry is not None:
            response = _served(request, entry)
            setattr(response, SERVED_ATTRIBUTE, True)
            return response
        setattr(request, KEY_ATTRIBUTE, key)
        return None
