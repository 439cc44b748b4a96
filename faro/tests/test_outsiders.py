"""Every object URL answers an outsider 404 and an anonymous visitor 404 or the login page.

The URLs come from the resolver, so a new page is covered without being listed here. For each URL
with integer parameters, the test finds an object staff can open (200), then asks an outsider (a
signed-in port official with no role and nothing of their own) and an anonymous visitor (the API
answers anonymous callers 401, asking for a token). A page
anonymous visitors may see (a published webinar, a public call) is public and skipped.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from faro.accounts.models import User
from faro.directory.models import Institution
from faro.tests.site import build_site

CANDIDATE_PKS = range(1, 6)  # the compact site holds a handful of each object


def named_patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def object_urls() -> dict[str, list[str]]:
    """Name → candidate URLs, for every named URL whose parameters are all integers."""
    found = {}
    for name, pattern in named_patterns(get_resolver().url_patterns):
        converters = pattern.pattern.converters
        if converters and all(type(c).__name__ == "IntConverter" for c in converters.values()):
            found[name] = [reverse(name, kwargs=dict.fromkeys(converters, pk)) for pk in CANDIDATE_PKS]
    return found


def is_empty_api_list(response: Any) -> bool:
    """An API list under a public object (a webinar's registrations) shows the outsider only their own: none."""
    return bool(
        response.status_code == 200
        and response.request["PATH_INFO"].startswith("/api/")
        and response.json().get("results") == []
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def restart_sequences() -> None:
    """PostgreSQL's sequences outlive rolled-back tests: restart each after its table's highest id, so the
    compact site's objects get small ids (1, 2 …) as on SQLite, and CANDIDATE_PKS finds them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def site(staff: User, partner: User, focal_point: User, participant: User, partner_institution: Institution) -> None:
    restart_sequences()  # the personas are made already; the tables the site fills start after their rows
    build_site(
        staff=staff, partner=partner, focal_point=focal_point, participant=participant, institution=partner_institution
    )


def test_outsiders_get_404_on_every_object_url(site: None, staff: User, outsider: User) -> None:
    staff_client, outsider_client, anonymous = signed_in(staff), signed_in(outsider), Client()
    checked, leaks = [], []
    for name, urls in sorted(object_urls().items()):
        url = next((u for u in urls if staff_client.get(u).status_code == 200), None)
        if url is None or anonymous.get(url).status_code == 200:
            continue  # no such object in the compact site, or a public page
        checked.append(name)
        outsider_response = outsider_client.get(url)
        anonymous_response = anonymous.get(url)
        if outsider_response.status_code != 404 and not is_empty_api_list(outsider_response):
            leaks.append(f"{name} {url}: outsider got {outsider_response.status_code}")
        to_login = anonymous_response.status_code == 302 and "/login/" in anonymous_response["Location"]
        api_unauthenticated = url.startswith("/api/") and anonymous_response.status_code == 401
        if anonymous_response.status_code != 404 and not (to_login or api_unauthenticated):
            leaks.append(f"{name} {url}: anonymous got {anonymous_response.status_code}")
    assert leaks == []
    assert len(checked) >= 30, f"only {len(checked)} object URLs were found and checked: {checked}"
