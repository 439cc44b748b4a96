"""allauth's mails (sign-in codes, reset links) go through the outbox: a broker outage delays them,
never loses them; with the broker up they are handed over at once; with none they are sent at once."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from faro.accounts.models import User
from faro.core import outbox
from faro.core.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]


def code_in(message: Any) -> str:
    return re.search(r"^\s+(\d{6})$", message.body, re.M).group(1)  # type: ignore[union-attr]


@pytest.fixture
def broker_down(settings: Any) -> Iterator[None]:
    """A broker is configured but cannot be reached."""
    from faro.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget pools made for another broker
    outbox._Broker.down_until = 0.0
    yield
    app.conf.update(broker_url=None, task_always_eager=True)
    app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget pools made for another broker
    outbox._Broker.down_until = 0.0
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_with_no_broker_the_reset_mail_is_sent_at_once_and_its_link_is_not_kept(
    client: Client, participant: User
) -> None:
    response = client.post("/accounts/password/reset/", {"email": participant.email})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert [m.to for m in mail.outbox] == [[participant.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    message = OutboxMessage.objects.get(task=outbox.RENDERED_MAIL_TASK)
    assert message.status == OutboxMessage.Status.DONE
    assert message.kwargs == {"to": [participant.email]}  # the one-time link is dropped once delivered


def test_with_the_broker_down_a_sign_in_code_waits_and_arrives_after_and_still_works(
    client: Client, participant: User, broker_down: None, settings: Any
) -> None:
    response = client.post("/accounts/login/code/", {"email": participant.email})
    assert response["Location"] == "/accounts/login/code/confirm/"  # the visitor is asked for the code as usual
    assert mail.outbox == []
    waiting = OutboxMessage.objects.get(task=outbox.RENDERED_MAIL_TASK)
    assert waiting.status == OutboxMessage.Status.PENDING
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (here: delivered in this process)
    assert outbox.relay() == 1
    assert [m.to for m in mail.outbox] == [[participant.email]]
    response = client.post("/accounts/login/code/confirm/", {"code": code_in(mail.outbox[0])})
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200


def test_with_the_broker_up_the_code_is_handed_over_during_the_request(
    client: Client, participant: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faro.core import tasks

    handed: list[int] = []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", lambda message_id: handed.append(message_id))
    client.post("/accounts/login/code/", {"email": participant.email})
    message = OutboxMessage.objects.get(task=outbox.RENDERED_MAIL_TASK)
    assert handed == [message.pk]
    outbox.deliver(message.pk)  # what the worker does with it
    assert len(code_in(mail.outbox[0])) == 6
