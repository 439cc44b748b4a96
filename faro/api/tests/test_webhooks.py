import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.api import services
from faro.api.models import WebhookDelivery, WebhookSubscription
from faro.core.events import publish_event
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records requests and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.location = ""  # sent as the Location header when set (a redirect)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings: Settings) -> Iterator[Receiver]:
    settings.DEBUG = True  # http:// is accepted only in development
    settings.FARO_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test receiver's, deliberately allowed
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def subscription(partner: User, partner_institution: Institution, receiver: Receiver) -> WebhookSubscription:
    return services.create_subscription(
        acting_user=partner, institution=partner_institution, url=receiver.url, events=["registration.created"]
    )


def test_an_event_reaches_the_subscribed_partner_signed(
    subscription: WebhookSubscription, receiver: Receiver, partner_institution: Institution
) -> None:
    publish_event("registration.created", {"webinar": 7, "person": 3}, institution_ids=[partner_institution.pk])
    [request] = receiver.requests
    headers = request["headers"]
    expected = hmac.new(
        subscription.secret.encode(), f"{headers['X-Faro-Timestamp']}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    assert headers["X-Faro-Signature"] == f"sha256={expected}"
    assert json.loads(request["body"])["data"] == {"webinar": 7, "person": 3}
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_other_partners_and_other_events_are_not_told(
    subscription: WebhookSubscription, receiver: Receiver, other_institution: Institution
) -> None:
    publish_event("registration.created", {"webinar": 7}, institution_ids=[other_institution.pk])
    publish_event("certificate.issued", {"code": "X"}, institution_ids=[subscription.institution_id])
    assert receiver.requests == []


def test_a_failing_endpoint_is_retried_with_backoff_then_given_up(
    subscription: WebhookSubscription, receiver: Receiver
) -> None:
    receiver.status = 500
    delivery = services.send_test_event(subscription, acting_user=None)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at > timezone.now()
    for _attempt in range(services.MAX_ATTEMPTS):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        from faro.api.tasks import retry_due_webhooks

        retry_due_webhooks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert len(receiver.requests) == services.MAX_ATTEMPTS


def test_a_delivered_event_is_never_sent_twice(subscription: WebhookSubscription, receiver: Receiver) -> None:
    delivery = services.send_test_event(subscription, acting_user=None)
    services.attempt_delivery(delivery.pk)
    assert len(receiver.requests) == 1


def test_the_partner_page_sends_a_test_event_and_shows_the_log(
    client: Client, partner: User, subscription: WebhookSubscription, receiver: Receiver
) -> None:
    client.force_login(partner)
    response = client.post(f"/api/v1/webhooks/{subscription.pk}/test/", follow=True)
    assert "ping" in response.content.decode()
    assert len(receiver.requests) == 1


def test_another_partner_cannot_see_or_test_the_subscription(
    client: Client, subscription: WebhookSubscription, other_institution: Institution
) -> None:
    from conftest import make_user

    other = make_user("coord@valenciaport.example", role="partner", institution=other_institution)
    client.force_login(other)
    assert client.post(f"/api/v1/webhooks/{subscription.pk}/test/").status_code == 404
    assert subscription.url not in client.get("/api/v1/webhooks/").content.decode()


def test_people_without_a_partner_role_have_no_webhook_page(client: Client, participant: User) -> None:
    client.force_login(participant)
    assert client.get("/api/v1/webhooks/").status_code == 404
