"""The outbox's messages go straight on a plain Redis broker (lib.broker): Celery's own message, one
kept client that survives a Redis restart, and a real worker that runs them.

Each test starts its own redis-server on a free port; they skip when redis-server is not installed.
"""

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core import mail
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from faro.core import outbox
from faro.core.models import OutboxMessage
from faro.core.tasks import deliver_outbox_message, ping
from faro.core.tests.servers import Worker, broker_and_cache, drain_broker, needs_redis, redis_server
from faro.directory.models import Institution, MemberState
from faro.lib import broker
from faro.webinars import services
from faro.webinars.tests.conftest import make_webinar

pytestmark = [needs_redis]


def queued(url: str, queue: str = "celery") -> list[dict[str, Any]]:
    """The messages waiting on `queue`, oldest first, with their bodies decoded."""
    messages = [json.loads(raw) for raw in reversed(redis.Redis.from_url(url).lrange(queue, 0, -1))]
    for message in messages:
        message["body"] = json.loads(base64.b64decode(message["body"]))
    return messages


def without_ids(message: dict[str, Any]) -> dict[str, Any]:
    """A message with what differs between any two sends (its ids) taken out."""
    headers = {k: v for k, v in message["headers"].items() if k not in {"id", "root_id"}}
    properties = {k: v for k, v in message["properties"].items() if k not in {"correlation_id", "delivery_tag"}}
    return {**message, "headers": headers, "properties": properties}


def test_the_message_is_the_one_celery_writes(tmp_path: Path, settings: Settings) -> None:
    with redis_server(tmp_path) as server, broker_and_cache(server.url, settings):
        deliver_outbox_message.delay(5, 6)
        send = broker.sender_for(deliver_outbox_message)
        assert send is not None
        task_id = send((5, 6))
        celery_message, ours = queued(server.url)
    assert ours["headers"]["id"] == ours["headers"]["root_id"] == ours["properties"]["correlation_id"] == task_id
    assert ours["body"] == [[5, 6], {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    assert without_ids(ours) == without_ids(celery_message)


def test_the_kept_client_reconnects_after_redis_restarts(tmp_path: Path, settings: Settings) -> None:
    with redis_server(tmp_path) as server, broker_and_cache(server.url, settings):
        send = broker.sender_for(deliver_outbox_message)
        assert send is not None and broker.sender_for(deliver_outbox_message) is send  # one per process
        send((1,))
        server.stop()
        started = time.monotonic()
        with pytest.raises(redis.ConnectionError):
            send((2,))
        assert time.monotonic() - started < 1  # a dead broker answers at once: the request does not wait
        server.start()  # an empty Redis (nothing was saved) on the same port
        send((3,))
        assert [message["body"][0] for message in queued(server.url)] == [[3]]
        assert broker.sender_for(deliver_outbox_message) is send


def test_a_set_up_other_than_the_plain_one_goes_through_celery(tmp_path: Path, settings: Settings) -> None:
    from faro.celery import app

    with redis_server(tmp_path) as server, broker_and_cache(server.url, settings):
        assert broker.sender_for(ping) is not None
        # The set-up is read once per broker and queue: routes come with another broker here.
        app.conf.update(broker_url=server.url.replace("/0", "/1"), task_routes={ping.name: {"queue": "elsewhere"}})
        try:
            assert broker.sender_for(ping) is None
        finally:
            app.conf.update(broker_url=server.url, task_routes=None)
    assert broker.sender_for(ping) is None  # no broker at all (the tests' eager set-up)


def test_a_celery_worker_runs_the_message(tmp_path: Path) -> None:
    from celery import Celery

    with redis_server(tmp_path) as server:
        worker = Worker(server.url, tmp_path / "worker.log", CELERY_RESULT_BACKEND=server.url)
        try:
            worker.wait_ready()
            publisher = broker.RedisPublisher(server.url, "celery", {"socket_timeout": 5})
            task_id = publisher.send(ping.name, (), ignore_result=False)  # a result to read back
            client = Celery(broker=server.url, backend=server.url)
            assert client.AsyncResult(task_id).get(timeout=30) == "pong"
        finally:
            worker.stop()


@pytest.mark.django_db
def test_a_registration_is_one_broker_message_carrying_its_mail_and_the_partners_event(
    tmp_path: Path, settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    callao = Institution.objects.create(name="Port of Callao", country_code="PE", kind="international")
    webinar = make_webinar(capacity=10, partners=[callao])
    with redis_server(tmp_path) as server, broker_and_cache(server.url, settings):
        with django_capture_on_commit_callbacks(execute=True):
            services.register_for_webinar(
                webinar,
                acting_user=None,
                email="pilot@port.example.mx",
                first_name="Rosa",
                member_state=MemberState.objects.get(code="MX"),
                consent=True,
            )
        [message] = queued(server.url)
        rows = OutboxMessage.objects.order_by("pk")
        assert message["headers"]["task"] == deliver_outbox_message.name
        assert message["body"][0] == list(rows.values_list("pk", flat=True))
        assert [row.task.rsplit(".", 1)[1] for row in rows] == ["send_registration_mail", "announce"]
        assert drain_broker() == 1
        outbox._Broker.down_until = 0.0
    assert [m.to for m in mail.outbox] == [["pilot@port.example.mx"]]  # sent once
    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.DONE}
