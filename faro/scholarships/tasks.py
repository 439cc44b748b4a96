"""Scheduled work for scholarships (registered in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task
def expire_offers_task() -> int:
    """Expire unanswered offers past their deadline and promote from the waitlists (idempotent)."""
    from faro.scholarships.services import expire_offers

    return expire_offers()
