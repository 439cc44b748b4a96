"""Signing up is pinned to the statements it sends, as the webinar registration is
(`faro/webinars/tests/test_query_counts.py`): a change that adds queries fails here.

Savepoints are left out (BEGIN and COMMIT in production, which Django does not count). With a broker
the code mail leaves after commit as one broker message, which costs no statement.

Eight is out of reach here: of the 15 statements of the first step, 10 are django-allauth's own
(looking the address up, checking it is free, adding it, reading it back to send the code, keeping
the pending sign-up in the session) and Faro adds 3 (the user, its audit entry, the mail's outbox
row) to Django's session lookup and insert.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from faro.core import outbox
from faro.core.tasks import deliver_outbox_message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

SIGNUP_STATEMENTS = 15


@pytest.fixture
def broker(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    """A broker that takes every message (they are recorded, not run)."""
    published: list[tuple[int, ...]] = []
    monkeypatch.setattr(deliver_outbox_message, "delay", lambda *ids: published.append(ids))
    monkeypatch.setattr(outbox._Broker, "down_until", 0.0)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return published


def test_the_first_step_of_signing_up_costs_a_fixed_number_of_statements(
    client: Client, broker: list[tuple[int, ...]]
) -> None:
    Client().post("/accounts/signup/", {"email": "warm@puerto.example.py"})  # a running server's caches
    client.get("/accounts/signup/")
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/accounts/signup/", {"email": "nuevo@puerto.example.py"})
    sent = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) <= SIGNUP_STATEMENTS
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(broker) == 2  # the warm-up's code mail and this one, one broker message each
