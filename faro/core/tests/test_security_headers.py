"""Security headers on every kind of page: CSP without inline scripts, no framing, Permissions-Policy."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from faro.accounts.models import User

pytestmark = pytest.mark.django_db

PAGES = ["/", "/webinars/", "/news/", "/accounts/login/", "/api/v1/docs/"]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_strict_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_has_an_inline_script(client: Client, staff: User) -> None:
    client.force_login(staff)
    for path in [*PAGES, "/accounts/me/", "/webinars/manage/"]:
        html = client.get(path).content.decode()
        assert "<script>" not in html, path


def test_the_api_docs_load_their_script_from_a_url(client: Client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert "script=" in html  # Swagger UI's set-up script is a file of its own, not inline
    assert client.get("/api/v1/docs/?script=").status_code == 200


def _hsts(**env: str) -> str:
    code = "import faro.settings as s; print(s.SECURE_HSTS_SECONDS)"
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test",
        "ALLOWED_HOSTS": "faro.example.org",
        "SITE_URL": "https://faro.example.org",
        **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_hsts_is_on_by_default_in_production_with_the_https_redirect() -> None:
    assert _hsts(SSL_REDIRECT="1") == "31536000"
    assert _hsts(SSL_REDIRECT="0") == "0"
    assert _hsts(SSL_REDIRECT="1", HSTS_SECONDS="0") == "0"
