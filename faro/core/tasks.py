"""Background work of core: delivering outbox messages and the relay. Tasks take primary keys."""

from faro.core import outbox
from faro.lib.tasks import task


@task(acks_late=True)
def deliver_outbox_message(message_id: int, *more: int) -> bool:
    """Deliver one message, or several queued together (in their order); True when all were delivered now."""
    return outbox.deliver(message_id, *more)


@task
def relay_outbox_task() -> int:
    """Scheduled every minute (also `manage.py relay_outbox` for cron): idempotent."""
    return outbox.relay()


@task
def ping() -> str:
    """A task that touches nothing, for checking that a worker is alive and connected."""
    return "pong"
