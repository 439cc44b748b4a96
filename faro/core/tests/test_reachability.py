"""Every page a persona may use can be reached by following links from My page.

The permitted pages are not listed by hand: every parameter-free URL pattern the resolver knows
is requested as each persona, and the HTML pages that answer 200 are theirs. Then a crawler
starts at My page and follows same-site links (GET only, as a person clicking would); any
permitted page it never reaches fails the test, with the persona and the page named.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from faro.accounts.models import User

pytestmark = pytest.mark.django_db
PERSONAS = ["staff", "partner", "focal_point", "reviewer", "participant"]
LINK = re.compile(r"""<a\s[^>]*href="([^"#]+)""")
NOT_PAGES = ("/api/", "/django-admin/", "/healthz", "/accounts/logout", "/i18n/", "/static/", "/media/")
LIMIT = 600  # pages per persona the crawler may visit
# Pages a person reaches by submitting a form (the answer to a POST) or being sent there in the middle
# of a sign-in flow (an inactive account, confirming who they are, the details after sign-up), never by a link.
FORM_RESULTS = [
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "accounts:profile_complete",
]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route without parameters, as a path ("/reports/impact/")."""
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        elif isinstance(entry, URLPattern) and not entry.pattern.regex.groups and "<" not in route:
            path = "/" + route.lstrip("^").rstrip("$").replace("\\", "")
            if not path.startswith(NOT_PAGES) and "(" not in path and "[" not in path:
                found.append(path)
    return sorted(set(found))


def _is_page(response: HttpResponseBase) -> bool:
    return response.status_code == 200 and str(response.get("Content-Type", "")).startswith("text/html")


def permitted_pages(client: Client) -> set[str]:
    results = {reverse(name) for name in FORM_RESULTS}
    return {path for path in _patterns(get_resolver()) if path not in results and _is_page(client.get(path))}


def reachable_from_my_page(client: Client) -> set[str]:
    start = reverse("accounts:me")
    seen, queue = {start}, deque([start])
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        response = client.get(url)
        if not _is_page(response):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc or target.path.startswith(NOT_PAGES) or target.path in seen:
                continue
            seen.add(target.path)  # a link with a query (?person=3) reaches its page too
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_permitted_page_is_reachable_from_my_page(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    permitted = permitted_pages(client)
    assert reverse("accounts:me") in permitted
    unreachable = sorted(permitted - reachable_from_my_page(client))
    assert unreachable == [], f"{persona} cannot reach by links: {unreachable}"


def test_the_crawler_would_notice_a_missing_link(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert reverse("reports:audit") in permitted_pages(client)
    assert reverse("reports:audit") in reachable_from_my_page(client)
    assert "/no-such-page/" not in permitted_pages(client)
