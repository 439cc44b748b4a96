"""Redis (cache and broker) goes away: pages keep answering, nothing is lost, the worker survives.

Each test starts its own redis-server on a free port and stops it; they skip when redis-server is
not installed.
"""

import datetime
import time
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import PASSWORD
from faro.accounts.adapter import lockout_message
from faro.accounts.models import User
from faro.core import outbox
from faro.core.models import OutboxMessage
from faro.core.tests.servers import Worker, broker_and_cache, drain_broker, needs_redis, redis_server
from faro.directory.models import MemberState
from faro.webinars.models import Registration, Webinar

pytestmark = [needs_redis]

REGISTRANTS = 6


def make_webinar() -> Webinar:
    start = timezone.now() + datetime.timedelta(days=5)
    return Webinar.objects.create(
        title={"en": "Port community systems"},
        description={"en": "How ports share data."},
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        capacity=50,
        status=Webinar.Status.PUBLISHED,
        join_url="https://meet.example.org/pcs",
        language="en",
    )


def register_through_the_form(client: Client, webinar: Webinar, number: int) -> int:
    data = {
        "email": f"officer{number}@port.example.mx",
        "first_name": "Officer",
        "last_name": f"Number {number}",
        "member_state": MemberState.objects.get(code="MX").pk,
        "position": "Pilot",
        "language": "es",
        "consent": "on",
    }
    return client.post(reverse("webinars:registration_create", args=[webinar.pk]), data).status_code


def sign_in(client: Client, email: str, password: str) -> int:
    return client.post("/accounts/login/", {"login": email, "password": password}).status_code


@pytest.mark.django_db
def test_with_redis_down_pages_answer_and_every_confirmation_is_delivered_once_after(
    tmp_path: Path,
    settings: Settings,
    client: Client,
    participant: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    webinar = make_webinar()
    with redis_server(tmp_path) as redis, broker_and_cache(redis.url, settings):
        redis.stop()
        statuses = []
        for number in range(REGISTRANTS):
            with django_capture_on_commit_callbacks(execute=True):  # hand-over after commit, as in production
                statuses.append(register_through_the_form(Client(), webinar, number))
        statuses.append(sign_in(client, participant.email, "wrong password"))
        statuses.append(sign_in(client, participant.email, PASSWORD))
        statuses.append(client.get(reverse("certificates:certificate_verify", args=["NO-SUCH-CODE"])).status_code)
        statuses.append(client.get(reverse("webinars:webinars")).status_code)
        assert statuses == [302] * REGISTRANTS + [200, 302, 400, 200]  # 400: a malformed code, said so
        assert Registration.objects.count() == REGISTRANTS
        assert mail.outbox == []  # nothing could be handed over ...
        waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, task__endswith="registration_mail")
        assert waiting.count() == REGISTRANTS  # ... and nothing is lost

        redis.start()
        outbox._Broker.down_until = 0.0
        assert outbox.relay() >= REGISTRANTS
        assert drain_broker() >= REGISTRANTS  # a worker takes them
        assert outbox.relay() == 0  # the relay again: nothing left to hand over
        OutboxMessage.objects.update(relayed_at=None)  # even if everything were handed over again ...
        outbox.relay()
        drain_broker()  # ... each message is claimed once
    addresses = sorted(message.to[0] for message in mail.outbox)
    assert addresses == sorted(f"officer{n}@port.example.mx" for n in range(REGISTRANTS))
    assert not waiting.exists()


@pytest.mark.django_db
def test_sign_in_lockout_still_counts_while_redis_is_down(
    tmp_path: Path, settings: Settings, participant: User
) -> None:
    with redis_server(tmp_path) as redis, broker_and_cache(redis.url, settings):
        redis.stop()
        client = Client()
        failures = [sign_in(client, participant.email, "wrong") for _ in range(settings.LOGIN_FAILURE_LIMIT)]
        response = client.post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    assert failures == [200] * settings.LOGIN_FAILURE_LIMIT
    assert response.status_code == 200  # locked out: the right password is refused too, and no 500
    assert response.context["form"].errors["__all__"] == [str(lockout_message())]


def test_the_worker_survives_a_redis_outage_and_takes_new_work(tmp_path: Path) -> None:
    from celery import Celery

    with redis_server(tmp_path) as redis:
        worker = Worker(redis.url, tmp_path / "worker.log", CELERY_RESULT_BACKEND=redis.url)
        try:
            worker.wait_ready()
            client_app = Celery(broker=redis.url, backend=redis.url)
            assert client_app.send_task("faro.core.tasks.ping").get(timeout=30) == "pong"
            redis.stop()
            time.sleep(5)
            assert worker.alive
            redis.start()
            result = client_app.send_task("faro.core.tasks.ping")
            assert result.get(timeout=60) == "pong"
            assert worker.alive
        finally:
            worker.stop()
