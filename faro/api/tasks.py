from faro.api import services
from faro.lib.tasks import task


@task
def deliver_webhook(delivery_id: int) -> None:
    services.attempt_delivery(delivery_id)


@task
def retry_due_webhooks() -> int:
    """Scheduled (every minute): attempt every pending delivery that is due. Idempotent."""
    due = services.due_deliveries()
    for delivery_id in due:
        services.attempt_delivery(delivery_id)
    return len(due)
