"""A NUL character in a query string or form field answers 400, never 500 (PostgreSQL cannot take it)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from faro.accounts.models import User

pytestmark = pytest.mark.django_db


def _plain_paths(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every URL without parameters (the ones a fuzzer reaches by GET without knowing any id)."""
    found = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(pattern, URLResolver):
            found += _plain_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            found.append("/" + prefix + route)
    return found


PATHS = [p for p in _plain_paths(get_resolver().url_patterns) if not p.startswith(("/django-admin", "/static"))]


@pytest.mark.parametrize("persona", ["staff", "focal_point", None])
def test_every_page_answers_400_to_a_nul_in_the_query(
    client: Client, persona: str | None, request: pytest.FixtureRequest
) -> None:
    if persona:
        client.force_login(request.getfixturevalue(persona))
    statuses = {path: client.get(path + "?q=%00&page=%00").status_code for path in PATHS}
    assert len(statuses) > 40
    assert {path: status for path, status in statuses.items() if status != 400} == {}


def test_a_nul_in_a_posted_form_answers_400(client: Client, participant: User) -> None:
    client.force_login(participant)
    assert client.post("/accounts/me/", {"language": "en", "timezone": "UTC\x00"}).status_code == 400


def test_ordinary_queries_still_work(client: Client) -> None:
    assert client.get("/news/", {"q": "port"}).status_code == 200
