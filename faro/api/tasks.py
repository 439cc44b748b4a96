from celery import shared_task

from faro.api import services


@shared_task
def deliver_webhook(delivery_id: int) -> None:
    services.attempt_delivery(delivery_id)


@shared_task
def retry_due_webhooks() -> int:
    """Scheduled (every minute): attempt every pending delivery that is due. Idempotent."""
    due = services.due_deliveries()
    for delivery_id in due:
        services.attempt_delivery(delivery_id)
    return len(due)
