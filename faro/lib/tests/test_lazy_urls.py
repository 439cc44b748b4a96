"""The API's urlconf is imported on first use: public pages and their `reverse()` calls leave it alone."""

import os
import subprocess
import sys

from django.test import Client
from django.urls import resolve, reverse

PUBLIC_PAGE_WITHOUT_API = """
import sys, django
django.setup()
from django.test import Client
from django.urls import reverse
reverse("healthz"), reverse("webinars:webinars")
assert Client().get("/healthz").status_code == 200
print("faro.api.urls" in sys.modules, "rest_framework.views" in sys.modules)
"""


def test_public_reverse_does_not_import_the_api() -> None:
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:"}  # /healthz's one query, whatever database the suite uses
    command = [sys.executable, "-c", PUBLIC_PAGE_WITHOUT_API]
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    assert result.stdout.split() == ["False", "False"]


def test_api_names_reverse_and_resolve() -> None:
    assert reverse("api:docs") == "/api/v1/docs/"
    assert reverse("api:webhook_test", args=[3]) == "/api/v1/webhooks/3/test/"
    assert resolve("/api/v1/webhooks/3/test/").view_name == "api:webhook_test"


def test_api_request_is_served(db: None) -> None:
    assert Client().get("/api/v1/schema/").status_code in (200, 401, 403)
