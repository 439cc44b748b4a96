"""A web worker serving public pages leaves alone what only other pages, the API or background work
need: Celery and kombu (until a task is sent to a broker), REST framework's template tags and what they bring
(until a template loads them), allauth's two-factor views (until one is requested).

In a fresh interpreter, since other tests import all of these."""

import json
import os
import subprocess
import sys

SERVE_PUBLIC_PAGES = """
import json, sys
from faro.wsgi import application
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client()
statuses = [client.get(path).status_code for path in ("/healthz", "/", "/webinars/", "/catalogue/", "/accounts/login/")]
statuses.append(client.post("/verify/credential/", {"credential": "not.a.credential"}).status_code)
from django.db import transaction
from faro.core import outbox
from faro.core.models import OutboxMessage
from faro.core.tasks import ping
with transaction.atomic():
    message = outbox.enqueue(ping)  # no broker: delivered in this process after commit, as a registration's mail
statuses.append(OutboxMessage.objects.get(pk=message.pk).status)
names = ["celery", "kombu", "rest_framework.templatetags.rest_framework", "rest_framework.renderers", "yaml",
         "pygments", "requests", "allauth.mfa.base.views", "allauth.mfa.webauthn.views", "fido2"]
print(json.dumps({"statuses": statuses, "imported": [name for name in names if name in sys.modules]}))
"""

TWO_FACTOR_PAGE = """
import json, sys
from faro.wsgi import application
from django.test import Client
from django.urls import reverse
Client().get("/healthz"), reverse("mfa_index")  # the URL root is loaded and its names filled
before = "allauth.mfa.base.views" in sys.modules
status = Client().get("/accounts/2fa/").status_code  # signed out: the view itself sends to the sign-in page
print(json.dumps([before, status, "allauth.mfa.base.views" in sys.modules]))
"""


def run(script: str) -> object:
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:", "CELERY_BROKER_URL": ""}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return json.loads(result.stdout.splitlines()[-1])


def test_public_pages_import_neither_celery_nor_the_browsable_apis_tags_nor_two_factor_views() -> None:
    outcome = run(SERVE_PUBLIC_PAGES)
    assert outcome == {"statuses": [200, 200, 200, 200, 200, 200, "done"], "imported": []}


def test_a_two_factor_page_imports_its_view_on_its_first_request() -> None:
    assert run(TWO_FACTOR_PAGE) == [False, 302, True]
