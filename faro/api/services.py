"""API tokens and webhooks: every write goes through here."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from faro.accounts.models import User
from faro.accounts.usertypes import Actor
from faro.api import webhooks
from faro.api.models import ApiToken, WebhookDelivery, WebhookSubscription, token_digest
from faro.core import outbox
from faro.core.audit import log_action
from faro.directory.models import Institution

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [60, 300, 1800, 7200, 21600]  # then give up


@transaction.atomic
def create_api_token(
    user: User, *, acting_user: User | None, name: str, scope: str, expires_at: datetime.datetime | None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain text, which is never stored or shown again."""
    prefix = secrets.token_hex(4)
    plain = f"faro_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=token_digest(plain), scope=scope, expires_at=expires_at
    )
    log_action(token, "api.token.created", user=acting_user, data={"scope": scope, "expires_at": expires_at})
    return token, plain


@transaction.atomic
def revoke_api_token(token: ApiToken, *, acting_user: Actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        log_action(token, "api.token.revoked", user=acting_user)


@transaction.atomic
def create_subscription(
    *, acting_user: User | None, institution: Institution, url: str, events: list[str]
) -> WebhookSubscription:
    try:
        webhooks.check_url(url)
    except webhooks.UnsafeURL as error:
        raise ValidationError(str(error), code="unsafe_url") from error
    subscription = WebhookSubscription.objects.create(
        institution=institution, url=url, events=events, secret=secrets.token_hex(24), created_by=acting_user
    )
    log_action(subscription, "api.webhook.subscribed", user=acting_user, data={"url": url, "events": events})
    return subscription


@transaction.atomic
def cancel_subscription(subscription: WebhookSubscription, *, acting_user: Actor) -> None:
    subscription.is_active = False
    subscription.save(update_fields=["is_active", "updated_at"])
    log_action(subscription, "api.webhook.cancelled", user=acting_user)


def queue_deliveries(event: str, payload: dict[str, Any], institution_ids: frozenset[int]) -> list[int]:
    """Create one pending delivery per matching active subscription and send them (after commit)."""
    from faro.api.tasks import deliver_webhook

    subscriptions = WebhookSubscription.objects.filter(is_active=True, institution_id__in=institution_ids)
    deliveries = [
        WebhookDelivery.objects.create(subscription=s, event=event, payload=payload, next_attempt_at=timezone.now())
        for s in subscriptions
        if event in s.events or event == "ping"
    ]
    for delivery in deliveries:
        outbox.enqueue(deliver_webhook, delivery.pk)
    return [d.pk for d in deliveries]


@transaction.atomic
def send_test_event(subscription: WebhookSubscription, *, acting_user: Actor) -> WebhookDelivery:
    from faro.api.tasks import deliver_webhook

    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="ping",
        payload={"message": "Test event from Faro", "sent_by": str(acting_user)},
        next_attempt_at=timezone.now(),
    )
    log_action(subscription, "api.webhook.tested", user=acting_user, data={"delivery": delivery.pk})
    outbox.enqueue(deliver_webhook, delivery.pk)
    return delivery


def attempt_delivery(delivery_id: int) -> None:
    """Try one delivery once; on failure schedule the next attempt with backoff, or give up."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return  # already delivered or given up: attempting again would double-send
        subscription = delivery.subscription
        delivery.attempts += 1
        try:
            code = webhooks.post(
                subscription.url,
                secret=subscription.secret,
                event=delivery.event,
                delivery_id=delivery.pk,
                payload=delivery.payload,
            )
            delivery.response_code, delivery.last_error = code, "" if 200 <= code < 300 else f"HTTP {code}"
        except OSError as error:
            delivery.response_code, delivery.last_error = None, webhooks.failure_reason(error)
        if not delivery.last_error:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.DELIVERED, None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            wait = BACKOFF_SECONDS[min(delivery.attempts - 1, len(BACKOFF_SECONDS) - 1)]
            delivery.next_attempt_at = timezone.now() + datetime.timedelta(seconds=wait)
        delivery.save()


def due_deliveries() -> list[int]:
    """Pending deliveries whose next attempt is due (for the scheduled retry job)."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
