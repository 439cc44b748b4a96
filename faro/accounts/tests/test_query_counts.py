"""Signing up is pinned to the statements it sends, as the webinar registration is
(`faro/webinars/tests/test_query_counts.py`): a change that adds queries fails here.

Counted as production sends them (`production_statements`: an outermost transaction is BEGIN and
COMMIT there, which Django does not count). With a broker the code mail leaves after commit as one
broker message, which costs no statement. `bench/registration_load.py --flow signup` measures it under
load.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from conftest import make_user, production_statements
from faro.accounts import services
from faro.accounts.models import User
from faro.core import outbox
from faro.core.models import AuditEntry
from faro.core.tasks import deliver_outbox_message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

# Is the address taken (accounts and addresses, one query) | the account, its audit entry and its
# address (one transaction) | the code mail's outbox row | the session keeping the pending sign-up
# (one INSERT: its new key needs no SELECT first, see faro/core/sessions.py).
SIGNUP_STATEMENTS = 6


@pytest.fixture
def broker(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    """A broker that takes every message (they are recorded, not run)."""
    published: list[tuple[int, ...]] = []
    monkeypatch.setattr(deliver_outbox_message, "delay", lambda *ids: published.append(ids))
    monkeypatch.setattr(outbox._Broker, "down_until", 0.0)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return published


def signed_up(client: Client, email: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/accounts/signup/", {"email": email})
    assert response["Location"] == "/accounts/confirm-email/"
    return production_statements(captured)


def test_the_first_step_of_signing_up_costs_a_fixed_number_of_statements(
    client: Client, broker: list[tuple[int, ...]]
) -> None:
    Client().post("/accounts/signup/", {"email": "warm@puerto.example.py"})  # a running server's caches
    client.get("/accounts/signup/")
    sent = signed_up(client, "nuevo@puerto.example.py")
    assert len(sent) <= SIGNUP_STATEMENTS, sent
    assert len(broker) == 2  # the warm-up's code mail and this one, one broker message each
    user = User.objects.get(email="nuevo@puerto.example.py")
    assert EmailAddress.objects.filter(user=user, email=user.email, primary=True, verified=False).count() == 1
    assert AuditEntry.objects.for_object(user).get().action == "accounts.user.signed_up"


def test_signing_up_costs_the_same_however_many_accounts_exist(broker: list[tuple[int, ...]]) -> None:
    Client().post("/accounts/signup/", {"email": "warm@puerto.example.py"})
    first = signed_up(Client(), "primera@puerto.example.py")
    for number in range(30):
        make_user(f"cuenta{number}@puerto.example.py")
    assert len(signed_up(Client(), "segunda@puerto.example.py")) == len(first)


def test_an_address_taken_by_an_account_or_as_another_address_counts_as_taken() -> None:
    owner = make_user("owner@puerto.example.py")
    EmailAddress.objects.create(user=owner, email="second@puerto.example.py", verified=False)
    assert services.email_taken("owner@puerto.example.py")
    assert services.email_taken("second@puerto.example.py")
    assert not services.email_taken("someone.else@puerto.example.py")


def test_an_address_signed_up_at_the_same_moment_is_answered_as_taken(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sign-ups of one address at once both find it free; the second meets the unique index and
    is answered as any taken address is (the code page; its owner is mailed), not with an error."""
    make_user("doble@puerto.example.py")
    monkeypatch.setattr(services, "email_taken", lambda email: False)  # read before the first one committed
    response = client.post("/accounts/signup/", {"email": "doble@puerto.example.py"})
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="doble@puerto.example.py").count() == 1
    assert [message.to for message in mail.outbox] == [["doble@puerto.example.py"]]
    assert not AuditEntry.objects.filter(action="accounts.user.signed_up").exists()
