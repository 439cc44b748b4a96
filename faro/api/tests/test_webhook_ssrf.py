"""Webhooks cannot be aimed into Faro's own network (a port scanner for partners): the attacks."""

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.api import services, webhooks
from faro.api.models import WebhookDelivery, WebhookSubscription
from faro.api.tests.test_webhooks import Receiver
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = [
    "http://hooks.example.org/x",  # not https (outside development)
    "ftp://hooks.example.org/x",
    "file:///etc/passwd",
    "https://127.0.0.1/x",
    "https://localhost:8000/x",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://10.0.0.7/x",
    "https://172.16.3.4/x",
    "https://192.168.1.1/x",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://100.64.0.1/x",  # carrier-grade NAT
    "https://0.0.0.0/x",
    "https://224.0.0.251/x",  # multicast
    "https://240.0.0.1/x",  # reserved
    "https://user:secret@hooks.example.org/x",
    "https://no-such-host.invalid/x",
]


@pytest.mark.parametrize("url", REFUSED)
def test_internal_and_odd_addresses_are_refused(url: str) -> None:
    with pytest.raises(webhooks.UnsafeURL):
        webhooks.check_url(url)


def test_a_public_address_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    assert webhooks.check_url("https://hooks.example.org/faro") == ("https", "hooks.example.org", 443, "93.184.215.14")


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.1.2.3", 443))])
    with pytest.raises(webhooks.UnsafeURL, match="private"):
        webhooks.check_url("https://internal.example.org/")


def test_the_subscription_form_refuses_the_metadata_address(
    client: Client, partner: User, partner_institution: Institution
) -> None:
    client.force_login(partner)
    response = client.post(
        "/api/v1/webhooks/",
        {"institution": partner_institution.pk, "url": "https://169.254.169.254/", "events": ["registration.created"]},
    )
    assert response.status_code == 200
    assert "private or reserved network" in response.content.decode()
    assert not WebhookSubscription.objects.exists()
    with pytest.raises(ValidationError):
        services.create_subscription(
            acting_user=partner,
            institution=partner_institution,
            url="https://127.0.0.1/",
            events=["registration.created"],
        )


@pytest.fixture
def receiver(settings: Settings) -> Iterator[Receiver]:
    settings.DEBUG = True
    settings.FARO_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


def _subscribe(url: str, partner: User, institution: Any) -> WebhookSubscription:
    return services.create_subscription(acting_user=partner, institution=institution, url=url, events=["ping"])


def test_every_delivery_checks_the_address_again(
    receiver: Receiver, partner: User, partner_institution: Institution, settings: Settings
) -> None:
    subscription = _subscribe(receiver.url, partner, partner_institution)
    settings.FARO_WEBHOOK_ALLOWED_NETWORKS = []  # as if the name now pointed inside
    delivery = services.send_test_event(subscription, acting_user=None)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.last_error == "blocked address"


def test_dns_rebinding_cannot_redirect_the_connection(
    receiver: Receiver, partner: User, partner_institution: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name resolves to the allowed address when checked and to an internal one afterwards: the
    request still goes to the address that was checked."""
    answers = iter([("127.0.0.1", receiver.server.server_port)] * 2)
    real = socket.getaddrinfo

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host != "hooks.example.org":
            return real(host, *args, **kwargs)
        address = next(answers, ("10.66.0.1", receiver.server.server_port))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", address)]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://hooks.example.org:{receiver.server.server_port}/hook"
    subscription = _subscribe(url, partner, partner_institution)  # first answer
    delivery = services.send_test_event(subscription, acting_user=None)  # second answer; a third would be inside
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hooks.example.org:{receiver.server.server_port}"


def test_redirects_are_not_followed(receiver: Receiver, partner: User, partner_institution: Institution) -> None:
    target = Receiver()
    receiver.status = 302
    receiver.location = target.url
    try:
        delivery = services.send_test_event(_subscribe(receiver.url, partner, partner_institution), acting_user=None)
        delivery.refresh_from_db()
        assert target.requests == []
        assert delivery.response_code == 302
        assert delivery.status == WebhookDelivery.Status.PENDING  # a failed attempt, retried later
    finally:
        target.server.shutdown()


def test_a_failure_is_reported_without_the_remote_error_text(
    receiver: Receiver, partner: User, partner_institution: Institution
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    subscription = _subscribe(f"http://127.0.0.1:{port}/hook", partner, partner_institution)
    delivery = services.send_test_event(subscription, acting_user=None)
    delivery.refresh_from_db()
    assert delivery.last_error == "connection failed"
    assert "Errno" not in delivery.last_error
